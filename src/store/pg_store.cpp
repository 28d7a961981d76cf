// SPDX-License-Identifier: MIT
// The PostgreSQL/PostGIS registry behind RegistryStore (docs/registry.md, "PostgreSQL/PostGIS").
// Many processes write one database at once: every record write (plan, observations, lab results)
// takes one transaction-level advisory lock, so the ledger's appends are serialized by the
// database and each record is written with its ledger entries, all or nothing; writes of the
// stations' layers (create, append) take another. Reads run in REPEATABLE READ transactions: one
// snapshot, whoever commits meanwhile.
#include "store/registry_store.hpp"

#include <fuelmap/error.hpp>

#include "store/ledger_records.hpp"
#include "store/pg_connection.hpp"
#include "store/pg_copy.hpp"
#include "store/pg_frame.hpp"
#include "store/pg_move.hpp"
#include "store/pg_qgis_tables.hpp"
#include "store/pg_records.hpp"
#include "store/pg_registry.hpp"
#include "store/pg_roles.hpp"

#include <charconv>
#include <set>

namespace fuelmap::detail {

namespace {

// pg_advisory_xact_lock keys: "fuelmap" + 'L' (the ledger and its records), + 'R' (the layers).
constexpr std::int64_t ledger_lock_key = 0x6675656C6D61704C;
constexpr std::int64_t layers_lock_key = 0x6675656C6D617052;

const std::string zero_hash(64, '0');

// fuelmap's own tables, as in the GeoPackage (gpkg_store.cpp, ledger.cpp).
const char* const record_schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS fuelmap_ledger (seq bigint PRIMARY KEY, kind text NOT NULL, "
    "record_id text NOT NULL, payload text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL, "
    "recorded_at text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS fuelmap_ledger_record ON fuelmap_ledger(kind, record_id)",
    "CREATE TABLE IF NOT EXISTS fuelmap_plans (fid bigserial PRIMARY KEY, "
    "round text COLLATE \"C\" NOT NULL UNIQUE, digest text NOT NULL, seed_commitment text NOT NULL, "
    "plan text NOT NULL, recorded_at text NOT NULL, ledger_seq bigint NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fuelmap_observations (fid bigserial PRIMARY KEY, "
    "station_id text COLLATE \"C\" NOT NULL, nozzle_no text COLLATE \"C\" NOT NULL, "
    "observed_tanks text NOT NULL, method text NOT NULL, inspectors text NOT NULL, "
    "observed_at text NOT NULL, source text, ledger_seq bigint NOT NULL, "
    "UNIQUE (station_id, nozzle_no, observed_at, method))",
    "CREATE TABLE IF NOT EXISTS fuelmap_lab_results (fid bigserial PRIMARY KEY, "
    "sample_id text NOT NULL, station_id text COLLATE \"C\" NOT NULL, source text NOT NULL, "
    "element_no text NOT NULL, depth text NOT NULL, property text NOT NULL, "
    "value double precision NOT NULL, unit text NOT NULL, method text NOT NULL, lab text NOT NULL, "
    "imported_from text, ledger_seq bigint NOT NULL, UNIQUE (sample_id, property, method, lab))",
    "CREATE TABLE IF NOT EXISTS fuelmap_cases (fid bigserial PRIMARY KEY, "
    "case_id text COLLATE \"C\" NOT NULL UNIQUE, round text NOT NULL, station_id text COLLATE \"C\" NOT "
    "NULL, "
    "grade text NOT NULL, sample_ids text NOT NULL, findings text NOT NULL, evidence text NOT NULL, "
    "objection_days bigint NOT NULL, opened_on text NOT NULL, opened_by text NOT NULL, document text NOT "
    "NULL, "
    "ledger_seq bigint NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fuelmap_case_steps (fid bigserial PRIMARY KEY, "
    "case_id text COLLATE \"C\" NOT NULL, step_no bigint NOT NULL, step text NOT NULL, date text NOT NULL, "
    "actor text NOT NULL, document text NOT NULL, outcome text NOT NULL, deadline text NOT NULL, "
    "detail text NOT NULL, ledger_seq bigint NOT NULL, UNIQUE (case_id, step_no))",
};

constexpr const char* plans_table = "fuelmap_plans";

// Creates fuelmap's own tables when one is missing. Only then: CREATE TABLE IF NOT EXISTS needs the
// right to create in the schema even when the table exists, which a role granted as an inspector,
// a lab or the bureau has not (docs/registry.md, "Roles").
void ensure_record_tables(pqxx::transaction_base& tx) {
    if (!tx.exec1("SELECT to_regclass('fuelmap_ledger') IS NULL OR to_regclass('fuelmap_plans') IS NULL OR "
                  "to_regclass('fuelmap_observations') IS NULL OR to_regclass('fuelmap_lab_results') IS NULL "
                  "OR to_regclass('fuelmap_cases') IS NULL OR to_regclass('fuelmap_case_steps') IS NULL")[0]
             .as<bool>())
        return;
    for (const char* sql : record_schema_sql)
        tx.exec0(sql);
}

// Appends ledger entries inside a record write (see the file comment): takes the ledger lock
// first, so the head read next is the one the last committed writer left. finish() writes the
// entries with COPY.
class PgLedger {
public:
    PgLedger(pqxx::transaction_base& tx, const std::string& name) : m_tx(tx) {
        m_tx.exec_params("SELECT pg_advisory_xact_lock($1)", ledger_lock_key);
        ensure_record_tables(m_tx);
        const pqxx::result last = m_tx.exec("SELECT seq, hash FROM fuelmap_ledger ORDER BY seq DESC LIMIT 1");
        if (!last.empty()) {
            m_seq = pg_int64(last[0][0]);
            m_head = std::string(pg_text(last[0][1]));
            const pqxx::result version =
                m_tx.exec("SELECT value FROM fuelmap_meta WHERE key = 'ledger_version'");
            if (version.empty() || pg_text(version[0][0]) != ledger_format_version)
                throw InputError({.file = name, .layer = "fuelmap_ledger"}, old_ledger_format_message(name));
        }
    }

    [[nodiscard]] std::int64_t next_seq() const noexcept { return m_seq + 1; }

    // Seals the record row just written, given as its payload columns' values.
    void append(const std::string& kind, const std::string& record_id, const RecordRow& row) {
        m_pending.push_back(seal_entry(m_seq + 1, kind, record_id, record_text(row), m_head));
        m_seq = m_pending.back().seq;
        m_head = m_pending.back().hash;
    }

    // Writes the entries and the new head into fuelmap_meta.
    void finish() {
        pg_write_ledger(m_tx, m_pending, m_seq, m_head);
        m_pending.clear();
    }

private:
    pqxx::transaction_base& m_tx;
    std::int64_t m_seq = 0;
    std::string m_head = zero_hash;
    std::vector<LedgerEntry> m_pending;
};

// Writes @p records of @p kind with COPY, each with its ledger entry. @p values sets a record's
// payload columns between fid and ledger_seq, in the table's column order; the fids are taken from
// the table's sequence first, so each entry seals exactly the row written.
template <std::size_t N, class Record, class Values>
void write_records(pqxx::transaction_base& tx, PgLedger& ledger, const std::string& kind,
                   std::span<const Record> records, const Values& values) {
    const RecordTable& t = *record_table(kind);
    if (t.columns.size() != N || t.columns.front() != "fid" || t.columns.back() != "ledger_seq")
        throw Error("internal error: the record table of '" + kind + "' does not have " + std::to_string(N) +
                    " columns from fid to ledger_seq");
    const std::string table(t.table);
    const pqxx::result fids =
        tx.exec_params("SELECT nextval(pg_get_serial_sequence($1, 'fid')) FROM generate_series(1, $2)", table,
                       static_cast<std::int64_t>(records.size()));
    Copy<N> copy(tx, table, std::vector<std::string>(t.columns.begin(), t.columns.end()));
    CopyLine line;
    for (std::size_t i = 0; i < records.size(); ++i) {
        RecordRow row = RecordRow::object();
        row["fid"] = pg_int64(fids[static_cast<pqxx::result::size_type>(i)][0]);
        values(row, records[i]);
        row["ledger_seq"] = ledger.next_seq();
        for (const auto& [column, v] : row.items()) {
            if (v.is_null())
                line.null();
            else if (v.is_number_integer())
                line.integer(v.template get<std::int64_t>());
            else if (v.is_number())
                line.real(v.template get<double>());
            else
                line.text(v.template get_ref<const std::string&>());
        }
        copy.write(line);
        ledger.append(kind, records[i].record_id, row);
    }
    copy.complete();
}

using Snapshot = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>;

class PgStore final : public RegistryStore {
public:
    explicit PgStore(std::string name) : m_name(std::move(name)) {}

    const std::string& name() const noexcept override { return m_name; }

    bool exists() override {
        return guarded("cannot read the registry", [&] {
            Snapshot tx(conn());
            return pg_has_registry(tx);
        });
    }

    std::string gdal_dataset() override {
        guarded("cannot read the registry", [&] {
            Snapshot tx(conn());
            pg_check_registry(tx, m_name);
        });
        return "PG:" + pg_conninfo(m_name);
    }

    void create(const Registry& registry) override { create_moved(registry, {}); }

    void create_moved(const Registry& registry, std::span<const LedgerEntry> moved) override {
        guarded("cannot write the registry", [&] {
            pqxx::work tx(conn());
            tx.exec_params("SELECT pg_advisory_xact_lock($1)", layers_lock_key);
            if (pg_has_registry(tx))
                throw InputError({.file = m_name},
                                 "registry already exists; use --append to add stations to it");
            pg_create_schema(tx);
            for (const char* sql : record_schema_sql)
                tx.exec0(sql);
            pg_write_grades(tx, registry.grades().all());
            pg_write_sites(tx, registry.sites());
            pg_create_layout_cache(tx, registry.sites());
            pg_move_records(tx, m_name, moved);
            pg_write_qgis_tables(tx, m_name);
            tx.commit();
        });
    }

    void append(std::span<const Site> sites, const GradeTable& grades) override {
        guarded("cannot write the registry", [&] {
            pqxx::work tx(conn());
            tx.exec_params("SELECT pg_advisory_xact_lock($1)", layers_lock_key);
            pg_check_registry(tx, m_name);
            pg_check_may_change_stations(tx, m_name, sites);
            std::set<std::string, std::less<>> known_ids, known_grades;
            for (const pqxx::row& r : tx.exec("SELECT station_id FROM stations"))
                known_ids.emplace(pg_text(r[0]));
            for (const pqxx::row& r : tx.exec("SELECT code FROM grades"))
                known_grades.emplace(pg_text(r[0]));
            for (const Site& s : sites)
                if (known_ids.count(s.station.station_id))
                    throw InputError({.file = m_name,
                                      .layer = "stations",
                                      .feature = s.station.station_id,
                                      .field = "station_id"},
                                     "station id '" + s.station.station_id + "' is already in the registry");
            std::vector<Grade> added;
            for (const Grade& g : grades.all())
                if (!known_grades.count(g.code))
                    added.push_back(g);
            pg_write_grades(tx, added);
            pg_write_sites(tx, sites);
            if (pg_may_write_qgis_tables(tx)) // new grades, a wider extent
                pg_write_qgis_tables(tx, m_name);
            tx.commit();
        });
    }

    Registry read(const ReadOptions& options) override {
        return guarded("cannot read the registry", [&] {
            Snapshot tx(conn());
            return pg_read_registry(tx, m_name, options);
        });
    }

    GradeTable read_grades() override {
        return guarded("cannot read the registry", [&] {
            Snapshot tx(conn());
            pg_check_registry(tx, m_name);
            return pg_read_grades(tx, m_name);
        });
    }

    std::unique_ptr<FrameSource> open_frame(bool use_layout_cache, bool /*station_details*/) override {
        // One snapshot on a connection of its own: the stations (always with their details), the
        // cache and the drawn nozzles as they stood when the read began.
        return open_pg_frame_source(m_name, use_layout_cache);
    }

    void record_plan(const PlanRecord& plan, const std::function<void()>& before_commit) override {
        record("cannot record the plan", [&](pqxx::work& tx, PgLedger& ledger) {
            pg_check_may_record(tx, m_name, "plan", "round " + plan.round);
            const pqxx::result known =
                tx.exec_params("SELECT digest FROM fuelmap_plans WHERE round = $1", plan.round);
            if (!known.empty())
                throw InputError(
                    {.file = m_name, .layer = plans_table, .feature = plan.round, .field = "round"},
                    "a plan for round '" + plan.round + "' is already recorded (digest " +
                        std::string(pg_text(known[0][0])) + ")");
            const pqxx::result seen = tx.exec_params(
                "SELECT seq FROM fuelmap_ledger WHERE kind = 'plan' AND record_id = $1 ORDER BY seq LIMIT 1",
                plan.round);
            if (!seen.empty())
                throw InputError(
                    {.file = m_name, .layer = "fuelmap_ledger", .feature = plan.round, .field = "round"},
                    "round '" + plan.round + "' was recorded before (ledger entry " +
                        std::string(pg_text(seen[0][0])) + "); a round is never drawn again");
            const pqxx::row row = tx.exec_params1(
                "INSERT INTO fuelmap_plans (round, digest, seed_commitment, plan, recorded_at, ledger_seq) "
                "VALUES ($1, $2, $3, $4, to_char(now() AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                "$5) RETURNING " +
                    column_list(*record_table("plan")),
                plan.round, plan.digest, plan.seed_commitment, plan.json, ledger.next_seq());
            ledger.append("plan", plan.round, record_row(row, *record_table("plan")));
            if (before_commit)
                before_commit();
        });
    }

    std::vector<PlanRecord> recorded_plans() override {
        return guarded("cannot read the registry", [&] {
            std::vector<PlanRecord> plans;
            Snapshot tx(conn());
            if (!pg_has_table(tx, plans_table))
                return plans;
            for (const pqxx::row& r :
                 tx.exec("SELECT round, digest, seed_commitment, plan FROM fuelmap_plans ORDER BY fid"))
                plans.push_back({.round = std::string(pg_text(r[0])),
                                 .digest = std::string(pg_text(r[1])),
                                 .seed_commitment = std::string(pg_text(r[2])),
                                 .json = std::string(pg_text(r[3]))});
            return plans;
        });
    }

    void record_observations(std::span<const ObservationRecord> observations) override {
        record("cannot record the observations", [&](pqxx::work& tx, PgLedger& ledger) {
            if (!observations.empty())
                pg_check_may_record(tx, m_name, "observation", "station " + observations[0].station_id);
            write_records<9>(tx, ledger, "observation", observations,
                             [](RecordRow& row, const ObservationRecord& o) {
                                 row["station_id"] = o.station_id;
                                 row["nozzle_no"] = o.nozzle_no;
                                 row["observed_tanks"] = o.observed_tanks;
                                 row["method"] = o.method;
                                 row["inspectors"] = o.inspectors;
                                 row["observed_at"] = o.observed_at;
                                 row["source"] = o.source;
                             });
        });
    }

    bool for_each_observation(const std::function<void(std::size_t)>& reserve,
                              const std::function<void(const ObservationRow&)>& row) override {
        return guarded("cannot read the registry", [&] {
            Snapshot tx(conn());
            if (!pg_has_table(tx, "fuelmap_observations"))
                return false;
            reserve(static_cast<std::size_t>(
                tx.exec1("SELECT count(*) FROM fuelmap_observations")[0].as<std::int64_t>()));
            constexpr int batch = 50000;
            std::int64_t after = 0;
            ObservationRow o;
            for (;;) {
                const pqxx::result r = tx.exec_params(
                    "SELECT fid, station_id, nozzle_no, observed_tanks, method, inspectors, observed_at "
                    "FROM fuelmap_observations WHERE fid > $1 ORDER BY fid LIMIT " +
                        std::to_string(batch),
                    after);
                for (const pqxx::row& each : r) {
                    o.fid = pg_int64(each[0]);
                    o.station_id = pg_text(each[1]);
                    o.nozzle_no = pg_text(each[2]);
                    o.observed_tanks = pg_text(each[3]);
                    o.method = pg_text(each[4]);
                    o.inspectors = pg_text(each[5]);
                    o.observed_at = pg_text(each[6]);
                    row(o);
                }
                if (r.size() < static_cast<pqxx::result::size_type>(batch))
                    return true;
                after = pg_int64(r[r.size() - 1][0]);
            }
        });
    }

    void record_lab_results(std::span<const LabResultRecord> results) override {
        record("cannot record the lab results", [&](pqxx::work& tx, PgLedger& ledger) {
            if (!results.empty())
                pg_check_may_record(tx, m_name, "lab_result", "station " + results[0].station_id);
            write_records<13>(tx, ledger, "lab_result", results,
                              [](RecordRow& row, const LabResultRecord& r) {
                                  row["sample_id"] = r.sample_id;
                                  row["station_id"] = r.station_id;
                                  row["source"] = r.source;
                                  row["element_no"] = r.element_no;
                                  row["depth"] = r.depth;
                                  row["property"] = r.property;
                                  row["value"] = r.value;
                                  row["unit"] = r.unit;
                                  row["method"] = r.method;
                                  row["lab"] = r.lab;
                                  row["imported_from"] = r.imported_from;
                              });
        });
    }

    std::vector<LabResultRecord> recorded_lab_results() override {
        return guarded("cannot read the registry", [&] {
            std::vector<LabResultRecord> out;
            Snapshot tx(conn());
            if (!pg_has_table(tx, "fuelmap_lab_results"))
                return out;
            for (const pqxx::row& q :
                 tx.exec("SELECT fid, sample_id, station_id, source, element_no, depth, property, value, "
                         "unit, method, lab FROM fuelmap_lab_results ORDER BY fid")) {
                LabResultRecord& r = out.emplace_back();
                r.fid = pg_int64(q[0]);
                r.sample_id = pg_text(q[1]);
                r.station_id = pg_text(q[2]);
                r.source = pg_text(q[3]);
                r.element_no = pg_text(q[4]);
                r.depth = pg_text(q[5]);
                r.property = pg_text(q[6]);
                r.value = pg_real(q[7]);
                r.unit = pg_text(q[8]);
                r.method = pg_text(q[9]);
                r.lab = pg_text(q[10]);
            }
            return out;
        });
    }

    void write_qgis_styles() override {
        guarded("cannot write the QGIS styles", [&] {
            pqxx::work tx(conn());
            pg_write_qgis_tables(tx, m_name);
            tx.commit();
        });
    }

    void record_cases(std::span<const CaseRecord> cases, std::span<const CaseStepRecord> steps) override {
        record("cannot record the case", [&](pqxx::work& tx, PgLedger& ledger) {
            pg_check_may_record(tx, m_name, "case",
                                cases.empty() ? "case " + (steps.empty() ? std::string() : steps[0].case_id)
                                              : "station " + cases[0].station_id);
            write_records<13>(tx, ledger, "case", cases, [](RecordRow& row, const CaseRecord& c) {
                row["case_id"] = c.case_id;
                row["round"] = c.round;
                row["station_id"] = c.station_id;
                row["grade"] = c.grade;
                row["sample_ids"] = c.sample_ids;
                row["findings"] = c.findings;
                row["evidence"] = c.evidence;
                row["objection_days"] = c.objection_days;
                row["opened_on"] = c.opened_on;
                row["opened_by"] = c.opened_by;
                row["document"] = c.document;
            });
            write_records<11>(tx, ledger, "case_step", steps, [](RecordRow& row, const CaseStepRecord& s) {
                row["case_id"] = s.case_id;
                row["step_no"] = s.step_no;
                row["step"] = s.step;
                row["date"] = s.date;
                row["actor"] = s.actor;
                row["document"] = s.document;
                row["outcome"] = s.outcome;
                row["deadline"] = s.deadline;
                row["detail"] = s.detail;
            });
        });
    }

    std::vector<CaseRecord> recorded_cases() override {
        return guarded("cannot read the registry", [&] {
            std::vector<CaseRecord> out;
            Snapshot tx(conn());
            if (!pg_has_table(tx, "fuelmap_cases"))
                return out;
            for (const pqxx::row& q :
                 tx.exec("SELECT fid, case_id, round, station_id, grade, sample_ids, findings, "
                         "evidence, objection_days, opened_on, opened_by, document "
                         "FROM fuelmap_cases ORDER BY fid")) {
                CaseRecord& c = out.emplace_back();
                c.fid = pg_int64(q[0]);
                c.case_id = pg_text(q[1]);
                c.round = pg_text(q[2]);
                c.station_id = pg_text(q[3]);
                c.grade = pg_text(q[4]);
                c.sample_ids = pg_text(q[5]);
                c.findings = pg_text(q[6]);
                c.evidence = pg_text(q[7]);
                c.objection_days = pg_int64(q[8]);
                c.opened_on = pg_text(q[9]);
                c.opened_by = pg_text(q[10]);
                c.document = pg_text(q[11]);
            }
            return out;
        });
    }

    std::vector<CaseStepRecord> recorded_case_steps() override {
        return guarded("cannot read the registry", [&] {
            std::vector<CaseStepRecord> out;
            Snapshot tx(conn());
            if (!pg_has_table(tx, "fuelmap_case_steps"))
                return out;
            for (const pqxx::row& q :
                 tx.exec("SELECT fid, case_id, step_no, step, date, actor, document, outcome, "
                         "deadline, detail FROM fuelmap_case_steps ORDER BY fid")) {
                CaseStepRecord& s = out.emplace_back();
                s.fid = pg_int64(q[0]);
                s.case_id = pg_text(q[1]);
                s.step_no = pg_int64(q[2]);
                s.step = pg_text(q[3]);
                s.date = pg_text(q[4]);
                s.actor = pg_text(q[5]);
                s.document = pg_text(q[6]);
                s.outcome = pg_text(q[7]);
                s.deadline = pg_text(q[8]);
                s.detail = pg_text(q[9]);
            }
            return out;
        });
    }

    std::vector<LedgerEntry> ledger() override {
        return guarded("cannot read the ledger", [&] {
            Snapshot tx(conn());
            pg_check_registry(tx, m_name);
            return read_entries(tx);
        });
    }

    LedgerCheck check_ledger() override {
        return guarded("cannot read the ledger", [&] {
            Snapshot tx(conn());
            pg_check_registry(tx, m_name);
            const std::vector<LedgerEntry> entries = read_entries(tx);
            LedgerHead head;
            for (const pqxx::row& r : tx.exec("SELECT key, value FROM fuelmap_meta WHERE key IN "
                                              "('ledger_count', 'ledger_head', 'ledger_version')")) {
                const std::string_view key = pg_text(r[0]);
                std::optional<std::string>& slot = key == "ledger_count"  ? head.count
                                                   : key == "ledger_head" ? head.head
                                                                          : head.version;
                slot = std::string(pg_text(r[1]));
            }
            const RecordTableRows rows = [&](const RecordTable& t,
                                             const std::function<void(const RecordRow&)>& each) {
                if (!pg_has_table(tx, std::string(t.table)))
                    return;
                for (const pqxx::row& r :
                     tx.exec("SELECT " + column_list(t) + " FROM " + std::string(t.table) + " ORDER BY fid"))
                    each(record_row(r, t));
            };
            return detail::check_ledger(entries, head, rows, m_name);
        });
    }

private:
    pqxx::connection& conn() {
        if (!m_conn)
            m_conn = pg_connect(m_name);
        return *m_conn;
    }

    // Runs @p body in a write transaction holding the ledger (see PgLedger), then writes the
    // ledger's entries and commits: all or nothing.
    template <class Body> void record(const std::string& what, Body&& body) {
        guarded(what, [&] {
            pqxx::work tx(conn());
            pg_check_registry(tx, m_name);
            PgLedger ledger(tx, m_name);
            body(tx, ledger);
            ledger.finish();
            tx.commit();
        });
    }

    // Runs @p body, turning a database error into an InputError naming the registry.
    template <class Body> auto guarded(const std::string& what, Body&& body) -> decltype(body()) {
        try {
            return body();
        } catch (const InputError&) {
            throw;
        } catch (const pqxx::insufficient_privilege& e) {
            // A missing grant, or a guard trigger's refusal (docs/registry.md, "Roles").
            throw InputError({.file = m_name}, pg_refusal_message(what, m_conn ? m_conn->username() : "", e));
        } catch (const pqxx::unique_violation& e) {
            throw pg_error(m_name, what + " (a record with the same key is already stored)", e);
        } catch (const pqxx::failure& e) {
            throw pg_error(m_name, what, e);
        } catch (const pqxx::usage_error& e) {
            throw pg_error(m_name, what, e);
        }
    }

    static std::vector<LedgerEntry> read_entries(pqxx::transaction_base& tx) {
        std::vector<LedgerEntry> entries;
        if (!pg_has_table(tx, "fuelmap_ledger"))
            return entries;
        for (const pqxx::row& r :
             tx.exec("SELECT seq, kind, record_id, recorded_at, payload, prev_hash, hash "
                     "FROM fuelmap_ledger ORDER BY seq"))
            entries.push_back({pg_int64(r[0]), std::string(pg_text(r[1])), std::string(pg_text(r[2])),
                               std::string(pg_text(r[3])), std::string(pg_text(r[4])),
                               std::string(pg_text(r[5])), std::string(pg_text(r[6]))});
        return entries;
    }

    std::string m_name;
    std::unique_ptr<pqxx::connection> m_conn;
};

} // namespace

std::unique_ptr<RegistryStore> open_pg_store(const std::string& registry) {
    return std::make_unique<PgStore>(registry);
}

} // namespace fuelmap::detail
