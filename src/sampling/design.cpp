// SPDX-License-Identifier: MIT
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>

#include "sampling/route.hpp"
#include "util/file.hpp"
#include "util/json_document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

namespace fuelmap {

namespace {

using nlohmann::json;

class DesignParser {
public:
    DesignParser(std::string file, std::filesystem::path base_dir)
        : m_file(std::move(file)), m_base(std::move(base_dir)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw InputError({.file = m_file, .field = key}, what);
    }

    std::string string(const json& v, const std::string& key, bool allow_empty = false) const {
        if (!v.is_string())
            fail(key, "must be a string");
        std::string s = v.get<std::string>();
        if (!allow_empty && s.empty())
            fail(key, "must not be empty");
        return s;
    }

    std::int64_t integer(const json& v, const std::string& key, std::int64_t min) const {
        if (!v.is_number_integer())
            fail(key, v.is_number() ? "must be a whole number (no fractions: money is in whole units)"
                                    : "must be a whole number");
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            fail(key, "is too large");
        const std::int64_t i = v.get<std::int64_t>();
        if (i < min)
            fail(key, "must be at least " + std::to_string(min) + " (got " + std::to_string(i) + ")");
        return i;
    }

    std::vector<std::string> strings(const json& v, const std::string& key) const {
        if (!v.is_array())
            fail(key, "must be an array of strings");
        std::vector<std::string> out;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < v.size(); ++i) {
            std::string s = string(v[i], key + "[" + std::to_string(i) + "]");
            if (!seen.insert(s).second)
                fail(key, "lists '" + s + "' twice");
            out.push_back(std::move(s));
        }
        return out;
    }

    std::string date(const json& v, const std::string& key) const {
        std::string s = string(v, key);
        if (!is_iso_date(s))
            fail(key, "must be a date written YYYY-MM-DD (got '" + s + "')");
        return s;
    }

    Design parse(std::string_view text) {
        const json doc = detail::parse_json_object(text, m_file, "design");
        static const std::set<std::string> known = {"round",
                                                    "method",
                                                    "sample_size",
                                                    "budget",
                                                    "cost_per_batch",
                                                    "strata",
                                                    "allocation",
                                                    "volume_field",
                                                    "min_per_stratum",
                                                    "weight_field",
                                                    "certainty",
                                                    "certainty_from_round",
                                                    "certainty_from_cases",
                                                    "exclude",
                                                    "grades",
                                                    "inspectors",
                                                    "team_size",
                                                    "workload_cap",
                                                    "window",
                                                    "description",
                                                    "team_roles",
                                                    "stations_per_day",
                                                    "depot"};
        for (const auto& [key, value] : doc.items())
            if (!known.count(key))
                fail(key, "unknown key '" + key + "' (known keys are listed in docs/sampling.md)");
        Design d;
        d.file = m_file;
        if (!doc.contains("round"))
            fail("round", "missing: every design names its round");
        d.round = string(doc["round"], "round");
        if (d.round.find_first_of("/\t\n\r") != std::string::npos)
            fail("round", "must not contain '/', tabs or line breaks");
        if (doc.contains("description"))
            (void)string(doc["description"], "description", true);
        if (doc.contains("method")) {
            d.method = string(doc["method"], "method");
            if (d.method != "tickets" && d.method != "rfc3797")
                fail("method", "must be \"tickets\" or \"rfc3797\" (got \"" + d.method + "\")");
        }
        if (doc.contains("sample_size"))
            d.sample_size = integer(doc["sample_size"], "sample_size", 0);
        if (doc.contains("budget"))
            d.budget = integer(doc["budget"], "budget", 0);
        if (doc.contains("cost_per_batch"))
            d.cost_per_batch = integer(doc["cost_per_batch"], "cost_per_batch", 1);
        if (d.sample_size && d.budget)
            fail("budget", "give either sample_size or budget, not both");
        if (!d.sample_size && !d.budget)
            fail("sample_size", "missing: give sample_size, or budget and cost_per_batch");
        if (d.budget && !d.cost_per_batch)
            fail("cost_per_batch", "missing: a budget needs cost_per_batch");
        if (d.cost_per_batch && !d.budget)
            fail("cost_per_batch", "only meaningful with budget");
        if (doc.contains("strata"))
            d.strata = strings(doc["strata"], "strata");
        if (doc.contains("allocation")) {
            d.allocation = string(doc["allocation"], "allocation");
            if (d.allocation != "proportional" && d.allocation != "volume" && d.allocation != "equal")
                fail("allocation",
                     "must be \"proportional\", \"volume\" or \"equal\" (got \"" + d.allocation + "\")");
        }
        if (doc.contains("volume_field")) {
            d.volume_field = string(doc["volume_field"], "volume_field");
            if (d.allocation != "volume")
                fail("volume_field", "only meaningful with \"allocation\": \"volume\"");
        }
        if (doc.contains("min_per_stratum"))
            d.min_per_stratum = integer(doc["min_per_stratum"], "min_per_stratum", 0);
        if (doc.contains("weight_field")) {
            d.weight_field = string(doc["weight_field"], "weight_field");
            if (d.method == "rfc3797")
                fail("weight_field",
                     "risk weights need method \"tickets\"; RFC 3797 draws with equal chances");
        }
        if (doc.contains("certainty"))
            d.certainty = strings(doc["certainty"], "certainty");
        if (doc.contains("certainty_from_round"))
            d.certainty_from_round = string(doc["certainty_from_round"], "certainty_from_round");
        if (doc.contains("certainty_from_cases"))
            d.certainty_from_cases = date(doc["certainty_from_cases"], "certainty_from_cases");
        if (doc.contains("exclude"))
            d.exclude = strings(doc["exclude"], "exclude");
        for (const std::string& id : d.certainty)
            for (const std::string& ex : d.exclude)
                if (id == ex)
                    fail("exclude", "station '" + id + "' is both in certainty and in exclude");
        if (doc.contains("grades"))
            d.grades = strings(doc["grades"], "grades");
        if (d.budget && d.grades.empty())
            fail("grades",
                 "a budget design must list the grades to sample (a batch is one grade at one station)");
        if (doc.contains("inspectors"))
            d.inspectors = inspectors(doc["inspectors"]);
        if (doc.contains("team_size"))
            d.team_size = integer(doc["team_size"], "team_size", 2);
        if (doc.contains("workload_cap"))
            d.workload_cap = integer(doc["workload_cap"], "workload_cap", 1);
        if ((doc.contains("team_size") || doc.contains("workload_cap")) && d.inspectors.empty())
            fail(doc.contains("team_size") ? "team_size" : "workload_cap", "needs an inspectors list");
        if (!d.inspectors.empty() && static_cast<std::int64_t>(d.inspectors.size()) < d.team_size)
            fail("inspectors", "has " + std::to_string(d.inspectors.size()) +
                                   " inspectors, fewer than team_size " + std::to_string(d.team_size));
        if (doc.contains("window"))
            d.window = window(doc["window"]);
        if (doc.contains("team_roles"))
            d.team_roles = strings(doc["team_roles"], "team_roles");
        if (doc.contains("stations_per_day"))
            d.stations_per_day = integer(doc["stations_per_day"], "stations_per_day", 1);
        if (doc.contains("depot"))
            d.depot = depot(doc["depot"]);
        check_schedule(doc, d);

        json canonical = doc;
        if (!d.inspectors.empty()) {
            json list = json::array();
            for (const Inspector& i : d.inspectors)
                list.push_back({{"base_lat", i.base_lat},
                                {"base_lon", i.base_lon},
                                {"district", i.district},
                                {"id", i.id},
                                {"name", i.name},
                                {"role", i.role},
                                {"unavailable", i.unavailable}});
            canonical["inspectors"] = list;
        }
        try {
            d.canonical_json = canonical.dump(2) + "\n";
        } catch (const json::type_error& e) {
            throw InputError({.file = m_file}, std::string("not valid UTF-8: ") + e.what());
        }
        return d;
    }

private:
    // A schedule (docs/sampling.md section 8) needs inspectors, a window, stations_per_day and a base
    // for every team; the keys of a schedule are refused without one.
    void check_schedule(const json& doc, const Design& d) const {
        if (d.inspectors.empty()) {
            for (const char* key : {"window", "team_roles", "stations_per_day", "depot"})
                if (doc.contains(key))
                    fail(key, "needs an inspectors list (the schedule of teams, days and routes)");
            return;
        }
        if (!d.window)
            fail("window", "missing: a design with inspectors schedules team-days inside a window");
        if (d.stations_per_day == 0)
            fail("stations_per_day", "missing: a design with inspectors says how many stations one team "
                                     "visits on one day at most");
        if (static_cast<std::int64_t>(d.team_roles.size()) > d.team_size)
            fail("team_roles", "lists " + std::to_string(d.team_roles.size()) +
                                   " roles but a team has only team_size " + std::to_string(d.team_size) +
                                   " members");
        if (!d.depot)
            for (const Inspector& i : d.inspectors)
                if (i.base_lon.empty() || i.base_lat.empty())
                    fail("inspectors", "inspector '" + i.id +
                                           "' has no base (base_lon, base_lat): give every inspector a base, "
                                           "or one depot in the design");
    }

    void check_base(const std::string& key, const std::string& lon, const std::string& lat) const {
        if (lon.empty() != lat.empty())
            fail(key, "give both base_lon and base_lat, or neither");
        if (lon.empty())
            return;
        if (!detail::parse_micro_degrees(lon) || *detail::parse_micro_degrees(lon) < -180'000'000)
            fail(key,
                 "longitude '" + lon + "' is not decimal degrees in [-180, 180] with at most 6 decimals");
        const std::optional<std::int64_t> la = detail::parse_micro_degrees(lat);
        if (!la || *la < -90'000'000 || *la > 90'000'000)
            fail(key, "latitude '" + lat + "' is not decimal degrees in [-90, 90] with at most 6 decimals");
    }

    Depot depot(const json& v) const {
        if (!v.is_object() || !v.contains("lon") || !v.contains("lat") || v.size() != 2)
            fail("depot", "must be an object {\"lon\": \"121.447\", \"lat\": \"37.463\"} (decimal degrees "
                          "as strings)");
        Depot d{string(v["lon"], "depot.lon"), string(v["lat"], "depot.lat")};
        check_base("depot", d.lon, d.lat);
        return d;
    }

    std::vector<Inspector> inspectors(const json& v) const {
        std::vector<Inspector> list;
        if (v.is_string()) {
            std::filesystem::path p = v.get<std::string>();
            if (p.is_relative())
                p = m_base / p;
            try {
                list = read_inspectors_csv(p);
            } catch (const InputError& e) {
                fail("inspectors", e.what());
            }
        } else if (v.is_array()) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string key = "inspectors[" + std::to_string(i) + "]";
                if (!v[i].is_object())
                    fail(key, "must be an object with id, name, district, role");
                static const std::set<std::string> keys = {"id",       "name",     "district",   "role",
                                                           "base_lon", "base_lat", "unavailable"};
                for (const auto& [k, value] : v[i].items())
                    if (!keys.count(k))
                        fail(key + "." + k, "unknown key '" + k + "'");
                Inspector ins;
                for (const char* k : {"id", "name", "district", "role"})
                    if (!v[i].contains(k))
                        fail(key + "." + k, "missing");
                ins.id = string(v[i]["id"], key + ".id");
                ins.name = string(v[i]["name"], key + ".name", true);
                ins.district = string(v[i]["district"], key + ".district", true);
                ins.role = string(v[i]["role"], key + ".role", true);
                if (v[i].contains("base_lon"))
                    ins.base_lon = string(v[i]["base_lon"], key + ".base_lon", true);
                if (v[i].contains("base_lat"))
                    ins.base_lat = string(v[i]["base_lat"], key + ".base_lat", true);
                if (v[i].contains("unavailable"))
                    ins.unavailable = strings(v[i]["unavailable"], key + ".unavailable");
                list.push_back(std::move(ins));
            }
        } else {
            fail("inspectors", "must be the path of an inspectors CSV or an array of inspectors");
        }
        std::set<std::string> ids;
        for (const Inspector& i : list)
            if (!ids.insert(i.id).second)
                fail("inspectors", "inspector id '" + i.id + "' appears twice");
        if (list.empty())
            fail("inspectors", "the inspectors list is empty");
        for (const Inspector& i : list) {
            check_base("inspectors", i.base_lon, i.base_lat);
            for (const std::string& day : i.unavailable)
                if (!is_iso_date(day))
                    fail("inspectors", "inspector '" + i.id + "': unavailable date '" + day +
                                           "' is not a date written YYYY-MM-DD");
        }
        return list;
    }

    VisitWindow window(const json& v) const {
        if (!v.is_object())
            fail("window", "must be an object with start, end and optional holidays, weekends");
        for (const auto& [k, value] : v.items())
            if (k != "start" && k != "end" && k != "holidays" && k != "weekends")
                fail("window." + k, "unknown key '" + k + "' (window has start, end, holidays, weekends)");
        if (!v.contains("start") || !v.contains("end"))
            fail(v.contains("start") ? "window.end" : "window.start", "missing");
        VisitWindow w;
        w.start = date(v["start"], "window.start");
        w.end = date(v["end"], "window.end");
        if (w.end < w.start)
            fail("window.end", "is before window.start");
        if (v.contains("holidays")) {
            w.holidays = strings(v["holidays"], "window.holidays");
            for (const std::string& h : w.holidays)
                if (!is_iso_date(h))
                    fail("window.holidays", "'" + h + "' is not a date written YYYY-MM-DD");
        }
        if (v.contains("weekends")) {
            if (!v["weekends"].is_boolean())
                fail("window.weekends", "must be true or false");
            w.weekends = v["weekends"].get<bool>();
        }
        return w;
    }

    std::string m_file;
    std::filesystem::path m_base;
};

// Splits one CSV record (RFC 4180 quoting, no line breaks inside fields).
std::vector<std::string> split_csv(const std::string& line, bool& ok) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    ok = true;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"' && fields.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    if (quoted)
        ok = false;
    return fields;
}

} // namespace

bool is_iso_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9')
            return false;
    auto num = [&](std::size_t pos, std::size_t len) {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i)
            v = v * 10 + (s[i] - '0');
        return v;
    };
    const std::chrono::year_month_day ymd{std::chrono::year(num(0, 4)),
                                          std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                          std::chrono::day(static_cast<unsigned>(num(8, 2)))};
    return ymd.ok();
}

Design parse_design(std::string_view json_text, const std::string& file,
                    const std::filesystem::path& base_dir) {
    return DesignParser(file, base_dir).parse(json_text);
}

Design read_design(const std::filesystem::path& path) {
    return parse_design(detail::read_whole_file(path, "the design file"), path.string(), path.parent_path());
}

std::vector<Inspector> read_inspectors_csv(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::istringstream in(detail::read_whole_file(path, "the inspectors file"));
    std::string line;
    std::int64_t line_no = 0;
    std::vector<std::string> header;
    std::vector<Inspector> list;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0)
            line.erase(0, 3); // UTF-8 byte order mark
        if (line.empty())
            continue;
        bool ok = true;
        std::vector<std::string> fields = split_csv(line, ok);
        if (!ok)
            throw InputError({.file = file, .line = line_no}, "unterminated quoted field");
        if (header.empty()) {
            for (std::string& h : fields)
                if (h == "unit")
                    h = "district";
            static const std::set<std::string> optional = {"base_lon", "base_lat", "unavailable"};
            bool ok_header =
                fields.size() >= 4 && std::vector<std::string>(fields.begin(), fields.begin() + 4) ==
                                          std::vector<std::string>{"id", "name", "district", "role"};
            for (std::size_t i = 4; ok_header && i < fields.size(); ++i)
                ok_header = optional.count(fields[i]) &&
                            std::find(fields.begin() + 4, fields.begin() + static_cast<std::ptrdiff_t>(i),
                                      fields[i]) == fields.begin() + static_cast<std::ptrdiff_t>(i);
            if (!ok_header)
                throw InputError({.file = file, .line = line_no},
                                 "the header must be id,name,district,role (or id,name,unit,role), "
                                 "optionally followed by base_lon, base_lat, unavailable");
            header = fields;
            continue;
        }
        if (fields.size() != header.size())
            throw InputError(
                {.file = file, .line = line_no}, "expected " + std::to_string(header.size()) + " fields (" +
                                                     [&] {
                                                         std::string h;
                                                         for (const std::string& f : header)
                                                             h += (h.empty() ? "" : ",") + f;
                                                         return h;
                                                     }() +
                                                     "), found " + std::to_string(fields.size()));
        if (fields[0].empty())
            throw InputError({.file = file, .line = line_no, .field = "id"}, "empty inspector id");
        Inspector ins{fields[0], fields[1], fields[2], fields[3], "", "", {}};
        for (std::size_t i = 4; i < header.size(); ++i) {
            if (header[i] == "base_lon")
                ins.base_lon = fields[i];
            else if (header[i] == "base_lat")
                ins.base_lat = fields[i];
            else {
                std::istringstream days(fields[i]);
                for (std::string day; days >> day;) {
                    if (!is_iso_date(day))
                        throw InputError({.file = file, .line = line_no, .field = "unavailable"},
                                         "'" + day + "' is not a date written YYYY-MM-DD");
                    ins.unavailable.push_back(day);
                }
            }
        }
        list.push_back(std::move(ins));
    }
    if (header.empty())
        throw InputError({.file = file, .line = 1}, "the inspectors file is empty (no header)");
    return list;
}

} // namespace fuelmap
