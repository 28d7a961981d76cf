// SPDX-License-Identifier: MIT
// End-to-end tests of `fuelmap diagram` on registries written to disk.
#include "testing/diagram_checks.hpp"
#include "testing/testing.hpp"

#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>

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
