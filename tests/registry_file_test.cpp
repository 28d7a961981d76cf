// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

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
