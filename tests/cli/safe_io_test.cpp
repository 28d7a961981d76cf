// SPDX-License-Identifier: MIT
// End-to-end (issue 12, problems 6-10): outputs never replace inputs or device nodes, outputs are
// written whole or not at all (a full disk included), CSV cells and file names are safe for people,
// values are exact, and special files as inputs are refused at once.
#include "testing/testing.hpp"

#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <set>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

const std::string seed = "7f3a9c0e5b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a";

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A registry of 6 stations with a design that draws all of them, and inspectors with hostile ids.
struct Round {
    TempDir dir;
    std::string reg = (dir / "r.gpkg").string();
    std::string design = (dir / "design.json").string();
    std::string plan = (dir / "plan.json").string();

    explicit Round(const std::string& inspector_ids = "I1,I2,I3,I4") {
        Registry data = fuelmap::testing::sample_registry(6);
        Registry named;
        int i = 0;
        for (Site s : data.sites()) {
            static const char* names[] = {
                "=HYPERLINK(\"http://x\",\"y\")", "+SUM(1,2)", "@SUM(1)", "-2+3", "'quoted", "普通站"};
            s.station.name = names[i++ % 6];
            named.add(std::move(s));
        }
        create_registry(reg, named);
        std::string csv = "id,name,unit,role\n";
        std::size_t k = 0, start = 0;
        for (std::size_t end = 0; end != std::string::npos; start = end + 1, ++k) {
            end = inspector_ids.find(',', start);
            csv += inspector_ids.substr(start, end - start) + ",N" + std::to_string(k) + ",370699," +
                   (k % 2 == 0 ? "lead" : "member") + "\n";
        }
        write(dir / "inspectors.csv", csv);
        write(design, R"({"round": "R1", "sample_size": 6, "grades": ["92#"], "inspectors": "inspectors.csv",
            "stations_per_day": 2, "depot": {"lon": "121.4", "lat": "37.5"},
            "window": {"start": "2026-03-02", "end": "2026-03-06"}})");
    }
    RunResult run_plan(const std::vector<std::string>& extra) const {
        std::vector<std::string> args{"plan", "-r", reg, "--design", design, "--seed", seed};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_fuelmap(args);
    }
};

// A small tmpfs mounted for the test (as root), unmounted with the object; skipped() when it cannot be.
struct SmallDisk {
    TempDir dir;
    std::filesystem::path root = dir / "disk";
    bool mounted = false;
    explicit SmallDisk(const char* size = "size=64k") {
        std::filesystem::create_directories(root);
        mounted = ::mount("tmpfs", root.c_str(), "tmpfs", 0, size) == 0;
    }
    ~SmallDisk() {
        if (mounted)
            ::umount2(root.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    // Fills the disk but for @p spare bytes, so that the next large write fails.
    void fill(std::uintmax_t spare = 0) const {
        {
            std::ofstream f(root / "filler", std::ios::binary);
            const std::string block(512, 'x');
            while (f.write(block.data(), static_cast<std::streamsize>(block.size())))
                f.flush();
        }
        const std::uintmax_t size = std::filesystem::file_size(root / "filler");
        std::filesystem::resize_file(root / "filler", size > spare ? size - spare : 0);
    }
    void unfill() const { std::filesystem::remove(root / "filler"); }
};

} // namespace

// ----- 6: outputs that would destroy inputs -----

TEST(SafeOutputs, NoOutputOfPlanReplacesTheRegistryOrAnInput) {
    Round s;
    const std::string before = read_file(s.reg);
    std::filesystem::create_symlink(s.reg, s.dir / "link.gpkg");
    std::filesystem::create_hard_link(s.reg, s.dir / "hard.gpkg");
    for (const std::vector<std::string>& extra : {std::vector<std::string>{"-o", s.reg},
                                                  {"-o", (s.dir / "link.gpkg").string()},
                                                  {"-o", (s.dir / "hard.gpkg").string()},
                                                  {"-o", s.plan, "--geojson", s.reg},
                                                  {"-o", s.design}}) {
        const RunResult r = s.run_plan(extra);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_TRUE(contains(r.err, "the output would replace the ")) << r.err;
        EXPECT_TRUE(contains(r.err, "(the same file)")) << r.err;
    }
    const RunResult r = s.run_plan({"-o", s.reg});
    EXPECT_TRUE(contains(r.err, s.reg + ": the output would replace the registry '" + s.reg + "'")) << r.err;
    EXPECT_EQ(read_file(s.reg), before);
    EXPECT_TRUE(read_recorded_plans(s.reg).empty());
}

TEST(SafeOutputs, OtherCommandsNeverReplaceTheRegistry) {
    Round s;
    ASSERT_EQ(s.run_plan({"-o", s.plan}).exit_code, 0);
    const std::string before = read_file(s.reg);
    const std::vector<std::vector<std::string>> runs = {
        {"stats", "-r", s.reg, "--round", "R1", "--plot", s.reg},
        {"audit", "-r", s.reg, "--all", "-o", s.reg},
        {"export", "-r", s.reg, "-o", s.reg, "-f", "GPKG"},
        {"export", "-r", s.reg, "-o", (s.dir / "hard2.gpkg").string(), "-f", "GPKG"},
    };
    std::filesystem::create_hard_link(s.reg, s.dir / "hard2.gpkg");
    for (const auto& args : runs) {
        const RunResult r = run_fuelmap(args);
        EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
        EXPECT_TRUE(contains(r.err, "would replace the registry")) << r.err;
        EXPECT_EQ(read_file(s.reg), before) << args[0];
    }
    // import: the registry written is never a source it reads; synth --force never replaces a device.
    const RunResult imp = run_fuelmap({"import", s.reg, "-r", s.reg, "--append"});
    EXPECT_EQ(imp.exit_code, 2) << imp.err;
    EXPECT_TRUE(contains(imp.err, s.reg + ": the output would replace the source '" + s.reg + "'"))
        << imp.err;
    const RunResult syn = run_fuelmap({"synth", "--stations", "2", "-o", "/dev/full", "--force"});
    EXPECT_EQ(syn.exit_code, 2) << syn.err;
    EXPECT_TRUE(contains(syn.err, "/dev/full: the output is a character device")) << syn.err;
    EXPECT_TRUE(std::filesystem::is_character_file("/dev/full"));
    // seed new -o never replaces any file.
    const RunResult seed_run = run_fuelmap({"seed", "new", "-o", s.reg});
    EXPECT_EQ(seed_run.exit_code, 2) << seed_run.err;
    EXPECT_TRUE(contains(seed_run.err, s.reg + ": the file exists; `seed new` never replaces a file"))
        << seed_run.err;
    EXPECT_EQ(read_file(s.reg), before);
    // diagram: the registry as the output directory, and the plan's own file name as an output.
    const RunResult d = run_fuelmap({"diagram", "-r", s.reg, "-o", s.reg});
    EXPECT_EQ(d.exit_code, 2) << d.err;
    EXPECT_TRUE(contains(d.err, "the output directory is the registry")) << d.err;
    EXPECT_EQ(read_file(s.reg), before);
}

TEST(SafeOutputs, DeviceNodesAndFifosAreRefusedAsOutputs) {
    Round s;
    const std::string fifo = (s.dir / "fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const std::string& target : {std::string("/dev/full"), std::string("/dev/null"), fifo}) {
        struct stat before {};
        ASSERT_EQ(::stat(target.c_str(), &before), 0);
        const RunResult r = s.run_plan({"-o", target, "--dry-run"});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_TRUE(contains(r.err, target + ": the output is a ")) << r.err;
        EXPECT_TRUE(contains(r.err, "not a regular file")) << r.err;
        struct stat after {};
        ASSERT_EQ(::stat(target.c_str(), &after), 0);
        EXPECT_EQ(before.st_ino, after.st_ino) << target;
        EXPECT_EQ(before.st_mode, after.st_mode) << target;
    }
    const RunResult st = run_fuelmap({"seed", "new", "-o", "/dev/full"});
    EXPECT_EQ(st.exit_code, 2);
    EXPECT_TRUE(contains(st.err, "/dev/full: the output is a character device")) << st.err;
}

// ----- 7: injection and collisions -----

TEST(SafeFiles, FieldListCellsNeverRunAsFormulas) {
    Round s;
    const std::string lists = (s.dir / "lists").string();
    const RunResult r = s.run_plan({"-o", s.plan, "--csv-dir", lists});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string all;
    for (const auto& e : std::filesystem::directory_iterator(lists))
        all += read_file(e.path());
    EXPECT_TRUE(contains(all, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")) << all;
    EXPECT_TRUE(contains(all, "\"'+SUM(1,2)\"")) << all;
    EXPECT_TRUE(contains(all, ",'@SUM(1),")) << all;
    EXPECT_TRUE(contains(all, ",'-2+3,")) << all;
    EXPECT_TRUE(contains(all, ",''quoted,")) << all;
    EXPECT_TRUE(contains(all, ",普通站,")) << all;
    for (const std::string bad : {",=", ",+", ",@", ",-2", "\"=", "\"+"})
        EXPECT_FALSE(contains(all, bad)) << bad << "\n" << all;
}

TEST(SafeFiles, ExportAndAuditCsvNeutraliseCellsAndExportReadsBack) {
    Round s;
    const std::string csv = (s.dir / "stations.csv").string();
    RunResult r = run_fuelmap({"export", "-r", s.reg, "--layer", "stations", "-o", csv});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = read_file(csv);
    EXPECT_TRUE(contains(text, "'=HYPERLINK")) << text;
    EXPECT_TRUE(contains(text, "'+SUM(1,2)")) << text;
    EXPECT_FALSE(contains(text, ",=HYPERLINK")) << text;
    EXPECT_FALSE(contains(text, "\"=HYPERLINK")) << text;
    // Read back, the names are what they were.
    const std::string back = (s.dir / "back.gpkg").string();
    r = run_fuelmap({"import", csv, "-r", back});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry reg = read_registry(back);
    ASSERT_NE(reg.find("370602-0001"), nullptr);
    EXPECT_EQ(reg.find("370602-0001")->station.name, "=HYPERLINK(\"http://x\",\"y\")");
    EXPECT_EQ(reg.find("370602-0005")->station.name, "'quoted");

    write(s.dir / "obs.csv", "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                             "370602-0001,N1,T1,pipe_tracing,=cmd|' /C calc'!A0;I2,2024-05-17\n");
    ASSERT_EQ(run_fuelmap({"observe", "-r", s.reg, (s.dir / "obs.csv").string()}).exit_code, 0);
    const std::string findings = (s.dir / "findings.csv").string();
    r = run_fuelmap({"audit", "-r", s.reg, "--all", "-o", findings, "-f", "CSV"});
    ASSERT_LE(r.exit_code, 1) << r.err;
    const std::string audit = read_file(findings);
    EXPECT_TRUE(contains(audit, "370602-0001")) << audit;
    for (const std::string bad : {",=", ",+", ",@", "\"="})
        EXPECT_FALSE(contains(audit, bad)) << bad << "\n" << audit;
}

TEST(SafeFiles, InspectorIdsNeverLeaveTheFieldListDirectory) {
    Round s("x/../../../pwned,I2,a_b,I4");
    const std::filesystem::path lists = s.dir / "deep" / "lists";
    const RunResult r = s.run_plan({"-o", s.plan, "--csv-dir", lists.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(s.dir / "pwned.csv"));
    EXPECT_FALSE(std::filesystem::exists(s.dir.path().parent_path() / "pwned.csv"));
    std::size_t files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(s.dir.path())) {
        if (e.path().extension() != ".csv" || e.path().filename() == "inspectors.csv")
            continue;
        ++files;
        EXPECT_EQ(e.path().parent_path(), lists) << e.path();
        // One list per team-day, named after the team and the day (TEAM_DATE.csv), never an id.
        EXPECT_NE(e.path().filename().string().find("_2026-03-0"), std::string::npos) << e.path();
    }
    EXPECT_GT(files, 0u);
}

TEST(SafeFiles, StationIdsThatSanitiseAlikeGetDistinctDiagramFiles) {
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    Registry data;
    for (const char* id : {"a/b", "a_b", "a:b", "a b", "../x"}) {
        Site s = fuelmap::testing::sample_site("370602-0001");
        s.station.station_id = id;
        data.add(std::move(s));
    }
    create_registry(reg, data);
    const std::string out = (dir / "d").string();
    const RunResult r = run_fuelmap({"diagram", "-r", reg, "-o", out, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(out))
        names.insert(e.path().filename().string());
    EXPECT_EQ(names.size(), 5u);
    EXPECT_TRUE(names.count("a_b.svg")) << ::testing::PrintToString(names);
    for (const std::string& n : names) {
        EXPECT_NE(n.front(), '.') << n;
        EXPECT_EQ(n.find('/'), std::string::npos) << n;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "x.svg"));
    // The same registry gives the same names.
    const std::string out2 = (dir / "d2").string();
    ASSERT_EQ(run_fuelmap({"diagram", "-r", reg, "-o", out2, "-q"}).exit_code, 0);
    std::set<std::string> again;
    for (const auto& e : std::filesystem::directory_iterator(out2))
        again.insert(e.path().filename().string());
    EXPECT_EQ(names, again);
}

// ----- 8: full disk -----

TEST(FullDisk, ExportGeoJsonGpkgAndAuditFailNamingTheFileAndLeaveNothing) {
    SmallDisk disk("size=256k");
    if (!disk.mounted)
        GTEST_SKIP() << "cannot mount a small tmpfs (needs root): the full-disk tests did not run";
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    create_registry(reg, fuelmap::testing::sample_registry(200));
    write(disk.root / "old.geojson", "old");
    const std::set<std::string> before = {"filler", "old.geojson"};
    for (const auto& [out, format] :
         std::vector<std::pair<std::string, std::string>>{{(disk.root / "out").string(), "GeoJSON"},
                                                          {(disk.root / "old.geojson").string(), "GeoJSON"},
                                                          {(disk.root / "out.gpkg").string(), "GPKG"},
                                                          {(disk.root / "out.csv").string(), "CSV"}}) {
        disk.fill(16384);
        std::vector<std::string> args{"export", "-r", reg, "-o", out, "-f", format, "-q"};
        if (format != "GPKG")
            args.insert(args.end(), {"--layer", "nozzles"});
        const RunResult r = run_fuelmap(args);
        EXPECT_EQ(r.exit_code, 2) << format << ": " << r.err;
        EXPECT_TRUE(contains(r.err, out)) << r.err;
        EXPECT_TRUE(contains(r.err, "full")) << r.err; // the disk is full / database or disk is full
        std::set<std::string> left;
        for (const auto& e : std::filesystem::directory_iterator(disk.root))
            left.insert(e.path().filename().string());
        EXPECT_EQ(left, before) << format << ": " << ::testing::PrintToString(left);
        EXPECT_EQ(read_file(disk.root / "old.geojson"), "old");
        disk.unfill();
    }
    disk.fill(16384);
    const std::string findings = (disk.root / "findings.geojson").string();
    const RunResult a = run_fuelmap({"audit", "-r", reg, "--all", "-o", findings});
    EXPECT_EQ(a.exit_code, 2) << a.err;
    EXPECT_TRUE(contains(a.err, findings + ": cannot write: the disk is full")) << a.err;
    EXPECT_FALSE(std::filesystem::exists(findings));
}

TEST(FullDisk, DiagramPdfNamesTheFileThatFailedAndPutsNoTruncatedPdfInPlace) {
    SmallDisk disk("size=48k");
    if (!disk.mounted)
        GTEST_SKIP() << "cannot mount a small tmpfs (needs root): the full-disk tests did not run";
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    create_registry(reg, fuelmap::testing::sample_registry(4));
    const std::string out = (disk.root / "d").string();
    const RunResult r = run_fuelmap({"diagram", "-r", reg, "-o", out, "--format", "pdf", "-q"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "cannot write the PDF: the disk is full")) << r.err;
    // Every PDF in place is whole (ends with %%EOF), and the one named failed is absent.
    for (const auto& e : std::filesystem::directory_iterator(out)) {
        const std::string pdf = read_file(e.path());
        EXPECT_EQ(e.path().extension(), ".pdf") << e.path();
        EXPECT_TRUE(contains(pdf.substr(pdf.size() > 64 ? pdf.size() - 64 : 0), "%%EOF")) << e.path();
        EXPECT_FALSE(contains(r.err, e.path().string() + ":")) << r.err;
    }
}

TEST(FullDisk, SeedPlotAndPlanOutputsSayTheDiskIsFull) {
    SmallDisk disk("size=16k");
    if (!disk.mounted)
        GTEST_SKIP() << "cannot mount a small tmpfs (needs root): the full-disk tests did not run";
    Round s;
    disk.fill();
    const std::string plan = (disk.root / "plan.json").string();
    RunResult r = s.run_plan({"-o", plan});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, plan + ": cannot write the file: the disk is full")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(plan));
    EXPECT_TRUE(read_recorded_plans(s.reg).empty());
    const std::string seed_file = (disk.root / "seed.txt").string();
    r = run_fuelmap({"seed", "new", "-o", seed_file});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, seed_file + ": cannot write the file: the disk is full")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(seed_file));
    // stats --plot of a round recorded elsewhere.
    ASSERT_EQ(s.run_plan({"-o", s.plan}).exit_code, 0);
    const std::string plot = (disk.root / "plot.svg").string();
    r = run_fuelmap({"stats", "-r", s.reg, "--round", "R1", "--plot", plot});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, plot + ": cannot write the file: the disk is full")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(plot));
}

// ----- 9 and 10: exact values, clear errors, special inputs -----

TEST(ExactValues, ImpossibleDatesNulBytesAndHugeIntegersAreBadInput) {
    Round s;
    const std::string header = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
    write(s.dir / "feb30.csv", header + "370602-0001,N1,T1,pipe_tracing,I1;I2,2026-02-30\n");
    RunResult r = run_fuelmap({"observe", "-r", s.reg, (s.dir / "feb30.csv").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "feb30.csv: line 2, feature (370602-0001/N1), field 'observed_at'")) << r.err;
    write(s.dir / "leap.csv", header + "370602-0001,N1,T1,pipe_tracing,I1;I2,2024-02-29\n");
    EXPECT_EQ(run_fuelmap({"observe", "-r", s.reg, (s.dir / "leap.csv").string()}).exit_code, 0);

    std::string with_nul = header + "370602-0001,N1";
    with_nul.push_back('\0');
    with_nul += "X,T1,pipe_tracing,I1;I2,2024-05-17\n";
    write(s.dir / "nul.csv", with_nul);
    r = run_fuelmap({"observe", "-r", s.reg, (s.dir / "nul.csv").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "nul.csv: line 2: a NUL byte")) << r.err;

    write(s.dir / "nul.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":)"
          R"({"station_id":"370602-0001","nozzle_no":"N1\u0000X","observed_tanks":"T1",)"
          R"("method":"pipe_tracing","inspectors":"I1","observed_at":"2024-05-17"}}]})");
    r = run_fuelmap({"observe", "-r", s.reg, (s.dir / "nul.geojson").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "nul.geojson: line 1: a \\u0000 (NUL)")) << r.err;

    write(s.dir / "big.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",)"
          R"("coordinates":[121.4,37.5]},"properties":{"station_id":"X-1","annual_volume_m3":)"
          R"(100000000000000000000000000}}]})");
    r = run_fuelmap({"import", (s.dir / "big.geojson").string(), "-r", (s.dir / "big.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "field 'annual_volume_m3': integer out of range")) << r.err;
    EXPECT_FALSE(std::filesystem::exists(s.dir / "big.gpkg"));
}

TEST(ExactValues, GeoJsonObservationDatesAreKeptAsWritten) {
    Round s;
    write(s.dir / "obs.geojson",
          R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":)"
          R"({"station_id":"370602-0001","nozzle_no":"N1","observed_tanks":"T1","method":"pipe_tracing",)"
          R"("inspectors":"I1;I2","observed_at":"2026-12-02T09:10:00+08:00"}},)"
          R"({"type":"Feature","geometry":null,"properties":)"
          R"({"station_id":"370602-0001","nozzle_no":"N2","observed_tanks":"T2","method":"pipe_tracing",)"
          R"("inspectors":"I1;I2","observed_at":"2026-12-02"}}]})");
    const RunResult r = run_fuelmap({"observe", "-r", s.reg, (s.dir / "obs.geojson").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const RunResult a = run_fuelmap({"audit", "-r", s.reg, "370602-0001", "--format", "json"});
    EXPECT_TRUE(contains(a.out, "2026-12-02T09:10:00+08:00")) << a.out;
    // The same from a GeoPackage (GDAL types the field as a date-time there).
    const std::string gpkg = (s.dir / "obs.gpkg").string();
    ASSERT_EQ(std::system(("ogr2ogr -f GPKG " + gpkg + " " + (s.dir / "obs.geojson").string() +
                           " -nln obs -sql \"SELECT station_id, 'N3' AS nozzle_no, observed_tanks, method, "
                           "inspectors, CAST(observed_at AS timestamp) AS observed_at FROM obs\" "
                           ">/dev/null 2>&1")
                              .c_str()),
              0);
    const RunResult g = run_fuelmap({"audit", "-r", s.reg, "--observations", gpkg, "370602-0001"});
    EXPECT_LE(g.exit_code, 1) << g.err;
    EXPECT_FALSE(contains(g.err, "not an ISO 8601")) << g.err;
}

TEST(ExactValues, DuplicateKeysAndDeepNestingInJsonAreBadInput) {
    Round s;
    write(s.design, R"({"round": "R1", "sample_size": 6, "sample_size": 2, "grades": ["92#"]})");
    RunResult r = s.run_plan({"-o", s.plan});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, s.design + ": field 'sample_size': the key appears twice")) << r.err;
    std::string deep = R"({"round": "R1", "x": )";
    for (int i = 0; i < 20000; ++i)
        deep += "[";
    for (int i = 0; i < 20000; ++i)
        deep += "]";
    write(s.design, deep + "}");
    const auto start = std::chrono::steady_clock::now();
    r = s.run_plan({"-o", s.plan});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, s.design + ": JSON nested more than 64 levels deep")) << r.err;
}

TEST(ClearErrors, FifoAndDeviceInputsAreRefusedAtOnce) {
    Round s;
    const std::string fifo = (s.dir / "obs.csv").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    RunResult r = run_fuelmap({"observe", "-r", s.reg, fifo});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, fifo + ": the input is a FIFO (named pipe), not a regular file")) << r.err;
    r = run_fuelmap({"import", "/dev/zero", "-r", (s.dir / "n.gpkg").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "/dev/zero: the input is a character device")) << r.err;
    r = run_fuelmap({"lab", "-r", s.reg, "/dev/zero"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "/dev/zero: the input is a character device")) << r.err;
}

TEST(ClearErrors, AStationAlreadyInTheRegistryNamesTheSourceFile) {
    Round s;
    const std::string src = (s.dir / "again.geojson").string();
    ASSERT_EQ(run_fuelmap({"export", "-r", s.reg, "--layer", "stations", "-o", src, "-q"}).exit_code, 0);
    const std::string before = read_file(s.reg);
    const RunResult r = run_fuelmap({"import", src, "-r", s.reg, "--append"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, src +
                                    ": layer 'stations', feature 0 (370602-0001), field 'station_id': "
                                    "station id '370602-0001' is already in the registry " +
                                    s.reg))
        << r.err;
    EXPECT_EQ(read_file(s.reg), before);
}
