// SPDX-License-Identifier: MIT
// The audit of a registry file: gathering evidence, exporting findings, failed stations.
#include <fuelmap/audit_results.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "audit/audit_views.hpp"
#include "audit/observation_table.hpp"
#include "gis/gdal_module.hpp"

#include <exception>
#include <optional>
#include <set>
#include <thread>

namespace fuelmap {

namespace {

const Plan& plan_of_round(const std::vector<Plan>& plans, const std::string& round,
                          const std::filesystem::path& registry) {
    for (const Plan& p : plans)
        if (p.round == round)
            return p;
    std::string known;
    for (const Plan& p : plans)
        known += (known.empty() ? "" : ", ") + p.round;
    throw InputError(
        {.file = registry.string(), .layer = "fuelmap_plans", .feature = round, .field = "round"},
        "no plan recorded for round '" + round + "'" +
            (known.empty() ? std::string(" (no plan is recorded)") : " (recorded: " + known + ")"));
}

std::set<std::string> sample_ids(const Plan& plan) {
    std::set<std::string> ids;
    for (const Selection& s : plan.selections)
        for (const PlannedSample& ps : s.samples) {
            ids.insert(ps.nozzle_sample_id);
            ids.insert(ps.tank_sample_ids.begin(), ps.tank_sample_ids.end());
        }
    return ids;
}

} // namespace

void audit_registry(const AuditRequest& request, AuditSink& sink) {
    // One snapshot, and only records the ledger binds.
    const RegistryLock snapshot(request.registry, LockMode::read);
    require_intact_ledger(request.registry);
    const PrecisionTable precision =
        request.precision ? PrecisionTable::read(*request.precision) : PrecisionTable::shipped();
    const GradeLimits limits = request.limits ? GradeLimits::read(*request.limits) : GradeLimits::shipped();
    // The recorded observations and lab results are read on a second thread (its own connection)
    // while the registry is read; the errors come in the order of the sequential reads.
    detail::ObservationTable observations;
    std::vector<LabResult> results;
    std::exception_ptr observations_error, results_error;
    std::thread recorded([&] {
        try {
            observations = detail::read_recorded_observation_table(request.registry);
        } catch (...) {
            observations_error = std::current_exception();
            return;
        }
        try {
            results = read_recorded_lab_results(request.registry);
        } catch (...) {
            results_error = std::current_exception();
        }
    });
    std::optional<Registry> read;
    std::vector<Plan> plans;
    try {
        read.emplace(read_registry(request.registry));
        plans = read_recorded_plans(request.registry);
    } catch (...) {
        recorded.join();
        throw;
    }
    recorded.join();
    const Registry& registry = *read;

    if (observations_error)
        std::rethrow_exception(observations_error);
    std::vector<Observation> extra_observations;
    if (request.observations) {
        extra_observations = read_observation_file(*request.observations);
        check_observations(extra_observations, registry);
        for (const Observation& o : extra_observations)
            observations.add(o);
        observations.finish();
    }
    if (results_error)
        std::rethrow_exception(results_error);
    if (request.lab) {
        std::vector<LabResult> extra = read_lab_file(*request.lab);
        check_lab_results(extra, registry, precision, plans);
        results.insert(results.end(), extra.begin(), extra.end());
    }

    AuditOptions options;
    options.stations = request.stations;
    options.all_stations = request.all_stations;
    if (!request.round.empty()) {
        const Plan& plan = plan_of_round(plans, request.round, request.registry);
        const std::set<std::string> ids = sample_ids(plan);
        std::erase_if(results, [&](const LabResult& r) { return !ids.count(r.sample_id); });
        if (options.stations.empty())
            for (const Selection& s : plan.selections)
                options.stations.push_back(s.station_id);
    }
    detail::audit_each(registry, observations.rows(), results, precision, limits, options, sink,
                       detail::Threading::automatic);
}

AuditReport audit_registry(const AuditRequest& request) {
    AuditReport report;
    detail::ReportSink sink(report);
    audit_registry(request, sink);
    return report;
}

struct AuditFindingsWriter::File {
    std::unique_ptr<detail::FindingsFile> file; // written by the GDAL module
};

AuditFindingsWriter::AuditFindingsWriter(const std::filesystem::path& path, const std::string& driver_name)
    : m_file(std::make_unique<File>()) {
    m_file->file = detail::gdal_module().create_findings_file(path, driver_name);
}

AuditFindingsWriter::~AuditFindingsWriter() = default; // an unfinished file is removed

void AuditFindingsWriter::begin(std::size_t, std::size_t) {}

void AuditFindingsWriter::station(std::span<AuditFinding> findings) {
    write(findings);
}

void AuditFindingsWriter::write(std::span<const AuditFinding> findings) {
    m_file->file->write(findings);
}

void AuditFindingsWriter::finish() {
    m_file->file->finish();
}

void write_audit_findings(const AuditReport& report, const std::filesystem::path& path,
                          const std::string& driver_name) {
    AuditFindingsWriter writer(path, driver_name);
    writer.write(report.findings);
    writer.finish();
}

std::vector<std::string> failed_stations(const std::filesystem::path& registry, const std::string& round) {
    AuditRequest request;
    request.registry = registry;
    request.round = round;
    const AuditReport report = audit_registry(request);
    std::set<std::string> failed;
    for (const AuditFinding& f : report.findings)
        if (is_failure(f.cls))
            failed.insert(f.station_id);
    return {failed.begin(), failed.end()};
}

} // namespace fuelmap
