// SPDX-License-Identifier: MIT
// End-to-end: registry roles on PostgreSQL/PostGIS (docs/registry.md, "Roles") with real login
// roles on the suite's server: each kind's allowed writes land; every forbidden write, by fuelmap
// or by SQL as QGIS sends it, exits 2 (or fails) naming the role and the station or record, and
// changes nothing; the ledger stays one intact chain.
#include "testing/demo_round.hpp"
#include "testing/pg_role_testing.hpp"
#include "testing/pg_testing.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <future>
#include <string>
#include <vector>

using namespace fuelmap;
using fuelmap::testing::PgTestDb;
using fuelmap::testing::PgTestRole;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::run_ok;
using fuelmap::testing::RunResult;
using fuelmap::testing::source_path;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

const std::string design = fuelmap::testing::demo_design();
const std::string seed = fuelmap::testing::fixed_seed;
const std::string observations = source_path("maps/rounds/observations.csv").string();

// Runs @p args, expecting exit 2 and "fuelmap VERB: error: REGISTRY: MESSAGE" on stderr.
void refused(const std::vector<std::string>& args, const std::string& registry, const std::string& message) {
    const RunResult r = run_fuelmap(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err, "fuelmap " + args.front() + ": error: " + registry + ": " + message + "\n");
}

void grant(const PgTestDb& db, const PgTestRole& role, const std::string& kind,
           const std::string& county = "") {
    std::vector<std::string> args{"roles", "grant", "-r", db.registry(), "--role", role.name(), "--as", kind};
    if (!county.empty())
        args.insert(args.end(), {"--county", county});
    run_ok(args);
}

// A directory holding a stations layer of one new station @p id in @p county.
std::string new_station(const TempDir& tmp, const std::string& id, const std::string& county) {
    auto stations = nlohmann::json::parse(read_file(source_path("maps/example/stations.geojson")));
    auto feature = stations["features"][0];
    feature["properties"]["station_id"] = id;
    feature["properties"]["county"] = county;
    stations["features"] = nlohmann::json::array({feature});
    const std::filesystem::path dir = tmp / id;
    std::filesystem::create_directories(dir);
    write_file(dir / "stations.geojson", stations.dump());
    return dir.string();
}

// The row counts and the ledger head: what a refused write must leave as it was.
std::string state(const PgTestDb& db) {
    return db.sql(
        "SELECT (SELECT count(*) FROM stations) || '/' || (SELECT count(*) FROM tanks) || '/' || "
        "(SELECT count(*) FROM fuelmap_observations) || '/' || (SELECT count(*) FROM "
        "fuelmap_lab_results) || '/' || (SELECT count(*) FROM fuelmap_plans) || '/' || "
        "(SELECT count(*) FROM fuelmap_ledger) || '/' || coalesce((SELECT value FROM fuelmap_meta "
        "WHERE key = 'ledger_head'), '-') || '/' || (SELECT string_agg(name || county, ',' ORDER BY "
        "station_id) FROM stations)");
}

} // namespace

TEST(PgRoles, ACountyOfficeChangesOnlyItsOwnCountysStationsAndLayouts) {
    PgTestDb db;
    TempDir tmp;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    PgTestRole county(db, "zhifu");
    grant(db, county, "county", "370602");
    const std::string who = "role '" + county.name() + "' (county office of 370602)";

    // As QGIS edits it: its own station and layouts change ...
    EXPECT_EQ(county.sql_error("UPDATE stations SET name = '芝罘新站' WHERE station_id = '370602-0001'"), "");
    EXPECT_EQ(county.sql_error("UPDATE tanks SET capacity_l = 30000 WHERE station_id = '370602-0001'"), "");
    EXPECT_EQ(county.sql_error("DELETE FROM supplies WHERE station_id = '370602-0001' AND leg = 2"), "");
    EXPECT_EQ(db.sql("SELECT name FROM stations WHERE station_id = '370602-0001'"), "芝罘新站");
    // ... another county's do not, with an error naming the role and the station.
    const std::string before = state(db);
    EXPECT_EQ(county.sql_error("UPDATE stations SET name = 'x' WHERE station_id = '370611-0001'"),
              who + " may not change station 370611-0001 (county 370611)");
    EXPECT_EQ(county.sql_error("DELETE FROM tanks WHERE station_id = '370611-0001'"),
              who + " may not change station 370611-0001 (county 370611)");
    EXPECT_EQ(county.sql_error("INSERT INTO tanks (station_id, tank_no) VALUES ('370611-0001', 'T9')"),
              who + " may not change station 370611-0001 (county 370611)");
    EXPECT_EQ(
        county.sql_error("UPDATE nozzles SET station_id = '370611-0001' WHERE station_id = '370602-0001' "
                         "AND nozzle_no = 'N1'"),
        who + " may not change station 370611-0001 (county 370611)");
    // Moving a station out of the county is refused too.
    EXPECT_EQ(county.sql_error("UPDATE stations SET county = '370611' WHERE station_id = '370602-0002'"),
              who + " may not move station 370602-0002 to county 370611");
    EXPECT_EQ(county.sql_error("INSERT INTO stations (station_id, county) VALUES ('370611-0900', '370611')"),
              who + " may not change station 370611-0900 (county 370611)");
    EXPECT_EQ(county.sql_error("TRUNCATE tanks"), "permission denied for table tanks");
    // A temporary table cannot stand in for the roles table or the stations.
    EXPECT_EQ(county.sql_error("CREATE TEMP TABLE fuelmap_roles (role text, kind text, county text); "
                               "INSERT INTO fuelmap_roles VALUES (current_user, 'bureau', NULL); "
                               "CREATE TEMP TABLE stations (station_id text, county text); "
                               "UPDATE public.stations SET name = 'x' WHERE station_id = '370611-0001'"),
              who + " may not change station 370611-0001 (county 370611)");
    EXPECT_EQ(state(db), before);

    // fuelmap import --append: a station of its county lands, another county's is refused.
    run_ok({"import", new_station(tmp, "370602-0901", "370602"), "-r", county.registry(), "--append", "-q"});
    EXPECT_EQ(db.sql("SELECT county FROM stations WHERE station_id = '370602-0901'"), "370602");
    // It reads QGIS's styles and project (its QGIS opens the registry styled), and leaves them as they are.
    EXPECT_EQ(
        county.sql_error("SELECT 1 FROM layer_styles WHERE false; SELECT 1 FROM qgis_projects WHERE false"),
        "");
    EXPECT_EQ(county.sql_error("DELETE FROM layer_styles"), "permission denied for table layer_styles");
    const std::string after = state(db);
    refused({"import", new_station(tmp, "370611-0901", "370611"), "-r", county.registry(), "--append", "-q"},
            county.registry(), who + " may not change station 370611-0901 (county 370611)");
    // A county office records no observations and no plans.
    refused({"observe", "-r", county.registry(), observations, "-q"}, county.registry(),
            who + " may not record observations (station 370602-0002)");
    refused({"plan", "-r", county.registry(), "--design", design, "--seed", seed, "-o",
             (tmp / "p.json").string()},
            county.registry(), who + " may not record plans (round YT-2026-12)");
    EXPECT_FALSE(std::filesystem::exists(tmp / "p.json"));
    EXPECT_EQ(state(db), after);
    EXPECT_EQ(run_ok({"validate", "-r", county.registry()}).exit_code, 0);
}

TEST(PgRoles, EachKindWritesOnlyItsRecordsAndTheLedgerStaysIntact) {
    PgTestDb db;
    TempDir tmp;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    PgTestRole bureau(db, "bureau"), inspector(db, "inspector"), lab(db, "lab"), auditor(db, "auditor");
    grant(db, bureau, "bureau");
    grant(db, inspector, "inspector");
    grant(db, lab, "lab");
    grant(db, auditor, "auditor");
    const std::string plan_file = (tmp / "plan.json").string();
    const std::vector<std::string> plan_args{"--design", design, "--seed", seed, "-o", plan_file};
    auto plan = [&](const PgTestRole& r) {
        std::vector<std::string> args{"plan", "-r", r.registry()};
        args.insert(args.end(), plan_args.begin(), plan_args.end());
        return args;
    };

    // Only the bureau records plans.
    std::string before = state(db);
    for (const PgTestRole* r : {&inspector, &lab, &auditor})
        refused(plan(*r), r->registry(),
                "role '" + r->name() + "' (" + r->name().substr(db.name().size() + 1) +
                    ") may not record plans (round YT-2026-12)");
    EXPECT_EQ(state(db), before);
    run_ok(plan(bureau));
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_plans"), "1");

    // Only an inspector adds observations.
    before = state(db);
    for (const PgTestRole* r : {&bureau, &lab, &auditor})
        refused({"observe", "-r", r->registry(), observations, "-q"}, r->registry(),
                "role '" + r->name() + "' (" + r->name().substr(db.name().size() + 1) +
                    ") may not record observations (station 370602-0002)");
    EXPECT_EQ(state(db), before);
    run_ok({"observe", "-r", inspector.registry(), observations, "-q"});
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), "7");

    // Only a lab adds lab results.
    const auto p = nlohmann::json::parse(read_file(plan_file));
    const auto& selection = p["selections"][0];
    const auto& sample = selection["samples"][0];
    const std::string station = selection["station_id"];
    write_file(tmp / "lab.csv",
               "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n" +
                   sample["nozzle_sample_id"].get<std::string>() + "," + station + ",nozzle," +
                   sample["nozzle_no"].get<std::string>() + ",,,density,835.1,kg/m3,SH/T 0604,L1\n");
    before = state(db);
    for (const PgTestRole* r : {&bureau, &inspector, &auditor})
        refused({"lab", "-r", r->registry(), (tmp / "lab.csv").string()}, r->registry(),
                "role '" + r->name() + "' (" + r->name().substr(db.name().size() + 1) +
                    ") may not record lab results (station " + station + ")");
    EXPECT_EQ(state(db), before);
    run_ok({"lab", "-r", lab.registry(), (tmp / "lab.csv").string()});
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_lab_results"), "1");

    // No one but the owner changes recorded evidence, as SQL either.
    before = state(db);
    EXPECT_EQ(inspector.sql_error("UPDATE fuelmap_observations SET inspectors = 'X'"),
              "permission denied for table fuelmap_observations");
    EXPECT_EQ(inspector.sql_error("DELETE FROM fuelmap_ledger"),
              "permission denied for table fuelmap_ledger");
    EXPECT_EQ(bureau.sql_error("UPDATE fuelmap_plans SET plan = '{}'"),
              "permission denied for table fuelmap_plans");
    EXPECT_EQ(lab.sql_error("UPDATE fuelmap_ledger SET hash = 'x'"),
              "permission denied for table fuelmap_ledger");
    EXPECT_EQ(inspector.sql_error("INSERT INTO fuelmap_ledger VALUES (99, 'plan', 'R', '{}', 'a', 'b', 'c')"),
              "role '" + inspector.name() + "' (inspector) may not append ledger entries of kind 'plan'");
    EXPECT_EQ(inspector.sql_error("UPDATE fuelmap_meta SET value = '9' WHERE key = 'version'"),
              "role '" + inspector.name() + "' (inspector) may not change fuelmap_meta key 'version'");
    EXPECT_EQ(auditor.sql_error("UPDATE fuelmap_meta SET value = '9' WHERE key = 'ledger_head'"),
              "permission denied for table fuelmap_meta");
    EXPECT_EQ(auditor.sql_error("UPDATE stations SET name = 'x'"), "permission denied for table stations");
    EXPECT_EQ(state(db), before);

    // The auditor reads everything: the same output as the owner's.
    refused({"import", new_station(tmp, "370602-0901", "370602"), "-r", auditor.registry(), "--append", "-q"},
            auditor.registry(),
            "role '" + auditor.name() + "' (auditor) may not change station 370602-0901 (county 370602)");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"show", "370602-0002"}, std::vector<std::string>{"validate"},
          std::vector<std::string>{"verify", plan_file}, std::vector<std::string>{"audit", "370602-0002"},
          std::vector<std::string>{"stats", "--round", "YT-2026-12"}}) {
        std::vector<std::string> a = args, b = args;
        a.insert(a.end(), {"-r", auditor.registry()});
        b.insert(b.end(), {"-r", db.registry()});
        const RunResult ra = run_fuelmap(a), rb = run_fuelmap(b);
        SCOPED_TRACE(args.front());
        EXPECT_EQ(ra.exit_code, rb.exit_code) << ra.err;
        EXPECT_LE(ra.exit_code, 1) << ra.err;
        std::string named = rb.out;
        for (std::size_t at = 0; (at = named.find(db.registry(), at)) != std::string::npos;)
            named.replace(at, db.registry().size(), auditor.registry());
        EXPECT_EQ(ra.out, named);
    }
    run_ok({"export", "-r", auditor.registry(), "-o", (tmp / "auditor.gpkg").string(), "-q"});
    run_ok({"export", "-r", db.registry(), "-o", (tmp / "owner.gpkg").string(), "-q"});
    EXPECT_EQ(read_file(tmp / "auditor.gpkg"), read_file(tmp / "owner.gpkg"));
    EXPECT_EQ(run_ok({"ledger", "head", "-r", auditor.registry()}).out,
              run_ok({"ledger", "head", "-r", db.registry()}).out);
    EXPECT_EQ(run_ok({"ledger", "verify", "-r", auditor.registry()}).out,
              auditor.registry() + ": ledger intact, 9 entries, every record bound\n");
    EXPECT_EQ(state(db), before);
    // Every kind reads the layout cache, so that its draws need not read every nozzle row.
    for (const PgTestRole* r : {&bureau, &inspector, &lab, &auditor})
        for (const char* table : {"fuelmap_frame_layouts", "fuelmap_frame_dirty"})
            EXPECT_EQ(db.sql("SELECT has_table_privilege('" + r->name() + "', '" + table + "', 'SELECT')"),
                      "t")
                << r->name() << " " << table;
}

TEST(PgRoles, GrantRevokeAndListRefuseWhatTheyCannotDo) {
    PgTestDb db;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    PgTestRole inspector(db, "inspector"), stranger(db, "stranger");
    const std::string reg = db.registry();
    EXPECT_EQ(run_ok({"roles", "list", "-r", reg}).out, "");
    EXPECT_EQ(run_ok({"roles", "grant", "-r", reg, "--role", inspector.name(), "--as", "inspector"}).out,
              reg + ": role '" + inspector.name() + "' granted as inspector\n");
    // Granting again is harmless; a new kind replaces the old one.
    grant(db, inspector, "inspector");
    grant(db, inspector, "county", "370611");
    EXPECT_EQ(run_ok({"roles", "list", "-r", reg}).out, inspector.name() + "\tcounty\t370611\n");
    refused({"observe", "-r", inspector.registry(), observations, "-q"}, inspector.registry(),
            "role '" + inspector.name() +
                "' (county office of 370611) may not record observations (station "
                "370602-0002)");
    grant(db, inspector, "inspector");

    refused({"roles", "grant", "-r", reg, "--role", db.name() + "_nobody", "--as", "lab"}, reg,
            "role '" + db.name() +
                "_nobody' does not exist; the database administrator creates it first "
                "(CREATE ROLE … LOGIN)");
    refused({"roles", "grant", "-r", reg, "--role", "fuelmap", "--as", "auditor"}, reg,
            "role 'fuelmap' is a superuser or owns the registry: it may write everything and cannot be "
            "limited to what a auditor may do");
    refused({"roles", "grant", "-r", inspector.registry(), "--role", stranger.name(), "--as", "bureau"},
            inspector.registry(),
            "only the registry's owner (role 'fuelmap') grants and revokes roles; connected as role '" +
                inspector.name() + "'");
    refused({"roles", "revoke", "-r", reg, "--role", stranger.name()}, reg,
            "role '" + stranger.name() + "' is not a role of this registry");

    // A role the DBA gave rights to but no kind: fuelmap refuses its writes (read-only).
    db.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + stranger.name());
    db.sql("GRANT INSERT ON fuelmap_observations, fuelmap_ledger TO " + stranger.name());
    refused({"observe", "-r", stranger.registry(), observations, "-q"}, stranger.registry(),
            "role '" + stranger.name() +
                "' (not a fuelmap role) may not record observations (station 370602-0002)");

    // Revoked: the role reads nothing any more.
    EXPECT_EQ(run_ok({"roles", "revoke", "-r", reg, "--role", inspector.name()}).out,
              reg + ": role '" + inspector.name() +
                  "' revoked: it may no longer read or write the registry\n");
    EXPECT_EQ(run_ok({"roles", "list", "-r", reg}).out, "");
    refused({"validate", "-r", inspector.registry()}, inspector.registry(),
            "cannot read the registry: permission denied for table fuelmap_meta (role '" + inspector.name() +
                "')");
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), "0");
    run_ok({"ledger", "verify", "-r", reg});
}

TEST(PgRoles, InspectorsWritingAtOnceWithRefusedWritersBetweenLeaveOneIntactChain) {
    PgTestDb db;
    TempDir tmp;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    PgTestRole a(db, "insp_a"), b(db, "insp_b"), lab(db, "lab");
    grant(db, a, "inspector");
    grant(db, b, "inspector");
    grant(db, lab, "lab");
    // Each run its own day's observations of station 370602-0001's nozzles.
    auto file = [&](int day) {
        std::string csv = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
        for (int n = 1; n <= 12; ++n)
            csv += "370602-0001,N" + std::to_string(n) + ",T1,dispense_and_watch_gauge,W,2026-12-1" +
                   std::to_string(day) + "T10:" + std::to_string(10 + n) + ":00+08:00\n";
        const std::filesystem::path f = tmp / ("day" + std::to_string(day) + ".csv");
        write_file(f, csv);
        return f.string();
    };
    std::vector<std::future<RunResult>> runs;
    for (int day = 0; day < 6; ++day) {
        const PgTestRole& who = day == 5 ? lab : day % 2 ? b : a;
        runs.push_back(std::async(std::launch::async, [&who, f = file(day)] {
            return run_fuelmap({"observe", "-r", who.registry(), f, "-q"});
        }));
    }
    for (int day = 0; day < 6; ++day) {
        const RunResult r = runs[static_cast<std::size_t>(day)].get();
        EXPECT_EQ(r.exit_code, day == 5 ? 2 : 0) << r.err;
    }
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), "60");
    EXPECT_EQ(run_ok({"ledger", "verify", "-r", lab.registry()}).out,
              lab.registry() + ": ledger intact, 60 entries, every record bound\n");
}
