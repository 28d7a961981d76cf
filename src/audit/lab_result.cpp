// SPDX-License-Identifier: MIT
// Lab results: parsing, checks against registry, precision table and plans (pure), and the
// registry table + ledger.
#include <fuelmap/lab_result.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/precision.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "gis/vector_rows.hpp"
#include "store/registry_read.hpp"
#include "store/registry_store.hpp"
#include "util/table_csv.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace fuelmap {

namespace {

constexpr const char* table_name = "fuelmap_lab_results";

// What a plan says about a sample id.
struct PlannedCan {
    std::string station_id;
    SampleSource source = SampleSource::nozzle;
    std::vector<std::string> elements; // planned nozzle and its alternates, or the claimed tank
    std::string round;
};

std::map<std::string, PlannedCan> planned_cans(const std::vector<Plan>& plans) {
    std::map<std::string, PlannedCan> cans;
    for (const Plan& plan : plans)
        for (const Selection& s : plan.selections)
            for (const PlannedSample& ps : s.samples) {
                PlannedCan n{s.station_id, SampleSource::nozzle, {ps.nozzle_no}, plan.round};
                n.elements.insert(n.elements.end(), ps.alternates.begin(), ps.alternates.end());
                if (!ps.nozzle_sample_id.empty())
                    cans.emplace(ps.nozzle_sample_id, std::move(n));
                for (std::size_t i = 0; i < ps.tank_sample_ids.size() && i < ps.claimed_tanks.size(); ++i)
                    cans.emplace(ps.tank_sample_ids[i], PlannedCan{s.station_id,
                                                                   SampleSource::tank,
                                                                   {ps.claimed_tanks[i].tank_no},
                                                                   plan.round});
            }
    return cans;
}

const std::set<std::string>& depths() {
    static const std::set<std::string> d{"", "upper", "middle", "lower", "composite"};
    return d;
}

} // namespace

std::string_view to_string(SampleSource s) noexcept {
    return s == SampleSource::nozzle ? "nozzle" : "tank";
}

void check_lab_results(const std::vector<LabResult>& results, const Registry& registry,
                       const PrecisionTable& precision, const std::vector<Plan>& plans) {
    const std::map<std::string, PlannedCan> cans = planned_cans(plans);
    std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
    for (const LabResult& r : results) {
        auto fail = [&](const std::string& feature, const std::string& field, const std::string& what) {
            Location l = r.origin;
            l.feature = feature;
            l.field = field;
            throw InputError(l, what);
        };
        if (r.sample_id.empty())
            fail(r.station_id, "sample_id", "empty sample id");
        const Site* site = registry.find(r.station_id);
        if (!site)
            fail(r.station_id, "station_id", "unknown station '" + r.station_id + "': not in the registry");
        const std::string kind(to_string(r.source));
        const std::string field = r.source == SampleSource::nozzle ? "nozzle_no" : "tank_no";
        const std::string element = element_id(r.station_id, r.element_no);
        if (r.element_no.empty())
            fail(r.station_id, field, "empty " + field + " for a " + kind + " sample");
        if (r.source == SampleSource::nozzle && !site->find_nozzle(r.element_no))
            fail(element, "nozzle_no",
                 "unknown nozzle '" + r.element_no + "': station " + r.station_id +
                     " declares no such nozzle");
        if (r.source == SampleSource::tank && !site->find_tank(r.element_no))
            fail(element, "tank_no",
                 "unknown tank '" + r.element_no + "': station " + r.station_id + " declares no such tank");
        if (!depths().count(r.depth))
            fail(element, "depth",
                 "unknown depth '" + r.depth + "' (upper, middle, lower, composite or empty)");
        if (r.source == SampleSource::nozzle && !r.depth.empty())
            fail(element, "depth", "a nozzle-outlet sample has no depth");
        auto can = cans.find(r.sample_id);
        if (can == cans.end())
            fail(element, "sample_id", "sample '" + r.sample_id + "' is in no recorded plan");
        const PlannedCan& p = can->second;
        if (p.station_id != r.station_id)
            fail(element, "station_id",
                 "sample '" + r.sample_id + "' was planned at station " + p.station_id + ", not " +
                     r.station_id);
        if (p.source != r.source)
            fail(element, "source",
                 "sample '" + r.sample_id + "' was planned as a " + std::string(to_string(p.source)) +
                     " sample");
        if (std::find(p.elements.begin(), p.elements.end(), r.element_no) == p.elements.end())
            fail(element, field,
                 "sample '" + r.sample_id + "' was planned for " + kind + " " +
                     detail::join(p.elements, ", ") + ", not " + r.element_no);
        if (!precision.has_property(r.property))
            fail(element, "property", "property '" + r.property + "' is not in the precision table");
        const PrecisionEntry* e = precision.find(r.property, r.method);
        if (!e)
            fail(element, "method",
                 "no precision data for " + r.property + " by method '" + r.method +
                     "' (known: " + detail::join(precision.methods_of(r.property), ", ") + ")");
        if (e->unit != r.unit)
            fail(element, "unit",
                 "unit '" + r.unit + "' does not match the precision table's unit '" + e->unit + "' for " +
                     r.property + " by " + r.method);
        if (r.lab.empty())
            fail(element, "lab", "empty lab id");
        if (!seen.insert({r.sample_id, r.property, r.method, r.lab}).second)
            fail(element, "sample_id",
                 "a second " + r.property + " result by " + r.method + " from lab " + r.lab +
                     " for sample '" + r.sample_id +
                     "' (in the registry or earlier in the file; report the mean once)");
    }
}

std::vector<LabResult> read_lab_file(const std::filesystem::path& path) {
    const std::vector<detail::VectorRow> rows = detail::read_vector_rows(
        path, {"sample_id", "station_id", "source", "property", "value", "unit", "method", "lab"});
    std::vector<LabResult> out;
    out.reserve(rows.size());
    for (const detail::VectorRow& row : rows) {
        LabResult r;
        r.origin = row.origin;
        r.sample_id = row.get("sample_id");
        r.station_id = row.get("station_id");
        const std::string source = row.get("source");
        if (source == "nozzle") {
            r.source = SampleSource::nozzle;
            r.element_no = row.get("nozzle_no");
        } else if (source == "tank") {
            r.source = SampleSource::tank;
            r.element_no = row.get("tank_no");
        } else {
            throw InputError(row.at(r.station_id, "source"),
                             "source must be 'nozzle' or 'tank', not '" + source + "'");
        }
        r.depth = row.get("depth");
        r.property = row.get("property");
        const std::string value = row.get("value");
        auto number = row.numbers.find("value");
        if (number != row.numbers.end())
            r.value = number->second;
        else if (!detail::parse_number(value, r.value))
            throw InputError(row.at(element_id(r.station_id, r.element_no), "value"),
                             "'" + value + "' is not a number");
        r.unit = row.get("unit");
        r.method = row.get("method");
        r.lab = row.get("lab");
        out.push_back(std::move(r));
    }
    return out;
}

std::size_t record_lab_results(const std::filesystem::path& registry_path,
                               const std::vector<LabResult>& results, const PrecisionTable& precision,
                               const std::vector<Plan>& extra_plans) {
    const RegistryLock lock(registry_path, LockMode::write);
    require_intact_ledger(registry_path);
    // Only the stations the results name, with their layouts: not the whole registry.
    std::vector<std::string> named;
    named.reserve(results.size());
    for (const LabResult& r : results)
        named.push_back(r.station_id);
    const Registry registry = detail::read_named_stations(registry_path, std::move(named));
    std::vector<Plan> plans = read_recorded_plans(registry_path);
    plans.insert(plans.end(), extra_plans.begin(), extra_plans.end());
    // Recorded results go first so that a result already in the registry is refused as a duplicate.
    std::vector<LabResult> all = read_recorded_lab_results(registry_path);
    const std::size_t recorded = all.size();
    all.insert(all.end(), results.begin(), results.end());
    std::vector<LabResult> fresh(all.begin() + static_cast<std::ptrdiff_t>(recorded), all.end());
    {
        // Check the recorded ones only for duplicates: they were checked when they were imported.
        std::set<std::tuple<std::string, std::string, std::string, std::string>> keys;
        for (std::size_t i = 0; i < recorded; ++i)
            keys.insert({all[i].sample_id, all[i].property, all[i].method, all[i].lab});
        for (const LabResult& r : fresh)
            if (keys.count({r.sample_id, r.property, r.method, r.lab})) {
                Location l = r.origin;
                l.feature = element_id(r.station_id, r.element_no);
                l.field = "sample_id";
                throw InputError(l, "the " + r.property + " result by " + r.method + " from lab " + r.lab +
                                        " for sample '" + r.sample_id + "' is already recorded");
            }
    }
    check_lab_results(fresh, registry, precision, plans);
    if (fresh.empty())
        return 0;
    std::vector<detail::LabResultRecord> records;
    records.reserve(fresh.size());
    for (const LabResult& r : fresh)
        records.push_back({.fid = 0,
                           .sample_id = r.sample_id,
                           .station_id = r.station_id,
                           .source = std::string(to_string(r.source)),
                           .element_no = r.element_no,
                           .depth = r.depth,
                           .property = r.property,
                           .value = r.value,
                           .unit = r.unit,
                           .method = r.method,
                           .lab = r.lab,
                           .imported_from = r.origin.to_string(),
                           .record_id = r.sample_id + "/" + r.property + "/" + r.method + "/" + r.lab});
    detail::open_store(registry_path)->record_lab_results(records);
    return fresh.size();
}

std::vector<LabResult> read_recorded_lab_results(const std::filesystem::path& registry) {
    std::vector<LabResult> out;
    for (detail::LabResultRecord& stored : detail::open_store(registry)->recorded_lab_results()) {
        LabResult& r = out.emplace_back();
        r.origin = {.file = registry.string(), .layer = table_name, .fid = stored.fid};
        r.sample_id = std::move(stored.sample_id);
        r.station_id = std::move(stored.station_id);
        r.source = stored.source == "tank" ? SampleSource::tank : SampleSource::nozzle;
        r.element_no = std::move(stored.element_no);
        r.depth = std::move(stored.depth);
        r.property = std::move(stored.property);
        r.value = stored.value;
        r.unit = std::move(stored.unit);
        r.method = std::move(stored.method);
        r.lab = std::move(stored.lab);
    }
    return out;
}

} // namespace fuelmap
