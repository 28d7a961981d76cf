// SPDX-License-Identifier: MIT
// End-to-end: fuelmap import of layouts and station lists from GeoJSON, CSV (X/Y and WKT), GPKG,
// KML, XLSX and Shapefile; reprojection; site-local metres; round trips through export; every bad
// input exits 2 naming the place and leaves the registry byte-for-byte unchanged.
#include "testing/testing.hpp"

#include <fuelmap/china_crs.hpp>
#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fcntl.h>
#include <fstream>
#include <numbers>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;
using nlohmann::json;

namespace {

void write(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

json load(const std::filesystem::path& path) {
    return json::parse(read_file(path));
}

void save(const std::filesystem::path& path, const json& j) {
    write(path, j.dump(1));
}

// A registry with a blend nozzle and station attributes, to exercise every field.
Registry rich_registry(int n = 3) {
    Registry reg = fuelmap::testing::sample_registry(n);
    std::vector<Site> sites(reg.sites().begin(), reg.sites().end());
    sites[0].nozzles[1].supply = {{"T1", 0.4}, {"T2", 0.6}};
    sites[0].nozzles[1].grade = "95#";
    sites[0].station.attributes = {{"opening_hours", "24/7"}, {"phone", "0535-1234567"}};
    if (sites.size() > 1) {
        sites[1].tanks[0].manifold_group = "M1";
        sites[1].tanks[1].status = "out_of_service";
    }
    Registry out;
    out.add_all(std::move(sites));
    return out;
}

// A layout directory (one GeoJSON file per layer) exported from a registry.
std::filesystem::path layout_dir(const TempDir& dir, int n = 3) {
    create_registry(dir / "source.gpkg", rich_registry(n));
    auto r = run_fuelmap({"export", "-r", (dir / "source.gpkg").string(), "-o", (dir / "layout").string(),
                          "-f", "GeoJSON", "-q"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir / "layout";
}

// @p any_ring_order: Shapefiles turn outer rings clockwise, so compare the corners as a set.
void expect_same_sites(const Registry& a, const Registry& b, bool any_ring_order = false) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const Site& x = a.sites()[i];
        const Site& y = b.sites()[i];
        const Station& s = x.station;
        const Station& t = y.station;
        EXPECT_EQ(s.station_id, t.station_id);
        EXPECT_EQ(s.name, t.name);
        EXPECT_EQ(s.operator_name, t.operator_name);
        EXPECT_EQ(s.brand, t.brand);
        EXPECT_EQ(s.ownership, t.ownership);
        EXPECT_EQ(s.province + s.city + s.county, t.province + t.city + t.county);
        EXPECT_EQ(s.address, t.address);
        EXPECT_EQ(s.status, t.status);
        EXPECT_EQ(s.annual_volume_m3, t.annual_volume_m3);
        EXPECT_EQ(s.risk_weight, t.risk_weight);
        EXPECT_EQ(s.attributes, t.attributes);
        ASSERT_TRUE(t.location);
        EXPECT_NEAR(s.location->lon, t.location->lon, 1e-9);
        EXPECT_NEAR(s.location->lat, t.location->lat, 1e-9);
        ASSERT_EQ(x.tanks.size(), y.tanks.size());
        for (std::size_t k = 0; k < x.tanks.size(); ++k) {
            EXPECT_EQ(x.tanks[k].tank_no, y.tanks[k].tank_no);
            EXPECT_EQ(x.tanks[k].grade, y.tanks[k].grade);
            EXPECT_EQ(x.tanks[k].capacity_l, y.tanks[k].capacity_l);
            EXPECT_EQ(x.tanks[k].manifold_group, y.tanks[k].manifold_group);
            EXPECT_EQ(x.tanks[k].status, y.tanks[k].status);
            ASSERT_TRUE(y.tanks[k].position);
            EXPECT_NEAR(x.tanks[k].position->lon, y.tanks[k].position->lon, 1e-9);
            EXPECT_NEAR(x.tanks[k].position->lat, y.tanks[k].position->lat, 1e-9);
        }
        ASSERT_EQ(x.dispensers.size(), y.dispensers.size());
        for (std::size_t k = 0; k < x.dispensers.size(); ++k) {
            EXPECT_EQ(x.dispensers[k].dispenser_no, y.dispensers[k].dispenser_no);
            EXPECT_EQ(x.dispensers[k].island, y.dispensers[k].island);
            EXPECT_EQ(x.dispensers[k].fuelling_points, y.dispensers[k].fuelling_points);
        }
        ASSERT_EQ(x.nozzles.size(), y.nozzles.size());
        for (std::size_t k = 0; k < x.nozzles.size(); ++k) {
            const Nozzle& m = x.nozzles[k];
            const Nozzle& o = y.nozzles[k];
            EXPECT_EQ(m.nozzle_no, o.nozzle_no);
            EXPECT_EQ(m.dispenser_no, o.dispenser_no);
            EXPECT_EQ(m.fuelling_point, o.fuelling_point);
            EXPECT_EQ(m.grade, o.grade);
            EXPECT_EQ(m.status, o.status);
            ASSERT_EQ(m.supply.size(), o.supply.size()) << m.nozzle_no;
            for (std::size_t l = 0; l < m.supply.size(); ++l) {
                EXPECT_EQ(m.supply[l].tank_no, o.supply[l].tank_no);
                EXPECT_DOUBLE_EQ(m.supply[l].fraction, o.supply[l].fraction);
            }
            ASSERT_TRUE(o.position);
            EXPECT_NEAR(m.position->lon, o.position->lon, 1e-9);
        }
        ASSERT_EQ(x.outline.size(), y.outline.size());
        for (std::size_t k = 0; k < x.outline.size(); ++k) {
            bool found = false;
            for (std::size_t m = 0; m < y.outline.size(); ++m)
                if ((any_ring_order || m == k) && std::fabs(x.outline[k].lat - y.outline[m].lat) < 1e-9 &&
                    std::fabs(x.outline[k].lon - y.outline[m].lon) < 1e-9)
                    found = true;
            EXPECT_TRUE(found) << "outline corner " << k;
        }
    }
}

// Runs a bad import against an existing registry and checks exit 2, the message parts and that
// the registry did not change by a single byte.
void expect_rejected(const std::vector<std::string>& args, const std::vector<std::string>& parts) {
    TempDir reg_dir;
    const auto reg = reg_dir / "reg.gpkg";
    Registry existing;
    existing.add(fuelmap::testing::sample_site("370699-0001"));
    create_registry(reg, existing);
    const std::string before = read_file(reg);
    std::vector<std::string> full = {"import"};
    full.insert(full.end(), args.begin(), args.end());
    full.insert(full.end(), {"-r", reg.string(), "--append"});
    auto r = run_fuelmap(full);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err.rfind("fuelmap import: error: ", 0), 0u) << r.err;
    for (const auto& p : parts)
        EXPECT_NE(r.err.find(p), std::string::npos) << "missing '" << p << "' in: " << r.err;
    EXPECT_EQ(read_file(reg), before) << "registry changed";
    // Nothing left beside it either (but the registry's lock file, which is never removed).
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(reg_dir.path()))
        files += e.path().filename() != "reg.gpkg.lock";
    EXPECT_EQ(files, 1u);
}

// Web Mercator of a WGS84 point (the sphere formulas of EPSG:3857).
std::pair<double, double> mercator(double lon, double lat) {
    constexpr double r = 6378137.0;
    const double d = std::numbers::pi / 180.0;
    return {r * lon * d, r * std::log(std::tan(std::numbers::pi / 4 + lat * d / 2))};
}

} // namespace

// ----- round trips through export -----

TEST(CliImport, GeoJsonLayoutDirectoryRoundTrip) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    auto r = run_fuelmap({"import", layout.string(), "-r", (dir / "back.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 station(s), 9 tank(s), 6 dispenser(s), 18 nozzle(s) written to"),
              std::string::npos)
        << r.out;
    expect_same_sites(read_registry(dir / "source.gpkg"), read_registry(dir / "back.gpkg"));
    auto validate = run_fuelmap({"validate", "-r", (dir / "back.gpkg").string()});
    EXPECT_NE(validate.exit_code, 2) << validate.err;
}

TEST(CliImport, RoundTripThroughGpkgXlsxCsvShapefileAndKml) {
    TempDir dir;
    create_registry(dir / "source.gpkg", rich_registry(2));
    const Registry original = read_registry(dir / "source.gpkg");
    struct Case {
        std::string out;
        std::string format;
    };
    for (const Case& c : {Case{"r.gpkg", "GPKG"}, Case{"r.xlsx", "XLSX"}, Case{"csvdir", "CSV"},
                          Case{"shpdir", "ESRI Shapefile"}, Case{"r.kml", "KML"}}) {
        SCOPED_TRACE(c.format);
        auto e = run_fuelmap({"export", "-r", (dir / "source.gpkg").string(), "-o", (dir / c.out).string(),
                              "-f", c.format, "-q"});
        ASSERT_EQ(e.exit_code, 0) << e.err;
        const auto back = dir / ("back-" + c.out + ".gpkg");
        auto r = run_fuelmap({"import", (dir / c.out).string(), "-r", back.string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        expect_same_sites(original, read_registry(back), c.format == "ESRI Shapefile");
    }
}

// ----- station lists -----

TEST(CliImport, OsmStationListWithMappingFile) {
    TempDir dir;
    const auto reg = dir / "osm.gpkg";
    auto r = run_fuelmap({"import", fuelmap::testing::source_path("maps/osm_fuel_sample.geojson").string(),
                          "-r", reg.string(), "--mapping",
                          fuelmap::testing::source_path("maps/osm_mapping.json").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Registry got = read_registry(reg);
    ASSERT_EQ(got.size(), 5u);
    const Site* sinopec = got.find("370602-0101");
    ASSERT_NE(sinopec, nullptr);
    EXPECT_EQ(sinopec->station.name, "中国石化烟台南大街加油站");
    EXPECT_EQ(sinopec->station.ownership, Ownership::major);
    EXPECT_EQ(sinopec->station.brand, "中国石化");
    EXPECT_EQ(sinopec->station.province, "370000");
    EXPECT_EQ(sinopec->station.address, "山东省烟台市芝罘区南大街 210 号");
    EXPECT_EQ(sinopec->station.attributes.at("opening_hours"), "24/7");
    EXPECT_EQ(sinopec->station.attributes.count("amenity"), 0u);
    EXPECT_EQ(sinopec->station.attributes.count("ref"), 0u);
    EXPECT_NEAR(sinopec->station.location->lon, 121.3862, 1e-12);
    EXPECT_EQ(got.find("370611-0103")->station.ownership, Ownership::independent); // no brand: default
    EXPECT_EQ(got.find("370613-0105")->station.ownership, Ownership::hypermarket);
    EXPECT_TRUE(got.find("370613-0105")->tanks.empty());
}

TEST(CliImport, CsvWithXYInWebMercatorReprojectedByMapping) {
    TempDir dir;
    const auto [x, y] = mercator(121.3914, 37.5393);
    char line[256];
    std::snprintf(line, sizeof line, "%.3f,%.3f,CSV-0001,测试加油站,independent\n", x, y);
    write(dir / "list.csv", std::string("X,Y,code,title,kind\n") + line);
    write(dir / "map.json",
          R"({"crs": "EPSG:3857", "fields": {"station_id": "code", "name": "title", "ownership": "kind"}})");
    auto r = run_fuelmap({"import", (dir / "list.csv").string(), "-r", (dir / "r.gpkg").string(), "--mapping",
                          (dir / "map.json").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Registry got = read_registry(dir / "r.gpkg");
    const Site* s = got.find("CSV-0001");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->station.name, "测试加油站");
    EXPECT_NEAR(s->station.location->lon, 121.3914, 1e-7);
    EXPECT_NEAR(s->station.location->lat, 37.5393, 1e-7);
    EXPECT_TRUE(s->station.attributes.empty());
}

TEST(CliImport, GeoJsonDeclaringEpsg3857IsReprojected) {
    TempDir dir;
    const auto [x, y] = mercator(116.3975, 39.9087);
    json fc = {{"type", "FeatureCollection"},
               {"crs", {{"type", "name"}, {"properties", {{"name", "urn:ogc:def:crs:EPSG::3857"}}}}},
               {"features",
                {{{"type", "Feature"},
                  {"properties", {{"station_id", "110101-0001"}, {"name", "天安门加油站"}}},
                  {"geometry", {{"type", "Point"}, {"coordinates", {x, y}}}}}}}};
    save(dir / "merc.geojson", fc);
    auto r = run_fuelmap({"import", (dir / "merc.geojson").string(), "-r", (dir / "r.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry registry = read_registry(dir / "r.gpkg");
    const Site* s = registry.find("110101-0001");
    ASSERT_NE(s, nullptr);
    EXPECT_NEAR(s->station.location->lon, 116.3975, 1e-7);
    EXPECT_NEAR(s->station.location->lat, 39.9087, 1e-7);
}

namespace {

// Every [lon, lat] pair of a GeoJSON geometry, converted from WGS84 to @p to.
void convert_coordinates(json& coordinates, ChinaCrs to) {
    if (coordinates.is_array() && coordinates.size() == 2 && coordinates[0].is_number()) {
        const GeoPoint p = wgs84_to_china({coordinates[0].get<double>(), coordinates[1].get<double>()}, to);
        coordinates = {p.lon, p.lat};
        return;
    }
    for (auto& c : coordinates)
        convert_coordinates(c, to);
}

// The WGS84 position of the one station of a CSV with (@p x, @p y) in @p crs, imported with a
// mapping that names the CRS.
GeoPoint imported_position(const std::string& crs, double x, double y) {
    TempDir dir;
    char line[256];
    std::snprintf(line, sizeof line, "%.12f,%.12f,CRS-0001,芝罘加油站\n", x, y);
    write(dir / "list.csv", std::string("X,Y,code,title\n") + line);
    write(dir / "map.json",
          R"({"crs": ")" + crs + R"(", "fields": {"station_id": "code", "name": "title"}})");
    auto r = run_fuelmap({"import", (dir / "list.csv").string(), "-r", (dir / "r.gpkg").string(), "--mapping",
                          (dir / "map.json").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const Registry got = read_registry(dir / "r.gpkg");
    const Site* s = got.find("CRS-0001");
    EXPECT_TRUE(s != nullptr && s->station.location);
    return s != nullptr && s->station.location ? *s->station.location : GeoPoint{};
}

} // namespace

// The Yantai point in each CRS comes back as its WGS84 position: from Amap (GCJ-02) and Baidu
// (BD-09) station lists, the known answers of tests/model/china_crs_reference.py; official data in
// CGCS2000 (EPSG:4490) and its 3-degree Gauss-Krüger projections, with and without the zone number
// in the easting, through PROJ (the coordinates are PROJ's: gdaltransform -s_srs EPSG:4326
// -t_srs EPSG:4549; x is the easting).
TEST(CliImport, CsvInChineseCoordinatesIsConvertedToWgs84) {
    struct Case {
        const char* crs;
        double x, y, tolerance;
    };
    for (const Case c :
         {Case{"GCJ-02", 121.396670968012, 37.540330617326, 1e-9},
          Case{"BD-09", 121.403226960243, 37.546091518111, 1e-9},
          Case{"bd09ll", 121.403226960243, 37.546091518111, 1e-9}, Case{"EPSG:4490", 121.3914, 37.5393, 1e-7},
          Case{"EPSG:4549", 622973.79524, 4157273.85168, 1e-7},
          Case{"EPSG:4528", 40622973.79524, 4157273.85168, 1e-7}}) {
        SCOPED_TRACE(c.crs);
        const GeoPoint p = imported_position(c.crs, c.x, c.y);
        EXPECT_NEAR(p.lon, 121.3914, c.tolerance);
        EXPECT_NEAR(p.lat, 37.5393, c.tolerance);
    }
}

// A whole layout (stations, tanks, dispensers, nozzles, outlines) in GCJ-02 or BD-09 imports as
// the WGS84 layout it was made from.
TEST(CliImport, LayoutInGcj02OrBd09ComesBackAsWgs84) {
    for (const ChinaCrs to : {ChinaCrs::gcj02, ChinaCrs::bd09}) {
        const std::string crs(to_string(to));
        SCOPED_TRACE(crs);
        TempDir dir;
        const auto layout = layout_dir(dir);
        for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "sites"}) {
            json fc = load(layout / (std::string(layer) + ".geojson"));
            for (auto& f : fc["features"])
                convert_coordinates(f["geometry"]["coordinates"], to);
            save(layout / (std::string(layer) + ".geojson"), fc);
        }
        write(dir / "map.json", std::string(R"({"crs": ")") + crs + R"("})");
        auto r = run_fuelmap({"import", layout.string(), "-r", (dir / "back.gpkg").string(), "--mapping",
                              (dir / "map.json").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        expect_same_sites(read_registry(dir / "source.gpkg"), read_registry(dir / "back.gpkg"));
    }
}

TEST(CliImport, CsvWithWktAndKmlStationLists) {
    TempDir dir;
    write(dir / "wkt.csv", "station_id,name,WKT,ownership\n"
                           "W-1,甲站,POINT (121.1 37.1),major\n"
                           "W-2,乙站,\"POINT (121.2 37.2)\",hypermarket\n");
    auto r = run_fuelmap({"import", (dir / "wkt.csv").string(), "-r", (dir / "w.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Registry w = read_registry(dir / "w.gpkg");
    ASSERT_EQ(w.size(), 2u);
    EXPECT_NEAR(w.find("W-2")->station.location->lat, 37.2, 1e-12);
    EXPECT_EQ(w.find("W-2")->station.ownership, Ownership::hypermarket);

    write(dir / "fuel.kml", R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>fuel</name>
<Placemark><name>芝罘加油站</name><ExtendedData><Data name="ref"><value>K-1</value></Data>
<Data name="brand"><value>Sinopec</value></Data></ExtendedData><Point><coordinates>121.39,37.53</coordinates></Point></Placemark>
<Placemark><name>莱山加油站</name><ExtendedData><Data name="ref"><value>K-2</value></Data>
<Data name="brand"><value>Local</value></Data></ExtendedData><Point><coordinates>121.44,37.48</coordinates></Point></Placemark>
</Folder></Document></kml>
)");
    write(dir / "kml.json",
          R"({"fields": {"station_id": "ref", "name": "Name", "brand": "brand", "ownership": "brand"},
        "values": {"ownership": {"Sinopec": "major"}}, "defaults": {"ownership": "other"}})");
    auto k = run_fuelmap({"import", (dir / "fuel.kml").string(), "-r", (dir / "k.gpkg").string(), "--mapping",
                          (dir / "kml.json").string()});
    ASSERT_EQ(k.exit_code, 0) << k.err;
    Registry kr = read_registry(dir / "k.gpkg");
    ASSERT_EQ(kr.size(), 2u);
    EXPECT_EQ(kr.find("K-1")->station.name, "芝罘加油站");
    EXPECT_EQ(kr.find("K-1")->station.ownership, Ownership::major);
    EXPECT_EQ(kr.find("K-2")->station.ownership, Ownership::other);
    EXPECT_NEAR(kr.find("K-2")->station.location->lon, 121.44, 1e-12);
}

// ----- site-local metres -----

TEST(CliImport, SiteLocalMetresFromXmYmColumnsAndFromAMapping) {
    TempDir dir;
    std::filesystem::create_directories(dir / "local");
    write(dir / "local" / "stations.csv", "station_id,name,X,Y\nL-1,本地站,121.3914,37.5393\n");
    write(dir / "local" / "tanks.csv",
          "station_id,tank_no,grade,capacity_l,x_m,y_m\nL-1,T1,92#,30000,-20,15\n"
          "L-1,T2,0#,20000,0,15\n");
    write(dir / "local" / "dispensers.csv",
          "station_id,dispenser_no,island,fuelling_points,x_m,y_m\nL-1,D1,1,2,10,-5\n");
    write(dir / "local" / "nozzles.csv", "station_id,nozzle_no,dispenser_no,fuelling_point,grade,x_m,y_m\n"
                                         "L-1,N1,D1,1,92#,9,-5\nL-1,N2,D1,2,0#,11,-5\n");
    write(dir / "local" / "supplies.csv",
          "station_id,nozzle_no,leg,tank_no,fraction\nL-1,N1,1,T1,1\nL-1,N2,1,T2,1\n");
    auto r = run_fuelmap({"import", (dir / "local").string(), "-r", (dir / "r.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry got = read_registry(dir / "r.gpkg");
    const Site& site = *got.find("L-1");
    LocalFrame frame(*site.station.location);
    const LocalPoint t1 = frame.to_local(*site.tanks[0].position);
    EXPECT_NEAR(t1.x, -20.0, 1e-6);
    EXPECT_NEAR(t1.y, 15.0, 1e-6);
    EXPECT_NEAR(frame.to_local(*site.nozzles[1].position).x, 11.0, 1e-6);

    // GeoJSON geometry in local metres, flagged by the mapping; the outline too.
    const auto layout = layout_dir(dir, 1);
    json tanks = load(layout / "tanks.geojson");
    for (auto& f : tanks["features"])
        f["geometry"]["coordinates"] = {5.0, -7.5};
    save(layout / "tanks.geojson", tanks);
    json sites = load(layout / "sites.geojson");
    sites["features"][0]["geometry"]["coordinates"] = {
        {{-30, -25}, {30, -25}, {30, 25}, {-30, 25}, {-30, -25}}};
    save(layout / "sites.geojson", sites);
    for (const char* layer : {"dispensers", "nozzles"}) {
        json j = load(layout / (std::string(layer) + ".geojson"));
        for (auto& f : j["features"])
            f["geometry"]["coordinates"] = {1.0, 2.0};
        save(layout / (std::string(layer) + ".geojson"), j);
    }
    write(dir / "local.json", R"({"local_metres": true})");
    auto l = run_fuelmap({"import", layout.string(), "-r", (dir / "l.gpkg").string(), "--mapping",
                          (dir / "local.json").string()});
    ASSERT_EQ(l.exit_code, 0) << l.err;
    const Registry lr = read_registry(dir / "l.gpkg");
    const Site& s = lr.sites()[0];
    LocalFrame f2(*s.station.location);
    EXPECT_NEAR(s.station.location->lon, 121.3914, 1e-12);
    EXPECT_NEAR(f2.to_local(*s.tanks[2].position).x, 5.0, 1e-6);
    EXPECT_NEAR(f2.to_local(*s.tanks[2].position).y, -7.5, 1e-6);
    EXPECT_NEAR(f2.to_local(s.outline[2]).x, 30.0, 1e-6);
}

// ----- registry handling -----

TEST(CliImport, ExistingRegistryNeedsAppendAndAppendAddsStations) {
    TempDir dir;
    const auto layout = layout_dir(dir, 2);
    Registry existing;
    existing.add(fuelmap::testing::sample_site("370699-0001"));
    create_registry(dir / "reg.gpkg", existing);
    const std::string before = read_file(dir / "reg.gpkg");
    auto no_append = run_fuelmap({"import", layout.string(), "-r", (dir / "reg.gpkg").string()});
    EXPECT_EQ(no_append.exit_code, 2);
    EXPECT_NE(no_append.err.find("use --append"), std::string::npos) << no_append.err;
    EXPECT_EQ(read_file(dir / "reg.gpkg"), before);

    auto append = run_fuelmap({"import", layout.string(), "-r", (dir / "reg.gpkg").string(), "--append"});
    ASSERT_EQ(append.exit_code, 0) << append.err;
    EXPECT_NE(append.out.find("appended to"), std::string::npos);
    EXPECT_EQ(read_registry(dir / "reg.gpkg").size(), 3u);

    const std::string after = read_file(dir / "reg.gpkg");
    auto again = run_fuelmap({"import", layout.string(), "-r", (dir / "reg.gpkg").string(), "--append"});
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("already in the registry"), std::string::npos) << again.err;
    EXPECT_EQ(read_file(dir / "reg.gpkg"), after);

    auto missing = run_fuelmap({"import", layout.string(), "-r", (dir / "none.gpkg").string(), "--append"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(dir / "none.gpkg"));
}

// The registry's grades table is read under one rule by every command: a row of an unknown family
// is refused (import --append once mapped it silently to "other"), naming the row.
TEST(CliImportBad, AppendToARegistryWithAnUnknownGradeFamily) {
    TempDir dir;
    const auto layout = layout_dir(dir, 1);
    const auto reg = dir / "reg.gpkg";
    Registry existing;
    existing.add(fuelmap::testing::sample_site("370699-0001"));
    create_registry(reg, existing);
    fuelmap::testing::exec_sql(reg, "UPDATE grades SET family = 'kerosene' WHERE code = '95#'");
    const std::string before = read_file(reg);
    auto r = run_fuelmap({"import", layout.string(), "-r", reg.string(), "--append"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(reg.string() + ": layer 'grades', feature "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" (95#), field 'family': unknown grade family 'kerosene'"), std::string::npos)
        << r.err;
    EXPECT_EQ(read_file(reg), before);
    auto show = run_fuelmap({"show", "-r", reg.string(), "370699-0001"});
    EXPECT_EQ(show.exit_code, 2);
    EXPECT_NE(show.err.find("unknown grade family 'kerosene'"), std::string::npos) << show.err;
}

TEST(CliImport, KilledMidImportLeavesRegistryUnchanged) {
    TempDir dir;
    // A station list big enough that writing takes a while.
    std::string csv = "station_id,name,X,Y\n";
    csv.reserve(6'000'000);
    char row[128];
    for (int i = 0; i < 150000; ++i) {
        std::snprintf(row, sizeof row, "K-%06d,站%d,%.6f,%.6f\n", i, i, 116.0 + (i % 1000) * 0.001,
                      39.0 + (i / 1000) * 0.001);
        csv += row;
    }
    write(dir / "big.csv", csv);
    Registry existing;
    existing.add(fuelmap::testing::sample_site("370699-0001"));
    create_registry(dir / "reg.gpkg", existing);
    const std::string before = read_file(dir / "reg.gpkg");

    std::vector<std::string> args = {
        FUELMAP_BINARY, "import", (dir / "big.csv").string(), "-r", (dir / "reg.gpkg").string(),
        "--append",     "-q"};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, FUELMAP_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    // Wait until the registry is being written (its temporary copy exists), then kill. Up to a
    // minute: the thread-sanitizer build needs ~10 s to read the CSV (a normal build well under 1 s).
    const auto temp = dir.path() / ("reg.gpkg.tmp-" + std::to_string(pid));
    bool writing = false;
    for (int i = 0; i < 30000 && !writing; ++i) {
        writing = std::filesystem::exists(temp);
        if (!writing)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(writing) << "the import never started writing";
    ASSERT_TRUE(WIFSIGNALED(status)) << "the import finished before it could be killed";
    EXPECT_EQ(read_file(dir / "reg.gpkg"), before);
    EXPECT_EQ(read_registry(dir / "reg.gpkg").size(), 1u);

    // The killed import left its temporary copy behind; the next write of the registry removes it.
    EXPECT_TRUE(std::filesystem::exists(temp));
    write(dir / "one.csv", "station_id,name,X,Y\nK-1,站,116.0,39.0\n");
    auto next = run_fuelmap(
        {"import", (dir / "one.csv").string(), "-r", (dir / "reg.gpkg").string(), "--append", "-q"});
    ASSERT_EQ(next.exit_code, 0) << next.err;
    EXPECT_EQ(read_registry(dir / "reg.gpkg").size(), 2u);
    EXPECT_FALSE(std::filesystem::exists(temp));
    EXPECT_FALSE(std::filesystem::exists(temp.string() + "-journal"));
}

// ----- bad input: each exits 2, names the place, leaves the registry unchanged -----

TEST(CliImportBad, UnreadableOrNonVectorFile) {
    TempDir dir;
    write(dir / "junk.geojson", "this is not GeoJSON at all");
    expect_rejected({(dir / "junk.geojson").string()},
                    {"junk.geojson", "cannot be read as a GDAL vector dataset"});
    write(dir / "picture.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, '\0'));
    expect_rejected({(dir / "picture.png").string()}, {"picture.png", "cannot be read"});
    expect_rejected({(dir / "absent.gpkg").string()}, {"absent.gpkg", "no such file"});
}

TEST(CliImportBad, MissingLayer) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    std::filesystem::remove(layout / "supplies.geojson");
    expect_rejected({layout.string()}, {"layer 'supplies'", "missing layer 'supplies'"});
    write(dir / "map.json", R"({"layer": "fuel", "fields": {"station_id": "ref"}})");
    expect_rejected({fuelmap::testing::source_path("maps/osm_fuel_sample.geojson").string(), "--mapping",
                     (dir / "map.json").string()},
                    {"osm_fuel_sample.geojson", "layer 'fuel'", "missing layer"});
}

TEST(CliImportBad, MissingRequiredField) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    json tanks = load(layout / "tanks.geojson");
    for (auto& f : tanks["features"])
        f["properties"].erase("grade");
    save(layout / "tanks.geojson", tanks);
    expect_rejected({layout.string()},
                    {"tanks.geojson", "layer 'tanks'", "field 'grade'", "missing required field"});
    write(dir / "list.csv", "name,X,Y\nA,121,37\n");
    expect_rejected({(dir / "list.csv").string()},
                    {"list.csv", "field 'station_id'", "missing required field"});
}

TEST(CliImportBad, DuplicateStationTankDispenserNozzleNumbers) {
    {
        TempDir dir;
        const auto layout = layout_dir(dir);
        json st = load(layout / "stations.geojson");
        st["features"][2]["properties"]["station_id"] = "370602-0001";
        save(layout / "stations.geojson", st);
        expect_rejected({layout.string()}, {"stations.geojson", "feature 2 (370602-0001)",
                                            "field 'station_id'", "duplicate station id"});
    }
    {
        TempDir dir;
        const auto layout = layout_dir(dir);
        json t = load(layout / "tanks.geojson");
        t["features"][1]["properties"]["tank_no"] = "T1";
        save(layout / "tanks.geojson", t);
        expect_rejected({layout.string()}, {"tanks.geojson", "(370602-0001/T1)", "field 'tank_no'",
                                            "duplicate tank number 'T1'"});
    }
    {
        TempDir dir;
        const auto layout = layout_dir(dir);
        json d = load(layout / "dispensers.geojson");
        d["features"][1]["properties"]["dispenser_no"] = "D1";
        save(layout / "dispensers.geojson", d);
        expect_rejected({layout.string()},
                        {"dispensers.geojson", "field 'dispenser_no'", "duplicate dispenser number"});
    }
    {
        TempDir dir;
        const auto layout = layout_dir(dir);
        json n = load(layout / "nozzles.geojson");
        n["features"][7]["properties"]["nozzle_no"] = "N1";
        save(layout / "nozzles.geojson", n);
        expect_rejected({layout.string()}, {"nozzles.geojson", "(370602-0002/N1)", "field 'nozzle_no'",
                                            "duplicate nozzle number 'N1'"});
    }
}

TEST(CliImportBad, SupplyToUnknownTankOrNozzle) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    json s = load(layout / "supplies.geojson");
    s["features"][3]["properties"]["tank_no"] = "T9";
    save(layout / "supplies.geojson", s);
    expect_rejected({layout.string()}, {"supplies.geojson", "field 'tank_no'", "unknown tank 'T9'"});

    TempDir dir2;
    const auto layout2 = layout_dir(dir2);
    json s2 = load(layout2 / "supplies.geojson");
    s2["features"][0]["properties"]["nozzle_no"] = "N99";
    save(layout2 / "supplies.geojson", s2);
    expect_rejected({layout2.string()},
                    {"supplies.geojson", "(370602-0001/N99)", "field 'nozzle_no'", "unknown nozzle 'N99'"});
}

TEST(CliImportBad, BlendFractionsNotSummingToOneOrOutOfRange) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    json s = load(layout / "supplies.geojson");
    // Features 1 and 2 are the blend legs of 370602-0001/N2 (0.4 + 0.6).
    ASSERT_EQ(s["features"][2]["properties"]["leg"], 2);
    s["features"][2]["properties"]["fraction"] = 0.5;
    save(layout / "supplies.geojson", s);
    expect_rejected({layout.string()},
                    {"supplies.geojson", "(370602-0001/N2)", "field 'fraction'", "sum to 0.9"});

    s["features"][2]["properties"]["fraction"] = 1.5;
    save(layout / "supplies.geojson", s);
    expect_rejected({layout.string()}, {"supplies.geojson", "field 'fraction'", "in (0, 1]"});

    // Only leg 2 of the blend: the nozzle is named from the registry's sites after the whole layer.
    s["features"][2]["properties"]["fraction"] = 0.6;
    s["features"].erase(1);
    save(layout / "supplies.geojson", s);
    expect_rejected({layout.string()},
                    {"supplies.geojson", "(370602-0001/N2)", "field 'fraction'", "supply leg 1 is missing"});
}

TEST(CliImportBad, UnknownGrade) {
    TempDir dir;
    const auto layout = layout_dir(dir);
    json n = load(layout / "nozzles.geojson");
    n["features"][4]["properties"]["grade"] = "97#";
    save(layout / "nozzles.geojson", n);
    expect_rejected({layout.string()}, {"nozzles.geojson", "field 'grade'", "unknown grade '97#'"});
}

TEST(CliImportBad, EmptyOrInvalidGeometry) {
    TempDir dir;
    write(dir / "empty.csv", "station_id,name,WKT\nE-1,甲,POINT EMPTY\n");
    expect_rejected({(dir / "empty.csv").string()}, {"empty.csv", "line 2", "(E-1)", "empty geometry"});
    write(dir / "line.csv", "station_id,name,WKT\nE-1,甲,\"LINESTRING (121 37, 122 38)\"\n");
    expect_rejected({(dir / "line.csv").string()},
                    {"line.csv", "(E-1)", "field 'geometry'", "invalid geometry"});
    write(dir / "bad.csv", "station_id,name,WKT\nE-1,甲,POINT (121\n");
    expect_rejected({(dir / "bad.csv").string()}, {"bad.csv", "(E-1)", "geometry"});

    const auto layout = layout_dir(dir);
    json s = load(layout / "sites.geojson");
    s["features"][1]["geometry"]["coordinates"] = {
        {{121.39, 37.53}, {121.40, 37.54}, {121.40, 37.53}, {121.39, 37.54}, {121.39, 37.53}}};
    save(layout / "sites.geojson", s);
    expect_rejected({layout.string()}, {"sites.geojson", "(370602-0002)", "invalid geometry"});
}

TEST(CliImportBad, CoordinatesOutOfRange) {
    TempDir dir;
    write(dir / "far.csv", "station_id,name,X,Y\nF-1,甲,121,37\nF-2,乙,13500000,4500000\n");
    expect_rejected({(dir / "far.csv").string()},
                    {"far.csv", "line 3", "feature 2 (F-2)", "coordinates out of range", "declares no CRS"});
    const auto layout = layout_dir(dir);
    json st = load(layout / "stations.geojson");
    st["features"][1]["geometry"]["coordinates"] = {200.0, 37.0};
    save(layout / "stations.geojson", st);
    expect_rejected({layout.string()}, {"stations.geojson", "(370602-0002)", "coordinates out of range"});
}

TEST(CliImportBad, NonUtf8Name) {
    TempDir dir;
    write(dir / "latin1.csv", "station_id,name,X,Y\nU-1,Station caf\xe9,121,37\n");
    expect_rejected({(dir / "latin1.csv").string()},
                    {"latin1.csv", "line 2", "(U-1)", "field 'name'", "not valid UTF-8", "0xE9"});
}

TEST(CliImportBad, StationIdInTwoSourceFiles) {
    TempDir dir;
    write(dir / "a.csv", "station_id,name,X,Y\nS-1,甲,121,37\nS-2,乙,121.1,37\n");
    write(dir / "b.csv", "station_id,name,X,Y\nS-3,丙,121,37\nS-2,丁,121.1,37\n");
    expect_rejected({(dir / "a.csv").string(), (dir / "b.csv").string()},
                    {"b.csv", "(S-2)", "field 'station_id'", "appears in two sources", "a.csv"});
}

TEST(CliImportBad, VeryLargeFileOrLayer) {
    TempDir dir;
    write(dir / "list.csv", "station_id,name,X,Y\nS-1,甲,121,37\nS-2,乙,121.1,37\nS-3,丙,121.2,37\n");
    expect_rejected({(dir / "list.csv").string(), "--max-features", "2"},
                    {"list.csv", "more than", "2", "--max-features"});
    expect_rejected({(dir / "list.csv").string(), "--max-file-size", "32"},
                    {"list.csv", "bytes, more than the limit of 32", "--max-file-size"});
    auto ok = run_fuelmap({"import", (dir / "list.csv").string(), "-r", (dir / "r.gpkg").string(),
                           "--max-features", "3", "--max-file-size", "1K"});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(CliImportBad, UnknownCrsOrNonDegreesInGcj02) {
    TempDir dir;
    write(dir / "list.csv", "lng,lat,station_id\n121.3967,37.5403,AMAP-0001\n");
    write(dir / "map.json", R"({"crs": "GCJ-2000"})");
    expect_rejected({(dir / "list.csv").string(), "--mapping", (dir / "map.json").string()},
                    {"map.json", "field 'crs'", "unknown CRS 'GCJ-2000'", "neither GCJ-02 nor BD-09"});
    write(dir / "metres.csv", "X,Y,station_id\n622973.8,4157273.9,AMAP-0001\n");
    write(dir / "gcj.json", R"({"crs": "GCJ-02"})");
    expect_rejected({(dir / "metres.csv").string(), "--mapping", (dir / "gcj.json").string()},
                    {"metres.csv", "line 2", "AMAP-0001", "are not GCJ-02 degrees"});
}

TEST(CliImportBad, BadMappingFile) {
    TempDir dir;
    write(dir / "map.json", R"({"fields": {"station_number": "ref"}})");
    expect_rejected({fuelmap::testing::source_path("maps/osm_fuel_sample.geojson").string(), "--mapping",
                     (dir / "map.json").string()},
                    {"map.json", "field 'fields.station_number'", "unknown station field"});
    write(dir / "broken.json", "{ not json");
    expect_rejected({fuelmap::testing::source_path("maps/osm_fuel_sample.geojson").string(), "--mapping",
                     (dir / "broken.json").string()},
                    {"broken.json", "not valid JSON"});
}
