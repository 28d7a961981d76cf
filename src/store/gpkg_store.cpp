// SPDX-License-Identifier: MIT
// The GeoPackage registry behind RegistryStore: fuelmap's own records (plans, observations, lab
// results) in attribute tables of the file, each written in one SQLite transaction together with
// its ledger entries.
#include "store/registry_store.hpp"

#include <fuelmap/error.hpp>

#include "store/layout_cache.hpp"
#include "store/ledger_db.hpp"
#include "store/pg_name.hpp"
#include "store/qgis_tables.hpp"
#include "store/registry_check.hpp"
#include "store/registry_db.hpp"
#include "store/registry_read.hpp"
#include "store/registry_writer.hpp"
#include "store/sql_rows.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

namespace fuelmap::detail {

namespace {

constexpr const char* plans_table = "fuelmap_plans";
constexpr const char* plan_columns =
    "fid INTEGER PRIMARY KEY AUTOINCREMENT, round TEXT NOT NULL UNIQUE, "
    "digest TEXT NOT NULL, seed_commitment TEXT NOT NULL, "
    "plan TEXT NOT NULL, recorded_at TEXT NOT NULL, ledger_seq INTEGER NOT NULL";

constexpr const char* observations_table = "fuelmap_observations";
constexpr const char* observation_columns =
    "fid INTEGER PRIMARY KEY AUTOINCREMENT, station_id TEXT NOT NULL, nozzle_no TEXT NOT NULL, "
    "observed_tanks TEXT NOT NULL, method TEXT NOT NULL, inspectors TEXT NOT NULL, observed_at TEXT NOT "
    "NULL, "
    "source TEXT, ledger_seq INTEGER NOT NULL, "
    "UNIQUE (station_id, nozzle_no, observed_at, method)";

constexpr const char* lab_results_table = "fuelmap_lab_results";
constexpr const char* lab_result_columns =
    "fid INTEGER PRIMARY KEY AUTOINCREMENT, sample_id TEXT NOT NULL, station_id TEXT NOT NULL, "
    "source TEXT NOT NULL, element_no TEXT NOT NULL, depth TEXT NOT NULL, property TEXT NOT NULL, "
    "value REAL NOT NULL, unit TEXT NOT NULL, method TEXT NOT NULL, lab TEXT NOT NULL, imported_from TEXT, "
    "ledger_seq INTEGER NOT NULL, UNIQUE (sample_id, property, method, lab)";

// Writes @p records into @p table (created and registered when missing) with one ledger entry of
// @p kind each, inside the caller's transaction: @p bind binds a record and its ledger seq to
// @p insert_sql; the entry then seals the row as stored (docs/ledger.md).
template <class Record, class Bind>
void write_with_ledger(RegistryDb& rdb, LedgerAppender& ledger, const char* table, const char* columns,
                       const char* description, const char* insert_sql, const char* kind,
                       std::span<const Record> records, const Bind& bind) {
    rdb.ensure_attribute_table(table, columns, description);
    SQLite::Statement ins(rdb.db(), insert_sql);
    for (const Record& r : records) {
        ins.reset();
        bind(ins, r, ledger.next_seq());
        ins.exec();
        ledger.append_record(kind, r.record_id, rdb.db().getLastInsertRowid());
    }
}

// write_with_ledger() in a transaction of its own.
template <class Record, class Bind>
void record_with_ledger(const std::filesystem::path& path, const char* table, const char* columns,
                        const char* description, const char* insert_sql, const char* kind,
                        std::span<const Record> records, const Bind& bind) {
    RegistryDb rdb(path, true);
    SQLite::Transaction tx(rdb.db());
    LedgerAppender ledger(rdb);
    write_with_ledger(rdb, ledger, table, columns, description, insert_sql, kind, records, bind);
    ledger.finish();
    tx.commit();
}

constexpr const char* cases_table = "fuelmap_cases";
constexpr const char* case_columns =
    "fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL UNIQUE, round TEXT NOT NULL, "
    "station_id TEXT NOT NULL, grade TEXT NOT NULL, sample_ids TEXT NOT NULL, findings TEXT NOT NULL, "
    "evidence TEXT NOT NULL, objection_days INTEGER NOT NULL, opened_on TEXT NOT NULL, "
    "opened_by TEXT NOT NULL, document TEXT NOT NULL, ledger_seq INTEGER NOT NULL";

constexpr const char* case_steps_table = "fuelmap_case_steps";
constexpr const char* case_step_columns =
    "fid INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, step_no INTEGER NOT NULL, "
    "step TEXT NOT NULL, date TEXT NOT NULL, actor TEXT NOT NULL, document TEXT NOT NULL, "
    "outcome TEXT NOT NULL, deadline TEXT NOT NULL, detail TEXT NOT NULL, ledger_seq INTEGER NOT NULL, "
    "UNIQUE (case_id, step_no)";

class GpkgStore final : public RegistryStore {
public:
    explicit GpkgStore(std::filesystem::path path) : m_path(std::move(path)), m_name(m_path.string()) {}

    const std::string& name() const noexcept override { return m_name; }

    bool exists() override {
        std::error_code ec;
        return std::filesystem::exists(m_path, ec);
    }

    std::string gdal_dataset() override {
        check_registry(m_path);
        return m_name;
    }

    void create(const Registry& registry) override { create_gpkg_registry(m_path, registry); }

    void create_moved(const Registry& registry, std::span<const LedgerEntry> ledger) override {
        if (!ledger.empty())
            throw InputError({.file = m_name},
                             "records and their ledger are moved into a PostgreSQL "
                             "registry only; a GeoPackage registry moves as its file (copy it)");
        create(registry);
    }

    void append(std::span<const Site> sites, const GradeTable& grades) override {
        append_to_gpkg_registry(m_path, sites, grades);
    }

    Registry read(const ReadOptions& options) override {
        return read_registry(m_path, options, Threading::automatic);
    }

    GradeTable read_grades() override { return read_registry_grades(m_path); }

    std::unique_ptr<FrameSource> open_frame(bool use_layout_cache, bool station_details) override {
        return open_gpkg_frame_source(m_path, use_layout_cache, station_details);
    }

    void record_plan(const PlanRecord& plan, const std::function<void()>& before_commit) override {
        RegistryDb rdb(m_path, true);
        try {
            SQLite::Transaction tx(rdb.db());
            // Stations edited since the last write are brought up to date in the layout cache, so
            // that later digests (verify) need not recompute them.
            refresh_layout_cache(rdb.db());
            rdb.ensure_attribute_table(plans_table, plan_columns, "fuelmap sampling plans, one per round");
            {
                SQLite::Statement q(rdb.db(), "SELECT digest FROM fuelmap_plans WHERE round = ?");
                q.bind(1, plan.round);
                if (q.executeStep())
                    throw InputError(
                        {.file = m_name, .layer = plans_table, .feature = plan.round, .field = "round"},
                        "a plan for round '" + plan.round + "' is already recorded (digest " +
                            q.getColumn(0).getString() + ")");
            }
            // The ledger knows every round ever recorded, even when its row was deleted since.
            if (const auto seq = ledger_seq_of(rdb.db(), "plan", plan.round))
                throw InputError(
                    {.file = m_name, .layer = "fuelmap_ledger", .feature = plan.round, .field = "round"},
                    "round '" + plan.round + "' was recorded before (ledger entry " + std::to_string(*seq) +
                        "); a round is never drawn again");
            LedgerAppender ledger(rdb);
            SQLite::Statement ins(
                rdb.db(), "INSERT INTO fuelmap_plans (round, digest, seed_commitment, plan, recorded_at, "
                          "ledger_seq) VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?)");
            ins.bind(1, plan.round);
            ins.bind(2, plan.digest);
            ins.bind(3, plan.seed_commitment);
            ins.bindNoCopy(4, plan.json); // megabytes: SQLite need not copy it first
            ins.bind(5, ledger.next_seq());
            ins.exec();
            ledger.append_record("plan", plan.round, rdb.db().getLastInsertRowid());
            ledger.finish();
            if (before_commit)
                before_commit();
            tx.commit();
        } catch (const SQLite::Exception& e) {
            throw InputError({.file = m_name, .layer = plans_table},
                             std::string("cannot record the plan: ") + e.what());
        }
    }

    std::vector<PlanRecord> recorded_plans() override {
        RegistryDb rdb(m_path, false);
        std::vector<PlanRecord> plans;
        if (!rdb.has_table(plans_table))
            return plans;
        SQLite::Statement q(rdb.db(),
                            "SELECT round, digest, seed_commitment, plan FROM fuelmap_plans ORDER BY fid");
        while (q.executeStep())
            plans.push_back({.round = q.getColumn(0).getString(),
                             .digest = q.getColumn(1).getString(),
                             .seed_commitment = q.getColumn(2).getString(),
                             .json = q.getColumn(3).getString()});
        return plans;
    }

    void record_observations(std::span<const ObservationRecord> observations) override {
        record_with_ledger(m_path, observations_table, observation_columns,
                           "fuelmap on-site observations of nozzle-to-tank links",
                           "INSERT INTO fuelmap_observations (station_id, nozzle_no, observed_tanks, "
                           "method, inspectors, observed_at, source, ledger_seq) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           "observation", observations,
                           [](SQLite::Statement& ins, const ObservationRecord& o, std::int64_t seq) {
                               ins.bind(1, o.station_id);
                               ins.bind(2, o.nozzle_no);
                               ins.bind(3, o.observed_tanks);
                               ins.bind(4, o.method);
                               ins.bind(5, o.inspectors);
                               ins.bind(6, o.observed_at);
                               ins.bind(7, o.source);
                               ins.bind(8, seq);
                           });
    }

    bool for_each_observation(const std::function<void(std::size_t)>& reserve,
                              const std::function<void(const ObservationRow&)>& row) override {
        // One unmutexed connection read with the C API: a registry records millions of these.
        SQLite::Database db = open_registry(m_path, OpenMode::bulk_read);
        if (!db.tableExists(observations_table))
            return false;
        std::int64_t count = 0;
        {
            SqlRows q(db, "SELECT count(*) FROM fuelmap_observations");
            if (q.next())
                count = std::max<std::int64_t>(0, q.int64(0));
        }
        reserve(static_cast<std::size_t>(count));
        SqlRows q(db, "SELECT fid, station_id, nozzle_no, observed_tanks, method, inspectors, "
                      "observed_at FROM fuelmap_observations ORDER BY fid");
        ObservationRow r;
        while (q.next()) {
            r.fid = q.int64(0);
            r.station_id = q.view(1);
            r.nozzle_no = q.view(2);
            r.observed_tanks = q.view(3);
            r.method = q.view(4);
            r.inspectors = q.view(5);
            r.observed_at = q.view(6);
            row(r);
        }
        return true;
    }

    void record_lab_results(std::span<const LabResultRecord> results) override {
        record_with_ledger(
            m_path, lab_results_table, lab_result_columns, "fuelmap laboratory results of plan samples",
            "INSERT INTO fuelmap_lab_results (sample_id, station_id, source, element_no, "
            "depth, property, value, unit, method, lab, imported_from, ledger_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "lab_result", results, [](SQLite::Statement& ins, const LabResultRecord& r, std::int64_t seq) {
                ins.bind(1, r.sample_id);
                ins.bind(2, r.station_id);
                ins.bind(3, r.source);
                ins.bind(4, r.element_no);
                ins.bind(5, r.depth);
                ins.bind(6, r.property);
                ins.bind(7, r.value);
                ins.bind(8, r.unit);
                ins.bind(9, r.method);
                ins.bind(10, r.lab);
                ins.bind(11, r.imported_from);
                ins.bind(12, seq);
            });
    }

    std::vector<LabResultRecord> recorded_lab_results() override {
        RegistryDb rdb(m_path, false);
        std::vector<LabResultRecord> out;
        if (!rdb.has_table(lab_results_table))
            return out;
        SQLite::Statement q(rdb.db(),
                            "SELECT fid, sample_id, station_id, source, element_no, depth, property, value, "
                            "unit, method, lab FROM fuelmap_lab_results ORDER BY fid");
        while (q.executeStep()) {
            LabResultRecord& r = out.emplace_back();
            r.fid = q.getColumn(0).getInt64();
            r.sample_id = q.getColumn(1).getString();
            r.station_id = q.getColumn(2).getString();
            r.source = q.getColumn(3).getString();
            r.element_no = q.getColumn(4).getString();
            r.depth = q.getColumn(5).getString();
            r.property = q.getColumn(6).getString();
            r.value = q.getColumn(7).getDouble();
            r.unit = q.getColumn(8).getString();
            r.method = q.getColumn(9).getString();
            r.lab = q.getColumn(10).getString();
        }
        return out;
    }

    void write_qgis_styles() override { detail::write_qgis_styles(m_path, m_path.filename().string()); }

    void record_cases(std::span<const CaseRecord> cases, std::span<const CaseStepRecord> steps) override {
        RegistryDb rdb(m_path, true);
        try {
            SQLite::Transaction tx(rdb.db());
            LedgerAppender ledger(rdb);
            write_with_ledger(
                rdb, ledger, cases_table, case_columns, "fuelmap follow-up cases, one per failed batch",
                "INSERT INTO fuelmap_cases (case_id, round, station_id, grade, sample_ids, findings, "
                "evidence, "
                "objection_days, opened_on, opened_by, document, ledger_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "case", cases, [](SQLite::Statement& ins, const CaseRecord& c, std::int64_t seq) {
                    ins.bind(1, c.case_id);
                    ins.bind(2, c.round);
                    ins.bind(3, c.station_id);
                    ins.bind(4, c.grade);
                    ins.bind(5, c.sample_ids);
                    ins.bind(6, c.findings);
                    ins.bind(7, c.evidence);
                    ins.bind(8, c.objection_days);
                    ins.bind(9, c.opened_on);
                    ins.bind(10, c.opened_by);
                    ins.bind(11, c.document);
                    ins.bind(12, seq);
                });
            write_with_ledger(
                rdb, ledger, case_steps_table, case_step_columns, "fuelmap steps of follow-up cases",
                "INSERT INTO fuelmap_case_steps (case_id, step_no, step, date, actor, document, "
                "outcome, deadline, detail, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "case_step", steps, [](SQLite::Statement& ins, const CaseStepRecord& s, std::int64_t seq) {
                    ins.bind(1, s.case_id);
                    ins.bind(2, s.step_no);
                    ins.bind(3, s.step);
                    ins.bind(4, s.date);
                    ins.bind(5, s.actor);
                    ins.bind(6, s.document);
                    ins.bind(7, s.outcome);
                    ins.bind(8, s.deadline);
                    ins.bind(9, s.detail);
                    ins.bind(10, seq);
                });
            ledger.finish();
            tx.commit();
        } catch (const SQLite::Exception& e) {
            throw InputError({.file = m_name, .layer = cases.empty() ? case_steps_table : cases_table},
                             std::string("cannot record the case: ") + e.what());
        }
    }

    std::vector<CaseRecord> recorded_cases() override {
        RegistryDb rdb(m_path, false);
        std::vector<CaseRecord> out;
        if (!rdb.has_table(cases_table))
            return out;
        SQLite::Statement q(rdb.db(), "SELECT fid, case_id, round, station_id, grade, sample_ids, findings, "
                                      "evidence, objection_days, opened_on, opened_by, document "
                                      "FROM fuelmap_cases ORDER BY fid");
        while (q.executeStep()) {
            CaseRecord& c = out.emplace_back();
            c.fid = q.getColumn(0).getInt64();
            c.case_id = q.getColumn(1).getString();
            c.round = q.getColumn(2).getString();
            c.station_id = q.getColumn(3).getString();
            c.grade = q.getColumn(4).getString();
            c.sample_ids = q.getColumn(5).getString();
            c.findings = q.getColumn(6).getString();
            c.evidence = q.getColumn(7).getString();
            c.objection_days = q.getColumn(8).getInt64();
            c.opened_on = q.getColumn(9).getString();
            c.opened_by = q.getColumn(10).getString();
            c.document = q.getColumn(11).getString();
        }
        return out;
    }

    std::vector<CaseStepRecord> recorded_case_steps() override {
        RegistryDb rdb(m_path, false);
        std::vector<CaseStepRecord> out;
        if (!rdb.has_table(case_steps_table))
            return out;
        SQLite::Statement q(rdb.db(), "SELECT fid, case_id, step_no, step, date, actor, document, outcome, "
                                      "deadline, detail FROM fuelmap_case_steps ORDER BY fid");
        while (q.executeStep()) {
            CaseStepRecord& s = out.emplace_back();
            s.fid = q.getColumn(0).getInt64();
            s.case_id = q.getColumn(1).getString();
            s.step_no = q.getColumn(2).getInt64();
            s.step = q.getColumn(3).getString();
            s.date = q.getColumn(4).getString();
            s.actor = q.getColumn(5).getString();
            s.document = q.getColumn(6).getString();
            s.outcome = q.getColumn(7).getString();
            s.deadline = q.getColumn(8).getString();
            s.detail = q.getColumn(9).getString();
        }
        return out;
    }

    std::vector<LedgerEntry> ledger() override { return read_gpkg_ledger(m_path); }

    LedgerCheck check_ledger() override { return verify_gpkg_ledger(m_path); }

private:
    std::filesystem::path m_path;
    std::string m_name;
};

} // namespace

std::unique_ptr<RegistryStore> open_gpkg_store(const std::filesystem::path& path) {
    return std::make_unique<GpkgStore>(path);
}

std::unique_ptr<RegistryStore> open_store(const std::filesystem::path& registry) {
    if (is_pg_registry(registry.string()))
        return open_pg_store(registry.string());
    return open_gpkg_store(registry);
}

} // namespace fuelmap::detail
