// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

using namespace fuelmap;
using fuelmap::testing::TempDir;

TEST(RegistryFile, RoundTripKeepsEverySiteField) {
    TempDir dir;
    Registry original = fuelmap::testing::sample_registry(2);
    Site blend = fuelmap::testing::sample_site("370611-0007");
    blend.tanks[1].manifold_group = "M1";
    blend.nozzles[1].supply = {{"T1", 0.5}, {"T2", 0.5}};
    blend.station.attributes["osm_id"] = "node/123";
    blend.station.location.reset();
    original.add(blend);
    create_registry(dir / "r.gpkg", original);

    Registry loaded = read_registry(dir / "r.gpkg");
    ASSERT_EQ(loaded.size(), 3u);
    const Site* s = loaded.find("370611-0007");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->station.name, "中石化烟台芝罘加油站");
    EXPECT_EQ(s->station.attributes.at("osm_id"), "node/123");
    EXPECT_FALSE(s->station.location.has_value());
    EXPECT_EQ(s->station.ownership, Ownership::major);
    EXPECT_EQ(s->station.annual_volume_m3, 3200);
    ASSERT_EQ(s->tanks.size(), 3u);
    EXPECT_EQ(s->tanks[1].manifold_group, "M1");
    ASSERT_EQ(s->nozzles[1].supply.size(), 2u);
    EXPECT_EQ(s->nozzles[1].supply[0].tank_no, "T1");
    EXPECT_DOUBLE_EQ(s->nozzles[1].supply[1].fraction, 0.5);
    ASSERT_EQ(s->outline.size(), 4u);
    EXPECT_NEAR(s->outline[0].lon, blend.outline[0].lon, 1e-12);
    ASSERT_TRUE(s->tanks[0].position.has_value());
    EXPECT_NEAR(s->tanks[0].position->lat, blend.tanks[0].position->lat, 1e-12);
}

TEST(RegistryFile, ReadsOnlyTheRequestedStations) {
    TempDir dir;
    create_registry(dir / "r.gpkg", fuelmap::testing::sample_registry(5));
    Registry two = read_registry(dir / "r.gpkg", ReadOptions{{"370602-0002", "370602-0004"}});
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two.sites()[0].station.station_id, "370602-0002");
    EXPECT_EQ(two.sites()[1].nozzles.size(), 6u);
}

TEST(RegistryFile, UnknownStationNamesTheId) {
    TempDir dir;
    create_registry(dir / "r.gpkg", fuelmap::testing::sample_registry(1));
    try {
        (void)read_registry(dir / "r.gpkg", ReadOptions{{"999999-0001"}});
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("999999-0001"), std::string::npos) << e.what();
        EXPECT_EQ(e.where().field, "station_id");
    }
}

TEST(RegistryFile, AppendAddsAndRefusesDuplicatesWithoutChangingTheFile) {
    TempDir dir;
    const auto path = dir / "r.gpkg";
    create_registry(path, fuelmap::testing::sample_registry(2));
    std::vector<Site> more{fuelmap::testing::sample_site("370613-0001")};
    append_to_registry(path, more, GradeTable::builtin());
    EXPECT_EQ(read_registry(path).size(), 3u);

    const std::string before = fuelmap::testing::read_file(path);
    std::vector<Site> dup{fuelmap::testing::sample_site("370602-0001")};
    EXPECT_THROW(append_to_registry(path, dup, GradeTable::builtin()), InputError);
    EXPECT_EQ(fuelmap::testing::read_file(path), before);
    EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp-" + std::to_string(::getpid())));
}

TEST(RegistryFile, RejectsFilesThatAreNotRegistries) {
    TempDir dir;
    EXPECT_THROW((void)read_registry(dir / "missing.gpkg"), InputError);
    std::ofstream(dir / "junk.gpkg") << "not a database";
    EXPECT_FALSE(is_registry(dir / "junk.gpkg"));
    EXPECT_THROW((void)read_registry(dir / "junk.gpkg"), InputError);
}

TEST(RegistryFile, CustomGradesArePersisted) {
    TempDir dir;
    Registry r = fuelmap::testing::sample_registry(1);
    r.grades().add({"101#", GradeFamily::gasoline, 101, std::nullopt, "Q/SH", "racing gasoline"});
    create_registry(dir / "r.gpkg", r);
    Registry loaded = read_registry(dir / "r.gpkg");
    ASSERT_NE(loaded.grades().find("101#"), nullptr);
    EXPECT_EQ(loaded.grades().find("101#")->min_octane, 101);
}

// The rows go in through SQLite with GDAL's triggers set aside: the file must still be the
// GeoPackage GDAL would have written, with counts, extents, spatial indexes and triggers in place.
TEST(RegistryFile, WrittenFileKeepsGeoPackageIndexesCountsAndTriggers) {
    TempDir dir;
    const auto path = dir / "r.gpkg";
    Registry r = fuelmap::testing::sample_registry(60); // 360 nozzles: a two-level R-tree
    Site no_position = fuelmap::testing::sample_site("370699-0001");
    no_position.nozzles[0].position.reset();
    no_position.outline.clear();
    r.add(no_position);
    create_registry(path, r);
    {
        SQLite::Database db(path.string());
        auto number = [&](const std::string& sql) { return db.execAndGet(sql).getInt64(); };
        for (const char* layer : {"stations", "tanks", "dispensers", "nozzles", "sites"}) {
            const std::string rtree = std::string("rtree_") + layer + "_geom";
            EXPECT_EQ(db.execAndGet("SELECT rtreecheck('" + rtree + "')").getString(), "ok") << layer;
            EXPECT_EQ(number("SELECT count(*) FROM " + rtree),
                      number(std::string("SELECT count(*) FROM ") + layer + " WHERE geom IS NOT NULL"))
                << layer;
            EXPECT_EQ(number(std::string("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                         "name LIKE 'rtree_") +
                             layer + "_geom_%'"),
                      6)
                << layer;
            EXPECT_EQ(number(std::string("SELECT count(*) FROM gpkg_contents WHERE table_name = '") + layer +
                             "' AND min_x <= max_x AND min_y <= max_y"),
                      1)
                << layer;
        }
        EXPECT_EQ(number("SELECT count(*) FROM nozzles"), 61 * 6);
        EXPECT_EQ(number("SELECT count(*) FROM sites"), 60);
        for (const char* layer : {"stations", "nozzles", "supplies", "grades", "fuelmap_meta"}) {
            EXPECT_EQ(number(std::string("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = '") +
                             layer + "'"),
                      number(std::string("SELECT count(*) FROM ") + layer))
                << layer;
            EXPECT_EQ(number(std::string("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                         "name LIKE 'trigger_%_feature_count_") +
                             layer + "'"),
                      2)
                << layer;
        }
        // The tank at a known place is found through the spatial index.
        const GeoPoint t1 = *r.find("370602-0007")->tanks[0].position;
        EXPECT_EQ(number("SELECT count(*) FROM rtree_tanks_geom r JOIN tanks t ON t.fid = r.id WHERE "
                         "t.station_id = '370602-0007' AND t.tank_no = 'T1' AND r.minx <= " +
                         std::to_string(t1.lon + 1e-6) + " AND r.maxx >= " + std::to_string(t1.lon - 1e-6) +
                         " AND r.miny <= " + std::to_string(t1.lat + 1e-6) +
                         " AND r.maxy >= " + std::to_string(t1.lat - 1e-6)),
                  1);
    }
    // GDAL appends through the restored triggers and keeps the bulk-built index consistent.
    std::vector<Site> more{fuelmap::testing::sample_site("370613-0001")};
    append_to_registry(path, more, GradeTable::builtin());
    SQLite::Database db(path.string());
    EXPECT_EQ(db.execAndGet("SELECT rtreecheck('rtree_nozzles_geom')").getString(), "ok");
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM rtree_nozzles_geom").getInt64(), 62 * 6 - 1);
    EXPECT_EQ(
        db.execAndGet("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'nozzles'").getInt64(),
        62 * 6);
    EXPECT_EQ(read_registry(path).size(), 62u);
}

TEST(RegistryFile, DuplicateElementNumbersFailWithoutLeavingAFile) {
    TempDir dir;
    Registry r = fuelmap::testing::sample_registry(2);
    Site dup = fuelmap::testing::sample_site("370602-0009");
    dup.tanks.push_back(dup.tanks[0]);
    r.add(dup);
    try {
        create_registry(dir / "r.gpkg", r);
        FAIL() << "expected Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("layer 'tanks': cannot write feature"), std::string::npos)
            << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "r.gpkg"));
    EXPECT_FALSE(std::filesystem::exists((dir / "r.gpkg").string() + ".tmp-" + std::to_string(::getpid())));
}
