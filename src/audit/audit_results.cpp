// SPDX-License-Identifier: MIT
// The audit of a registry file: gathering evidence, exporting findings, failed stations.
#include <fuelmap/audit_results.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "audit/audit_views.hpp"
#include "audit/observation_table.hpp"
#include "gis/gdal_util.hpp"
#include "gis/staged_dataset.hpp"
#include "util/csv_cell.hpp"

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
    std::filesystem::path path;
    std::unique_ptr<detail::StagedDataset> staged; // put in place by finish(), whole
    GDALDatasetUniquePtr dataset;
    OGRLayer* layer = nullptr;
    bool transaction = false;
    bool csv = false; // text cells neutralised for spreadsheets
};

AuditFindingsWriter::AuditFindingsWriter(const std::filesystem::path& path, const std::string& driver_name)
    : m_file(std::make_unique<File>()) {
    detail::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (!driver || !driver->GetMetadataItem(GDAL_DCAP_VECTOR) || !driver->GetMetadataItem(GDAL_DCAP_CREATE))
        throw Error("GDAL driver '" + driver_name + "' cannot create vector files");
    m_file->path = path;
    m_file->csv = std::string(driver->GetDescription()) == "CSV";
    m_file->staged = std::make_unique<detail::StagedDataset>(path);
    const bool zipped = driver_name == "XLSX" || driver_name == "ODS"; // written through /vsizip/
    const std::string create_path = zipped ? m_file->staged->plain_path() : m_file->staged->gdal_path();
    m_file->dataset.reset(driver->Create(create_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_file->dataset)
        throw Error(path.string() + ": cannot create: " + detail::last_gdal_error());
    auto wgs84 = detail::make_wgs84();
    OGRLayer* layer = m_file->dataset->CreateLayer("audit_findings", wgs84.get(), wkbPoint, nullptr);
    if (!layer)
        throw Error(path.string() + ": cannot create layer audit_findings: " + detail::last_gdal_error());
    const std::pair<const char*, OGRFieldType> fields[] = {
        {"station_id", OFTString}, {"element", OFTString}, {"element_no", OFTString},
        {"grade", OFTString},      {"class", OFTString},   {"critical", OFTInteger},
        {"message", OFTString},    {"evidence", OFTString}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn defn(name, type);
        if (layer->CreateField(&defn) != OGRERR_NONE)
            throw Error(path.string() + ": cannot create field " + name + ": " + detail::last_gdal_error());
    }
    m_file->layer = layer;
    m_file->transaction = m_file->dataset->TestCapability(ODsCTransactions) &&
                          m_file->dataset->StartTransaction() == OGRERR_NONE;
}

AuditFindingsWriter::~AuditFindingsWriter() {
    if (m_file)
        m_file->dataset.reset(); // then the staged file is removed: an earlier file is left as it was
}

void AuditFindingsWriter::begin(std::size_t, std::size_t) {}

void AuditFindingsWriter::station(std::span<AuditFinding> findings) {
    write(findings);
}

void AuditFindingsWriter::write(std::span<const AuditFinding> findings) {
    if (!m_file->dataset)
        throw Error(m_file->path.string() + ": the findings file is already closed");
    OGRLayer* layer = m_file->layer;
    const bool csv = m_file->csv;
    auto text = [csv](OGRFeature& feature, const char* field, const std::string& value) {
        feature.SetField(field, csv ? detail::neutralise_csv_text(value).c_str() : value.c_str());
    };
    std::string evidence;
    for (const AuditFinding& f : findings) {
        OGRFeature feature(layer->GetLayerDefn());
        text(feature, "station_id", f.station_id);
        text(feature, "element", f.element_kind);
        text(feature, "element_no", f.element_no);
        text(feature, "grade", f.grade);
        text(feature, "class", std::string(to_string(f.cls)));
        feature.SetField("critical", is_critical(f.cls) ? 1 : 0);
        text(feature, "message", f.message);
        evidence.clear();
        for (const std::string& e : f.evidence)
            evidence.append(evidence.empty() ? "" : " | ").append(e);
        text(feature, "evidence", evidence);
        if (f.position)
            feature.SetGeometryDirectly(new OGRPoint(f.position->lon, f.position->lat));
        if (layer->CreateFeature(&feature) != OGRERR_NONE)
            throw Error(m_file->path.string() + ": cannot write a finding: " + detail::last_gdal_error());
    }
}

void AuditFindingsWriter::finish() {
    if (!m_file->dataset)
        return;
    const std::string path = m_file->path.string();
    if (m_file->transaction && m_file->dataset->CommitTransaction() != OGRERR_NONE)
        throw Error(path + ": cannot commit: " + detail::last_gdal_error());
    CPLErrorReset();
    m_file->dataset.reset();
    if (CPLGetLastErrorType() == CE_Failure) {
        m_file->staged->check(); // a full disk says so
        throw Error(path + ": cannot write: " + detail::last_gdal_error());
    }
    m_file->staged->commit();
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
