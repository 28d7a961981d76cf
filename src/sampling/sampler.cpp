// SPDX-License-Identifier: MIT
#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/checkpoint.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/rfc3797.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/seed.hpp>
#include <fuelmap/ticket.hpp>

#if __has_include(<fuelmap/audit_results.hpp>)
#include <fuelmap/audit_results.hpp>
#define FUELMAP_HAS_AUDIT_RESULTS 1
#endif

#include "sampling/draw.hpp"
#include "sampling/recorded_plan.hpp"
#include "sampling/route.hpp"
#include "sampling/schedule.hpp"
#include "sampling/ticket_digits.hpp"
#include "store/frame_text.hpp"
#include "store/registry_store.hpp"
#include "util/parallel.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <exception>
#include <functional>
#include <future>
#include <numeric>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

namespace fuelmap {

namespace {

using Int128 = __int128;

const std::set<std::string> builtin_fields = {
    "station_id", "name",   "operator", "brand",  "ownership",        "province",
    "city",       "county", "address",  "status", "annual_volume_m3", "risk_weight"};

std::string rational(Int128 p, Int128 q) {
    auto to_s = [](Int128 v) {
        if (v == 0)
            return std::string("0");
        std::string s;
        while (v > 0) {
            s.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
            v /= 10;
        }
        return std::string(s.rbegin(), s.rend());
    };
    Int128 a = p, b = q;
    while (b != 0) {
        const Int128 t = a % b;
        a = b;
        b = t;
    }
    if (a > 1) {
        p /= a;
        q /= a;
    }
    if (q == 1)
        return to_s(p);
    return to_s(p) + "/" + to_s(q);
}

// The station fields the design names: its strata, weight field and volume field.
std::vector<std::string> named_fields(const Design& d) {
    std::vector<std::string> fields = d.strata;
    if (!d.weight_field.empty())
        fields.push_back(d.weight_field);
    if (d.allocation == "volume")
        fields.push_back(d.volume_field);
    return fields;
}

// The station fields the design reads, in the order the frame text lists them.
std::vector<std::string> design_fields(const Design& d) {
    std::vector<std::string> fields = named_fields(d);
    if (!d.inspectors.empty()) { // the routes read every station's city and position
        fields.emplace_back("city");
        fields.emplace_back("lon_e6");
        fields.emplace_back("lat_e6");
    }
    return fields;
}

// Whether the draw of @p d reads a station's name, operator, brand, address or attributes (a field
// of its strata, weight or volume): when not, its frame is read without them.
bool reads_station_details(const Design& d) {
    static const std::set<std::string> details = {"name", "operator", "brand", "address"};
    const std::vector<std::string> fields = named_fields(d);
    return std::any_of(fields.begin(), fields.end(),
                       [](const std::string& f) { return details.count(f) || !builtin_fields.count(f); });
}

void check_fields_known(const Registry& registry, const Design& d) {
    auto known = [&](const std::string& f) {
        if (builtin_fields.count(f))
            return true;
        return std::any_of(registry.sites().begin(), registry.sites().end(),
                           [&](const Site& s) { return s.station.attributes.count(f) > 0; });
    };
    for (const std::string& f : d.strata)
        if (!known(f))
            throw InputError({.file = d.file, .field = "strata"}, "unknown station field '" + f + "'");
    if (!d.weight_field.empty() && !known(d.weight_field))
        throw InputError({.file = d.file, .field = "weight_field"},
                         "unknown station field '" + d.weight_field + "'");
    if (d.allocation == "volume" && !known(d.volume_field))
        throw InputError({.file = d.file, .field = "volume_field"},
                         "unknown station field '" + d.volume_field + "'");
}

std::int64_t integer_field(const Station& s, const std::string& field, const std::string& registry_file,
                           std::int64_t min, std::int64_t max, const char* purpose) {
    std::optional<std::string> v = s.field(field);
    // Built only for an error: this runs once per station of the frame.
    auto where = [&] {
        return Location{.file = registry_file, .layer = "stations", .feature = s.station_id, .field = field};
    };
    if (!v)
        throw InputError(where(), std::string("has no value for the ") + purpose + " field");
    std::int64_t out = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || ptr != v->data() + v->size())
        throw InputError(where(),
                         std::string("the ") + purpose + " must be a whole number (got '" + *v + "')");
    if (out < min || out > max)
        throw InputError(where(), std::string("the ") + purpose + " must be between " + std::to_string(min) +
                                      " and " + std::to_string(max) + " (got " + *v + ")");
    return out;
}

// ----- the draw -----

using detail::ticket_before;
using detail::TicketValue;

// Tickets to hash (station tickets, or stations × inspectors for the teams) from which the draw
// hashes them on two threads when it chooses automatically.
constexpr std::size_t parallel_draw_min_tickets = 4096;

// Drawn stations from which the draw makes their samples on a second thread beside the schedule
// when it chooses automatically.
constexpr std::size_t parallel_samples_min_stations = 256;

// Whether to hash @p tickets tickets on two threads.
bool parallel_tickets(detail::Threading threading, std::size_t tickets) {
    return threading == detail::Threading::always ||
           (threading == detail::Threading::automatic && tickets >= parallel_draw_min_tickets);
}

// Runs fn(i) for every i < n, on two threads each taking a fixed half when @p parallel. fn must
// only write to its own slot i; an exception of the first half wins over one of the second, as in
// a sequential loop.
template <class Fn> void for_each_index(std::size_t n, bool parallel, const Fn& fn) {
    if (!parallel || n < 2) {
        for (std::size_t i = 0; i < n; ++i)
            fn(i);
        return;
    }
    detail::run_slices(2, [&](std::size_t slice) {
        for (std::size_t i = n * slice / 2; i < n * (slice + 1) / 2; ++i)
            fn(i);
    });
}

struct Candidate {
    const Site* site = nullptr;
    TicketValue value;               // method tickets, and every certainty pick
    std::string ticket;              // the ticket as written in the plan (filled when chosen)
    const std::string* stratum = {}; // the stratum key, held once per stratum by the draw
    std::int64_t weight = 1;
};

bool by_ticket(const Candidate& a, const Candidate& b) {
    return ticket_before(a.value, a.site->station.station_id, b.value, b.site->station.station_id);
}

// Unsigned integers below 2^384 as six 64-bit limbs, least significant first: the Pareto keys
// below are under 2^324 (a ticket numerator is under 10^78 < 2^260, a weight under 2^64).
using Limbs = std::array<std::uint64_t, 6>;

// x·m + add, exact as long as the result stays below 2^384.
Limbs multiply_add(const Limbs& x, std::uint64_t m, std::uint64_t add = 0) {
    Limbs out{};
    unsigned __int128 carry = add;
    for (std::size_t i = 0; i < x.size(); ++i) {
        carry += static_cast<unsigned __int128>(x[i]) * m;
        out[i] = static_cast<std::uint64_t>(carry);
        carry >>= 64;
    }
    return out;
}

// x - y for x >= y.
Limbs subtract(const Limbs& x, const Limbs& y) {
    Limbs out{};
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::uint64_t d = x[i] - y[i];
        const std::uint64_t next = (x[i] < y[i]) || (d < borrow) ? 1 : 0;
        out[i] = d - borrow;
        borrow = next;
    }
    return out;
}

// The sign of x·y - z·w, exactly (12-limb products).
int compare_products(const Limbs& x, const Limbs& y, const Limbs& z, const Limbs& w) {
    auto product = [](const Limbs& p, const Limbs& q) {
        std::array<std::uint64_t, 12> r{};
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (p[i] == 0)
                continue;
            unsigned __int128 carry = 0;
            for (std::size_t j = 0; j < q.size(); ++j) {
                carry += static_cast<unsigned __int128>(p[i]) * q[j] + r[i + j];
                r[i + j] = static_cast<std::uint64_t>(carry);
                carry >>= 64;
            }
            r[i + q.size()] = static_cast<std::uint64_t>(carry);
        }
        return r;
    };
    const std::array<std::uint64_t, 12> lhs = product(x, y), rhs = product(z, w);
    for (std::size_t i = lhs.size(); i-- > 0;)
        if (lhs[i] != rhs[i])
            return lhs[i] < rhs[i] ? -1 : 1;
    return 0;
}

// The ticket as an exact fraction: its numerator over 10^78, i.e. the 78 digits after "0." (the
// ticket right-padded with zeros) read as a number. Ticket digit j is digit j mod 9 (from the
// least significant) of decimal group j div 9, so the numerator is the reversed groups in base
// 10^9; the last group holds digits 72..80, of which 78..80 are zero for a 256-bit value.
Limbs ticket_value(const Sha256Digest& digest) {
    const std::array<std::uint32_t, 9> groups = detail::decimal_groups(digest);
    Limbs v{};
    for (std::size_t g = 0; g + 1 < groups.size(); ++g)
        v = multiply_add(v, 1000000000u, detail::reverse9(groups[g]));
    return multiply_add(v, 1000000u, detail::reverse9(groups[8]) / 1000u);
}

// 10^78, the denominator of every ticket.
const Limbs& ticket_denominator() {
    static const Limbs d = [] {
        Limbs v{1};
        for (std::size_t i = 0; i < ticket_fraction_digits; ++i)
            v = multiply_add(v, 10);
        return v;
    }();
    return d;
}

// x as a double, within a relative error of 2^-52 (the top 64 bits, rounded once).
double approximate(const Limbs& x) {
    std::size_t top = x.size();
    while (top > 0 && x[top - 1] == 0)
        --top;
    if (top == 0)
        return 0;
    if (top == 1)
        return static_cast<double>(x[0]);
    const int shift = std::countl_zero(x[top - 1]);
    const std::uint64_t high = shift == 0 ? x[top - 1] : (x[top - 1] << shift) | (x[top - 2] >> (64 - shift));
    return std::ldexp(static_cast<double>(high), static_cast<int>(64 * (top - 1)) - shift);
}

// Pareto order sampling of k units from members (weights w, total W after take-all units are
// removed). Key_i = [T_i/(D-T_i)] / [p_i/(1-p_i)] with p_i = k w_i / W; compared exactly as
// A_i·B_j < A_j·B_i with A = T·(W - k w), B = (D - T)·w. Keys that differ by more than a part in
// 10^12 are ordered by their double approximations (each within a few parts in 10^16 of A/B, so
// the order is the exact one); closer ones by the exact products.
std::vector<Candidate> pareto_select(std::vector<Candidate> members, std::int64_t k, Int128 total_weight) {
    struct Keyed {
        std::size_t member;
        Limbs a, b;
        double key; // A/B, approximately
    };
    std::vector<Keyed> keyed;
    keyed.reserve(members.size());
    const Limbs& d = ticket_denominator();
    for (std::size_t i = 0; i < members.size(); ++i) {
        const Candidate& c = members[i];
        const Limbs t = ticket_value(c.value.digest);
        const Int128 rest = total_weight - static_cast<Int128>(k) * c.weight;
        Keyed x{i, multiply_add(t, static_cast<std::uint64_t>(rest)),
                multiply_add(subtract(d, t), static_cast<std::uint64_t>(c.weight)), 0};
        x.key = approximate(x.a) / approximate(x.b);
        keyed.push_back(x);
    }
    constexpr double margin = 1 - 1e-12;
    auto less = [&](const Keyed& x, const Keyed& y) {
        if (x.key < y.key * margin)
            return true;
        if (y.key < x.key * margin)
            return false;
        if (const int order = compare_products(x.a, y.b, y.a, x.b); order != 0)
            return order < 0;
        return by_ticket(members[x.member], members[y.member]);
    };
    const auto kk = static_cast<std::size_t>(k);
    if (kk < keyed.size())
        std::nth_element(keyed.begin(), keyed.begin() + static_cast<std::ptrdiff_t>(kk), keyed.end(), less);
    keyed.resize(std::min(kk, keyed.size()));
    std::sort(keyed.begin(), keyed.end(), less);
    std::vector<Candidate> out;
    for (const Keyed& x : keyed)
        out.push_back(std::move(members[x.member]));
    return out;
}

} // namespace

std::vector<std::int64_t> allocate(std::int64_t n, const std::vector<StratumMeasure>& strata,
                                   std::int64_t min_per_stratum) {
    std::int64_t total = 0;
    for (const StratumMeasure& s : strata)
        total += s.population;
    if (n > total)
        throw Error("cannot allocate " + std::to_string(n) + " stations over strata holding " +
                    std::to_string(total));
    std::vector<std::int64_t> alloc(strata.size(), 0);
    std::int64_t rest = n;
    for (std::size_t h = 0; h < strata.size(); ++h) {
        alloc[h] = std::min(min_per_stratum, strata[h].population);
        rest -= alloc[h];
    }
    if (rest < 0)
        throw InputError({.field = "min_per_stratum"},
                         "min_per_stratum " + std::to_string(min_per_stratum) + " over " +
                             std::to_string(strata.size()) + " strata needs " + std::to_string(n - rest) +
                             " stations, more than the sample size " + std::to_string(n));
    std::vector<std::size_t> active;
    for (std::size_t h = 0; h < strata.size(); ++h)
        if (strata[h].population > alloc[h])
            active.push_back(h);
    while (rest > 0 && !active.empty()) {
        Int128 measure_total = 0;
        for (std::size_t h : active)
            measure_total += strata[h].measure;
        const bool equal_fallback = measure_total == 0;
        auto measure = [&](std::size_t h) -> Int128 { return equal_fallback ? 1 : strata[h].measure; };
        if (equal_fallback)
            measure_total = static_cast<Int128>(active.size());
        // Strata whose exact quota exceeds their remaining capacity are filled and taken out.
        std::vector<std::size_t> capped, still;
        for (std::size_t h : active) {
            const Int128 capacity = strata[h].population - alloc[h];
            if (static_cast<Int128>(rest) * measure(h) > capacity * measure_total)
                capped.push_back(h);
            else
                still.push_back(h);
        }
        if (!capped.empty()) {
            for (std::size_t h : capped) {
                rest -= strata[h].population - alloc[h];
                alloc[h] = strata[h].population;
            }
            active = still;
            continue;
        }
        std::vector<std::pair<Int128, std::size_t>> remainders;
        std::int64_t given = 0;
        for (std::size_t h : active) {
            const Int128 q = static_cast<Int128>(rest) * measure(h);
            alloc[h] += static_cast<std::int64_t>(q / measure_total);
            given += static_cast<std::int64_t>(q / measure_total);
            remainders.emplace_back(q % measure_total, h);
        }
        std::sort(remainders.begin(), remainders.end(), [&](const auto& x, const auto& y) {
            if (x.first != y.first)
                return x.first > y.first;
            return strata[x.second].key < strata[y.second].key;
        });
        std::int64_t left = rest - given;
        for (std::size_t i = 0; left > 0 && i < remainders.size(); ++i, --left)
            ++alloc[remainders[i].second];
        rest = 0;
    }
    return alloc;
}

namespace {

// load_draw_context(), checking the ledger unless the caller has checked it in the same snapshot;
// the ledger as checked is left in @p checked (when not null).
DrawContext draw_context(const std::filesystem::path& registry, const Design& design,
                         detail::LedgerChecked ledger, std::optional<LedgerCheckpoint>* checked = nullptr) {
    DrawContext ctx;
    ctx.registry_file = registry.string();
    // Recorded plans and audit results are evidence: used only when the ledger binds them.
    if (ledger == detail::LedgerChecked::no &&
        (!design.inspectors.empty() || !design.certainty_from_round.empty() ||
         !design.certainty_from_cases.empty())) {
        const LedgerCheck check = verify_ledger(registry);
        if (!check.ok())
            require_intact_ledger(registry); // throws, naming the problems
        if (checked)
            *checked = LedgerCheckpoint{
                .entries = check.entries, .head = check.head, .public_key = {}, .signature = {}};
    }
    if (!design.certainty_from_cases.empty())
        ctx.case_stations = case_certainty_stations(read_cases(registry), design.certainty_from_cases);
    if (!design.inspectors.empty()) {
        // The plans recorded before this round (verify reads a registry that holds this one too).
        for (const detail::PlanRecord& record : detail::open_store(registry)->recorded_plans()) {
            if (record.round == design.round)
                break;
            const Plan p = detail::parse_recorded_plan(registry, record);
            for (const Selection& s : p.selections)
                if (!s.team.empty())
                    ctx.last_teams[s.station_id] = s.team;
        }
    }
    if (!design.certainty_from_round.empty()) {
#ifdef FUELMAP_HAS_AUDIT_RESULTS
        ctx.failed_stations = failed_stations(registry, design.certainty_from_round);
        std::sort(ctx.failed_stations.begin(), ctx.failed_stations.end());
        ctx.failed_stations.erase(std::unique(ctx.failed_stations.begin(), ctx.failed_stations.end()),
                                  ctx.failed_stations.end());
#else
        throw InputError({.file = design.file, .field = "certainty_from_round"},
                         "this build of fuelmap cannot read audit results yet, so the failures of round '" +
                             design.certainty_from_round + "' are unknown");
#endif
    }
    return ctx;
}

} // namespace

DrawContext load_draw_context(const std::filesystem::path& registry, const Design& design) {
    return draw_context(registry, design, detail::LedgerChecked::no);
}

std::string frame_text(const Registry& registry, const Design& design, const DrawContext& context) {
    check_fields_known(registry, design);
    const std::vector<std::string> fields = design_fields(design);
    std::string text;
    detail::append_frame_header(text, fields);
    for (const Site& site : registry.sites()) {
        detail::append_station_line(text, site.station, fields);
        detail::append_nozzle_lines(text, site.nozzles);
    }
    detail::append_context_lines(text, context.last_teams, context.failed_stations, context.case_stations);
    return text;
}

std::string frame_digest(const Registry& registry, const Design& design, const DrawContext& context) {
    return sha256_hex(frame_text(registry, design, context));
}

namespace {

// Nozzles of a station as the draw sees them.
using NozzleLookup = std::function<const std::vector<Nozzle>&(const Site&)>;

// The plan of a draw without its registry digest (the caller sets it) and without its own digest.
Plan draw_core(const Registry& registry, const Design& design, const std::string& seed,
               const DrawContext& context, const NozzleLookup& nozzles_of, detail::Threading threading);

} // namespace

Plan draw_plan(const Registry& registry, const Design& design, const std::string& seed,
               const DrawContext& context) {
    return detail::draw_plan(registry, design, seed, context, detail::Threading::automatic);
}

Plan detail::draw_plan(const Registry& registry, const Design& design, const std::string& seed,
                       const DrawContext& context, Threading threading) {
    const std::string registry_digest = frame_digest(registry, design, context);
    Plan plan = draw_core(
        registry, design, seed, context,
        [](const Site& site) -> const std::vector<Nozzle>& { return site.nozzles; }, threading);
    plan.registry_digest = registry_digest;
    plan.digest = plan_digest(plan);
    return plan;
}

namespace {

Plan draw_core(const Registry& registry, const Design& design, const std::string& seed,
               const DrawContext& context, const NozzleLookup& nozzles_of, detail::Threading threading) {
    const std::string& dfile = design.file;
    const std::string& rfile = context.registry_file;
    if (seed.empty())
        throw InputError({.field = "seed"}, "the seed is empty");
    Plan plan;
    plan.format_version = plan_format_version;
    plan.algorithm_version = sampling_algorithm_version;
    plan.round = design.round;
    plan.method = design.method;
    plan.seed = seed;
    plan.seed_commitment = seed_commitment(seed);
    plan.design_json = design.canonical_json;

    for (const std::string& g : design.grades)
        if (!registry.grades().find(g))
            throw InputError({.file = dfile, .field = "grades"},
                             "unknown grade '" + g + "' (not in the grade table)");

    // Certainty set, exclusions, frame.
    std::set<std::string> excluded;
    for (const std::string& id : design.exclude) {
        if (!registry.find(id))
            throw InputError({.file = dfile, .field = "exclude"},
                             "station '" + id + "' is not in the registry " + rfile);
        excluded.insert(id);
    }
    std::set<std::string> certain;
    for (const std::string& id : design.certainty) {
        const Site* site = registry.find(id);
        if (!site)
            throw InputError({.file = dfile, .field = "certainty"},
                             "station '" + id + "' is not in the registry " + rfile);
        if (site->station.status != "open")
            throw InputError({.file = dfile, .field = "certainty"},
                             "station '" + id + "' is " + site->station.status + ", not open");
        certain.insert(id);
    }
    for (const std::vector<std::string>* from : {&context.failed_stations, &context.case_stations})
        for (const std::string& id : *from) {
            const Site* site = registry.find(id);
            if (site && site->station.status == "open" && !excluded.count(id))
                certain.insert(id);
        }
    const TicketMaker tickets(seed);
    // Every stratum key once: a candidate points at its own (120,000 candidates, a few hundred keys).
    std::set<std::string, std::less<>> stratum_keys;
    std::string key;
    auto stratum_of = [&](const Station& s) -> const std::string* {
        key.clear();
        if (design.strata.empty())
            key = "all";
        for (std::size_t i = 0; i < design.strata.size(); ++i) {
            if (i)
                key += '|';
            if (!s.append_field(design.strata[i], key))
                throw InputError(
                    {.file = rfile, .layer = "stations", .feature = s.station_id, .field = design.strata[i]},
                    "has no value for the stratum field");
        }
        auto known = stratum_keys.find(std::string_view(key));
        if (known == stratum_keys.end())
            known = stratum_keys.insert(key).first;
        return &*known;
    };
    // The station tickets, hashed on two threads when there are many (each ticket depends on its id
    // alone).
    const std::vector<Site>& sites = registry.sites();
    std::vector<TicketValue> site_tickets(design.method == "tickets" ? sites.size() : 0);
    const bool parallel_sites = parallel_tickets(threading, site_tickets.size());
    for_each_index(site_tickets.size(), parallel_sites, [&](std::size_t i) {
        site_tickets[i] = TicketValue::of(tickets, sites[i].station.station_id);
    });
    std::vector<Candidate> frame;
    std::vector<Candidate> certainty_picks;
    frame.reserve(registry.size());
    for (const Site& site : sites) {
        const Station& s = site.station;
        const bool is_certain = certain.count(s.station_id) > 0;
        if (!is_certain && (s.status != "open" || excluded.count(s.station_id)))
            continue;
        Candidate c;
        c.site = &site;
        c.stratum = stratum_of(s);
        if (!design.weight_field.empty() && !is_certain)
            c.weight = integer_field(s, design.weight_field, rfile, 1, 1'000'000'000'000, "risk weight");
        if (!site_tickets.empty())
            c.value = site_tickets[static_cast<std::size_t>(&site - sites.data())];
        else if (is_certain)
            c.value = TicketValue::of(tickets, s.station_id);
        if (is_certain)
            c.ticket = ticket_from_digest(c.value.digest);
        (is_certain ? certainty_picks : frame).push_back(std::move(c));
    }

    // Grades to sample at a station: the design's, or every grade on an in-service nozzle.
    auto grades_at = [&](const Site& site) {
        std::set<std::string> sold;
        for (const Nozzle& n : nozzles_of(site))
            if (n.status == "in_service")
                sold.insert(n.grade);
        if (design.grades.empty())
            return std::vector<std::string>(sold.begin(), sold.end());
        std::vector<std::string> out;
        for (const std::string& g : std::set<std::string>(design.grades.begin(), design.grades.end()))
            if (sold.count(g))
                out.push_back(g);
        return out;
    };

    // Sample size.
    std::int64_t n = 0;
    if (design.sample_size) {
        n = *design.sample_size;
    } else {
        const std::int64_t batches = *design.budget / *design.cost_per_batch;
        std::int64_t certain_batches = 0;
        for (const Candidate& c : certainty_picks)
            certain_batches += static_cast<std::int64_t>(grades_at(*c.site).size());
        if (certain_batches > batches)
            throw InputError({.file = dfile, .field = "budget"},
                             "the budget pays for " + std::to_string(batches) +
                                 " batches but the certainty set needs " + std::to_string(certain_batches));
        n = (batches - certain_batches) / static_cast<std::int64_t>(design.grades.size());
    }
    if (n > static_cast<std::int64_t>(frame.size()))
        throw InputError({.file = dfile, .field = design.sample_size ? "sample_size" : "budget"},
                         "asks for " + std::to_string(n) +
                             " stations drawn at random but the frame holds only " +
                             std::to_string(frame.size()) + " (open, not excluded, not certain) in " + rfile);

    // Strata and allocation.
    std::map<std::string, std::vector<Candidate>> strata;
    {
        // Consecutive stations mostly share a stratum (ids begin with the county code).
        const std::string* last_key = nullptr;
        std::vector<Candidate>* members = nullptr;
        for (Candidate& c : frame) {
            if (c.stratum != last_key) {
                last_key = c.stratum;
                members = &strata[*c.stratum];
            }
            members->push_back(std::move(c));
        }
    }
    std::vector<StratumMeasure> measures;
    for (const auto& [key, members] : strata) {
        StratumMeasure m{key, static_cast<std::int64_t>(members.size()), 1};
        if (design.allocation == "proportional")
            m.measure = m.population;
        else if (design.allocation == "volume") {
            m.measure = 0;
            for (const Candidate& c : members)
                m.measure += integer_field(c.site->station, design.volume_field, rfile, 0, 1'000'000'000'000,
                                           "volume");
        }
        measures.push_back(std::move(m));
    }
    std::vector<std::int64_t> alloc;
    try {
        alloc = allocate(n, measures, design.min_per_stratum);
    } catch (const InputError& e) {
        throw InputError({.file = dfile, .field = "min_per_stratum"}, e.problem());
    }
    std::map<std::string, std::int64_t> certainty_count;
    for (const Candidate& c : certainty_picks)
        ++certainty_count[*c.stratum];
    {
        std::set<std::string> keys;
        for (const auto& [key, members] : strata)
            keys.insert(key);
        for (const auto& [key, count] : certainty_count)
            keys.insert(key);
        for (const std::string& key : keys) {
            StratumSummary summary{key, 0, certainty_count[key], 0};
            auto it = strata.find(key);
            if (it != strata.end()) {
                summary.population = static_cast<std::int64_t>(it->second.size());
                summary.allocated = alloc[static_cast<std::size_t>(std::distance(strata.begin(), it))];
            }
            plan.strata.push_back(summary);
        }
    }

    struct Chosen {
        Candidate c;
        std::string reason;
        std::string probability;
    };
    std::vector<Chosen> chosen;
    for (Candidate& c : certainty_picks)
        chosen.push_back({std::move(c), "certainty", "1"});

    if (design.method == "rfc3797") {
        // Pool: the random frame in ascending station id; the RFC ranking until every stratum is full.
        std::vector<Candidate> pool;
        std::map<std::string, std::int64_t> want;
        std::size_t h = 0;
        for (auto& [key, members] : strata) {
            want[key] = alloc[h++];
            for (Candidate& c : members)
                pool.push_back(c);
        }
        std::sort(pool.begin(), pool.end(), [](const Candidate& a, const Candidate& b) {
            return a.site->station.station_id < b.site->station.station_id;
        });
        std::int64_t missing = n;
        if (missing > 0) {
            const std::size_t picks_available = std::min<std::size_t>(pool.size(), 65536);
            const std::vector<std::size_t> picks = rfc3797_select(seed, pool.size(), picks_available);
            for (std::size_t i = 0; i < picks.size() && missing > 0; ++i) {
                Candidate& c = pool[picks[i]];
                if (want[*c.stratum] == 0)
                    continue;
                --want[*c.stratum];
                --missing;
                c.ticket = "#" + std::to_string(i + 1);
                chosen.push_back({c, "random", ""});
            }
            if (missing > 0)
                throw InputError({.file = dfile, .field = "method"},
                                 "the RFC 3797 counter is 16 bits: this design needs more than 65536 picks");
        }
        h = 0;
        for (auto& [key, members] : strata) {
            const std::int64_t nh = alloc[h++];
            for (Chosen& ch : chosen)
                if (ch.reason == "random" && *ch.c.stratum == key)
                    ch.probability = rational(nh, static_cast<Int128>(members.size()));
        }
    } else {
        std::size_t h = 0;
        for (auto& [key, members] : strata) {
            std::int64_t k = alloc[h++];
            if (k == 0)
                continue;
            if (design.weight_field.empty()) {
                const std::string p = rational(k, static_cast<Int128>(members.size()));
                std::partial_sort(members.begin(), members.begin() + k, members.end(), by_ticket);
                for (std::int64_t i = 0; i < k; ++i)
                    chosen.push_back({std::move(members[static_cast<std::size_t>(i)]), "random", p});
                for (auto it = chosen.end() - k; it != chosen.end(); ++it)
                    it->c.ticket = ticket_from_digest(it->c.value.digest);
                continue;
            }
            // Probability proportional to weight; units with k·w >= W are taken with probability 1.
            Int128 total = 0;
            for (const Candidate& c : members)
                total += c.weight;
            bool changed = true;
            while (changed && k > 0) {
                changed = false;
                std::vector<Candidate> rest;
                for (Candidate& c : members) {
                    if (static_cast<Int128>(k) * c.weight >= total && k > 0) {
                        changed = true;
                        total -= c.weight;
                        --k;
                        c.ticket = ticket_from_digest(c.value.digest);
                        chosen.push_back({std::move(c), "random", "1"});
                    } else {
                        rest.push_back(std::move(c));
                    }
                }
                // Removing large units can make others large: repeat until none is.
                members = std::move(rest);
            }
            if (k == 0)
                continue;
            for (Candidate& c : pareto_select(members, k, total)) {
                const std::string p = rational(static_cast<Int128>(k) * c.weight, total);
                c.ticket = ticket_from_digest(c.value.digest);
                chosen.push_back({std::move(c), "random", p});
            }
        }
    }

    // Within each station: per grade the nozzle with the lowest ticket, the rest as alternates.
    std::vector<Selection> selections;
    std::vector<const Site*> chosen_sites; // in the order drawn: the order of the samples' errors
    for (Chosen& ch : chosen) {
        chosen_sites.push_back(ch.c.site);
        Selection sel;
        sel.station_id = ch.c.site->station.station_id;
        sel.stratum = *ch.c.stratum;
        sel.reason = ch.reason;
        sel.inclusion_probability = ch.probability;
        sel.ticket = ch.c.ticket;
        selections.push_back(std::move(sel));
    }
    std::sort(selections.begin(), selections.end(),
              [](const Selection& a, const Selection& b) { return a.station_id < b.station_id; });

    // The samples of a station: per grade, the nozzle whose ticket comes first (docs/sampling.md).
    auto samples_at = [&](const Site& site) {
        const std::string& sid = site.station.station_id;
        std::vector<PlannedSample> samples;
        for (const std::string& grade : grades_at(site)) {
            std::vector<std::pair<TicketValue, const Nozzle*>> ranked;
            for (const Nozzle& nz : nozzles_of(site))
                if (nz.status == "in_service" && nz.grade == grade)
                    ranked.emplace_back(TicketValue::of(tickets, element_id(sid, nz.nozzle_no)), &nz);
            std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
                return ticket_before(a.first, a.second->nozzle_no, b.first, b.second->nozzle_no);
            });
            PlannedSample ps;
            ps.grade = grade;
            ps.nozzle_no = ranked.front().second->nozzle_no;
            ps.nozzle_ticket = ticket_from_digest(ranked.front().first.digest);
            ps.nozzle_sample_id = design.round + "/" + sid + "/" + ps.nozzle_no;
            ps.claimed_tanks = ranked.front().second->supply;
            for (const SupplyLeg& leg : ps.claimed_tanks)
                ps.tank_sample_ids.push_back(design.round + "/" + sid + "/" + leg.tank_no);
            for (std::size_t i = 1; i < ranked.size(); ++i)
                ps.alternates.push_back(ranked[i].second->nozzle_no);
            samples.push_back(std::move(ps));
        }
        return samples;
    };
    // The samples (from the stations' layouts) and the schedule (teams, days, routes) need nothing
    // of each other: on a large draw the samples are made on a second thread while the schedule is
    // made. Errors come in the sequential order: the samples' first.
    std::vector<std::vector<PlannedSample>> samples(chosen_sites.size());
    auto make_samples = [&] {
        for (std::size_t i = 0; i < chosen_sites.size(); ++i)
            samples[i] = samples_at(*chosen_sites[i]);
    };
    plan.selections = std::move(selections);
    const bool beside =
        threading == detail::Threading::always ||
        (threading == detail::Threading::automatic && chosen_sites.size() >= parallel_samples_min_stations);
    // Step 0 the samples, step 1 the schedule: run_slices reports step 0's error first.
    const auto step = [&](std::size_t i) {
        if (i == 0)
            make_samples();
        else
            detail::schedule_round(registry, design, context, tickets, plan);
    };
    if (beside) {
        detail::run_slices(2, step);
    } else {
        step(0);
        step(1);
    }
    // The schedule ordered the selections by route: each gets its samples by its station id.
    std::unordered_map<std::string_view, std::size_t> drawn_at;
    for (std::size_t i = 0; i < chosen_sites.size(); ++i)
        drawn_at.emplace(chosen_sites[i]->station.station_id, i);
    for (Selection& sel : plan.selections)
        sel.samples = std::move(samples[drawn_at.at(sel.station_id)]);
    return plan; // the caller seals it: its digest covers what it adds (the ledger checkpoint)
}

// The frame lines that follow the stations: the draw context's.
std::string context_lines(const DrawContext& context) {
    std::string text;
    detail::append_context_lines(text, context.last_teams, context.failed_stations, context.case_stations);
    return text;
}

} // namespace

std::string frame_digest(const std::filesystem::path& registry, const Design& design,
                         const FrameReadOptions& options) {
    const DrawContext context = load_draw_context(registry, design);
    const std::unique_ptr<detail::FrameSource> source =
        detail::open_store(registry)->open_frame(options.use_layout_cache, reads_station_details(design));
    check_fields_known(source->stations(), design);
    return source->digest(design_fields(design), context_lines(context));
}

detail::FileDraw detail::draw_unsealed(const std::filesystem::path& registry, const Design& design,
                                       const std::string& seed, const FrameReadOptions& options,
                                       LedgerChecked ledger) {
    return draw_unsealed(
        registry, open_store(registry)->open_frame(options.use_layout_cache, reads_station_details(design)),
        design, seed, ledger);
}

detail::FileDraw detail::draw_unsealed(const std::filesystem::path& registry,
                                       std::unique_ptr<FrameSource> source, const Design& design,
                                       const std::string& seed, LedgerChecked ledger) {
    std::optional<LedgerCheckpoint> checked;
    const DrawContext context = draw_context(registry, design, ledger, &checked);
    const Registry& frame = source->stations();
    check_fields_known(frame, design);
    // The registry digest goes into the plan and nowhere else: where the source allows it, it is
    // taken on a second thread while the draw runs. Its errors come first either way.
    const std::vector<std::string> fields = design_fields(design);
    const std::string tail = context_lines(context);
    std::string digest;
    std::future<std::string> digest_beside;
    if (source->nozzles_beside_digest())
        digest_beside = std::async(std::launch::async, [&] { return source->digest(fields, tail); });
    else
        digest = source->digest(fields, tail);
    auto draw = [&] {
        return draw_core(
            frame, design, seed, context,
            [&](const Site& site) -> const std::vector<Nozzle>& { return source->nozzles(site); },
            detail::Threading::automatic);
    };
    FileDraw drawn{.plan = {}, .ledger = checked, .frame = {}};
    std::exception_ptr draw_error;
    try {
        drawn.plan = draw();
    } catch (...) {
        draw_error = std::current_exception();
    }
    if (digest_beside.valid()) {
        digest = digest_beside.get(); // throws the registry's own error, if it has one
        if (source->draw_again()) {
            draw_error = nullptr;
            drawn.plan = draw(); // from the layouts the digest hashed
        }
    }
    if (draw_error)
        std::rethrow_exception(draw_error);
    drawn.plan.registry_digest = digest;
    drawn.frame = std::move(source);
    return drawn;
}

Plan draw_plan(const std::filesystem::path& registry, const Design& design, const std::string& seed,
               const FrameReadOptions& options) {
    Plan plan = detail::draw_unsealed(registry, design, seed, options).plan;
    plan.digest = plan_digest(plan);
    return plan;
}

} // namespace fuelmap
