// SPDX-License-Identifier: MIT
// End-to-end tests of `fuelmap diagram` on registries written to disk.
#include "testing/diagram_checks.hpp"
#include "testing/testing.hpp"

#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
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
