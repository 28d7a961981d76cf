// SPDX-License-Identifier: MIT
/// @file registry_store.hpp
/// @brief Private: the seam between fuelmap and the database that holds a registry
/// (docs/registry.md, "Backends"). Sampling, audit, verify, stats and the commands read and write a
/// registry only through RegistryStore; the GeoPackage file is its one implementation today, and a
/// shared PostgreSQL/PostGIS registry implements the same interface. No database type shows here.
#pragma once

#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/frame_source.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// A plan as recorded: its round and its canonical JSON text (what the ledger entry commits to).
struct PlanRecord {
    std::string round;           ///< the round, recorded once
    std::string digest;          ///< the plan's digest
    std::string seed_commitment; ///< the commitment to its seed
    std::string json;            ///< the plan file's text
};

/// An observation as stored (every list already joined: tanks with '+', inspectors with ';').
struct ObservationRecord {
    std::string station_id, nozzle_no, observed_tanks, method, inspectors, observed_at;
    std::string source;    ///< where it was read from (file, layer, feature), for the record
    std::string record_id; ///< the ledger entry's record id (the entry seals the stored row)
};

/// One stored observation row as read: views valid during the call that hands it over.
struct ObservationRow {
    std::int64_t fid = 0; ///< its row id (for messages)
    std::string_view station_id, nozzle_no, observed_tanks, method, inspectors, observed_at;
};

/// A lab result as stored.
struct LabResultRecord {
    std::int64_t fid = 0; ///< its row id, when read
    std::string sample_id, station_id, source, element_no, depth, property;
    double value = 0;
    std::string unit, method, lab;
    std::string imported_from; ///< where it was read from, for the record
    std::string record_id;     ///< the ledger entry's record id (when written; the entry seals the row)
};

/// A follow-up case as stored (docs/cases.md): one failed batch of a round. Lists are joined with ';'.
struct CaseRecord {
    std::int64_t fid = 0; ///< its row id, when read
    std::string case_id;  ///< "ROUND/STATION/GRADE"
    std::string round, station_id, grade;
    std::string sample_ids;          ///< the batch's sample ids, ';'-joined
    std::string findings;            ///< the failing finding classes, ';'-joined
    std::string evidence;            ///< the findings' messages, one per line
    std::int64_t objection_days = 0; ///< the objection window, days from delivery
    std::string opened_on, opened_by, document;
    std::string record_id; ///< the ledger entry's record id (when written)
};

/// One step of a follow-up case as stored.
struct CaseStepRecord {
    std::int64_t fid = 0;     ///< its row id, when read
    std::string case_id;      ///< the case
    std::int64_t step_no = 0; ///< 1, 2, 3 … within the case
    std::string step, date, actor, document, outcome, deadline, detail;
    std::string record_id; ///< the ledger entry's record id (when written)
};

/// One registry, whatever holds it. Every method names the registry in its errors.
class RegistryStore {
public:
    virtual ~RegistryStore() = default;

    /// The registry as given to -r (a file path, or a connection string), for messages.
    [[nodiscard]] virtual const std::string& name() const noexcept = 0;

    /// True when the registry exists (a file at the path; a database holding a registry's tables).
    [[nodiscard]] virtual bool exists() = 0;
    /// Creates the registry, which must not exist yet, holding @p registry, all or nothing.
    /// @throws Error when it cannot be written.
    virtual void create(const Registry& registry) = 0;
    /// Creates the registry like create() and moves into it, in the same transaction, the records
    /// and ledger of another registry: @p ledger, a whole ledger that verified there, copied verbatim
    /// with the record rows its entries seal (docs/registry.md, "Moving a registry in").
    /// @throws InputError when this backend cannot hold moved records, or as create().
    virtual void create_moved(const Registry& registry, std::span<const LedgerEntry> ledger) = 0;
    /// Appends @p sites and the grades of @p grades not yet stored, all or nothing.
    /// @throws InputError when a station id is already in the registry.
    virtual void append(std::span<const Site> sites, const GradeTable& grades) = 0;

    /// Checks that the registry can be opened and returns the name GDAL's drivers open it by (the
    /// file's path; `PG:` and the connection for a database), for import and export through GDAL.
    /// @throws InputError as read_registry() when it is no registry.
    [[nodiscard]] virtual std::string gdal_dataset() = 0;

    /// Reads stations, layouts and grades. @throws InputError as read_registry().
    [[nodiscard]] virtual Registry read(const ReadOptions& options) = 0;
    /// The grade table (built-in grades with the stored ones). @throws InputError.
    [[nodiscard]] virtual GradeTable read_grades() = 0;
    /// The registry opened for a draw or a verification (frame digest, drawn layouts). Without
    /// @p station_details its stations may leave out their name, operator, brand, address and
    /// attributes (a design that reads none of them); FrameSource::station_rows() has them all.
    [[nodiscard]] virtual std::unique_ptr<FrameSource> open_frame(bool use_layout_cache,
                                                                  bool station_details) = 0;

    /// Records a plan with its ledger entry, in one transaction; @p before_commit (when given) runs
    /// in it once everything is written, and what it throws leaves nothing recorded.
    /// @throws InputError when a plan of the round is already recorded, or the registry cannot be
    /// written; what @p before_commit throws.
    virtual void record_plan(const PlanRecord& plan, const std::function<void()>& before_commit) = 0;
    /// The recorded plans (round and JSON text), in recording order.
    [[nodiscard]] virtual std::vector<PlanRecord> recorded_plans() = 0;

    /// Records observations with their ledger entries, all or none.
    virtual void record_observations(std::span<const ObservationRecord> observations) = 0;
    /// Hands every recorded observation to @p row in recording order, after @p reserve with their
    /// number; false when none was ever recorded. @throws what @p row throws.
    virtual bool for_each_observation(const std::function<void(std::size_t)>& reserve,
                                      const std::function<void(const ObservationRow&)>& row) = 0;

    /// Records lab results with their ledger entries, all or none.
    virtual void record_lab_results(std::span<const LabResultRecord> results) = 0;
    /// The recorded lab results, in recording order.
    [[nodiscard]] virtual std::vector<LabResultRecord> recorded_lab_results() = 0;

    /// (Re)writes the QGIS default layer styles and project (docs/qgis.md) for the registry's
    /// current grades and stations, in one transaction. @throws InputError when the registry cannot
    /// be opened; Error when it cannot be written.
    virtual void write_qgis_styles() = 0;

    /// Records follow-up cases and their steps with their ledger entries, in one transaction: all
    /// or none. @throws InputError when a case or step is already recorded.
    virtual void record_cases(std::span<const CaseRecord> cases, std::span<const CaseStepRecord> steps) = 0;
    /// The recorded cases, in recording order.
    [[nodiscard]] virtual std::vector<CaseRecord> recorded_cases() = 0;
    /// The recorded case steps, in recording order.
    [[nodiscard]] virtual std::vector<CaseStepRecord> recorded_case_steps() = 0;
    /// The ledger's entries in seq order (read_ledger()). @throws InputError.
    [[nodiscard]] virtual std::vector<LedgerEntry> ledger() = 0;
    /// The ledger checked in one snapshot (verify_ledger()). @throws InputError.
    [[nodiscard]] virtual LedgerCheck check_ledger() = 0;
};

/// The store behind a -r argument: the one place the backend is chosen. A PostgreSQL connection
/// (`PG:…`, `postgresql://…`, see pg_connection.hpp) is a PostGIS registry, anything else a
/// GeoPackage file; the registry is opened and checked by each operation.
[[nodiscard]] std::unique_ptr<RegistryStore> open_store(const std::filesystem::path& registry);

/// The GeoPackage file @p path as a store.
[[nodiscard]] std::unique_ptr<RegistryStore> open_gpkg_store(const std::filesystem::path& path);

/// The PostgreSQL/PostGIS registry named @p registry (an is_pg_registry() name) as a store; it
/// connects when first used. @throws nothing.
[[nodiscard]] std::unique_ptr<RegistryStore> open_pg_store(const std::string& registry);

} // namespace fuelmap::detail
