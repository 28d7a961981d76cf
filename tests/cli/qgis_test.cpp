// SPDX-License-Identifier: MIT
// End-to-end: the QGIS tables every registry gets (layer_styles, qgis_projects) and `fuelmap qgis`,
// which writes them again. What QGIS makes of them is tested with QGIS itself
// (tests/qgis/open_registry_test.py).
#include "testing/testing.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/registry_file.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;

namespace {

// The fuelmap rows of layer_styles: table → (default?, QML).
std::map<std::string, std::pair<bool, std::string>> fuelmap_styles(const std::filesystem::path& reg) {
    SQLite::Database db(reg.string());
    SQLite::Statement q(db, "SELECT f_table_name, useAsDefault, styleQML, owner FROM layer_styles "
                            "WHERE styleName = 'fuelmap' ORDER BY id");
    std::map<std::string, std::pair<bool, std::string>> out;
    while (q.executeStep()) {
        EXPECT_EQ(q.getColumn(3).getString(), "fuelmap");
        EXPECT_TRUE(out.emplace(q.getColumn(0).getString(),
                                std::pair{q.getColumn(1).getInt() != 0, q.getColumn(2).getString()})
                        .second)
            << "two fuelmap styles of " << q.getColumn(0).getString();
    }
    return out;
}

std::string query_text(const std::filesystem::path& reg, const std::string& sql) {
    SQLite::Database db(reg.string());
    return db.execAndGet(sql).getString();
}

std::string rgba(Rgb c) {
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ",255";
}

std::filesystem::path imported_example(const TempDir& dir) {
    const auto reg = dir / "example.gpkg";
    auto r = run_fuelmap(
        {"import", fuelmap::testing::source_path("maps/example").string(), "-r", reg.string(), "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return reg;
}

} // namespace

TEST(CliQgis, ImportWritesADefaultStylePerLayerAndTheProject) {
    TempDir dir;
    const auto reg = imported_example(dir);
    const auto styles = fuelmap_styles(reg);
    ASSERT_EQ(styles.size(), 7u);
    for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "sites", "supplies", "grades"}) {
        ASSERT_TRUE(styles.count(layer)) << layer;
        EXPECT_TRUE(styles.at(layer).first) << layer << " is not the default style";
    }
    // Tanks and nozzles by grade in the diagrams' colours, numbered; stations named in a CJK font.
    for (const char* layer : {"tanks", "nozzles"}) {
        const std::string& qml = styles.at(layer).second;
        EXPECT_NE(qml.find("type=\"categorizedSymbol\" attr=\"grade\""), std::string::npos) << layer;
        for (const char* grade : {"92#", "95#", "0#", "-10#"})
            EXPECT_NE(qml.find("value=\"" + rgba(grade_colour(grade)) + "\""), std::string::npos)
                << layer << grade;
        EXPECT_NE(qml.find("editWidget type=\"ValueMap\""), std::string::npos) << layer;
    }
    EXPECT_NE(styles.at("tanks").second.find("fieldName=\"tank_no\""), std::string::npos);
    EXPECT_NE(styles.at("nozzles").second.find("fieldName=\"nozzle_no\""), std::string::npos);
    EXPECT_NE(styles.at("stations")
                  .second.find("fieldName=\"name\" isExpression=\"0\" fontFamily=\"Noto Sans CJK SC\""),
              std::string::npos);
    EXPECT_NE(styles.at("stations").second.find("value=\"hypermarket\""), std::string::npos); // ownership map
    // layer_styles is a GeoPackage attribute table; the project is a zip archive kept as hex text.
    EXPECT_EQ(query_text(reg, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"),
              "attributes");
    EXPECT_EQ(query_text(reg, "SELECT substr(content, 1, 8) FROM qgis_projects WHERE name = 'fuelmap'"),
              "504b0304");
    EXPECT_NE(query_text(reg, "SELECT metadata FROM qgis_projects WHERE name = 'fuelmap'")
                  .find("last_modified_time"),
              std::string::npos);
}

TEST(CliQgis, SynthAndAppendKeepOneSetOfStyles) {
    TempDir dir;
    const auto reg = dir / "s.gpkg";
    ASSERT_EQ(run_fuelmap({"synth", "--stations", "5", "-o", reg.string(), "-q"}).exit_code, 0);
    EXPECT_EQ(fuelmap_styles(reg).size(), 7u);
    Registry more;
    more.add(fuelmap::testing::sample_site("370699-0001"));
    create_registry(dir / "more.gpkg", more);
    auto r = run_fuelmap({"import", (dir / "more.gpkg").string(), "-r", reg.string(), "--append", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(fuelmap_styles(reg).size(), 7u);
    EXPECT_EQ(query_text(reg, "SELECT count(*) FROM qgis_projects"), "1");
}

// A user's own default style (saved from QGIS) stays the default; fuelmap's rows are replaced, not
// added again; the registry's content (its frame digest) is untouched.
TEST(CliQgis, RewritingKeepsTheUsersStylesAndTheRegistry) {
    TempDir dir;
    const auto reg = imported_example(dir);
    const std::string design = fuelmap::testing::source_path("maps/rounds/2026-12.design.json").string();
    auto digest = run_fuelmap({"plan", "-r", reg.string(), "--design", design, "--frame-digest"});
    ASSERT_EQ(digest.exit_code, 0) << digest.err;
    fuelmap::testing::exec_sql(
        reg, "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
             "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
             "owner) VALUES ('', '', 'tanks', 'geom', 'mine', '<qgis/>', '', 1, 'my style', "
             "'me')");
    fuelmap::testing::exec_sql(reg,
                               "UPDATE layer_styles SET useAsDefault = 0 WHERE styleName = 'fuelmap' AND "
                               "f_table_name = 'tanks'");
    auto r = run_fuelmap({"qgis", "-r", reg.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "QGIS styles and project 'fuelmap' written to " + reg.string() + "\n");
    EXPECT_TRUE(r.err.empty()) << r.err;
    const auto styles = fuelmap_styles(reg);
    EXPECT_EQ(styles.size(), 7u);
    EXPECT_FALSE(styles.at("tanks").first);
    EXPECT_TRUE(styles.at("nozzles").first);
    EXPECT_EQ(
        query_text(reg, "SELECT useAsDefault || description FROM layer_styles WHERE styleName = 'mine'"),
        "1my style");
    auto after = run_fuelmap({"plan", "-r", reg.string(), "--design", design, "--frame-digest"});
    EXPECT_EQ(after.out, digest.out);
    EXPECT_EQ(run_fuelmap({"qgis", "-r", reg.string(), "-q"}).out, "");
    EXPECT_EQ(run_fuelmap({"ledger", "verify", "-r", reg.string()}).exit_code, 0);
}

TEST(CliQgisBad, MissingOrForeignRegistry) {
    TempDir dir;
    auto missing = run_fuelmap({"qgis", "-r", (dir / "none.gpkg").string()});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_EQ(missing.err,
              "fuelmap qgis: error: " + (dir / "none.gpkg").string() + ": registry file does not exist\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "none.gpkg"));
    fuelmap::testing::write_file(dir / "notes.gpkg", "not a database");
    const std::string before = read_file(dir / "notes.gpkg");
    auto foreign = run_fuelmap({"qgis", "-r", (dir / "notes.gpkg").string()});
    EXPECT_EQ(foreign.exit_code, 2);
    EXPECT_NE(foreign.err.find("notes.gpkg: not a fuelmap registry"), std::string::npos) << foreign.err;
    EXPECT_EQ(read_file(dir / "notes.gpkg"), before);
    auto usage = run_fuelmap({"qgis"});
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_NE(usage.err.find("--registry is required"), std::string::npos) << usage.err;
}
