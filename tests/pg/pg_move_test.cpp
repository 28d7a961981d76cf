// SPDX-License-Identifier: MIT
// End-to-end: a registry moved into PostgreSQL/PostGIS with its records and ledger, and one county
// moved out to a GeoPackage (docs/registry.md, "Moving a registry in and out").
#include "testing/demo_round.hpp"
#include "testing/pg_testing.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

using fuelmap::testing::exec_sql;
using fuelmap::testing::PgTestDb;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::run_ok;
using fuelmap::testing::RunResult;
using fuelmap::testing::source_path;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

const std::string design = fuelmap::testing::demo_design();
const std::string round = "YT-2026-12";
const std::string a_case = "YT-2026-12/370602-0001/92#";

// The demo round recorded in a GeoPackage: the plan, observations, lab results, cases and a step.
void record_demo_round(const std::string& gpkg, const std::string& plan_out) {
    const std::string actors = source_path("maps/rounds/actors.csv").string();
    run_ok({"import", source_path("maps/example").string(), "-r", gpkg, "-q"});
    run_ok({"plan", "-r", gpkg, "--design", design, "--seed-file",
            source_path("maps/rounds/2026-12.seed.txt").string(), "-o", plan_out});
    run_ok({"observe", "-r", gpkg, source_path("maps/rounds/observations.csv").string(), "-q"});
    run_ok({"lab", "-r", gpkg, source_path("maps/rounds/lab-2026-12.csv").string(), "-q"});
    run_ok({"case", "open", "-r", gpkg, "--round", round, "--date", "2026-12-20", "--actor", "YT-AMR",
            "--doc", "D-1", "--actors", actors});
    run_ok({"case", "advance", "-r", gpkg, a_case, "--step", "delivered", "--date", "2026-12-21", "--actor",
            "YT-07", "--doc", "送达回证 D-2", "--actors", actors});
}

// The part of a command's output that does not name the registry.
std::string without(std::string text, const std::string& name) {
    for (std::size_t at; (at = text.find(name)) != std::string::npos;)
        text.replace(at, name.size(), "REG");
    return text;
}

} // namespace

TEST(PgMove, ARegistryFileMovesInWithItsRecordsAndItsLedgerVerbatim) {
    PgTestDb db;
    TempDir tmp;
    const std::string pg = db.registry();
    const std::string gpkg = (tmp / "r.gpkg").string();
    const std::string plan = (tmp / "plan.json").string();
    record_demo_round(gpkg, plan);

    const RunResult moved = run_ok({"import", gpkg, "-r", pg});
    EXPECT_NE(moved.out.find("fuelmap import: 30 station(s), "), std::string::npos) << moved.out;
    EXPECT_NE(moved.out.find("\nfuelmap import: 18 ledger entries moved verbatim with their records (3 case, "
                             "1 case_step, 6 lab_result, 7 observation, 1 plan)\n"),
              std::string::npos)
        << moved.out;

    // The same chain: entry count, head, every hash; every record bound.
    const RunResult file_check = run_ok({"ledger", "verify", "-r", gpkg});
    const RunResult db_check = run_ok({"ledger", "verify", "-r", pg});
    EXPECT_EQ(without(db_check.out, pg), without(file_check.out, gpkg));
    EXPECT_EQ(run_ok({"ledger", "head", "-r", pg}).out, run_ok({"ledger", "head", "-r", gpkg}).out);
    EXPECT_EQ(db.sql("SELECT string_agg(hash || recorded_at, ',' ORDER BY seq) FROM fuelmap_ledger"),
              fuelmap::testing::query_text(gpkg,
                                           "SELECT group_concat(hash || recorded_at, ',') FROM "
                                           "(SELECT hash, recorded_at FROM fuelmap_ledger ORDER BY seq)"));

    // The recorded plan verifies on the database; the records read the same.
    run_ok({"verify", plan, "-r", pg});
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"stats", "--round", round, "-r"},
          std::vector<std::string>{"stats", "--round", round, "--format", "json", "-r"},
          std::vector<std::string>{"audit", "370602-0001", "-r"}, std::vector<std::string>{"audit", "-r"},
          std::vector<std::string>{"case", "list", "-r"},
          std::vector<std::string>{"case", "show", a_case, "-r"}}) {
        SCOPED_TRACE(args.front() + " " + args[1]);
        std::vector<std::string> a = args, b = args;
        a.push_back(pg);
        b.push_back(gpkg);
        const RunResult ra = run_fuelmap(a), rb = run_fuelmap(b);
        EXPECT_EQ(ra.exit_code, rb.exit_code) << ra.err;
        EXPECT_EQ(without(ra.out, pg), without(rb.out, gpkg));
    }

    // The database goes on from there: a new record follows the moved ones, the round is not
    // drawn again.
    write_file(tmp / "obs.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                "370602-0003,N1,T1,pipe_tracing,W9,2026-12-30T10:00:00+08:00\n");
    run_ok({"observe", "-r", pg, (tmp / "obs.csv").string(), "-q"});
    EXPECT_EQ(
        db.sql("SELECT max(fid) = (SELECT count(*) FROM fuelmap_observations) FROM fuelmap_observations"),
        "t");
    const RunResult after = run_ok({"ledger", "verify", "-r", pg});
    EXPECT_NE(after.out.find("every record bound"), std::string::npos) << after.out;
    const RunResult again = run_fuelmap({"plan", "-r", pg, "--design", design, "--seed-file",
                                         source_path("maps/rounds/2026-12.seed.txt").string(), "-o",
                                         (tmp / "again.json").string()});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("a plan for round 'YT-2026-12' is already recorded"), std::string::npos)
        << again.err;
}

TEST(PgMove, AFileWhoseLedgerDoesNotVerifyIsRefusedAndNothingIsWritten) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    record_demo_round(gpkg, (tmp / "plan.json").string());
    const std::string edited = (tmp / "edited.gpkg").string();
    std::filesystem::copy_file(gpkg, edited);
    exec_sql(edited, "UPDATE fuelmap_observations SET observed_tanks = 'T9' WHERE fid = 1");
    RunResult r = run_fuelmap({"import", edited, "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("fuelmap import: error: " + edited +
                         ": layer 'fuelmap_ledger': the registry's ledger does not verify, so its records "
                         "cannot be moved: table fuelmap_observations, fid 1 ("),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("was edited: the ledger records "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(ledger entry 2); `fuelmap ledger verify -r " + edited + "` lists every problem"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(db.sql("SELECT to_regclass('stations') IS NULL"), "t");

    const std::string broken = (tmp / "broken.gpkg").string();
    std::filesystem::copy_file(gpkg, broken);
    exec_sql(broken, "UPDATE fuelmap_ledger SET recorded_at = '2026-01-01T00:00:00Z' WHERE seq = 3");
    r = run_fuelmap({"import", broken, "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot be moved: ledger broken at entry 3: "), std::string::npos) << r.err;
    EXPECT_EQ(db.sql("SELECT to_regclass('stations') IS NULL"), "t");
}

TEST(PgMove, RecordsMoveOnlyIntoADatabaseThatHoldsNone) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    record_demo_round(gpkg, (tmp / "plan.json").string());
    // A database with a ledger left behind (no registry).
    db.sql(
        "CREATE TABLE fuelmap_ledger (seq bigint PRIMARY KEY, kind text NOT NULL, record_id text NOT NULL, "
        "payload text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL, recorded_at text NOT NULL)");
    db.sql("INSERT INTO fuelmap_ledger VALUES (1, 'plan', 'X', '{}', '', '', '')");
    RunResult r = run_fuelmap({"import", gpkg, "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap import: error: " + db.registry() +
                         ": layer 'fuelmap_ledger': the database already holds a ledger (1 entries); a "
                         "registry's records are moved only into a database that holds none\n");
    EXPECT_EQ(db.sql("SELECT to_regclass('stations') IS NULL"), "t");
    db.sql("DROP TABLE fuelmap_ledger");

    // A registry with records into one that exists: refused; with --append: refused, not dropped.
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    r = run_fuelmap({"import", gpkg, "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("registry already exists"), std::string::npos) << r.err;
    r = run_fuelmap({"import", gpkg, "-r", db.registry(), "--append"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(gpkg + ": the registry holds "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--append adds stations only, and records move only with their whole registry"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_ledger"), "0");
}

TEST(PgMove, OneCountyMovesOutToTheSameBytesAsFromTheGeoPackage) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    run_ok({"synth", "--stations", "300", "--seed", "11", "-o", gpkg, "-q"});
    run_ok({"import", gpkg, "-r", db.registry(), "-q"});
    const std::string county = fuelmap::testing::query_text(
        gpkg, "SELECT county FROM stations GROUP BY county ORDER BY count(*) DESC, county LIMIT 1");
    ASSERT_FALSE(county.empty());
    run_ok({"export", "-r", db.registry(), "--county", county, "-o", (tmp / "pg.gpkg").string(), "-q"});
    run_ok({"export", "-r", gpkg, "--county", county, "-o", (tmp / "gpkg.gpkg").string(), "-q"});
    EXPECT_EQ(read_file(tmp / "pg.gpkg"), read_file(tmp / "gpkg.gpkg"));
    EXPECT_EQ(fuelmap::testing::query_text((tmp / "pg.gpkg").string(),
                                           "SELECT count(*) FROM stations WHERE county <> '" + county + "'"),
              "0");
    // It imports back to the registry of those stations alone, on either backend.
    PgTestDb back;
    run_ok({"import", (tmp / "pg.gpkg").string(), "-r", back.registry(), "-q"});
    run_ok({"import", (tmp / "pg.gpkg").string(), "-r", (tmp / "back.gpkg").string(), "-q"});
    const std::string digest =
        run_ok({"plan", "-r", back.registry(), "--design", design, "--frame-digest"}).out;
    EXPECT_EQ(digest,
              run_ok({"plan", "-r", (tmp / "back.gpkg").string(), "--design", design, "--frame-digest"}).out);
    const std::string cut = (tmp / "cut.gpkg").string();
    std::filesystem::copy_file(gpkg, cut);
    for (const char* layer : {"tanks", "dispensers", "nozzles", "sites", "supplies"})
        exec_sql(cut, std::string("DELETE FROM ") + layer +
                          " WHERE station_id IN (SELECT station_id FROM stations WHERE county <> '" + county +
                          "')");
    exec_sql(cut, "DELETE FROM stations WHERE county <> '" + county + "'");
    EXPECT_EQ(digest, run_ok({"plan", "-r", cut, "--design", design, "--frame-digest"}).out);

    const RunResult unknown =
        run_fuelmap({"export", "-r", db.registry(), "--county", "000000", "-o", (tmp / "x.gpkg").string()});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_EQ(unknown.err, "fuelmap export: error: " + db.registry() +
                               ": layer 'stations', field 'county': no station of county '000000' in the "
                               "registry\n");
    EXPECT_FALSE(std::filesystem::exists(tmp / "x.gpkg"));
}
