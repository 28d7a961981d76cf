// SPDX-License-Identifier: MIT
// End-to-end: the real binary on PostgreSQL/PostGIS registries (docs/registry.md,
// "PostgreSQL/PostGIS") against the same registry in a GeoPackage: the same digests, byte-identical
// plans and outputs, the ledger's rules, many writers at once, and the errors.
#include "testing/demo_round.hpp"
#include "testing/pg_testing.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <future>
#include <string>
#include <utility>
#include <vector>

using namespace fuelmap;
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
const std::string seed = fuelmap::testing::fixed_seed;

// Every output of the commands that only read, the same on both registries.
void expect_same_reads(const std::string& pg, const std::string& gpkg) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"validate", "-r"}, std::vector<std::string>{"show", "370602-0002", "-r"},
          std::vector<std::string>{"plan", "--design", design, "--frame-digest", "-r"}}) {
        std::vector<std::string> a = args, b = args;
        a.push_back(pg);
        b.push_back(gpkg);
        const RunResult ra = run_fuelmap(a), rb = run_fuelmap(b);
        SCOPED_TRACE(args.front());
        EXPECT_EQ(ra.exit_code, rb.exit_code) << ra.err;
        EXPECT_EQ(ra.out, rb.out);
    }
}

} // namespace

TEST(PgRegistry, DemoWorkflowGivesTheSameResultsOnBothBackends) {
    PgTestDb db;
    TempDir tmp;
    const std::string pg = db.registry();
    const std::string gpkg = (tmp / "r.gpkg").string();
    run_ok({"import", source_path("maps/example").string(), "-r", pg, "-q"});
    run_ok({"import", source_path("maps/example").string(), "-r", gpkg, "-q"});
    expect_same_reads(pg, gpkg);
    const RunResult digest = run_ok({"plan", "-r", pg, "--design", design, "--frame-digest"});
    EXPECT_EQ(digest.out.size(), 65u);

    // The plan, byte for byte, recorded on both; anyone verifies it against either registry.
    run_ok({"plan", "-r", pg, "--design", design, "--seed", seed, "-o", (tmp / "pg.json").string()});
    run_ok({"plan", "-r", gpkg, "--design", design, "--seed", seed, "-o", (tmp / "gpkg.json").string()});
    EXPECT_EQ(read_file(tmp / "pg.json"), read_file(tmp / "gpkg.json"));
    EXPECT_EQ(run_ok({"verify", (tmp / "gpkg.json").string(), "-r", pg}).exit_code, 0);
    const RunResult again =
        run_fuelmap({"plan", "-r", pg, "--design", design, "--seed", seed, "-o", (tmp / "2.json").string()});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find(pg +
                             ": layer 'fuelmap_plans', feature (YT-2026-12), field 'round': a plan for round "
                             "'YT-2026-12' is already recorded"),
              std::string::npos)
        << again.err;

    // Records, the audit, statistics and the ledger.
    const std::string observations = source_path("maps/rounds/observations.csv").string();
    run_ok({"observe", "-r", pg, observations, "-q"});
    run_ok({"observe", "-r", gpkg, observations, "-q"});
    const RunResult audit_pg = run_fuelmap({"audit", "-r", pg, "370602-0002", "--problems"});
    const RunResult audit_gpkg = run_fuelmap({"audit", "-r", gpkg, "370602-0002", "--problems"});
    EXPECT_EQ(audit_pg.exit_code, 1) << audit_pg.err;
    EXPECT_EQ(audit_pg.out, audit_gpkg.out);
    // Lab results of the plan's first nozzle and tank samples.
    const auto plan = nlohmann::json::parse(read_file(tmp / "pg.json"));
    const auto& selection = plan["selections"][0];
    const auto& sample = selection["samples"][0];
    const std::string station = selection["station_id"], tank_sample = sample["tank_sample_ids"][0];
    write_file(tmp / "lab.csv",
               "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n" +
                   sample["nozzle_sample_id"].get<std::string>() + "," + station + ",nozzle," +
                   sample["nozzle_no"].get<std::string>() + ",,,density,835.1,kg/m3,SH/T 0604,L1\n" +
                   tank_sample + "," + station + ",tank,," + tank_sample.substr(tank_sample.rfind('/') + 1) +
                   ",lower,density,835.3,kg/m3,SH/T 0604,L1\n");
    run_ok({"lab", "-r", pg, (tmp / "lab.csv").string()});
    run_ok({"lab", "-r", gpkg, (tmp / "lab.csv").string()});
    EXPECT_EQ(run_ok({"stats", "-r", pg, "--round", "YT-2026-12"}).out,
              run_ok({"stats", "-r", gpkg, "--round", "YT-2026-12"}).out);
    EXPECT_EQ(run_fuelmap({"audit", "-r", pg, station}).out, run_fuelmap({"audit", "-r", gpkg, station}).out);
    EXPECT_EQ(run_ok({"ledger", "verify", "-r", pg}).out,
              pg + ": ledger intact, 10 entries, every record bound\n");
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_lab_results"), "2");

    // Site plans: the same drawings (a database names its content digest instead of a file's).
    run_ok({"diagram", "-r", pg, "370602-0001", "-o", (tmp / "d_pg").string(), "--format", "svg", "-q"});
    run_ok({"diagram", "-r", gpkg, "370602-0001", "-o", (tmp / "d_gpkg").string(), "--format", "svg", "-q"});
    const std::string svg = read_file(tmp / "d_pg" / "370602-0001.svg");
    EXPECT_NE(svg.find("Registry content SHA-256"), std::string::npos);
    EXPECT_EQ(svg.size() > 1000, true);

    // Export to a GeoPackage: byte-identical to the export of the GeoPackage registry, and it
    // imports back to the same registry digest.
    run_ok({"export", "-r", pg, "-o", (tmp / "out_pg.gpkg").string(), "-q"});
    run_ok({"export", "-r", gpkg, "-o", (tmp / "out_gpkg.gpkg").string(), "-q"});
    EXPECT_EQ(read_file(tmp / "out_pg.gpkg"), read_file(tmp / "out_gpkg.gpkg"));
    run_ok({"import", (tmp / "out_pg.gpkg").string(), "-r", (tmp / "back.gpkg").string(), "-q"});
    EXPECT_EQ(run_ok({"plan", "-r", (tmp / "back.gpkg").string(), "--design", design, "--frame-digest"}).out,
              digest.out);
}

TEST(PgRegistry, SynthRegistriesAndConformanceVectorsGiveTheSameDigestsAndPlans) {
    for (const std::filesystem::path& dir :
         std::filesystem::directory_iterator(source_path("docs/conformance"))) {
        if (!std::filesystem::exists(dir / "manifest.json"))
            continue;
        SCOPED_TRACE(dir.filename().string());
        const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
        const auto& synth = manifest["registry"]["synth"];
        PgTestDb db;
        TempDir tmp;
        const std::string gpkg = (tmp / "r.gpkg").string();
        run_ok({"synth", "--stations", std::to_string(synth["stations"].get<int>()), "--seed",
                std::to_string(synth["seed"].get<int>()), "-o", gpkg, "-q"});
        run_ok({"import", gpkg, "-r", db.registry(), "-q"});
        const std::string vector_design = (dir / "design.json").string();
        EXPECT_EQ(run_ok({"plan", "-r", db.registry(), "--design", vector_design, "--frame-digest"}).out,
                  manifest["registry_digest"].get<std::string>() + "\n");
        run_ok({"plan", "-r", db.registry(), "--design", vector_design, "--seed", manifest["seed"], "-o",
                (tmp / "plan.json").string(), "--dry-run"});
        EXPECT_EQ(read_file(tmp / "plan.json"), read_file(dir / "plan.json"));
        run_ok({"verify", (dir / "plan.json").string(), "-r", db.registry()});
    }
}

TEST(PgRegistry, ALargerSynthRegistryReadsBackExactly) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    run_ok({"synth", "--stations", "600", "--seed", "7", "-o", gpkg, "-q"});
    run_ok({"import", gpkg, "-r", db.uri(), "-q"});
    EXPECT_EQ(db.sql("SELECT count(*) FROM stations"), "600");
    EXPECT_EQ(run_ok({"plan", "-r", db.uri(), "--design", design, "--frame-digest"}).out,
              run_ok({"plan", "-r", gpkg, "--design", design, "--frame-digest"}).out);
    run_ok({"plan", "-r", db.uri(), "--design", design, "--seed", seed, "-o", (tmp / "pg.json").string()});
    run_ok({"plan", "-r", gpkg, "--design", design, "--seed", seed, "-o", (tmp / "gpkg.json").string()});
    EXPECT_EQ(read_file(tmp / "pg.json"), read_file(tmp / "gpkg.json"));
    // Every layer exported from the database equals the export of the file.
    run_ok({"export", "-r", db.uri(), "-o", (tmp / "pg_csv").string(), "-f", "CSV", "-q"});
    run_ok({"export", "-r", gpkg, "-o", (tmp / "gpkg_csv").string(), "-f", "CSV", "-q"});
    for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "sites", "supplies", "grades"})
        EXPECT_EQ(read_file(tmp / "pg_csv" / (std::string(layer) + ".csv")),
                  read_file(tmp / "gpkg_csv" / (std::string(layer) + ".csv")))
            << layer;
}

TEST(PgRegistry, ConcurrentObserveRunsAllLandInOneIntactChain) {
    PgTestDb db;
    TempDir tmp;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    constexpr int writers = 6, rows = 40;
    std::vector<std::string> files;
    for (int w = 0; w < writers; ++w) {
        std::string csv = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
        for (int i = 0; i < rows; ++i)
            csv += "370602-0001,N" + std::to_string(1 + i % 16) + ",T1,dispense_and_watch_gauge,W" +
                   std::to_string(w) + ",2026-12-0" + std::to_string(1 + w) + "T" +
                   std::to_string(10 + i / 16) + ":" + std::to_string(10 + i % 16) + ":00+08:00\n";
        files.push_back((tmp / ("obs" + std::to_string(w) + ".csv")).string());
        write_file(files.back(), csv);
    }
    std::vector<std::future<RunResult>> runs;
    for (const std::string& f : files)
        runs.push_back(std::async(std::launch::async, [&, f] {
            return run_fuelmap({"observe", "-r", db.registry(), f, "-q"});
        }));
    for (auto& r : runs) {
        const RunResult done = r.get();
        EXPECT_EQ(done.exit_code, 0) << done.err;
    }
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), std::to_string(writers * rows));
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_ledger"), std::to_string(writers * rows));
    EXPECT_EQ(run_ok({"ledger", "verify", "-r", db.registry()}).out, db.registry() + ": ledger intact, " +
                                                                         std::to_string(writers * rows) +
                                                                         " entries, every record bound\n");
}

TEST(PgRegistry, TwoPlansForOneRoundAtOnceRecordOneAndRefuseTheOther) {
    PgTestDb db;
    TempDir tmp;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    auto plan = [&](const std::string& out) {
        return run_fuelmap({"plan", "-r", db.registry(), "--design", design, "--seed", seed, "-o", out});
    };
    auto a = std::async(std::launch::async, plan, (tmp / "a.json").string());
    auto b = std::async(std::launch::async, plan, (tmp / "b.json").string());
    const RunResult ra = a.get(), rb = b.get();
    EXPECT_EQ(std::min(ra.exit_code, rb.exit_code), 0);
    EXPECT_EQ(std::max(ra.exit_code, rb.exit_code), 2);
    const std::string refused = ra.exit_code == 2 ? ra.err : rb.err;
    EXPECT_NE(refused.find("a plan for round 'YT-2026-12' is already recorded"), std::string::npos)
        << refused;
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_plans"), "1");
    EXPECT_EQ(run_ok({"ledger", "verify", "-r", db.registry()}).out,
              db.registry() + ": ledger intact, 1 entries, every record bound\n");
}

TEST(PgRegistry, AnEditedRecordBreaksTheLedgerCheck) {
    PgTestDb db;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    run_ok({"observe", "-r", db.registry(), source_path("maps/rounds/observations.csv").string(), "-q"});
    db.sql("UPDATE fuelmap_observations SET observed_tanks = 'T2' WHERE fid = 1");
    const RunResult r = run_fuelmap({"ledger", "verify", "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("table fuelmap_observations, fid 1 (station_id '370602-0002', nozzle_no 'N1', "),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("field 'observed_tanks' was edited: the ledger records 'T1', the table holds 'T2'"),
              std::string::npos)
        << r.out;
}

TEST(PgRegistry, ImportsAppendAndRefuseLikeTheGeoPackage) {
    PgTestDb db;
    TempDir tmp;
    const std::string example = source_path("maps/example").string();
    const std::string more = (tmp / "more.gpkg").string();
    run_ok({"synth", "--stations", "5", "--seed", "3", "-o", more, "-q"});
    // Station ids the example does not use.
    for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "supplies", "sites"})
        fuelmap::testing::exec_sql(more, std::string("UPDATE ") + layer +
                                             " SET station_id = '9' || substr(station_id, 2)");
    run_ok({"import", example, "-r", db.registry(), "-q"});
    RunResult r = run_fuelmap({"import", example, "-r", db.registry(), "-q"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap import: error: " + db.registry() +
                         ": registry already exists; use --append to add stations to it\n");
    r = run_fuelmap({"import", example, "-r", db.registry(), "--append", "-q"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is already in the registry " + db.registry()), std::string::npos) << r.err;
    EXPECT_EQ(db.sql("SELECT count(*) FROM stations"), "30");
    run_ok({"import", more, "-r", db.registry(), "--append", "-q"});
    EXPECT_EQ(db.sql("SELECT count(*) FROM stations"), "35");
    const std::string both = (tmp / "both.gpkg").string();
    run_ok({"import", example, "-r", both, "-q"});
    run_ok({"import", more, "-r", both, "--append", "-q"});
    EXPECT_EQ(run_ok({"plan", "-r", db.registry(), "--design", design, "--frame-digest"}).out,
              run_ok({"plan", "-r", both, "--design", design, "--frame-digest"}).out);
    EXPECT_EQ(run_ok({"validate", "-r", db.registry()}).out, run_ok({"validate", "-r", both}).out);
}

TEST(PgRegistry, BadConnectionsAndDatabasesAreClearErrors) {
    PgTestDb db;
    RunResult r = run_fuelmap({"validate", "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap validate: error: " + db.registry() +
                         ": not a fuelmap registry (no stations and fuelmap_meta tables)\n");
    std::string missing = db.registry();
    missing.replace(missing.find("dbname=" + db.name()), 7 + db.name().size(), "dbname=no_such_database");
    r = run_fuelmap({"validate", "-r", missing});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(missing + ": cannot connect to the registry database: "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("no_such_database"), std::string::npos) << r.err;
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    db.sql("UPDATE fuelmap_meta SET value = '9' WHERE key = 'version'");
    r = run_fuelmap({"validate", "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "fuelmap validate: error: " + db.registry() +
                  ": layer 'fuelmap_meta', field 'version': unsupported registry version (this fuelmap "
                  "reads version 1)\n");
    db.sql("UPDATE fuelmap_meta SET value = '1' WHERE key = 'version'");
    db.sql("INSERT INTO nozzles (station_id, nozzle_no) VALUES ('370699-9999', 'N1')");
    r = run_fuelmap({"validate", "-r", db.registry()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("layer 'nozzles', feature "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("station '370699-9999' is not in the stations layer"), std::string::npos) << r.err;
}

TEST(PgRegistry, TwoImportsAtOnceLandOnceAndRefuseTheOther) {
    PgTestDb db;
    const std::string example = source_path("maps/example").string();
    auto import = [&] { return run_fuelmap({"import", example, "-r", db.registry(), "-q"}); };
    auto a = std::async(std::launch::async, import);
    auto b = std::async(std::launch::async, import);
    const RunResult ra = a.get(), rb = b.get();
    EXPECT_EQ(std::min(ra.exit_code, rb.exit_code), 0) << ra.err << rb.err;
    EXPECT_EQ(std::max(ra.exit_code, rb.exit_code), 2);
    EXPECT_EQ((ra.exit_code == 2 ? ra : rb).err,
              "fuelmap import: error: " + db.registry() +
                  ": registry already exists; use --append to add stations to it\n");
    EXPECT_EQ(db.sql("SELECT count(*) FROM stations"), "30");
}

// The demo round's follow-up cases (docs/cases.md) on both backends: the same cases, steps,
// statistics and ledger; `fuelmap qgis` writes the QGIS styles and project again, in QGIS's own
// tables (docs/qgis.md).
TEST(PgRegistry, FollowUpCasesGiveTheSameResultsOnBothBackends) {
    PgTestDb db;
    TempDir tmp;
    const std::string pg = db.registry();
    const std::string gpkg = (tmp / "r.gpkg").string();
    const std::string seed_file = source_path("maps/rounds/2026-12.seed.txt").string();
    const std::string lab = source_path("maps/rounds/lab-2026-12.csv").string();
    const std::string actors = source_path("maps/rounds/actors.csv").string();
    for (const std::string& reg : {pg, gpkg}) {
        SCOPED_TRACE(reg);
        run_ok({"import", source_path("maps/example").string(), "-r", reg, "-q"});
        run_ok({"plan", "-r", reg, "--design", design, "--seed-file", seed_file, "-o",
                (tmp / (reg == pg ? "pg.json" : "gpkg.json")).string()});
        run_ok({"lab", "-r", reg, lab, "-q"});
        run_ok({"case", "open", "-r", reg, "--round", "YT-2026-12", "--date", "2026-12-20", "--actor",
                "YT-AMR", "--doc", "D-1", "--actors", actors});
        run_ok({"case", "advance", "-r", reg, "YT-2026-12/370602-0001/92#", "--step", "delivered", "--date",
                "2026-12-21", "--actor", "YT-07", "--doc", "送达回证 D-2", "--actors", actors});
        const RunResult again =
            run_fuelmap({"case", "advance", "-r", reg, "YT-2026-12/370602-0001/92#", "--step", "delivered",
                         "--date", "2026-12-22", "--actor", "YT-07", "--doc", "D-3", "--actors", actors});
        EXPECT_EQ(again.exit_code, 2) << "a step out of order is refused";
    }
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"case", "list", "--format", "json", "-r"},
          std::vector<std::string>{"case", "show", "YT-2026-12/370602-0001/92#", "--format", "json", "-r"},
          std::vector<std::string>{"stats", "--round", "YT-2026-12", "--format", "json", "-r"}}) {
        std::vector<std::string> a = args, b = args;
        a.push_back(pg);
        b.push_back(gpkg);
        SCOPED_TRACE(args[1]);
        const RunResult ra = run_fuelmap(a), rb = run_fuelmap(b);
        EXPECT_EQ(ra.exit_code, rb.exit_code) << ra.err;
        EXPECT_EQ(ra.out, rb.out);
    }
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_case_steps"), "1");
    EXPECT_NE(db.sql("SELECT count(*) FROM fuelmap_cases"), "0");
    const RunResult verified = run_ok({"ledger", "verify", "-r", pg});
    EXPECT_NE(verified.out.find("every record bound"), std::string::npos);
    db.sql("UPDATE fuelmap_case_steps SET date = '2026-12-24'");
    const RunResult edited = run_fuelmap({"ledger", "verify", "-r", pg});
    EXPECT_EQ(edited.exit_code, 1);
    EXPECT_NE(edited.out.find("table fuelmap_case_steps"), std::string::npos) << edited.out;
    const RunResult styles = run_fuelmap({"qgis", "-r", pg});
    EXPECT_EQ(styles.exit_code, 0) << styles.err;
    EXPECT_EQ(db.sql("SELECT count(*) FROM layer_styles WHERE stylename = 'fuelmap' AND useasdefault AND "
                     "f_table_catalog = current_database() AND f_table_schema = current_schema()"),
              "7");
    EXPECT_EQ(db.sql("SELECT count(*) FROM layer_styles WHERE f_table_name = 'tanks' AND f_geometry_column = "
                     "'geom' AND xpath_exists('//renderer-v2[@attr=\"grade\"]', styleqml)"),
              "1");
    EXPECT_EQ(db.sql("SELECT count(*) FROM layer_styles WHERE f_table_name = 'supplies' AND "
                     "f_geometry_column IS NULL"),
              "1");
    EXPECT_EQ(db.sql("SELECT count(*) FROM qgis_projects WHERE name = 'fuelmap' AND length(content) > 1000"),
              "1");
}

TEST(PgRegistry, ObserveReadsOnlyTheNamedStationsAndRefusesUnknownOnesAsTheGeoPackage) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    run_ok({"import", source_path("maps/example").string(), "-r", db.registry(), "-q"});
    run_ok({"import", source_path("maps/example").string(), "-r", gpkg, "-q"});
    const std::string head = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
    const std::string good = "370602-0001,N1,T1,dispense_and_watch_gauge,I01,2026-12-01T10:00:00+08:00\n";
    for (const auto& [bad, message] : std::vector<std::pair<std::string, std::string>>{
             {"370602-9999,N1,T1,pipe_tracing,I01,2026-12-01T10:00:00+08:00\n",
              "line 3, feature (370602-9999), field 'station_id': unknown station '370602-9999': not in the "
              "registry"},
             {"370602-0001,N99,T1,pipe_tracing,I01,2026-12-01T10:00:00+08:00\n",
              "unknown nozzle 'N99': station 370602-0001 declares no such nozzle"}}) {
        const std::string csv = (tmp / "bad.csv").string();
        write_file(csv, head + good + bad);
        const RunResult on_pg = run_fuelmap({"observe", "-r", db.registry(), csv, "-q"});
        const RunResult on_gpkg = run_fuelmap({"observe", "-r", gpkg, csv, "-q"});
        EXPECT_EQ(on_pg.exit_code, 2);
        EXPECT_NE(on_pg.err.find(message), std::string::npos) << on_pg.err;
        EXPECT_EQ(on_pg.err, on_gpkg.err);
    }
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), "0");
    // A station the input does not name is not read: its broken row does not stop the write.
    db.sql("UPDATE nozzles SET station_id = 'ELSEWHERE' WHERE station_id = '370602-0002'");
    write_file(tmp / "good.csv", head + good);
    run_ok({"observe", "-r", db.registry(), (tmp / "good.csv").string(), "-q"});
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_observations"), "1");
}
