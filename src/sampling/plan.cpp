// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_lock.hpp>

#include "sampling/plan_text.hpp"
#include "sampling/recorded_plan.hpp"
#include "store/registry_store.hpp"
#include "util/file.hpp"
#include "util/json_document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace fuelmap {

namespace {

using nlohmann::json;

std::string fraction_text(double f) {
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, f);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("nan");
}

// The canonical plan text, written straight from the plan: the bytes nlohmann's dump(2) gives
// for the plan's JSON tree (keys in byte order, two spaces per level, strings escaped as nlohmann
// escapes them), without building the tree: a national plan has a hundred thousand values.
class PlanWriter {
public:
    /// Room for about @p bytes of text at once: a national plan's 6 MB would otherwise be copied
    /// and faulted in anew at every doubling.
    explicit PlanWriter(std::size_t bytes) { m_out.reserve(bytes); }

    /// The text, ending in a newline.
    std::string finish() && {
        m_out += '\n';
        return std::move(m_out);
    }

    void open(char bracket) {
        value();
        m_out += bracket;
        ++m_level;
        m_empty = true;
    }
    void close(char bracket) {
        --m_level;
        if (!m_empty)
            newline();
        m_out += bracket;
        m_empty = false;
    }
    // A key of the open object; the next value written is its value.
    PlanWriter& key(std::string_view k) {
        element();
        string_text(k);
        m_out += ": ";
        m_after_key = true;
        return *this;
    }
    void string(std::string_view s) {
        value();
        string_text(s);
    }
    void integer(std::int64_t n) {
        value();
        m_out += std::to_string(n);
    }
    void strings(const std::vector<std::string>& v) {
        open('[');
        for (const std::string& s : v)
            string(s);
        close(']');
    }
    // A JSON text of its own (the design), re-indented to this level.
    void json_value(const json& j) {
        value();
        const std::string text = j.dump(2);
        for (char c : text) {
            m_out += c;
            if (c == '\n')
                m_out.append(2 * m_level, ' ');
        }
    }

private:
    void newline() {
        m_out += '\n';
        m_out.append(2 * m_level, ' ');
    }
    // Before an object's key or an array's element.
    void element() {
        if (!m_empty)
            m_out += ',';
        newline();
        m_empty = false;
    }
    // Before any value: after a key it follows on the same line, in an array it is an element.
    void value() {
        if (m_after_key)
            m_after_key = false;
        else if (m_level > 0)
            element();
    }
    void string_text(std::string_view s) {
        // Plain ASCII needs no escaping; anything else is escaped (and its UTF-8 checked) by nlohmann.
        const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
        });
        if (plain) {
            m_out += '"';
            m_out.append(s);
            m_out += '"';
        } else {
            m_out += json(std::string(s)).dump();
        }
    }

    std::string m_out;
    std::size_t m_level = 0;
    bool m_empty = true;
    bool m_after_key = false;
};

// The plan's canonical text; the digest left out when @p with_digest is false.
std::string write_plan(const Plan& p, bool with_digest = true) {
    json design;
    try {
        design = p.design_json.empty() ? json::object() : json::parse(p.design_json);
    } catch (const json::parse_error& e) {
        throw Error(std::string("the plan's design is not JSON: ") + e.what());
    }
    const bool schedule = p.format_version != "1"; // format 1 (fuelmap-sampling-1) had no schedule keys
    // A selection takes about 2 KB (its samples, tickets, alternates); the room is only reserved.
    PlanWriter w(64 * 1024 + 4096 * p.selections.size() + 1024 * p.routes.size() + 512 * p.teams.size());
    try {
        w.open('{');
        w.key("algorithm_version").string(p.algorithm_version);
        w.key("design").json_value(design);
        if (with_digest && !p.digest.empty())
            w.key("digest").string(p.digest);
        w.key("format_version").string(p.format_version);
        if (p.ledger_entries >= 0) {
            w.key("ledger_checkpoint").open('{');
            w.key("entries").integer(p.ledger_entries);
            w.key("head").string(p.ledger_head);
            w.close('}');
        }
        w.key("method").string(p.method);
        w.key("registry_digest").string(p.registry_digest);
        w.key("round").string(p.round);
        if (schedule) {
            w.key("routes").open('[');
            for (const Route& r : p.routes) {
                w.open('{');
                w.key("date").string(r.date);
                w.key("distance_m").integer(r.distance_m);
                w.key("stations").strings(r.stations);
                w.key("straight_m").integer(r.straight_m);
                w.key("team").string(r.team);
                w.close('}');
            }
            w.close(']');
        }
        w.key("seed").string(p.seed);
        w.key("seed_commitment").string(p.seed_commitment);
        w.key("selections").open('[');
        for (const Selection& s : p.selections) {
            w.open('{');
            w.key("date").string(s.date);
            w.key("inclusion_probability").string(s.inclusion_probability);
            w.key("reason").string(s.reason);
            w.key("samples").open('[');
            for (const PlannedSample& ps : s.samples) {
                w.open('{');
                w.key("alternates").strings(ps.alternates);
                w.key("claimed_tanks").open('[');
                for (const SupplyLeg& leg : ps.claimed_tanks) {
                    w.open('{');
                    w.key("fraction").string(fraction_text(leg.fraction));
                    w.key("tank_no").string(leg.tank_no);
                    w.close('}');
                }
                w.close(']');
                w.key("grade").string(ps.grade);
                w.key("nozzle_no").string(ps.nozzle_no);
                w.key("nozzle_sample_id").string(ps.nozzle_sample_id);
                w.key("nozzle_ticket").string(ps.nozzle_ticket);
                w.key("tank_sample_ids").strings(ps.tank_sample_ids);
                w.close('}');
            }
            w.close(']');
            w.key("station_id").string(s.station_id);
            w.key("stratum").string(s.stratum);
            w.key("team").strings(s.team);
            w.key("ticket").string(s.ticket);
            w.close('}');
        }
        w.close(']');
        w.key("strata").open('[');
        for (const StratumSummary& s : p.strata) {
            w.open('{');
            w.key("allocated").integer(s.allocated);
            w.key("certainty").integer(s.certainty);
            w.key("population").integer(s.population);
            w.key("stratum").string(s.stratum);
            w.close('}');
        }
        w.close(']');
        if (schedule) {
            w.key("teams").open('[');
            for (const Team& t : p.teams) {
                w.open('{');
                w.key("base_lat_e6").integer(t.base_lat_e6);
                w.key("base_lon_e6").integer(t.base_lon_e6);
                w.key("members").strings(t.members);
                w.key("team").string(t.name);
                w.close('}');
            }
            w.close(']');
        }
        w.close('}');
    } catch (const json::type_error& e) {
        throw Error(std::string("cannot write the plan: ") + e.what());
    }
    return std::move(w).finish();
}

bool lowercase_hex64(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The canonical text without a digest made the text with @p digest (64 lowercase hex digits, which
// need no escaping): keys are sorted, so "digest" is the top-level key just before "format_version",
// which every plan has; no other line starts with two spaces and that key.
std::string with_digest(std::string text, const std::string& digest) {
    const std::size_t at = text.find("\n  \"format_version\": ");
    if (at == std::string::npos)
        throw Error("cannot write the plan: no format_version");
    text.insert(at, "\n  \"digest\": \"" + digest + "\",");
    return text;
}

class PlanReader {
public:
    explicit PlanReader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const {
        throw InputError({.file = m_file, .field = key}, what);
    }
    const json& member(const json& o, const std::string& key, const std::string& path) const {
        if (!o.is_object() || !o.contains(key))
            fail(path + key, "missing");
        return o[key];
    }
    std::string str(const json& o, const std::string& key, const std::string& path = "") const {
        const json& v = member(o, key, path);
        if (!v.is_string())
            fail(path + key, "must be a string");
        return v.get<std::string>();
    }
    std::int64_t integer(const json& o, const std::string& key, const std::string& path) const {
        const json& v = member(o, key, path);
        if (!v.is_number_integer())
            fail(path + key, "must be a whole number");
        return v.get<std::int64_t>();
    }
    std::vector<std::string> strs(const json& o, const std::string& key, const std::string& path) const {
        const json& v = member(o, key, path);
        if (!v.is_array())
            fail(path + key, "must be an array of strings");
        std::vector<std::string> out;
        for (const json& e : v) {
            if (!e.is_string())
                fail(path + key, "must be an array of strings");
            out.push_back(e.get<std::string>());
        }
        return out;
    }
    const json& array(const json& o, const std::string& key, const std::string& path) const {
        const json& v = member(o, key, path);
        if (!v.is_array())
            fail(path + key, "must be an array");
        return v;
    }

    Plan read(std::string_view text) const {
        const json doc = detail::parse_json_object(text, m_file, "plan");
        Plan p;
        p.format_version = str(doc, "format_version");
        p.algorithm_version = str(doc, "algorithm_version");
        p.round = str(doc, "round");
        p.method = str(doc, "method");
        p.registry_digest = str(doc, "registry_digest");
        p.seed = str(doc, "seed");
        p.seed_commitment = str(doc, "seed_commitment");
        if (doc.contains("ledger_checkpoint")) {
            const json& cp = member(doc, "ledger_checkpoint", "");
            if (!cp.is_object())
                fail("ledger_checkpoint", "must be an object");
            p.ledger_entries = integer(cp, "entries", "ledger_checkpoint.");
            if (p.ledger_entries < 0)
                fail("ledger_checkpoint.entries", "must be 0 or more");
            p.ledger_head = str(cp, "head", "ledger_checkpoint.");
        }
        const json& design = member(doc, "design", "");
        if (!design.is_object())
            fail("design", "must be an object");
        p.design_json = design.dump(2) + "\n";
        for (const json& s : array(doc, "strata", "")) {
            StratumSummary sum;
            sum.stratum = str(s, "stratum", "strata.");
            sum.population = integer(s, "population", "strata.");
            sum.certainty = integer(s, "certainty", "strata.");
            sum.allocated = integer(s, "allocated", "strata.");
            p.strata.push_back(std::move(sum));
        }
        const json& selections = array(doc, "selections", "");
        for (std::size_t i = 0; i < selections.size(); ++i) {
            const json& s = selections[i];
            const std::string path = "selections[" + std::to_string(i) + "].";
            Selection sel;
            sel.station_id = str(s, "station_id", path);
            sel.stratum = str(s, "stratum", path);
            sel.reason = str(s, "reason", path);
            sel.inclusion_probability = str(s, "inclusion_probability", path);
            sel.ticket = str(s, "ticket", path);
            sel.team = strs(s, "team", path);
            sel.date = str(s, "date", path);
            const json& samples = array(s, "samples", path);
            for (std::size_t j = 0; j < samples.size(); ++j) {
                const json& ps = samples[j];
                const std::string spath = path + "samples[" + std::to_string(j) + "].";
                PlannedSample out;
                out.grade = str(ps, "grade", spath);
                out.nozzle_no = str(ps, "nozzle_no", spath);
                out.nozzle_ticket = str(ps, "nozzle_ticket", spath);
                out.nozzle_sample_id = str(ps, "nozzle_sample_id", spath);
                out.tank_sample_ids = strs(ps, "tank_sample_ids", spath);
                out.alternates = strs(ps, "alternates", spath);
                for (const json& leg : array(ps, "claimed_tanks", spath)) {
                    SupplyLeg l;
                    l.tank_no = str(leg, "tank_no", spath + "claimed_tanks.");
                    const std::string f = str(leg, "fraction", spath + "claimed_tanks.");
                    auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), l.fraction);
                    if (ec != std::errc() || ptr != f.data() + f.size())
                        fail(spath + "claimed_tanks.fraction", "not a decimal number: '" + f + "'");
                    out.claimed_tanks.push_back(std::move(l));
                }
                sel.samples.push_back(std::move(out));
            }
            p.selections.push_back(std::move(sel));
        }
        if (p.format_version != "1") {
            for (const json& t : array(doc, "teams", "")) {
                Team team;
                team.name = str(t, "team", "teams.");
                team.members = strs(t, "members", "teams.");
                team.base_lon_e6 = integer(t, "base_lon_e6", "teams.");
                team.base_lat_e6 = integer(t, "base_lat_e6", "teams.");
                p.teams.push_back(std::move(team));
            }
            for (const json& r : array(doc, "routes", "")) {
                Route route;
                route.date = str(r, "date", "routes.");
                route.team = str(r, "team", "routes.");
                route.stations = strs(r, "stations", "routes.");
                route.straight_m = integer(r, "straight_m", "routes.");
                route.distance_m = integer(r, "distance_m", "routes.");
                p.routes.push_back(std::move(route));
            }
        }
        if (doc.contains("digest"))
            p.digest = str(doc, "digest");
        return p;
    }

private:
    std::string m_file;
};

} // namespace

std::string plan_to_json(const Plan& plan) {
    return write_plan(plan);
}

std::string plan_digest(const Plan& plan) {
    return sha256_hex(write_plan(plan, false));
}

namespace detail {

PlanText plan_text(const Plan& plan) {
    std::string bare = write_plan(plan, false);
    std::string digest = sha256_hex(bare);
    if (plan.digest.empty())
        return {std::move(bare), std::move(digest)};
    if (lowercase_hex64(plan.digest))
        return {with_digest(std::move(bare), plan.digest), std::move(digest)};
    return {plan_to_json(plan), std::move(digest)}; // a digest that may need escaping: the long way
}

std::string seal_plan(Plan& plan) {
    std::string bare = write_plan(plan, false);
    plan.digest = sha256_hex(bare);
    return with_digest(std::move(bare), plan.digest);
}

// Finds the top-level members of a JSON object text without building anything: strings and nested
// values are stepped over (only quotes, backslashes and brackets matter). It checks nothing else;
// what it finds is proven (or not) by the caller's byte-for-byte comparison.
class TopLevelSkim {
public:
    explicit TopLevelSkim(std::string_view text) : m_text(text) {}

    // Calls @p member(key, value text) for each top-level member; false when the text is not an
    // object as far as the skim can tell.
    template <class Member> bool members(Member member) {
        space();
        if (!take('{'))
            return false;
        space();
        if (take('}'))
            return true;
        for (;;) {
            const std::size_t key_start = m_at;
            if (!string())
                return false;
            const std::string_view key = m_text.substr(key_start + 1, m_at - key_start - 2);
            space();
            if (!take(':'))
                return false;
            space();
            const std::size_t value_start = m_at;
            if (!value())
                return false;
            member(key, m_text.substr(value_start, m_at - value_start));
            space();
            if (take('}'))
                return true;
            if (!take(','))
                return false;
            space();
        }
    }

private:
    void space() {
        while (m_at < m_text.size() &&
               (m_text[m_at] == ' ' || m_text[m_at] == '\n' || m_text[m_at] == '\r' || m_text[m_at] == '\t'))
            ++m_at;
    }
    bool take(char c) {
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    // A string from its opening quote to just after its closing one.
    bool string() {
        if (!take('"'))
            return false;
        while (m_at < m_text.size()) {
            const char c = m_text[m_at++];
            if (c == '"')
                return true;
            if (c == '\\')
                ++m_at; // the escaped character (of \uXXXX, the rest is plain)
        }
        return false;
    }
    // Any value: a string, an object or array (to its matching bracket), or a scalar.
    bool value() {
        if (m_at >= m_text.size())
            return false;
        const char first = m_text[m_at];
        if (first == '"')
            return string();
        if (first != '{' && first != '[') {
            while (m_at < m_text.size() &&
                   std::string_view(",}] \n\r\t").find(m_text[m_at]) == std::string_view::npos)
                ++m_at;
            return true;
        }
        std::size_t depth = 0;
        while (m_at < m_text.size()) {
            const char c = m_text[m_at];
            if (c == '"') {
                if (!string())
                    return false;
                continue;
            }
            ++m_at;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        return false;
    }

    std::string_view m_text;
    std::size_t m_at = 0;
};

std::optional<PlanHead> read_plan_head(std::string_view text) {
    std::string_view algorithm, design, seed, checkpoint;
    const bool skimmed = TopLevelSkim(text).members([&](std::string_view key, std::string_view value) {
        if (key == "algorithm_version")
            algorithm = value;
        else if (key == "design")
            design = value;
        else if (key == "seed")
            seed = value;
        else if (key == "ledger_checkpoint")
            checkpoint = value;
    });
    if (!skimmed || algorithm.empty() || design.empty() || seed.empty())
        return std::nullopt;
    try {
        PlanHead head;
        head.algorithm_version = json::parse(algorithm).get<std::string>();
        const json design_object = json::parse(design);
        if (!design_object.is_object())
            return std::nullopt;
        head.design_json = design_object.dump(2) + "\n"; // as PlanReader keeps it
        head.seed = json::parse(seed).get<std::string>();
        if (!checkpoint.empty()) {
            const json cp = json::parse(checkpoint);
            head.ledger_entries = cp.at("entries").get<std::int64_t>();
            head.ledger_head = cp.at("head").get<std::string>();
        }
        return head;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

} // namespace detail

Plan parse_plan(std::string_view json_text, const std::string& file) {
    return PlanReader(file).read(json_text);
}

Plan read_plan(const std::filesystem::path& path) {
    return parse_plan(detail::read_whole_file(path, "the plan file"), path.string());
}

void record_plan(const std::filesystem::path& registry, const Plan& plan) {
    record_plan(registry, plan, plan_to_json(plan));
}

void record_plan(const std::filesystem::path& registry, const Plan& plan, const std::string& plan_json,
                 const std::function<void()>& before_commit) {
    const RegistryLock lock(registry, LockMode::write);
    require_intact_ledger(registry);
    detail::open_store(registry)->record_plan({.round = plan.round,
                                               .digest = plan.digest,
                                               .seed_commitment = plan.seed_commitment,
                                               .json = plan_json},
                                              before_commit);
}

Plan detail::parse_recorded_plan(const std::filesystem::path& registry, const PlanRecord& record) {
    return parse_plan(record.json, registry.string() + ": table fuelmap_plans, round '" + record.round + "'");
}

std::vector<Plan> read_recorded_plans(const std::filesystem::path& registry) {
    std::vector<Plan> plans;
    for (const detail::PlanRecord& p : detail::open_store(registry)->recorded_plans())
        plans.push_back(detail::parse_recorded_plan(registry, p));
    return plans;
}

std::vector<RecordedRound> read_recorded_rounds(const std::filesystem::path& registry) {
    std::vector<RecordedRound> rounds;
    for (detail::PlanRecord& p : detail::open_store(registry)->recorded_plans())
        rounds.push_back({.round = std::move(p.round), .digest = std::move(p.digest)});
    return rounds;
}

} // namespace fuelmap
