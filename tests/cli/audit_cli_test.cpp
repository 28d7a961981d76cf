// SPDX-License-Identifier: MIT
// End-to-end: fuelmap observe, lab and audit on real files.
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include "testing/testing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// Station 0001 of sample_site: T1 92#, T2 95#, T3 0#; N1/N4 92#←T1, N2/N5 95#←T2, N3/N6 0#←T3.
Plan round_plan() {
    Plan p;
    p.format_version = "1";
    p.round = "2024-R1";
    for (const char* id : {"370602-0001", "370602-0002", "370602-0003"}) {
        Selection s;
        s.station_id = id;
        s.stratum = "370602|major";
        s.reason = "random";
        s.inclusion_probability = "1/4";
        PlannedSample ps;
        ps.grade = "95#";
        ps.nozzle_no = "N2";
        ps.nozzle_sample_id = std::string(id) + "-95-N";
        ps.claimed_tanks = {{"T2", 1.0}};
        ps.tank_sample_ids = {std::string(id) + "-95-T"};
        s.samples.push_back(ps);
        p.selections.push_back(s);
    }
    return p;
}

struct Workspace {
    TempDir dir;
    std::filesystem::path reg = dir / "reg.gpkg";
    Workspace() {
        create_registry(reg, fuelmap::testing::sample_registry(4));
        record_plan(reg, round_plan());
    }
    std::string path(const std::string& name) const { return (dir / name).string(); }
};

const std::string obs_header = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
const std::string lab_header =
    "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n";

// 0001: N2 (95#) seen on T1 (92#) and its sample fails RON; 0002: N1/N2 swapped; 0003: hidden T9.
void record_planted_evidence(const Workspace& ws) {
    write(ws.path("obs.csv"), obs_header + "370602-0001,N2,T1,dispense_and_watch_gauge,I01;I02,2024-05-17\n"
                                           "370602-0002,N1,T2,pipe_tracing,I03;I04,2024-05-17\n"
                                           "370602-0002,N2,T1,pipe_tracing,I03;I04,2024-05-17\n"
                                           "370602-0003,N5,T9,valve_isolation,I05;I06,2024-05-18\n"
                                           "370602-0004,N1,T1,pipe_tracing,I05;I06,2024-05-18\n");
    write(ws.path("lab.csv"), lab_header +
                                  "370602-0001-95-N,370602-0001,nozzle,N2,,,RON,92.3,-,GB/T 5487,L1\n"
                                  "370602-0001-95-T,370602-0001,tank,,T2,composite,RON,95.4,-,GB/T 5487,L1\n"
                                  "370602-0003-95-N,370602-0003,nozzle,N2,,,RON,94.8,-,GB/T 5487,L1\n");
    ASSERT_EQ(run_fuelmap({"observe", "-q", "-r", ws.reg.string(), ws.path("obs.csv")}).exit_code, 0);
    RunResult lab = run_fuelmap({"lab", "-r", ws.reg.string(), ws.path("lab.csv")});
    ASSERT_EQ(lab.exit_code, 0) << lab.err;
}

} // namespace

TEST(ObserveCli, RecordsAndRefusesBadInputLeavingTheRegistryByteIdentical) {
    Workspace ws;
    write(ws.path("obs.csv"), obs_header +
                                  "370602-0001,N1,T1,pipe_tracing,I01;I02,2024-05-17T09:00:00+08:00\n"
                                  "370602-0001,N2,T1,valve_isolation,I01;I02,2024-05-17T09:20:00+08:00\n");
    RunResult r = run_fuelmap({"observe", "-r", ws.reg.string(), ws.path("obs.csv")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("recorded 2 observation(s)"), std::string::npos) << r.out;
    EXPECT_EQ(read_ledger(ws.reg).size(), 3u);

    const std::string before = read_file(ws.reg);
    write(ws.path("bad.csv"), obs_header + "370602-0002,N1,T1,pipe_tracing,I01,2024-05-18\n"
                                           "370602-0002,N7,T1,pipe_tracing,I01,2024-05-18\n");
    r = run_fuelmap({"observe", "-r", ws.reg.string(), ws.path("bad.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "fuelmap observe: error: " + ws.path("bad.csv") +
                  ": line 3, feature (370602-0002/N7), field 'nozzle_no': unknown nozzle 'N7': station "
                  "370602-0002 declares no such nozzle\n");
    EXPECT_EQ(read_file(ws.reg), before) << "nothing imported";
    write(ws.path("bad2.csv"), obs_header + "370602-0099,N1,T1,pipe_tracing,I01,2024-05-18\n");
    r = run_fuelmap({"observe", "-r", ws.reg.string(), ws.path("bad2.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("line 2, feature (370602-0099), field 'station_id': unknown station"),
              std::string::npos);
    EXPECT_EQ(read_file(ws.reg), before);
}

TEST(LabCli, UnitMismatchAndUnplannedSampleAreRefused) {
    Workspace ws;
    const std::string before = read_file(ws.reg);
    write(ws.path("unit.csv"), lab_header +
                                   "370602-0001-95-N,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n"
                                   "370602-0001-95-N,370602-0001,nozzle,N2,,,sulfur,0.0007,%,SH/T 0689,L1\n");
    RunResult r = run_fuelmap({"lab", "-r", ws.reg.string(), ws.path("unit.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "fuelmap lab: error: " + ws.path("unit.csv") +
                  ": line 3, feature (370602-0001/N2), field 'unit': unit '%' does not match the precision "
                  "table's unit 'mg/kg' for sulfur by SH/T 0689\n");
    EXPECT_EQ(read_file(ws.reg), before);
    write(ws.path("nosample.csv"), lab_header + "X-404,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n");
    r = run_fuelmap({"lab", "-r", ws.reg.string(), ws.path("nosample.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(
        r.err.find(
            "line 2, feature (370602-0001/N2), field 'sample_id': sample 'X-404' is in no recorded plan"),
        std::string::npos)
        << r.err;
    EXPECT_EQ(read_file(ws.reg), before);
}

// The plot is written beside its target as `<file>.tmp-<pid>` and renamed over it: a directory where
// the file should go fails with exit 2 naming it, prints nothing and leaves no temporary file.
TEST(AuditCli, StatsPlotIsWrittenWholeAndLeavesNoTemporaryFile) {
    Workspace ws;
    auto temp_files = [&] {
        std::vector<std::string> found;
        for (const auto& e : std::filesystem::recursive_directory_iterator(ws.dir.path()))
            if (e.path().filename().string().find(".tmp") != std::string::npos)
                found.push_back(e.path().filename().string());
        return found;
    };
    RunResult r =
        run_fuelmap({"stats", "-r", ws.reg.string(), "--round", "2024-R1", "--plot", ws.path("a.svg")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_file(ws.path("a.svg")).find("<svg"), std::string::npos);
    EXPECT_EQ(temp_files(), std::vector<std::string>{});

    std::filesystem::create_directories(ws.dir / "b.svg" / "keep");
    r = run_fuelmap({"stats", "-r", ws.reg.string(), "--round", "2024-R1", "--plot", ws.path("b.svg")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(ws.path("b.svg") + ": cannot write the file: "), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(std::filesystem::is_directory(ws.dir / "b.svg" / "keep"));
    EXPECT_EQ(temp_files(), std::vector<std::string>{});
}

TEST(AuditCli, PlantedRoundTextJsonAndGeoJson) {
    Workspace ws;
    record_planted_evidence(ws);
    RunResult r = run_fuelmap({"audit", "-r", ws.reg.string(), "--round", "2024-R1"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("CRITICAL cross-connection  nozzle N2 (95#): labelled 95# but draws from T1 92# "
                         "(declared T2)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("CRITICAL non-conforming  nozzle N2 (95#)"), std::string::npos);
    EXPECT_NE(r.out.find("CRITICAL different-fuel  nozzle N2 (95#)"), std::string::npos);
    EXPECT_NE(r.out.find("CRITICAL transposition  nozzle N1 (92#): tanks swapped with nozzle N2"),
              std::string::npos);
    EXPECT_NE(r.out.find("CRITICAL hidden-tank  nozzle N5 (95#)"), std::string::npos);
    EXPECT_NE(r.out.find("inconclusive  nozzle N2 (95#)"), std::string::npos);
    EXPECT_NE(r.out.find("3 station(s) audited"), std::string::npos) << "the round's stations only";

    r = run_fuelmap({"audit", "-r", ws.reg.string(), "--round", "2024-R1", "--format", "json", "--problems",
                     "-o", ws.path("findings.geojson"), "-f", "GeoJSON"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["stations"], 3);
    EXPECT_EQ(j["summary"]["transposition"], 2);
    EXPECT_EQ(j["summary"]["hidden-tank"], 1);
    EXPECT_EQ(j["summary"]["cross-connection"], 1);
    EXPECT_EQ(j["summary"]["non-conforming"], 1);
    EXPECT_EQ(j["summary"]["mislabelled-tank"], 0);
    EXPECT_EQ(j["summary"]["inconclusive"], 1);
    EXPECT_EQ(j["critical"], 6);
    for (const auto& f : j["findings"])
        EXPECT_NE(f["class"], "consistent");
    const auto geo = nlohmann::json::parse(read_file(ws.path("findings.geojson")));
    ASSERT_EQ(geo["features"].size(), j["findings"].size() + 0u +
                                          j["summary"]["consistent"].get<std::size_t>() +
                                          j["summary"]["unverified"].get<std::size_t>());
    EXPECT_EQ(geo["features"][0]["geometry"]["type"], "Point");

    // Round statistics on the same evidence: every station failed; 2 of 3 batches sampled.
    r = run_fuelmap({"stats", "-r", ws.reg.string(), "--round", "2024-R1", "--format", "json", "--plot",
                     ws.path("stats.svg")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto st = nlohmann::json::parse(r.out);
    EXPECT_EQ(st["overall"]["stations_selected"], 3);
    EXPECT_EQ(st["overall"]["stations_failed"], 3);
    EXPECT_EQ(st["overall"]["batches_sampled"], 2);
    EXPECT_EQ(st["overall"]["batches_failed"], 1);
    EXPECT_EQ(st["overall"]["batches_inconclusive"], 1);
    EXPECT_EQ(st["estimate"]["total"], "12/1"); // three failures with weight 4
    EXPECT_EQ(st["estimate"]["frame"], 12);     // no stratum populations in this plan: Σ 1/π
    EXPECT_EQ(st["estimate"]["frame_estimated"], true);
    EXPECT_NE(read_file(ws.path("stats.svg")).find("data-round=\"2024-R1\""), std::string::npos);
    r = run_fuelmap({"stats", "-r", ws.reg.string(), "--round", "nope"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no plan recorded for round 'nope'"), std::string::npos) << r.err;

    // Without a round: stations with evidence (0004 only has a consistent observation).
    r = run_fuelmap({"audit", "-r", ws.reg.string(), "370602-0004"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("consistent  nozzle N1 (92#)"), std::string::npos);
    EXPECT_NE(r.out.find("unverified  nozzle N2 (95#)"), std::string::npos);
}

TEST(AuditCli, BadInput) {
    Workspace ws;
    RunResult r = run_fuelmap({"audit", "-r", ws.reg.string(), "--round", "2099"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no plan recorded for round '2099' (recorded: 2024-R1)"), std::string::npos)
        << r.err;
    write(ws.path("obs.csv"), obs_header + "370602-0001,N9,T1,pipe_tracing,I01,2024-05-17\n");
    r = run_fuelmap({"audit", "-r", ws.reg.string(), "--observations", ws.path("obs.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("field 'nozzle_no': unknown nozzle 'N9'"), std::string::npos) << r.err;
}

// The whole output of every format, byte for byte, for the planted round (goldens in tests/golden/;
// FUELMAP_UPDATE_GOLDEN=1 rewrites them).
TEST(AuditCli, GoldenOutputs) {
    Workspace ws;
    record_planted_evidence(ws);
    std::string got;
    auto run = [&](const std::string& title, const std::vector<std::string>& args) {
        const RunResult r = run_fuelmap(args);
        std::string out = r.out;
        for (std::size_t at; (at = out.find(ws.reg.string())) != std::string::npos;)
            out.replace(at, ws.reg.string().size(), "REG.gpkg");
        got += "== " + title + " (exit " + std::to_string(r.exit_code) + ")\n" + out + r.err;
    };
    const std::string reg = ws.reg.string();
    run("round text", {"audit", "-r", reg, "--round", "2024-R1"});
    run("round json", {"audit", "-r", reg, "--round", "2024-R1", "--format", "json"});
    run("all json problems", {"audit", "-r", reg, "--all", "--format", "json", "--problems"});
    run("all text + geojson", {"audit", "-r", reg, "--all", "-o", ws.path("all.geojson")});
    got += "== all.geojson\n" + read_file(ws.path("all.geojson"));
    run("evidence text + csv", {"audit", "-r", reg, "-o", ws.path("all.csv"), "-f", "CSV"});
    got += "== all.csv\n" + read_file(ws.path("all.csv"));
    run("station 0004", {"audit", "-r", reg, "370602-0004"});
    run("extra observations file", {"audit", "-r", reg, "--observations", ws.path("obs.csv"), "--lab",
                                    ws.path("lab.csv"), "--problems"});
    const std::filesystem::path golden = fuelmap::testing::source_path("tests/golden/audit_cli.txt");
    if (std::getenv("FUELMAP_UPDATE_GOLDEN"))
        std::ofstream(golden, std::ios::binary) << got;
    EXPECT_EQ(got, read_file(golden));
}

// Observation (and lab) files must be UTF-8: a bad byte is bad input, named by file, line and
// field, before anything is written (text, JSON, or the -o file, which keeps its old content).
TEST(AuditCli, ObservationFileNotUtf8IsBadInput) {
    TempDir dir;
    write(dir / "f.geojson", "old");
    const std::filesystem::path reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(3));
    const std::string bad = (dir / "bad.csv").string();
    write(bad, obs_header + "370602-0001,N1,T1,pipe_tracing,I01;I02,2024-05-17\n" +
                   "370602-0002,N2,T\xff,pipe_tracing,I01;I02,2024-05-17\n");
    for (const char* format : {"text", "json"}) {
        const RunResult r = run_fuelmap({"audit", "-r", reg.string(), "--observations", bad, "--all",
                                         "--format", format, "-o", (dir / "f.geojson").string()});
        EXPECT_EQ(r.exit_code, 2) << format;
        EXPECT_EQ(r.out, "") << format;
        EXPECT_NE(
            r.err.find("bad.csv: line 3, field 'observed_tanks': is not valid UTF-8 (byte 0xFF at offset 1)"),
            std::string::npos)
            << r.err;
        EXPECT_EQ(read_file(dir / "f.geojson"), "old");
    }
    const RunResult r = run_fuelmap({"observe", "-r", reg.string(), bad});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("is not valid UTF-8"), std::string::npos) << r.err;
}

// JSON output is streamed finding by finding through a 1 MiB buffer. A registry edited by hand can
// still hold bytes that are not UTF-8: JSON, which cannot carry them, gets U+FFFD in their place
// (and stays one valid document); the text output keeps the bytes.
TEST(AuditCli, JsonReplacesInvalidUtf8FromTheRegistry) {
    TempDir dir;
    const std::filesystem::path reg = dir / "reg.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(700));
    fuelmap::testing::exec_sql(reg, "UPDATE nozzles SET grade = CAST(X'3935FF' AS TEXT) "
                                    "WHERE station_id = '370602-0700' AND nozzle_no = 'N2'");
    const std::string good = (dir / "good.csv").string();
    write(good, obs_header + "370602-0700,N2,T2,pipe_tracing,I01;I02,2024-05-17\n");
    RunResult r = run_fuelmap({"audit", "-r", reg.string(), "--observations", good, "--all"});
    ASSERT_NE(r.out.find("95\xff"), std::string::npos) << r.err;
    r = run_fuelmap({"audit", "-r", reg.string(), "--observations", good, "--all", "--format", "json"});
    ASSERT_NE(r.exit_code, 2) << r.err;
    ASSERT_GT(r.out.size(), 1u << 20) << "more than one flush of the buffer";
    const auto j = nlohmann::json::parse(r.out);
    bool found = false;
    for (const auto& f : j["findings"])
        if (f["station_id"] == "370602-0700" && f["element_no"] == "N2") {
            EXPECT_EQ(f["grade"], "95\xef\xbf\xbd");
            found = true;
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(j["stations"], 700);
}

// The JSON document is what dump(2) of the whole would give, with findings or without.
TEST(AuditCli, JsonIsOneDocumentWithOrWithoutFindings) {
    Workspace ws;
    write(ws.path("obs.csv"), obs_header + "370602-0001,N1,T1,pipe_tracing,I01,2024-05-17\n");
    for (bool problems : {false, true}) {
        std::vector<std::string> args = {
            "audit", "-r", ws.reg.string(), "--observations", ws.path("obs.csv"), "--format", "json"};
        if (problems)
            args.push_back("--problems");
        const RunResult r = run_fuelmap(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto j = nlohmann::ordered_json::parse(r.out);
        EXPECT_EQ(r.out, j.dump(2) + "\n");
        EXPECT_EQ(j["findings"].size(), problems ? 0u : 6u);
        EXPECT_EQ(j["summary"]["consistent"], 1);
        EXPECT_EQ(j["summary"]["unverified"], 5);
        EXPECT_EQ(j["critical"], 0);
    }
}
