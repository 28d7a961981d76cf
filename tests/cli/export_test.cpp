// SPDX-License-Identifier: MIT
// End-to-end: fuelmap export to GeoJSON, CSV, GPKG, KML, XLSX and Shapefile.
#include "testing/testing.hpp"

#include <fuelmap/registry_file.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

std::filesystem::path make_registry(const TempDir& dir, int n = 3) {
    const auto path = dir / "reg.gpkg";
    create_registry(path, fuelmap::testing::sample_registry(n));
    return path;
}

std::size_t count_lines(const std::string& s) {
    std::size_t n = 0;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
        ++n;
    return n;
}

} // namespace

TEST(CliExport, WholeRegistryToGeoJsonDirectoryOneFilePerLayer) {
    TempDir dir;
    const auto reg = make_registry(dir);
    auto r = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "out").string(), "-f", "GeoJSON"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "sites", "supplies", "grades"})
        EXPECT_TRUE(std::filesystem::exists(dir / "out" / (std::string(layer) + ".geojson"))) << layer;

    auto stations = nlohmann::json::parse(read_file(dir / "out" / "stations.geojson"));
    ASSERT_EQ(stations["features"].size(), 3u);
    const auto& first = stations["features"][0];
    EXPECT_EQ(first["properties"]["station_id"], "370602-0001");
    EXPECT_EQ(first["properties"]["name"], "中石化烟台芝罘加油站");
    EXPECT_EQ(first["properties"]["annual_volume_m3"], 3200);
    EXPECT_NEAR(first["geometry"]["coordinates"][0].get<double>(), 121.3914, 1e-12);
    EXPECT_NEAR(first["geometry"]["coordinates"][1].get<double>(), 37.5393, 1e-12);

    auto supplies = nlohmann::json::parse(read_file(dir / "out" / "supplies.geojson"));
    EXPECT_EQ(supplies["features"].size(), 18u);
    EXPECT_TRUE(supplies["features"][0]["geometry"].is_null());
    auto sites = nlohmann::json::parse(read_file(dir / "out" / "sites.geojson"));
    EXPECT_EQ(sites["features"][0]["geometry"]["type"], "Polygon");

    // Deterministic: a second export gives the same bytes.
    const std::string before = read_file(dir / "out" / "nozzles.geojson");
    auto again =
        run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "out").string(), "-f", "GeoJSON", "-q"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(read_file(dir / "out" / "nozzles.geojson"), before);
    EXPECT_TRUE(again.out.empty()) << again.out;
}

TEST(CliExport, OneLayerCsvToStdoutWithXY) {
    TempDir dir;
    const auto reg = make_registry(dir);
    auto r =
        run_fuelmap({"export", "-r", reg.string(), "--layer", "stations", "-f", "CSV", "-o", "/vsistdout/"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("X,Y,station_id,name,", 0), 0u) << r.out;
    EXPECT_EQ(count_lines(r.out), 4u) << r.out;
    EXPECT_NE(r.out.find("121.3914,37.5393,370602-0002,中石化烟台芝罘加油站"), std::string::npos) << r.out;
}

TEST(CliExport, FormatFromExtensionGpkgIsByteStable) {
    TempDir dir;
    const auto reg = make_registry(dir);
    auto r = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "copy.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("as GPKG"), std::string::npos) << r.out;
    {
        SQLite::Database db((dir / "copy.gpkg").string());
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM tanks").getInt(), 9);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM supplies").getInt(), 18);
        EXPECT_EQ(
            db.execAndGet("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name='nozzles'").getInt(),
            4326);
    }
    const std::string first = read_file(dir / "copy.gpkg");
    auto again = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "copy.gpkg").string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(read_file(dir / "copy.gpkg"), first);
}

TEST(CliExport, SelectedLayersToKmlXlsxAndShapefile) {
    TempDir dir;
    const auto reg = make_registry(dir, 2);
    auto kml = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "s.kml").string(), "--layer",
                            "stations", "--layer", "tanks"});
    ASSERT_EQ(kml.exit_code, 0) << kml.err;
    const std::string text = read_file(dir / "s.kml");
    EXPECT_NE(text.find("<name>stations</name>"), std::string::npos);
    EXPECT_NE(text.find("<name>tanks</name>"), std::string::npos);
    EXPECT_NE(text.find("中石化烟台芝罘加油站"), std::string::npos);
    EXPECT_NE(text.find("121.3914,37.5393"), std::string::npos);

    auto xlsx = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "r.xlsx").string()});
    ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
    EXPECT_EQ(read_file(dir / "r.xlsx").substr(0, 2), "PK");

    auto shp = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "shp").string(), "-f",
                            "ESRI Shapefile", "--layer", "nozzles", "--layer", "sites"});
    ASSERT_EQ(shp.exit_code, 0) << shp.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "shp" / "nozzles.shp"));
    EXPECT_TRUE(std::filesystem::exists(dir / "shp" / "nozzles.dbf"));
    EXPECT_TRUE(std::filesystem::exists(dir / "shp" / "sites.shp"));
    EXPECT_EQ(read_file(dir / "shp" / "nozzles.cpg").substr(0, 5), "UTF-8");
}

TEST(CliExport, BadUsageAndInputExitTwo) {
    TempDir dir;
    const auto reg = make_registry(dir, 1);
    auto layer =
        run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "x.geojson").string(), "--layer", "pumps"});
    EXPECT_EQ(layer.exit_code, 2);
    EXPECT_NE(layer.err.find("unknown layer 'pumps'"), std::string::npos) << layer.err;

    auto missing =
        run_fuelmap({"export", "-r", (dir / "none.gpkg").string(), "-o", (dir / "x.geojson").string()});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("none.gpkg"), std::string::npos) << missing.err;

    auto format =
        run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "x.out").string(), "-f", "NoSuchDriver"});
    EXPECT_EQ(format.exit_code, 2);
    EXPECT_NE(format.err.find("NoSuchDriver"), std::string::npos) << format.err;

    auto no_ext = run_fuelmap({"export", "-r", reg.string(), "-o", (dir / "noext").string()});
    EXPECT_EQ(no_ext.exit_code, 2);
    EXPECT_NE(no_ext.err.find("-f FORMAT"), std::string::npos) << no_ext.err;

    const std::string before = read_file(reg);
    auto self = run_fuelmap({"export", "-r", reg.string(), "-o", reg.string()});
    EXPECT_EQ(self.exit_code, 2);
    EXPECT_NE(self.err.find("the output would replace the registry"), std::string::npos) << self.err;
    EXPECT_EQ(read_file(reg), before);

    auto many_to_stdout = run_fuelmap({"export", "-r", reg.string(), "-f", "GeoJSON", "-o", "/vsistdout/"});
    EXPECT_EQ(many_to_stdout.exit_code, 2);
    EXPECT_NE(many_to_stdout.err.find("one --layer"), std::string::npos) << many_to_stdout.err;
}

// export --county: one county's stations with their layouts for offline field use (docs/formats.md,
// "One county"). The file imports back to the registry of those stations alone: its digest equals
// that of the full registry with every other county's stations deleted.
TEST(CliExport, OneCountyCarriesItsStationsLayoutsAndEveryGrade) {
    TempDir dir;
    const std::string reg = (dir / "reg.gpkg").string();
    ASSERT_EQ(run_fuelmap({"import", fuelmap::testing::source_path("maps/example").string(), "-r", reg, "-q"})
                  .exit_code,
              0);
    const std::string field = (dir / "370602.gpkg").string();
    auto r = run_fuelmap({"export", "-r", reg, "--county", "370602", "-o", field});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    {
        SQLite::Database db(field);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM stations").getInt(), 3);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM stations WHERE county <> '370602'").getInt(), 0);
        for (const char* layer : {"tanks", "dispensers", "nozzles", "sites", "supplies"}) {
            SCOPED_TRACE(layer);
            EXPECT_GT(db.execAndGet(std::string("SELECT count(*) FROM ") + layer).getInt(), 0);
            EXPECT_EQ(db.execAndGet(std::string("SELECT count(*) FROM ") + layer +
                                    " WHERE station_id NOT IN (SELECT station_id FROM stations)")
                          .getInt(),
                      0);
        }
        SQLite::Database whole(reg);
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM grades").getInt(),
                  whole.execAndGet("SELECT count(*) FROM grades").getInt());
        EXPECT_EQ(db.execAndGet("SELECT count(*) FROM nozzles").getInt(),
                  whole.execAndGet("SELECT count(*) FROM nozzles WHERE station_id LIKE '370602-%'").getInt());
    }
    // The same content as the registry without the other counties.
    const std::string design = fuelmap::testing::source_path("maps/rounds/2026-12.design.json").string();
    const std::string back = (dir / "back.gpkg").string();
    ASSERT_EQ(run_fuelmap({"import", field, "-r", back, "-q"}).exit_code, 0);
    const std::string cut = (dir / "cut.gpkg").string();
    std::filesystem::copy_file(reg, cut);
    for (const char* layer : {"tanks", "dispensers", "nozzles", "sites", "supplies", "stations"})
        fuelmap::testing::exec_sql(cut, std::string("DELETE FROM ") + layer +
                                            " WHERE station_id NOT LIKE '370602-%'");
    const RunResult digest = run_fuelmap({"plan", "-r", back, "--design", design, "--frame-digest"});
    EXPECT_EQ(digest.exit_code, 0) << digest.err;
    EXPECT_EQ(digest.out, run_fuelmap({"plan", "-r", cut, "--design", design, "--frame-digest"}).out);
    EXPECT_NE(digest.out, run_fuelmap({"plan", "-r", reg, "--design", design, "--frame-digest"}).out);

    // Every county named: the bytes of the whole export.
    std::vector<std::string> all = {"export", "-r", reg, "-o", (dir / "all.gpkg").string(), "-q"};
    for (const char* c : {"370602", "370611", "370612", "370613", "370614", "370681", "370682", "370683",
                          "370685", "370686", "370687"}) {
        all.push_back("--county");
        all.push_back(c);
    }
    ASSERT_EQ(run_fuelmap(all).exit_code, 0);
    ASSERT_EQ(run_fuelmap({"export", "-r", reg, "-o", (dir / "whole.gpkg").string(), "-q"}).exit_code, 0);
    EXPECT_EQ(read_file(dir / "all.gpkg"), read_file(dir / "whole.gpkg"));

    // Two counties, one layer as CSV.
    r = run_fuelmap({"export", "-r", reg, "--county", "370611", "--county", "370613", "--layer", "stations",
                     "-o", "/vsistdout/", "-f", "CSV"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count_lines(r.out), 1u + 3u + 2u);

    // An unknown county, or one named twice: nothing written.
    const std::string none = (dir / "none.gpkg").string();
    r = run_fuelmap({"export", "-r", reg, "--county", "999999", "-o", none});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "fuelmap export: error: " + reg +
                  ": layer 'stations', field 'county': no station of county '999999' in the registry\n");
    r = run_fuelmap({"export", "-r", reg, "--county", "37'0602", "-o", none});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no station of county '37'0602'"), std::string::npos) << r.err;
    r = run_fuelmap({"export", "-r", reg, "--county", "370602", "--county", "370602", "-o", none});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("county '370602' is named twice"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(none));
}
