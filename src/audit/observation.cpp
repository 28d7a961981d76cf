// SPDX-License-Identifier: MIT
// Observations: parsing, checks against the registry (pure), and the registry table + ledger.
#include <fuelmap/design.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "audit/observation_table.hpp"
#include "gis/vector_rows.hpp"
#include "store/registry_read.hpp"
#include "store/registry_store.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>

namespace fuelmap {

namespace {

constexpr const char* table_name = "fuelmap_observations";

// The parts of @p text between the separators @p sep, trimmed of blanks ("T1 + T2" → T1, T2).
void split_into(std::string_view text, char sep, std::vector<std::string>& out) {
    out.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), sep)) + 1);
    detail::for_each_part(text, sep, [&](std::string_view part) { out.emplace_back(part); });
}

using detail::join;

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size())
        return false;
    for (std::size_t i = pos; i < pos + n; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int number_at(std::string_view s, std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

std::string origin_text(const Location& o) {
    Location l = o;
    return l.to_string();
}

} // namespace

std::string_view to_string(LinkMethod m) noexcept {
    switch (m) {
    case LinkMethod::dispense_and_watch_gauge:
        return "dispense_and_watch_gauge";
    case LinkMethod::valve_isolation:
        return "valve_isolation";
    case LinkMethod::pipe_tracing:
        return "pipe_tracing";
    case LinkMethod::sample_match:
        return "sample_match";
    }
    return "pipe_tracing";
}

std::optional<LinkMethod> parse_link_method(std::string_view s) noexcept {
    for (LinkMethod m : {LinkMethod::dispense_and_watch_gauge, LinkMethod::valve_isolation,
                         LinkMethod::pipe_tracing, LinkMethod::sample_match})
        if (to_string(m) == s)
            return m;
    return std::nullopt;
}

bool is_iso8601(std::string_view s) noexcept {
    if (!(digits(s, 0, 4) && s.size() >= 10 && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' &&
          digits(s, 8, 2)))
        return false;
    if (!is_iso_date(s.substr(0, 10)))
        return false; // 2026-02-30 is no day
    std::size_t i = 10;
    if (i == s.size())
        return true;
    if (s[i] != 'T' && s[i] != ' ')
        return false;
    ++i;
    if (!(digits(s, i, 2) && i + 5 <= s.size() && s[i + 2] == ':' && digits(s, i + 3, 2)))
        return false;
    if (number_at(s, i, 2) > 23 || number_at(s, i + 3, 2) > 59)
        return false;
    i += 5;
    if (i < s.size() && s[i] == ':') {
        if (!digits(s, i + 1, 2) || number_at(s, i + 1, 2) > 60)
            return false;
        i += 3;
        if (i < s.size() && s[i] == '.') {
            ++i;
            const std::size_t start = i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9')
                ++i;
            if (i == start)
                return false;
        }
    }
    if (i == s.size())
        return true;
    if (s[i] == 'Z')
        return i + 1 == s.size();
    if (s[i] == '+' || s[i] == '-')
        return i + 6 == s.size() && digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2);
    return false;
}

void check_observations(const std::vector<Observation>& observations, const Registry& registry) {
    for (const Observation& o : observations) {
        auto fail = [&](const std::string& feature, const std::string& field, const std::string& what) {
            Location l = o.origin;
            l.feature = feature;
            l.field = field;
            throw InputError(l, what);
        };
        const Site* site = registry.find(o.station_id);
        if (o.station_id.empty())
            fail("", "station_id", "empty station id");
        if (!site)
            fail(o.station_id, "station_id", "unknown station '" + o.station_id + "': not in the registry");
        const std::string nozzle = element_id(o.station_id, o.nozzle_no);
        if (o.nozzle_no.empty())
            fail(o.station_id, "nozzle_no", "empty nozzle number");
        if (!site->find_nozzle(o.nozzle_no))
            fail(nozzle, "nozzle_no",
                 "unknown nozzle '" + o.nozzle_no + "': station " + o.station_id +
                     " declares no such nozzle");
        if (o.observed_tanks.empty())
            fail(nozzle, "observed_tanks", "no observed tank");
        std::set<std::string> seen;
        for (const std::string& t : o.observed_tanks) {
            if (t.empty())
                fail(nozzle, "observed_tanks", "empty tank number (write e.g. 'T1' or 'T1+T2')");
            if (!seen.insert(t).second)
                fail(nozzle, "observed_tanks", "tank '" + t + "' is listed twice");
        }
        if (o.inspectors.empty())
            fail(nozzle, "inspectors", "no inspector id");
        for (const std::string& i : o.inspectors)
            if (i.empty())
                fail(nozzle, "inspectors", "empty inspector id (write e.g. 'I01;I07')");
        if (!is_iso8601(o.observed_at))
            fail(nozzle, "observed_at",
                 "'" + o.observed_at +
                     "' is not an ISO 8601 date or time of a real day (e.g. 2024-05-17T09:30:00+08:00)");
    }
}

std::vector<Observation> read_observation_file(const std::filesystem::path& path) {
    const std::vector<detail::VectorRow> rows = detail::read_vector_rows(
        path, {"station_id", "nozzle_no", "observed_tanks", "method", "inspectors", "observed_at"});
    std::vector<Observation> out;
    out.reserve(rows.size());
    for (const detail::VectorRow& row : rows) {
        Observation o;
        o.origin = row.origin;
        o.station_id = row.get("station_id");
        o.nozzle_no = row.get("nozzle_no");
        const std::string tanks = row.get("observed_tanks");
        if (!tanks.empty())
            split_into(tanks, '+', o.observed_tanks);
        const std::string method = row.get("method");
        const auto m = parse_link_method(method);
        if (!m)
            throw InputError(
                row.at(element_id(o.station_id, o.nozzle_no), "method"),
                "unknown method '" + method +
                    "' (dispense_and_watch_gauge, valve_isolation, pipe_tracing or sample_match)");
        o.method = *m;
        const std::string inspectors = row.get("inspectors");
        if (!inspectors.empty())
            split_into(inspectors, ';', o.inspectors);
        o.observed_at = row.get("observed_at");
        out.push_back(std::move(o));
    }
    return out;
}

namespace {
// Refuses duplicates, inside the batch and against what is recorded (defined below).
void check_not_recorded(const std::filesystem::path& registry, const std::vector<Observation>& observations);
} // namespace

std::size_t record_observations(const std::filesystem::path& registry_path,
                                const std::vector<Observation>& observations) {
    const RegistryLock lock(registry_path, LockMode::write);
    require_intact_ledger(registry_path);
    // Only the stations the observations name, with their layouts: not the whole registry.
    std::vector<std::string> named;
    named.reserve(observations.size());
    for (const Observation& o : observations)
        named.push_back(o.station_id);
    const Registry registry = detail::read_named_stations(registry_path, std::move(named));
    check_observations(observations, registry);
    check_not_recorded(registry_path, observations);
    if (observations.empty())
        return 0;
    std::vector<detail::ObservationRecord> records;
    records.reserve(observations.size());
    for (const Observation& o : observations)
        records.push_back({.station_id = o.station_id,
                           .nozzle_no = o.nozzle_no,
                           .observed_tanks = join(o.observed_tanks, "+"),
                           .method = std::string(to_string(o.method)),
                           .inspectors = join(o.inspectors, ";"),
                           .observed_at = o.observed_at,
                           .source = origin_text(o.origin),
                           .record_id = element_id(o.station_id, o.nozzle_no) + "@" + o.observed_at});
    detail::open_store(registry_path)->record_observations(records);
    return observations.size();
}

namespace {

// Hands each observation recorded in @p registry, in the order stored, to @p row as (fid,
// station_id, nozzle_no, observed_tanks, method, inspectors, observed_at); the views are valid
// during the call. Returns false when the registry records none.
template <class Row> bool for_each_recorded_observation(const std::filesystem::path& registry, Row&& row) {
    return detail::open_store(registry)->for_each_observation(
        [&](std::size_t count) { row.reserve(count); },
        [&](const detail::ObservationRow& r) {
            const auto m = parse_link_method(r.method);
            if (!m)
                throw InputError(
                    {.file = registry.string(), .layer = table_name, .fid = r.fid, .field = "method"},
                    "unknown method '" + std::string(r.method) + "'");
            row(r.fid, r.station_id, r.nozzle_no, r.observed_tanks, *m, r.inspectors, r.observed_at);
        });
}

// The (station, nozzle, time, method) of an observation, as views: what may be recorded only once.
struct ObservationKey {
    std::string_view station_id, nozzle_no, observed_at;
    LinkMethod method;
    bool operator==(const ObservationKey&) const = default;
};

struct ObservationKeyHash {
    std::size_t operator()(const ObservationKey& k) const noexcept {
        std::size_t h = std::hash<std::string_view>{}(k.station_id);
        for (std::string_view part : {k.nozzle_no, k.observed_at})
            h = h * 1000003 ^ std::hash<std::string_view>{}(part);
        return h * 31 + static_cast<std::size_t>(k.method);
    }
};

// Duplicates, inside the batch and against what is recorded, are refused before anything is
// written, so that importing the same file twice is an error and not a double count. The error
// names the first observation of the batch (in its order) whose key is recorded or came earlier in
// the batch. The recorded rows are streamed past a hash table of the batch's keys rather than
// held, so a registry with millions of them costs one scan (a bad recorded row is still reported
// as read_recorded_observations reports it).
void check_not_recorded(const std::filesystem::path& registry, const std::vector<Observation>& observations) {
    std::unordered_map<ObservationKey, std::size_t, ObservationKeyHash> first_of;
    first_of.reserve(observations.size());
    std::vector<char> duplicate(observations.size(), 0);
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        if (!first_of.emplace(ObservationKey{o.station_id, o.nozzle_no, o.observed_at, o.method}, i).second)
            duplicate[i] = 1;
    }
    struct Rows {
        const std::unordered_map<ObservationKey, std::size_t, ObservationKeyHash>& first_of;
        std::vector<char>& duplicate;
        void reserve(std::size_t) {}
        void operator()(std::int64_t, std::string_view station_id, std::string_view nozzle_no,
                        std::string_view, LinkMethod method, std::string_view, std::string_view observed_at) {
            if (first_of.empty())
                return;
            auto it = first_of.find({station_id, nozzle_no, observed_at, method});
            if (it != first_of.end())
                duplicate[it->second] = 1;
        }
    } rows{first_of, duplicate};
    for_each_recorded_observation(registry, rows);
    const auto first = std::find(duplicate.begin(), duplicate.end(), 1);
    if (first == duplicate.end())
        return;
    const Observation& o = observations[static_cast<std::size_t>(first - duplicate.begin())];
    Location l = o.origin;
    l.feature = element_id(o.station_id, o.nozzle_no);
    l.field = "observed_at";
    throw InputError(l, "this nozzle already has an observation by " + std::string(to_string(o.method)) +
                            " at " + o.observed_at + " (in the registry or earlier in the file)");
}

} // namespace

std::vector<Observation> read_recorded_observations(const std::filesystem::path& registry) {
    struct Rows {
        std::vector<Observation> out;
        std::string file;
        void reserve(std::size_t n) { out.reserve(n); }
        void operator()(std::int64_t fid, std::string_view station_id, std::string_view nozzle_no,
                        std::string_view tanks, LinkMethod method, std::string_view inspectors,
                        std::string_view observed_at) {
            Observation& o = out.emplace_back();
            o.station_id = station_id;
            o.nozzle_no = nozzle_no;
            split_into(tanks, '+', o.observed_tanks);
            o.method = method;
            split_into(inspectors, ';', o.inspectors);
            o.observed_at = observed_at;
            o.origin.file = file;
            o.origin.layer = table_name;
            o.origin.fid = fid;
        }
    } rows{.out = {}, .file = registry.string()};
    for_each_recorded_observation(registry, rows);
    return std::move(rows.out);
}

namespace detail {

ObservationTable read_recorded_observation_table(const std::filesystem::path& registry) {
    struct Rows {
        ObservationTable table;
        void reserve(std::size_t n) { table.reserve(n); }
        void operator()(std::int64_t, std::string_view station_id, std::string_view nozzle_no,
                        std::string_view tanks, LinkMethod method, std::string_view inspectors,
                        std::string_view observed_at) {
            table.add_copy(station_id, nozzle_no, tanks, method, inspectors, observed_at);
        }
    } rows;
    for_each_recorded_observation(registry, rows);
    rows.table.finish();
    return std::move(rows.table);
}

} // namespace detail

} // namespace fuelmap
