// SPDX-License-Identifier: MIT
#include "store/frame_text.hpp"

#include "model/micro_point.hpp"

#include <algorithm>
#include <charconv>

namespace fuelmap::detail {

void append_frame_field(std::string& out, std::string_view s) {
    auto special = [](char c) { return c == '\\' || c == '\t' || c == '\n' || c == '\r'; };
    if (std::none_of(s.begin(), s.end(), special)) {
        out.append(s); // nearly every field
        return;
    }
    for (char c : s) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += c;
        }
    }
}

void append_frame_fraction(std::string& out, double fraction) {
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, fraction);
    if (ec == std::errc())
        out.append(buf, ptr);
    else
        out += "nan";
}

// "N<TAB>nozzle_no<TAB>grade<TAB>status<TAB>": the start of every N line, before its legs.
void append_nozzle_head(std::string& out, std::string_view nozzle_no, std::string_view grade,
                        std::string_view status) {
    out += "N\t";
    append_frame_field(out, nozzle_no);
    out += '\t';
    append_frame_field(out, grade);
    out += '\t';
    append_frame_field(out, status);
    out += '\t';
}

// "tank=fraction", preceded by a comma unless it is the first leg.
void append_supply_leg(std::string& out, bool first, std::string_view tank_no, double fraction) {
    if (!first)
        out += ',';
    append_frame_field(out, tank_no);
    out += '=';
    append_frame_fraction(out, fraction);
}

void append_frame_header(std::string& out, const std::vector<std::string>& fields) {
    out += "fuelmap-frame-v1\nfields";
    for (const std::string& f : fields) {
        out += '\t';
        append_frame_field(out, f);
    }
    out += '\n';
}

bool append_frame_value(const Station& s, const std::string& field, std::string& out) {
    if (field == "lon_e6" || field == "lat_e6") {
        if (!s.location)
            return false;
        const MicroPoint p = micro_point(*s.location);
        out += std::to_string(field == "lon_e6" ? p.lon : p.lat);
        return true;
    }
    return s.append_field(field, out);
}

void append_station_line(std::string& out, const Station& s, const std::vector<std::string>& fields) {
    out += "S\t";
    append_frame_field(out, s.station_id);
    out += '\t';
    append_frame_field(out, s.status);
    out += '\t';
    append_frame_field(out, s.county);
    thread_local std::string value; // one buffer for every field of every station of a frame
    for (const std::string& f : fields) {
        out += '\t';
        value.clear();
        if (append_frame_value(s, f, value))
            append_frame_field(out, value);
        else
            out += "\\N";
    }
    out += '\n';
}

void append_nozzle_lines(std::string& out, const std::vector<Nozzle>& nozzles) {
    std::vector<const Nozzle*> sorted;
    sorted.reserve(nozzles.size());
    for (const Nozzle& n : nozzles)
        sorted.push_back(&n);
    std::sort(sorted.begin(), sorted.end(),
              [](const Nozzle* a, const Nozzle* b) { return a->nozzle_no < b->nozzle_no; });
    for (const Nozzle* n : sorted) {
        append_nozzle_head(out, n->nozzle_no, n->grade, n->status);
        for (std::size_t i = 0; i < n->supply.size(); ++i)
            append_supply_leg(out, i == 0, n->supply[i].tank_no, n->supply[i].fraction);
        out += '\n';
    }
}

namespace {

// Undoes append_frame_field(); false on a backslash it would not write.
bool unescape_frame_field(std::string_view text, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (++i == text.size())
            return false;
        switch (text[i]) {
        case '\\':
            out += '\\';
            break;
        case 't':
            out += '\t';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        default:
            return false;
        }
    }
    return true;
}

// Splits @p text at the next @p separator, leaving the rest in @p text; false when there is none.
bool take_until(std::string_view& text, char separator, std::string_view& field) {
    const std::size_t at = text.find(separator);
    if (at == std::string_view::npos)
        return false;
    field = text.substr(0, at);
    text.remove_prefix(at + 1);
    return true;
}

} // namespace

bool read_nozzle_lines(std::string_view lines, std::vector<Nozzle>& nozzles) {
    nozzles.clear();
    nozzles.reserve(static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')));
    std::string_view rest = lines;
    std::string_view line;
    while (take_until(rest, '\n', line)) {
        std::string_view tag, nozzle_no, grade, status;
        if (!take_until(line, '\t', tag) || tag != "N" || !take_until(line, '\t', nozzle_no) ||
            !take_until(line, '\t', grade) || !take_until(line, '\t', status))
            return false;
        // The rest of the line is the legs: one leg only, split at its last '=' (a fraction holds none).
        const std::size_t eq = line.rfind('=');
        if (line.find(',') != std::string_view::npos || eq == std::string_view::npos)
            return false;
        Nozzle& n = nozzles.emplace_back();
        SupplyLeg& leg = n.supply.emplace_back();
        const std::string_view fraction = line.substr(eq + 1);
        const auto [end, ec] =
            std::from_chars(fraction.data(), fraction.data() + fraction.size(), leg.fraction);
        if (ec != std::errc() || end != fraction.data() + fraction.size() ||
            !unescape_frame_field(nozzle_no, n.nozzle_no) || !unescape_frame_field(grade, n.grade) ||
            !unescape_frame_field(status, n.status) || !unescape_frame_field(line.substr(0, eq), leg.tank_no))
            return false;
    }
    if (!rest.empty())
        return false;
    // What was read must be written back as the very same text (order, number forms, escapes).
    std::string again;
    again.reserve(lines.size());
    append_nozzle_lines(again, nozzles);
    return again == lines;
}

void append_context_lines(std::string& out, const std::map<std::string, std::vector<std::string>>& last_teams,
                          const std::vector<std::string>& failed_stations,
                          const std::vector<std::string>& case_stations) {
    for (const auto& [station, team] : last_teams) {
        out += "L\t";
        append_frame_field(out, station);
        out += '\t';
        for (std::size_t i = 0; i < team.size(); ++i) {
            if (i)
                out += ',';
            append_frame_field(out, team[i]);
        }
        out += '\n';
    }
    for (const std::string& f : failed_stations) {
        out += "F\t";
        append_frame_field(out, f);
        out += '\n';
    }
    for (const std::string& c : case_stations) {
        out += "C\t";
        append_frame_field(out, c);
        out += '\n';
    }
}

// ----- StationLines -----

void StationLines::clear() {
    m_arena.clear();
    m_nozzles.clear();
    m_legs.clear();
}

StationLines::Span StationLines::keep(std::string_view s) {
    Span sp{static_cast<std::uint32_t>(m_arena.size()), static_cast<std::uint32_t>(s.size())};
    m_arena.append(s);
    return sp;
}

std::string_view StationLines::view(Span s) const noexcept {
    return std::string_view(m_arena).substr(s.off, s.len);
}

void StationLines::add_nozzle(std::string_view nozzle_no, std::string_view grade, std::string_view status) {
    const Span a = keep(nozzle_no);
    const Span b = keep(grade);
    const Span c = keep(status);
    m_nozzles.push_back({a, b, c});
}

void StationLines::add_leg(std::string_view nozzle_no, std::int64_t leg, std::string_view tank_no,
                           double fraction) {
    const Span a = keep(nozzle_no);
    const Span b = keep(tank_no);
    m_legs.push_back({a, b, leg, fraction});
}

bool StationLines::append_to(std::string& out) {
    std::sort(m_nozzles.begin(), m_nozzles.end(),
              [&](const NozzleRow& a, const NozzleRow& b) { return view(a.nozzle_no) < view(b.nozzle_no); });
    std::sort(m_legs.begin(), m_legs.end(), [&](const LegRow& a, const LegRow& b) {
        const std::string_view x = view(a.nozzle_no), y = view(b.nozzle_no);
        return x != y ? x < y : a.leg < b.leg;
    });
    // Attach the legs to their nozzles; a leg of no nozzle, a repeated leg or nozzle is no layout.
    std::size_t s = 0;
    for (NozzleRow& n : m_nozzles) {
        const std::string_view no = view(n.nozzle_no);
        if (s < m_legs.size() && view(m_legs[s].nozzle_no) < no)
            return false;
        n.first_leg = static_cast<std::uint32_t>(s);
        while (s < m_legs.size() && view(m_legs[s].nozzle_no) == no) {
            if (s > n.first_leg && m_legs[s].leg == m_legs[s - 1].leg)
                return false;
            ++s;
        }
        n.legs = static_cast<std::uint32_t>(s) - n.first_leg;
    }
    if (s != m_legs.size())
        return false;
    for (std::size_t k = 1; k < m_nozzles.size(); ++k)
        if (view(m_nozzles[k].nozzle_no) == view(m_nozzles[k - 1].nozzle_no))
            return false;
    for (const NozzleRow& n : m_nozzles) {
        append_nozzle_head(out, view(n.nozzle_no), view(n.grade), view(n.status));
        for (std::uint32_t l = 0; l < n.legs; ++l) {
            const LegRow& leg = m_legs[n.first_leg + l];
            append_supply_leg(out, l == 0, view(leg.tank_no), leg.fraction);
        }
        out += '\n';
    }
    return true;
}

FrameHasher::FrameHasher(const std::vector<std::string>& fields) : m_fields(fields) {
    append_frame_header(m_buffer, fields);
}

std::string& FrameHasher::station(const Station& s) {
    if (m_buffer.size() > (1u << 20)) {
        m_hash.update(m_buffer);
        m_buffer.clear();
    }
    append_station_line(m_buffer, s, m_fields);
    return m_buffer;
}

std::string FrameHasher::hex(std::string_view tail) {
    m_buffer += tail;
    m_hash.update(m_buffer);
    return m_hash.hex();
}

} // namespace fuelmap::detail
