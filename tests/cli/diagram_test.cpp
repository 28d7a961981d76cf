// SPDX-License-Identifier: MIT
// End-to-end tests of `fuelmap diagram` on registries written to disk.
#include "testing/diagram_checks.hpp"
#include "testing/testing.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/synth.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>

using namespace fuelmap;
using namespace fuelmap::testing;
namespace fs = std::filesystem;

namespace {

// Three sample stations, one busy surveyed station and one busy station without positions.
Registry test_registry() {
    Registry r = sample_registry(3);
    r.add(big_site("370602-0900", true));
    r.add(big_site("370602-0901", false));
    return r;
}

class DiagramCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_reg = (m_dir / "reg.gpkg").string();
        create_registry(m_reg, test_registry());
    }
    TempDir m_dir;
    std::string m_reg;
};

std::string command_output(const std::string& cmd) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(cmd.c_str(), "r"), ::pclose);
    if (!p)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p.get())) > 0)
        out.append(buf, n);
    return out;
}

} // namespace

TEST_F(DiagramCli, SvgForEveryStationPassesTheChecks) {
    const fs::path out = m_dir / "svg";
    RunResult r = run_fuelmap({"diagram", "-r", m_reg, "-o", out.string(), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    const Registry reg = test_registry();
    for (const Site& site : reg.sites()) {
        const fs::path file = out / (site.station.station_id + ".svg");
        ASSERT_TRUE(fs::exists(file)) << file;
        SCOPED_TRACE(file.string());
        const std::string svg = read_file(file);
        check_station_svg(svg, site);
        EXPECT_NE(svg.find(">" + site.station.name + "</text>"), std::string::npos);
        // The registry file's digest is printed.
        EXPECT_NE(svg.find("Registry file SHA-256"), std::string::npos);
    }
}

TEST_F(DiagramCli, SelectedStationsOnlyAndDeterministic) {
    const fs::path a = m_dir / "a";
    const fs::path b = m_dir / "b";
    ASSERT_EQ(run_fuelmap({"diagram", "-r", m_reg, "370602-0002", "-o", a.string(), "-q"}).exit_code, 0);
    ASSERT_EQ(run_fuelmap({"diagram", "-r", m_reg, "370602-0002", "-o", b.string(), "-q"}).exit_code, 0);
    EXPECT_TRUE(fs::exists(a / "370602-0002.svg"));
    EXPECT_FALSE(fs::exists(a / "370602-0001.svg"));
    EXPECT_EQ(read_file(a / "370602-0002.svg"), read_file(b / "370602-0002.svg"));
    ASSERT_EQ(run_fuelmap({"diagram", "-r", m_reg, "370602-0002", "-o", b.string(), "-q", "--date",
                           "2026-11-22", "--lang", "zh"})
                  .exit_code,
              0);
    const std::string zh = read_file(b / "370602-0002.svg");
    EXPECT_NE(zh.find(">2026-11-22</text>"), std::string::npos);
    EXPECT_NE(zh.find(">图例</text>"), std::string::npos);
}

TEST_F(DiagramCli, SvgRendersToPng) {
    const fs::path out = m_dir / "png";
    ASSERT_EQ(run_fuelmap({"diagram", "-r", m_reg, "370602-0900", "-o", out.string(), "-q"}).exit_code, 0);
    const std::string svg = (out / "370602-0900.svg").string();
    const std::string png = (out / "370602-0900.png").string();
    const std::string log = command_output("rsvg-convert -d 60 -p 60 '" + svg + "' -o '" + png + "' 2>&1");
    EXPECT_EQ(log, "");
    ASSERT_TRUE(fs::exists(png));
    EXPECT_GT(fs::file_size(png), 20000u);
}

TEST_F(DiagramCli, BadInputExitsTwo) {
    const fs::path out = m_dir / "bad";
    RunResult r = run_fuelmap({"diagram", "-r", m_reg, "999999-0000", "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("999999-0000"), std::string::npos) << r.err;

    r = run_fuelmap({"diagram", "-r", m_reg, "-o", out.string(), "--format", "png"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;

    r = run_fuelmap({"diagram", "-r", m_reg, "-o", out.string(), "--lang", "fr"});
    EXPECT_EQ(r.exit_code, 2);

    // An output "directory" that is a file.
    const fs::path file = m_dir / "a-file";
    std::ofstream(file) << "x";
    r = run_fuelmap({"diagram", "-r", m_reg, "-o", (file / "sub").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("a-file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("output directory"), std::string::npos) << r.err;

    r = run_fuelmap({"diagram", "-r", (m_dir / "missing.gpkg").string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("missing.gpkg"), std::string::npos) << r.err;
}

TEST_F(DiagramCli, PdfPerStationWithChineseText) {
    const fs::path out = m_dir / "pdf";
    RunResult r = run_fuelmap({"diagram", "-r", m_reg, "370602-0001", "370602-0900", "-o", out.string(),
                               "--format", "pdf", "--lang", "zh", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path pdf = out / "370602-0900.pdf";
    ASSERT_TRUE(fs::exists(pdf));
    ASSERT_TRUE(fs::exists(out / "370602-0001.pdf"));
    EXPECT_NE(command_output("pdfinfo '" + pdf.string() + "' | tr -s ' '").find("Pages: 1\n"),
              std::string::npos);
    const std::string text = command_output("pdftotext '" + pdf.string() + "' -");
    EXPECT_NE(text.find("中石油烟台莱山大型综合能源站"), std::string::npos) << text;
    EXPECT_NE(text.find("370602-0900"), std::string::npos);
    for (int t = 1; t <= 8; ++t)
        EXPECT_NE(text.find("T" + std::to_string(t)), std::string::npos);
    EXPECT_NE(text.find("N32"), std::string::npos);
    // Renders to an image.
    EXPECT_EQ(
        command_output("pdftoppm -r 40 -png '" + pdf.string() + "' '" + (out / "page").string() + "' 2>&1"),
        "");
    EXPECT_TRUE(fs::exists(out / "page-1.png"));
}

namespace {

// The names under @p dir that look like temporary files of an output (`….tmp…`).
std::vector<std::string> temp_files_in(const fs::path& dir) {
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().filename().string().find(".tmp") != std::string::npos)
            found.push_back(e.path().filename().string());
    return found;
}

} // namespace

// Every diagram file is written beside its target as `<file>.tmp-<pid>` and renamed over it: a run
// leaves no temporary file, removes those of killed writers, and a file that cannot be put in place
// (a directory stands where it should go) fails with exit 2 naming it, leaving no temporary file.
TEST_F(DiagramCli, OutputsAreWrittenWholeAndLeaveNoTemporaryFile) {
    long pid_max = 0;
    std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
    ASSERT_GT(pid_max, 0);
    for (const std::string format : {"svg", "pdf"}) {
        SCOPED_TRACE(format);
        const fs::path out = m_dir / ("whole-" + format);
        const fs::path target = out / ("370602-0002." + format);
        fs::create_directories(out);
        const std::string stale = target.string() + ".tmp-" + std::to_string(pid_max + 1);
        std::ofstream(stale) << "half-written";
        RunResult r = run_fuelmap({"diagram", "-r", m_reg, "370602-0001", "370602-0002", "-o", out.string(),
                                   "--format", format, "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(fs::is_regular_file(target));
        EXPECT_TRUE(fs::is_regular_file(out / ("370602-0001." + format)));
        EXPECT_EQ(temp_files_in(out), std::vector<std::string>{});

        r = run_fuelmap({"diagram", "-r", m_reg, "--overview", "-o", out.string(), "--format", format, "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_TRUE(fs::is_regular_file(out / ("overview." + format)));
        EXPECT_EQ(temp_files_in(out), std::vector<std::string>{});

        fs::remove(target);
        fs::create_directories(target / "keep");
        r = run_fuelmap(
            {"diagram", "-r", m_reg, "370602-0002", "-o", out.string(), "--format", format, "-q"});
        EXPECT_EQ(r.exit_code, 2);
        const std::string says = ": cannot write the file: Is a directory";
        EXPECT_NE(r.err.find(target.string() + says), std::string::npos) << r.err;
        EXPECT_TRUE(fs::is_directory(target / "keep"));
        EXPECT_EQ(temp_files_in(out), std::vector<std::string>{});
    }
}

namespace {

// A plan over four stations of the test registry, two teams.
Plan test_plan() {
    Plan p;
    p.format_version = "1";
    p.algorithm_version = "1";
    p.round = "2026-R4";
    p.method = "tickets";
    p.registry_digest = std::string(64, '0');
    p.seed_commitment = std::string(64, '1');
    p.design_json = "{}";
    auto sel = [](std::string id, std::vector<std::string> team, std::string date, std::string nozzle,
                  std::vector<SupplyLeg> tanks) {
        Selection s;
        s.station_id = std::move(id);
        s.stratum = "370602|major";
        s.reason = "random";
        s.inclusion_probability = "1/2";
        s.ticket = "0.5";
        s.team = std::move(team);
        s.date = std::move(date);
        PlannedSample ps;
        ps.grade = "95#";
        ps.nozzle_no = std::move(nozzle);
        ps.nozzle_ticket = "0.1";
        ps.nozzle_sample_id = s.station_id + "-S1";
        ps.claimed_tanks = std::move(tanks);
        for (std::size_t i = 0; i < ps.claimed_tanks.size(); ++i)
            ps.tank_sample_ids.push_back(s.station_id + "-TS" + std::to_string(i + 1));
        s.samples.push_back(ps);
        return s;
    };
    p.selections = {
        sel("370602-0900", {"INS-01", "INS-02"}, "2026-11-25", "N11", {{"T1", 0.4}, {"T5", 0.6}}),
        sel("370602-0001", {"INS-01", "INS-02"}, "2026-11-24", "N2", {{"T2", 1.0}}),
        sel("370602-0002", {"INS-03", "INS-04"}, "2026-11-24", "N5", {{"T2", 1.0}}),
        sel("370602-0901", {"INS-01", "INS-02"}, "2026-11-26", "N3", {{"T3", 1.0}}),
    };
    return p;
}

void write_plan(const fs::path& path, const Plan& plan) {
    std::ofstream(path, std::ios::binary) << plan_to_json(plan);
}

} // namespace

TEST_F(DiagramCli, PlanPagesHighlightPicksAndRoutePdfsPerTeam) {
    const fs::path plan = m_dir / "plan.json";
    write_plan(plan, test_plan());
    const fs::path svg = m_dir / "plan-svg";
    RunResult r = run_fuelmap({"diagram", "-r", m_reg, "--plan", plan.string(), "-o", svg.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(svg / "370602-0003.svg")) << "not in the plan";
    const std::string page = read_file(svg / "370602-0900.svg");
    check_station_svg(page, big_site("370602-0900", true));
    std::set<std::string> picked;
    for (const XmlElement& e : parse_xml(page))
        if (e.has_class("pick"))
            picked.insert(e.get("data-for"));
    EXPECT_EQ(picked, (std::set<std::string>{"N11", "T1", "T5"}));
    EXPECT_NE(page.find("370602-0900-S1"), std::string::npos);
    EXPECT_NE(page.find("370602-0900-TS2"), std::string::npos);
    EXPECT_NE(page.find(">INS-01, INS-02</text>"), std::string::npos);
    EXPECT_NE(page.find("2026-11-25"), std::string::npos);

    const fs::path pdf = m_dir / "plan-pdf";
    r = run_fuelmap(
        {"diagram", "-r", m_reg, "--plan", plan.string(), "-o", pdf.string(), "--format", "pdf", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path a = pdf / "route-INS-01_INS-02.pdf";
    const fs::path b = pdf / "route-INS-03_INS-04.pdf";
    ASSERT_TRUE(fs::exists(a));
    ASSERT_TRUE(fs::exists(b));
    EXPECT_NE(command_output("pdfinfo '" + a.string() + "' | tr -s ' '").find("Pages: 3\n"),
              std::string::npos);
    EXPECT_NE(command_output("pdfinfo '" + b.string() + "' | tr -s ' '").find("Pages: 1\n"),
              std::string::npos);
    // Route order is by visit date: 0001 (24th), 0900 (25th), 0901 (26th).
    const std::string text = command_output("pdftotext '" + a.string() + "' -");
    const auto p1 = text.find("370602-0001-S1"), p2 = text.find("370602-0900-S1"),
               p3 = text.find("370602-0901-S1");
    ASSERT_NE(p1, std::string::npos) << text;
    ASSERT_NE(p2, std::string::npos);
    ASSERT_NE(p3, std::string::npos);
    EXPECT_LT(p1, p2);
    EXPECT_LT(p2, p3);
    EXPECT_NE(text.find("2026-R4"), std::string::npos);
}

TEST_F(DiagramCli, BadPlansExitTwo) {
    const fs::path out = m_dir / "bad-plan";
    const fs::path malformed = m_dir / "malformed.json";
    std::ofstream(malformed) << "{\"round\": ";
    RunResult r = run_fuelmap({"diagram", "-r", m_reg, "--plan", malformed.string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("malformed.json"), std::string::npos) << r.err;

    Plan p = test_plan();
    p.selections[0].samples[0].nozzle_no = "N99";
    const fs::path unknown_nozzle = m_dir / "unknown-nozzle.json";
    write_plan(unknown_nozzle, p);
    r = run_fuelmap({"diagram", "-r", m_reg, "--plan", unknown_nozzle.string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("370602-0900/N99"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nozzle_no"), std::string::npos) << r.err;

    p = test_plan();
    p.selections[1].station_id = "370602-0777";
    const fs::path unknown_station = m_dir / "unknown-station.json";
    write_plan(unknown_station, p);
    r = run_fuelmap({"diagram", "-r", m_reg, "--plan", unknown_station.string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("370602-0777"), std::string::npos) << r.err;

    // A station named on the command line that the plan does not select.
    const fs::path good = m_dir / "good.json";
    write_plan(good, test_plan());
    r = run_fuelmap({"diagram", "-r", m_reg, "370602-0003", "--plan", good.string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("370602-0003"), std::string::npos) << r.err;
}

TEST_F(DiagramCli, OverviewOfAPlanAndOfTheRegistry) {
    const fs::path plan = m_dir / "plan.json";
    write_plan(plan, test_plan());
    const fs::path out = m_dir / "overview";
    RunResult r = run_fuelmap(
        {"diagram", "-r", m_reg, "--plan", plan.string(), "--overview", "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string svg = read_file(out / "overview.svg");
    std::vector<XmlElement> doc;
    ASSERT_NO_THROW(doc = parse_xml(svg));
    std::vector<std::string> order;
    std::vector<SvgBox> labels;
    for (const XmlElement& e : doc) {
        if (e.has_class("stop"))
            order.push_back(e.get("data-order") + ":" + e.get("data-id"));
        if (e.has_class("label"))
            labels.push_back({std::stod(e.get("data-x")), std::stod(e.get("data-y")),
                              std::stod(e.get("data-w")), std::stod(e.get("data-h")), e.get("data-for")});
    }
    EXPECT_EQ(order,
              (std::vector<std::string>{"1:370602-0900", "2:370602-0001", "3:370602-0002", "4:370602-0901"}));
    for (std::size_t i = 0; i < labels.size(); ++i)
        for (std::size_t j = i + 1; j < labels.size(); ++j)
            EXPECT_FALSE(labels[i].intersects(labels[j])) << labels[i].what << " / " << labels[j].what;
    EXPECT_NE(svg.find("class=\"region\""), std::string::npos);
    EXPECT_NE(svg.find(">2026-R4</text>"), std::string::npos);

    // On the registry's overview the 3 sample stations stand on one spot: their dots are moved apart.
    r = run_fuelmap({"diagram", "-r", m_reg, "--overview", "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::pair<double, double>> dots;
    for (const XmlElement& e : parse_xml(read_file(out / "overview.svg")))
        if (e.has_class("stop"))
            dots.push_back({std::stod(e.get("cx")), std::stod(e.get("cy"))});
    ASSERT_EQ(dots.size(), 5u);
    for (std::size_t i = 0; i < dots.size(); ++i)
        for (std::size_t j = i + 1; j < dots.size(); ++j)
            EXPECT_GE(std::hypot(dots[i].first - dots[j].first, dots[i].second - dots[j].second), 5.0);

    r = run_fuelmap({"diagram", "-r", m_reg, "--overview", "-o", out.string(), "--format", "pdf", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(command_output("pdftotext '" + (out / "overview.pdf").string() + "' -").find("370602-0900"),
              std::string::npos);

    r = run_fuelmap({"diagram", "-r", m_reg, "--overview", "--boundaries", (m_dir / "none.geojson").string(),
                     "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("none.geojson"), std::string::npos) << r.err;
}

TEST(DiagramExample, EveryPageOfTheBundledExamplePassesTheChecks) {
    TempDir dir;
    const std::string reg = (dir / "example.gpkg").string();
    RunResult r = run_fuelmap({"import", source_path("maps/example").string(), "-r", reg, "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_fuelmap({"diagram", "-r", reg, "-o", (dir / "out").string(), "-q", "--lang", "zh"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry registry = read_registry(reg);
    ASSERT_GE(registry.size(), 10u);
    std::size_t busiest = 0;
    for (const Site& site : registry.sites()) {
        SCOPED_TRACE(site.station.station_id);
        const std::string svg = read_file(dir / "out" / (site.station.station_id + ".svg"));
        const StationSvgFacts facts = check_station_svg(svg, site);
        // The example is synthetic: drawn to scale at its recorded positions, nothing moved.
        EXPECT_FALSE(facts.approximate);
        EXPECT_EQ(svg.find("auto-layout-note"), std::string::npos);
        EXPECT_NE(svg.find(">油枪</text>"), std::string::npos) << "the supply table, in Chinese";
        busiest = std::max(busiest, site.nozzles.size());
    }
    EXPECT_GE(busiest, 28u);
}

// `fuelmap synth` then `fuelmap diagram` on the real binary: busy synthetic stations (up to 8 tanks
// and 32 nozzles) are drawn to scale with routed lines and a supply table, in either language.
TEST(DiagramSynth, SyntheticRegistryPagesAreToScaleWithRoutedLinesAndATable) {
    TempDir dir;
    const std::string reg = (dir / "synth.gpkg").string();
    RunResult r = run_fuelmap({"synth", "--stations", "60", "--seed", "11", "-o", reg, "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_fuelmap({"diagram", "-r", reg, "-o", (dir / "en").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_fuelmap({"diagram", "-r", reg, "-o", (dir / "zh").string(), "-q", "--lang", "zh"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry registry = read_registry(reg);
    std::size_t most_nozzles = 0, most_tanks = 0;
    for (const Site& site : registry.sites()) {
        SCOPED_TRACE(site.station.station_id);
        const std::string en = read_file(dir / "en" / (site.station.station_id + ".svg"));
        const StationSvgFacts facts = check_station_svg(en, site);
        EXPECT_FALSE(facts.approximate);
        EXPECT_EQ(facts.foreign, 0u);
        EXPECT_NE(en.find(">Tank(s)</text>"), std::string::npos);
        const std::string zh = read_file(dir / "zh" / (site.station.station_id + ".svg"));
        check_station_svg(zh, site);
        EXPECT_NE(zh.find(">油罐</text>"), std::string::npos);
        EXPECT_EQ(zh.find("近似"), std::string::npos);
        most_nozzles = std::max(most_nozzles, site.nozzles.size());
        most_tanks = std::max(most_tanks, site.tanks.size());
    }
    EXPECT_GE(most_nozzles, 30u);
    EXPECT_GE(most_tanks, 7u);
}

namespace {

// A prefecture-scale round (issue 11): 150 synthetic stations in Yantai, 60 drawn by county, 12
// inspectors in teams of an enforcement officer and a lab engineer, 4 stations a day from one depot.
class DiagramRoutes : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new TempDir;
        s_reg = (*s_dir / "pref.gpkg").string();
        RunResult r = run_fuelmap({"synth", "--stations", "150", "--seed", "11", "-o", s_reg, "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::string csv = "id,name,district,role\n";
        const auto regions = synth_regions(SynthScope::yantai);
        for (int i = 0; i < 12; ++i)
            csv += "Y" + std::to_string(10 + i) + ",n" + std::to_string(i) + "," +
                   regions[static_cast<std::size_t>(i) % regions.size()].county + "," +
                   (i % 2 ? "laboratory" : "enforcement") + "\n";
        write_file(*s_dir / "insp.csv", csv);
        write_file(*s_dir / "design.json",
                   R"({"round": "YT-PREF", "sample_size": 60, "strata": ["county"], "inspectors": "insp.csv",
 "workload_cap": 40, "window": {"start": "2026-12-01", "end": "2026-12-14"}, "stations_per_day": 4,
 "team_roles": ["enforcement", "laboratory"], "depot": {"lon": "121.447", "lat": "37.464"}})");
        s_plan_file = (*s_dir / "plan.json").string();
        r = run_fuelmap({"plan", "-r", s_reg, "--design", (*s_dir / "design.json").string(), "--seed",
                         std::string(64, 'a'), "-o", s_plan_file, "--dry-run"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        s_plan = new Plan(read_plan(s_plan_file));
    }
    static void TearDownTestSuite() {
        delete s_plan;
        delete s_dir;
    }
    static std::vector<const Route*> routes_of(const Team& team) {
        std::vector<const Route*> out;
        for (const Route& r : s_plan->routes)
            if (r.team == team.name)
                out.push_back(&r);
        return out;
    }
    static std::string stem(const Team& team) { return "route-" + team.members[0] + "_" + team.members[1]; }
    static inline TempDir* s_dir = nullptr;
    static inline Plan* s_plan = nullptr;
    static inline std::string s_reg;
    static inline std::string s_plan_file;
};

std::vector<std::string> pdf_pages(const fs::path& pdf) {
    const std::string text = command_output("pdftotext '" + pdf.string() + "' -");
    std::vector<std::string> pages;
    std::size_t at = 0;
    for (std::size_t ff; (ff = text.find('\f', at)) != std::string::npos; at = ff + 1)
        pages.push_back(text.substr(at, ff - at));
    return pages;
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

} // namespace

TEST_F(DiagramRoutes, OnePdfPerTeamADayMapThenTheSitePagesOfTheDayInVisitingOrder) {
    ASSERT_GE(s_plan->routes.size(), 12u);
    const fs::path out = *s_dir / "pdf";
    RunResult r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "-o", out.string(), "--format",
                               "pdf", "--lang", "zh", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::size_t packs = 0;
    for (const Team& team : s_plan->teams) {
        SCOPED_TRACE(team.name);
        const std::vector<const Route*> days = routes_of(team);
        const fs::path pdf = out / (stem(team) + ".pdf");
        if (days.empty()) {
            EXPECT_FALSE(fs::exists(pdf)) << "a team without routes gets no pack";
            continue;
        }
        ++packs;
        std::size_t expected = 0;
        for (const Route* d : days)
            expected += 1 + d->stations.size();
        EXPECT_NE(command_output("pdfinfo '" + pdf.string() + "' | tr -s ' '")
                      .find("Pages: " + std::to_string(expected) + "\n"),
                  std::string::npos);
        const std::vector<std::string> pages = pdf_pages(pdf);
        ASSERT_EQ(pages.size(), expected);
        std::size_t p = 0;
        for (std::size_t d = 0; d < days.size(); ++d) {
            const Route& route = *days[d];
            SCOPED_TRACE(route.date);
            // The day map: team, date, day d/n, distance, the stops in visiting order.
            const std::string& map = pages[p++];
            EXPECT_NE(map.find("当日路线图"), std::string::npos) << map;
            EXPECT_NE(map.find(route.date), std::string::npos);
            EXPECT_NE(map.find(team.members[0] + ", " + team.members[1]), std::string::npos) << map;
            EXPECT_NE(map.find(std::to_string(d + 1) + "/" + std::to_string(days.size())), std::string::npos);
            const std::string km = std::to_string(route.distance_m / 1000) + ".";
            EXPECT_NE(map.find(km), std::string::npos) << km << "\n" << map;
            std::size_t last = 0;
            for (const std::string& id : route.stations) {
                const std::size_t at = map.find(id);
                ASSERT_NE(at, std::string::npos) << id;
                EXPECT_GT(at, last) << id << " out of visiting order";
                last = at;
            }
            // Then the site pages in visiting order, "站序 k/n" of the day.
            for (std::size_t k = 0; k < route.stations.size(); ++k) {
                const std::string& page = pages[p++];
                EXPECT_NE(page.find(route.stations[k]), std::string::npos) << page;
                EXPECT_NE(page.find("站序"), std::string::npos);
                EXPECT_NE(page.find(std::to_string(k + 1) + "/" + std::to_string(route.stations.size())),
                          std::string::npos);
                for (std::size_t j = 0; j < route.stations.size(); ++j) {
                    if (j != k) {
                        EXPECT_EQ(page.find(route.stations[j]), std::string::npos) << "page " << p;
                    }
                }
            }
        }
    }
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(out))
        files += e.path().extension() == ".pdf";
    EXPECT_EQ(files, packs);
}

TEST_F(DiagramRoutes, DayMapsAndOverviewInSvgDrawEveryRouteInItsTeamsColour) {
    const fs::path out = *s_dir / "svg";
    RunResult r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < s_plan->teams.size(); ++i)
        index[s_plan->teams[i].name] = i;
    for (const Team& team : s_plan->teams)
        for (const Route* route : routes_of(team)) {
            SCOPED_TRACE(team.name + " " + route->date);
            const std::string svg = read_file(out / (stem(team) + "-" + route->date + ".svg"));
            EXPECT_NE(svg.find("data-unplaced-labels=\"0\""), std::string::npos);
            std::vector<std::string> order;
            for (const XmlElement& e : parse_xml(svg)) {
                if (e.has_class("stop"))
                    order.push_back(e.get("data-id"));
                if (e.has_class("route")) {
                    EXPECT_EQ(e.get("stroke"), hex(team_style(index[team.name]).colour));
                }
            }
            EXPECT_EQ(order, route->stations);
            EXPECT_NE(svg.find(">Route of the day</text>"), std::string::npos);
        }
    for (const Selection& s : s_plan->selections)
        EXPECT_TRUE(fs::exists(out / (s.station_id + ".svg"))) << s.station_id;

    r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "--overview", "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string svg = read_file(out / "overview.svg");
    EXPECT_NE(svg.find("data-unplaced-labels=\"0\""), std::string::npos);
    std::size_t routes = 0, regions = 0;
    std::set<std::string> legend;
    std::vector<std::string> stops;
    for (const XmlElement& e : parse_xml(svg)) {
        if (e.has_class("route")) {
            EXPECT_EQ(e.get("stroke"), hex(team_style(index[e.get("data-team")]).colour))
                << e.get("data-team");
            ++routes;
        }
        regions += e.has_class("region");
        if (e.has_class("legend-team"))
            legend.insert(e.get("data-team"));
        if (e.has_class("stop"))
            stops.push_back(e.get("data-id"));
    }
    EXPECT_EQ(routes, s_plan->routes.size());
    std::set<std::string> driving;
    for (const Route& route : s_plan->routes)
        driving.insert(route.team);
    EXPECT_EQ(legend, driving);
    EXPECT_EQ(regions, 11u) << "the synthetic registry's 11 county boxes of Yantai";
    EXPECT_NE(svg.find(">county area of the synthetic registry</text>"), std::string::npos);
    std::vector<std::string> plan_order;
    for (const Selection& s : s_plan->selections)
        plan_order.push_back(s.station_id);
    EXPECT_EQ(stops, plan_order);
}

TEST_F(DiagramRoutes, PlansThatDoNotMatchTheRegistryOrThemselvesAreRefused) {
    const fs::path out = *s_dir / "bad";
    // Another registry: the plan's stations are not there.
    const std::string other = (*s_dir / "other.gpkg").string();
    create_registry(other, sample_registry(3));
    RunResult r = run_fuelmap({"diagram", "-r", other, "--plan", s_plan_file, "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(s_plan->selections[0].station_id), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("other.gpkg"), std::string::npos) << r.err;

    auto refused = [&](const Plan& plan, const std::string& name, const std::string& message) {
        const fs::path file = *s_dir / name;
        write_file(file, plan_to_json(plan));
        const RunResult res =
            run_fuelmap({"diagram", "-r", s_reg, "--plan", file.string(), "-o", out.string()});
        EXPECT_EQ(res.exit_code, 2) << name;
        EXPECT_NE(res.err.find(file.string()), std::string::npos) << res.err;
        EXPECT_NE(res.err.find("routes"), std::string::npos) << res.err;
        EXPECT_NE(res.err.find(message), std::string::npos) << res.err;
    };
    Plan p = *s_plan;
    p.routes[0].team = "T99";
    refused(p, "unknown-team.json",
            "the route of T99 on " + p.routes[0].date +
                " names team T99, which the plan's teams do not list");
    p = *s_plan;
    const std::string dropped = p.routes[1].stations.back();
    p.routes[1].stations.pop_back();
    refused(p, "dropped.json", "station " + dropped + " is selected but in no route of the plan");
    p = *s_plan;
    p.routes[2].stations.push_back("370602-9999");
    refused(p, "unselected.json", "names station 370602-9999, which the plan does not select");
    p = *s_plan;
    p.routes[3].stations.push_back(p.routes[4].stations[0]);
    refused(p, "twice.json", "station " + p.routes[4].stations[0] + " is in two routes");
}

TEST_F(DiagramRoutes, BoundaryLayersNeedTheirFileAndTheirCountyField) {
    const fs::path out = *s_dir / "boundaries";
    RunResult r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "--overview", "--boundaries",
                               (*s_dir / "none.geojson").string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("none.geojson"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cannot open"), std::string::npos) << r.err;

    const fs::path layer = *s_dir / "counties.geojson";
    write_file(layer, R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"name": "芝罘区", "code": "370602"}, "geometry": {"type": "Polygon",
 "coordinates": [[[121.3, 37.45], [121.5, 37.45], [121.5, 37.6], [121.3, 37.6], [121.3, 37.45]]]}}]})");
    r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "--overview", "--boundaries",
                     layer.string(), "-o", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("counties.geojson"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("the layer has no field 'county'"), std::string::npos) << r.err;

    r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "--overview", "--boundaries",
                     layer.string(), "--boundary-field", "code", "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string svg = read_file(out / "overview.svg");
    EXPECT_NE(svg.find(">county boundary</text>"), std::string::npos);
    EXPECT_NE(svg.find("data-name=\"370602\""), std::string::npos);
    // The day maps use the layer too.
    r = run_fuelmap({"diagram", "-r", s_reg, "--plan", s_plan_file, "--boundaries", layer.string(),
                     "--boundary-field", "code", "-o", out.string(), "--format", "pdf", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
}
