// SPDX-License-Identifier: MIT
// In-process: every command's run_<verb>(options, out, err) on real files, with string streams, and
// run_guarded()'s mapping of what a command throws to exit codes. The binary runs beside these (the
// other files of tests/cli/) test the same commands through main().
#include "cli/command.hpp"
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/seed.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <new>
#include <sstream>
#include <stdexcept>

#include <sys/stat.h>

using namespace fuelmap;
using namespace fuelmap::cli;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

const std::string seed = "7f3a9c0e5b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a";

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// What a run_<verb> call gave.
struct Ran {
    int code = -1;
    std::string out, err;
};

template <class Options, class Run> Ran run(Run fn, const Options& opt) {
    std::ostringstream out, err;
    Ran r;
    r.code = fn(opt, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

// A registry of three sample stations (370602-0001 … 0003) on disk.
struct Registry3 {
    TempDir dir;
    std::string reg = (dir / "r.gpkg").string();
    Registry3() { create_registry(reg, fuelmap::testing::sample_registry(3)); }
    std::string path(const std::string& name) const { return (dir / name).string(); }
};

// Two teams of two, a window, a depot and two grades over the three stations.
void write_design(const Registry3& r, const std::string& round) {
    write(r.dir / "inspectors.csv", "id,name,unit,role\nI1,张三,370602,lead\nI2,李四,370611,member\n"
                                    "I3,王五,370612,lead\nI4,赵六,370699,member\n");
    write(r.dir / "design.json", R"({"round": ")" + round + R"(", "sample_size": 2, "grades": ["92#", "95#"],
        "inspectors": "inspectors.csv", "stations_per_day": 2, "depot": {"lon": "121.4", "lat": "37.5"},
        "window": {"start": "2026-03-02", "end": "2026-03-06"}})");
}

PlanCliOptions plan_options(const Registry3& r) {
    PlanCliOptions opt;
    opt.registry = r.reg;
    opt.design = r.path("design.json");
    opt.seed = seed;
    opt.output = r.path("plan.json");
    return opt;
}

} // namespace

TEST(RunGuarded, BadInputIsExitTwoAndAnInternalFaultExitThree) {
    std::ostringstream err;
    EXPECT_EQ(run_guarded(
                  "plan", [] { return exit_findings; }, err),
              exit_findings);
    EXPECT_EQ(err.str(), "");

    EXPECT_EQ(
        run_guarded(
            "plan", []() -> int { throw InputError({.file = "d.json", .field = "round"}, "missing"); }, err),
        exit_bad_input);
    EXPECT_EQ(err.str(), "fuelmap plan: error: d.json: field 'round': missing\n");

    err.str("");
    EXPECT_EQ(run_guarded(
                  "synth", []() -> int { throw UsageError("--stations: must be at least 1"); }, err),
              exit_bad_input);
    EXPECT_EQ(err.str(), "fuelmap synth: error: --stations: must be at least 1\n");

    err.str("");
    EXPECT_EQ(run_guarded(
                  "ledger", []() -> int { throw std::invalid_argument("stoll"); }, err),
              exit_internal_error);
    EXPECT_EQ(err.str(), "fuelmap ledger: internal error: stoll (this is a bug in fuelmap; please report it "
                         "with the command line)\n");

    err.str("");
    EXPECT_EQ(run_guarded(
                  "audit", []() -> int { throw std::bad_alloc(); }, err),
              exit_internal_error);
    EXPECT_THAT(err.str(), StartsWith("fuelmap audit: internal error: std::bad_alloc (this is a bug"));

    err.str("");
    EXPECT_EQ(run_guarded(
                  "show", []() -> int { throw 42; }, err),
              exit_internal_error);
    EXPECT_EQ(err.str(), "fuelmap show: internal error: an exception that is not a std::exception (this is a "
                         "bug in fuelmap; please report it with the command line)\n");
    EXPECT_EQ(exit_internal_error, 3);
}

TEST(RunValidate, CountsFindingsAndExitsOneOnErrors) {
    Registry3 r;
    ValidateCliOptions opt{.registry = r.reg, .quiet = true};
    Ran ok = run(run_validate, opt);
    EXPECT_EQ(ok.code, exit_ok);
    EXPECT_EQ(ok.out, "3 station(s) checked: 0 critical, 0 error(s), 0 warning(s)\n");
    EXPECT_EQ(ok.err, "");

    Registry reg = fuelmap::testing::sample_registry(1);
    Site bad = fuelmap::testing::sample_site("370611-0001");
    bad.nozzles[0].supply = {{"T3", 1.0}};
    reg.add(bad);
    create_registry(r.path("bad.gpkg"), reg);
    opt = {.registry = r.path("bad.gpkg"), .format = "json", .quiet = true};
    Ran found = run(run_validate, opt);
    EXPECT_EQ(found.code, exit_findings);
    const auto j = nlohmann::json::parse(found.out);
    EXPECT_EQ(j["summary"]["critical"], 1);
    EXPECT_EQ(j["findings"][0]["code"], "FM-SUPPLY-FAMILY-MISMATCH");

    opt = {.registry = r.reg, .stations = {"999999-0001"}};
    EXPECT_THROW_MSG((void)run(run_validate, opt), InputError, "999999-0001");
}

TEST(RunShow, PrintsOneStationAsTextOrJson) {
    Registry3 r;
    Ran text = run(run_show, ShowCliOptions{.registry = r.reg, .station = "370602-0002"});
    EXPECT_EQ(text.code, exit_ok);
    EXPECT_THAT(text.out, StartsWith("Station   370602-0002  中石化烟台芝罘加油站\n"));
    EXPECT_THAT(text.out, HasSubstr("  N1    92#      dispenser D1   point 1  <- T1\n"));
    Ran json = run(run_show, ShowCliOptions{.registry = r.reg, .station = "370602-0002", .format = "json"});
    EXPECT_EQ(nlohmann::json::parse(json.out)["nozzles"].size(), 6u);
    EXPECT_THROW_MSG((void)run(run_show, ShowCliOptions{.registry = r.reg, .station = "370602-0009"}),
                     InputError, "370602-0009");
}

TEST(RunExport, WritesTheLayersAndSaysWhere) {
    Registry3 r;
    ExportCliOptions opt{
        .registry = r.reg, .out = r.path("stations.geojson"), .layers = {"stations"}, .quiet = false};
    Ran ran = run(run_export, opt);
    EXPECT_EQ(ran.code, exit_ok);
    EXPECT_EQ(ran.out,
              "fuelmap export: 3 feature(s) written as GeoJSON to " + r.path("stations.geojson") + "\n");
    EXPECT_EQ(nlohmann::json::parse(read_file(r.path("stations.geojson")))["features"].size(), 3u);
    opt.quiet = true;
    opt.out = r.path("again.geojson");
    EXPECT_EQ(run(run_export, opt).out, "");
    opt.layers = {"pumps"};
    EXPECT_THROW_MSG((void)run(run_export, opt), Error, "pumps");
}

TEST(RunSynthAndImport, WriteARegistryAndReadLayoutsBack) {
    TempDir dir;
    SynthCliOptions synth{.stations = 4, .output = (dir / "s.gpkg").string()};
    Ran s = run(run_synth, synth);
    EXPECT_EQ(s.code, exit_ok);
    EXPECT_THAT(s.out, StartsWith("wrote " + synth.output + ": 4 stations, "));
    EXPECT_THAT(s.out, HasSubstr(" nozzles (seed 1)\n"));
    EXPECT_THROW_MSG((void)run(run_synth, synth), UsageError,
                     "-o " + synth.output + ": file exists (use --force to replace it)");
    synth.stations = 0;
    EXPECT_THROW_MSG((void)run(run_synth, synth), UsageError, "--stations: must be at least 1 (got 0)");
    synth = {.stations = 2, .output = (dir / "t.gpkg").string(), .scope = "mars"};
    EXPECT_THROW_MSG((void)run(run_synth, synth), UsageError, "--regions");

    ImportCliOptions imp{.sources = {fuelmap::testing::source_path("maps/example").string()},
                         .registry = (dir / "i.gpkg").string()};
    Ran i = run(run_import, imp);
    EXPECT_EQ(i.code, exit_ok) << i.err;
    EXPECT_THAT(
        i.out, MatchesRegex("fuelmap import: 30 station\\(s\\), [0-9]+ tank\\(s\\), [0-9]+ dispenser\\(s\\), "
                            "[0-9]+ nozzle\\(s\\) written to .*i\\.gpkg\n"));
    imp.registry = (dir / "j.gpkg").string();
    imp.max_file_size = "12X";
    EXPECT_THROW_MSG((void)run(run_import, imp), UsageError, "--max-file-size: unknown unit 'X' (K, M or G)");
    imp.max_file_size.clear();
    imp.sources = {(dir / "none.geojson").string()};
    EXPECT_THROW_MSG((void)run(run_import, imp), InputError, "none.geojson");
    EXPECT_FALSE(std::filesystem::exists(dir / "j.gpkg"));
}

TEST(RunDiagram, DrawsPagesQuietlyWhenNotOnATerminal) {
    Registry3 r;
    DiagramCliOptions opt{.registry = r.reg, .stations = {"370602-0001"}, .out_dir = r.path("d")};
    Ran ran = run(run_diagram, opt);
    EXPECT_EQ(ran.code, exit_ok);
    EXPECT_EQ(ran.out, "");
    EXPECT_EQ(ran.err, ""); // the summary is for a terminal only
    EXPECT_THAT(read_file(r.path("d/370602-0001.svg")), HasSubstr("<svg"));
    opt.lang = "fr";
    EXPECT_THROW_MSG((void)run(run_diagram, opt), UsageError, "--lang must be 'en' or 'zh', not 'fr'");
}

TEST(RunSeed, FreshSeedAndRfc3797Key) {
    Ran fresh = run(run_seed, SeedCliOptions{});
    EXPECT_THAT(fresh.out, MatchesRegex("seed [0-9a-f]{64}\ncommitment [0-9a-f]{64}\n"));
    const std::string s = fresh.out.substr(5, 64);
    EXPECT_EQ(fresh.out.substr(5 + 64 + 1 + 11, 64), seed_commitment(s));

    SeedCliOptions from{
        .action = SeedCliOptions::Action::from_sources, .json = true, .sources = {"9 18 26 34 41 45"}};
    const auto j = nlohmann::json::parse(run(run_seed, from).out);
    EXPECT_EQ(j["key"], "9.18.26.34.41.45./");
    EXPECT_EQ(j["commitment"], seed_commitment("9.18.26.34.41.45./"));
    from.sources = {"nine"};
    EXPECT_THROW_MSG((void)run(run_seed, from), InputError, "--source 1");
}

TEST(RunPlanVerifyLedgerStats, ARoundFromDrawToStatistics) {
    Registry3 r;
    write_design(r, "2026-Q1");
    PlanCliOptions opt = plan_options(r);
    opt.csv_dir = r.path("lists");
    opt.geojson = r.path("sel.geojson");
    Ran plan = run(run_plan, opt);
    ASSERT_EQ(plan.code, exit_ok) << plan.err;
    EXPECT_EQ(plan.err, "");
    const Plan p = read_plan(opt.output);
    EXPECT_EQ(plan.out, "round 2026-Q1: " + std::to_string(p.selections.size()) +
                            " stations (0 certainty) written to " + opt.output + "\nplan digest " + p.digest +
                            "\nregistry digest " + p.registry_digest +
                            "\nrecorded in the registry's plan table and ledger\n");
    // The field list of the first selection's team-day: header, then its rows in visiting order.
    const Selection& first = p.selections.front();
    const Route* route = nullptr;
    std::size_t stop = 0;
    for (const Route& candidate : p.routes)
        for (std::size_t i = 0; i < candidate.stations.size(); ++i)
            if (candidate.stations[i] == first.station_id) {
                route = &candidate;
                stop = i + 1;
            }
    ASSERT_NE(route, nullptr);
    const std::string list = read_file(r.path("lists/" + route->team + "_" + route->date + ".csv"));
    EXPECT_THAT(
        list,
        StartsWith("date,team,stop,station_id,name,address,grade,nozzle_no,nozzle_sample_id,claimed_tanks,"
                   "tank_sample_ids,alternates,reason\n" +
                   first.date + "," + first.team[0] + " " + first.team[1] + "," + std::to_string(stop) + "," +
                   first.station_id + ",中石化烟台芝罘加油站,山东省烟台市芝罘区南大街 100 号,92#," +
                   first.samples[0].nozzle_no + "," + first.samples[0].nozzle_sample_id + ",T1," +
                   first.samples[0].tank_sample_ids[0] + ","));
    const auto geo = nlohmann::json::parse(read_file(opt.geojson));
    EXPECT_EQ(geo["name"], "2026-Q1");
    EXPECT_EQ(geo["features"][0]["properties"]["station_id"], first.station_id);
    EXPECT_EQ(geo["features"][0]["properties"]["samples"],
              "92# " + first.samples[0].nozzle_no + ", 95# " + first.samples[1].nozzle_no);

    EXPECT_THROW_MSG((void)run(run_plan, plan_options(r)), InputError,
                     "a plan for round '2026-Q1' is already recorded (digest " + p.digest + ")");

    Ran verified = run(run_verify, VerifyCliOptions{.plan = opt.output, .registry = r.reg});
    EXPECT_EQ(verified.code, exit_ok);
    EXPECT_EQ(verified.out, opt.output + ": verified: identical to the plan recomputed from " + r.reg + "\n");

    Ran ledger = run(run_ledger, LedgerCliOptions{.registry = r.reg});
    EXPECT_EQ(ledger.code, exit_ok);
    EXPECT_EQ(ledger.out, r.reg + ": ledger intact, 1 entries, every record bound\n");

    Ran stats = run(run_stats, StatsCliOptions{.registry = r.reg, .round = "2026-Q1"});
    EXPECT_EQ(stats.code, exit_ok);
    EXPECT_THAT(stats.out, StartsWith("round 2026-Q1\n"));
    EXPECT_THAT(stats.out, HasSubstr("no estimate: no random pick was audited\n"));
    EXPECT_THROW_MSG((void)run(run_stats, StatsCliOptions{.registry = r.reg, .round = "2031-Q9"}), InputError,
                     "2031-Q9");

    PublishCliOptions publish;
    publish.request.registry = r.reg;
    publish.request.round = "2026-Q1";
    publish.request.output = r.path("site");
    Ran published = run(run_publish, publish);
    EXPECT_EQ(published.code, exit_ok);
    EXPECT_THAT(published.out, StartsWith("published round 2026-Q1 in " + r.path("site") +
                                          " (10 files; open index.html)\n"));
    EXPECT_THAT(published.out, HasSubstr(sha256_hex(read_file(opt.output)) + "  plan.json\n"));
    EXPECT_EQ(read_file(r.path("site/plan.json")), read_file(opt.output));
    publish.request.round = "2031-Q9";
    EXPECT_THROW_MSG((void)run(run_publish, publish), InputError, "round '2031-Q9' has no recorded plan");

    write_design(r, "2026-Q2");
    PlanCliOptions digest_only = plan_options(r);
    digest_only.frame_digest_only = true;
    EXPECT_THAT(run(run_plan, digest_only).out, MatchesRegex("[0-9a-f]{64}\n"));
    PlanCliOptions two_seeds = plan_options(r);
    two_seeds.seed_file = r.path("seed.txt");
    EXPECT_THROW_MSG((void)run(run_plan, two_seeds), UsageError,
                     "give exactly one of --seed and --seed-file");
}

TEST(RunPlan, AFieldListDirectoryThatCannotBeMadeIsBadInputNotAFault) {
    Registry3 r;
    write_design(r, "2026-Q1");
    write(r.dir / "file", "x");
    PlanCliOptions opt = plan_options(r);
    opt.csv_dir = r.path("file/lists");
    EXPECT_THROW_MSG((void)run(run_plan, opt), InputError,
                     r.path("file/lists") + ": cannot create the directory");
    EXPECT_FALSE(std::filesystem::exists(opt.output));
    // The binary: exit 2 with the message, and the round is not recorded.
    auto bin = run_fuelmap({"plan", "-r", r.reg, "--design", opt.design, "--seed", seed, "-o", opt.output,
                            "--csv-dir", opt.csv_dir});
    EXPECT_EQ(bin.exit_code, 2);
    EXPECT_EQ(bin.err, "fuelmap plan: error: " + r.path("file/lists") +
                           ": cannot create the directory: Not a directory\n");
    EXPECT_TRUE(read_recorded_plans(r.reg).empty());
}

TEST(RunObserveLabAudit, EvidenceInAndFindingsOut) {
    Registry3 r;
    write(r.dir / "obs.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                             "370602-0001,N2,T1,dispense_and_watch_gauge,I01;I02,2024-05-17\n");
    Ran observed = run(run_observe, ObserveCliOptions{.registry = r.reg, .file = r.path("obs.csv")});
    EXPECT_EQ(observed.code, exit_ok);
    EXPECT_EQ(observed.out, "recorded 1 observation(s) from " + r.path("obs.csv") + " in " + r.reg +
                                " (one ledger entry each)\n");
    write(r.dir / "obs2.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                              "370602-0001,N5,T2,pipe_tracing,I01;I02,2024-05-17\n");
    Ran quiet =
        run(run_observe, ObserveCliOptions{.registry = r.reg, .file = r.path("obs2.csv"), .quiet = true});
    EXPECT_EQ(quiet.code, exit_ok);
    EXPECT_EQ(quiet.out, "");

    AuditCliOptions audit;
    audit.request.registry = r.reg;
    audit.problems_only = true;
    Ran text = run(run_audit, audit);
    EXPECT_EQ(text.code, exit_findings);
    EXPECT_THAT(text.out, StartsWith("station 370602-0001\n  CRITICAL cross-connection  nozzle N2 (95#): "));
    EXPECT_THAT(text.out,
                HasSubstr("\n1 station(s) audited: 1 consistent, 1 cross-connection, 0 transposition, "));
    EXPECT_THAT(text.out, HasSubstr("; 1 critical\n"));
    EXPECT_THAT(text.out, Not(HasSubstr("  consistent  nozzle N5")))
        << "--problems leaves consistent findings out";
    audit.format = "json";
    audit.output = r.path("findings.geojson");
    Ran json = run(run_audit, audit);
    EXPECT_EQ(json.code, exit_findings);
    const auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["registry"], r.reg);
    EXPECT_TRUE(j["round"].is_null());
    EXPECT_EQ(j["findings"].size(), 1u);
    EXPECT_EQ(j["summary"].size(), 9u); // one count per audit class
    EXPECT_EQ(j["critical"], 1);
    std::size_t findings = 0;
    for (const auto& [cls, n] : j["summary"].items())
        findings += n.get<std::size_t>();
    EXPECT_EQ(nlohmann::json::parse(read_file(audit.output))["features"].size(), findings)
        << "-o has every finding, --problems or not";
    audit.request.round = "2031-Q9";
    EXPECT_THROW_MSG((void)run(run_audit, audit), InputError, "2031-Q9");

    // Lab results of a recorded plan's samples; a sample id in no plan is refused.
    Plan plan;
    plan.format_version = "1";
    plan.round = "2024-R1";
    Selection sel;
    sel.station_id = "370602-0001";
    sel.stratum = "370602|major";
    sel.reason = "random";
    sel.inclusion_probability = "1/3";
    PlannedSample sample;
    sample.grade = "95#";
    sample.nozzle_no = "N2";
    sample.nozzle_sample_id = "S-95-N";
    sample.claimed_tanks = {{"T2", 1.0}};
    sample.tank_sample_ids = {"S-95-T"};
    sel.samples.push_back(sample);
    plan.selections.push_back(sel);
    record_plan(r.reg, plan);
    const std::string lab_header =
        "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n";
    write(r.dir / "lab.csv", lab_header + "S-95-N,370602-0001,nozzle,N2,,,RON,95.3,-,GB/T 5487,L1\n");
    Ran lab = run(run_lab, LabCliOptions{.registry = r.reg, .file = r.path("lab.csv")});
    EXPECT_EQ(lab.code, exit_ok);
    EXPECT_EQ(lab.out, "recorded 1 lab result(s) from " + r.path("lab.csv") + " in " + r.reg +
                           " (one ledger entry each)\n");
    write(r.dir / "bad.csv", lab_header + "X-1,370602-0001,nozzle,N2,,,RON,92.3,-,GB/T 5487,L1\n");
    EXPECT_THROW_MSG((void)run(run_lab, LabCliOptions{.registry = r.reg, .file = r.path("bad.csv")}),
                     InputError, "sample 'X-1' is in no recorded plan");
}

TEST(CliInputs, AFifoOrDeviceIsRefusedAtOnceNamingIt) {
    Registry3 r;
    const std::string fifo = r.path("plan.fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // No writer ever opens the FIFO: reading it would block for ever.
    auto verify = run_fuelmap({"verify", fifo, "-r", r.reg});
    EXPECT_EQ(verify.exit_code, 2);
    EXPECT_EQ(verify.err,
              "fuelmap verify: error: " + fifo +
                  ": cannot read the plan file: it is not a regular file (a directory, FIFO or device)\n");
    auto plan =
        run_fuelmap({"plan", "-r", r.reg, "--design", "/dev/zero", "--seed", seed, "-o", r.path("p.json")});
    EXPECT_EQ(plan.exit_code, 2);
    EXPECT_EQ(plan.err,
              "fuelmap plan: error: /dev/zero: cannot read the design file: it is not a regular file (a "
              "directory, FIFO or device)\n");
    EXPECT_FALSE(std::filesystem::exists(r.path("p.json")));
}
