// SPDX-License-Identifier: MIT
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include "store/registry_read.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/synth.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace fuelmap;
using fuelmap::testing::TempDir;

TEST(RegistryFile, NullInABuiltInColumnIsAMissingValue) {
    TempDir dir;
    const Registry original = fuelmap::testing::sample_registry(3);
    create_registry(dir / "r.gpkg", original);
    const std::string first = original.sites()[0].station.station_id;
    const std::string second = original.sites()[1].station.station_id;
    // Every nullable built-in column NULL at the first station, two at the second, '' and 0 (not
    // NULL) at the third.
    fuelmap::testing::exec_sql(
        dir / "r.gpkg",
        "UPDATE stations SET name = NULL, operator = NULL, brand = NULL, ownership = NULL, province = NULL, "
        "city = NULL, county = NULL, address = NULL, annual_volume_m3 = NULL, risk_weight = NULL "
        "WHERE station_id = '" +
            first +
            "'; "
            "UPDATE stations SET risk_weight = NULL, address = NULL WHERE station_id = '" +
            second +
            "'; "
            "UPDATE stations SET name = '', annual_volume_m3 = 0 WHERE station_id = '" +
            original.sites()[2].station.station_id + "'");
    const Registry loaded = read_registry(dir / "r.gpkg");
    const Station& all = loaded.find(first)->station;
    EXPECT_EQ(all.missing,
              (std::vector<std::string>{"address", "annual_volume_m3", "brand", "city", "county", "name",
                                        "operator", "ownership", "province", "risk_weight"}));
    EXPECT_EQ(all.name, "");
    EXPECT_EQ(all.county, "");
    EXPECT_EQ(all.ownership, Ownership::other);
    EXPECT_EQ(all.annual_volume_m3, 0);
    EXPECT_EQ(all.risk_weight, 1);
    for (const std::string& field : all.missing)
        EXPECT_FALSE(all.field(field)) << field;
    EXPECT_EQ(all.field("status").value_or(""), "open");
    const Station& two = loaded.find(second)->station;
    EXPECT_EQ(two.missing, (std::vector<std::string>{"address", "risk_weight"}));
    EXPECT_EQ(two.name, original.sites()[1].station.name);
    EXPECT_EQ(two.field("county"), original.sites()[1].station.county);
    const Station& empty = loaded.sites()[2].station;
    EXPECT_TRUE(empty.missing.empty());
    EXPECT_EQ(empty.field("name").value_or("?"), "");
    EXPECT_EQ(empty.field("annual_volume_m3").value_or("?"), "0");
}

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
    EXPECT_THROW_MSG(create_registry(dir / "r.gpkg", r), Error, "layer 'tanks': cannot write feature");
    EXPECT_FALSE(std::filesystem::exists(dir / "r.gpkg"));
    EXPECT_FALSE(std::filesystem::exists((dir / "r.gpkg").string() + ".tmp-" + std::to_string(::getpid())));
}

TEST(RegistryFile, AppendRemovesOnlyTheTemporaryFilesOfDeadWriters) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    // Stale: a pid no process has (above pid_max). Live: the parent of this test process.
    long pid_max = 0;
    std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
    ASSERT_GT(pid_max, 0);
    const std::string stale = reg.string() + ".tmp-" + std::to_string(pid_max + 1);
    const std::string live = reg.string() + ".tmp-" + std::to_string(::getppid());
    for (const std::string& path : {stale, stale + "-journal", live, live + "-journal"})
        std::ofstream(path) << "partial";
    append_to_registry(reg, std::vector<Site>{fuelmap::testing::sample_site("370602-0042")},
                       GradeTable::builtin());
    EXPECT_EQ(read_registry(reg).size(), 2u);
    EXPECT_FALSE(std::filesystem::exists(stale));
    EXPECT_FALSE(std::filesystem::exists(stale + "-journal"));
    EXPECT_TRUE(std::filesystem::exists(live));
    EXPECT_TRUE(std::filesystem::exists(live + "-journal"));
}

namespace {

using detail::Threading;

// Every field of a site, one line per element: equal text means equal sites.
std::string dump(const Site& site) {
    return fuelmap::testing::dump_site(site, 12, true);
}

std::string dump(const Registry& r) {
    std::string all;
    for (const Site& s : r.sites())
        all += dump(s);
    for (const Grade& g : r.grades().all())
        all += "G " + g.code + '\n';
    return all;
}

// A registry with blends, manifolds, a station without layout and one without an outline.
std::filesystem::path varied_registry(const TempDir& dir) {
    Registry r = synthesize({.stations = 120, .seed = 11});
    Site bare = fuelmap::testing::sample_site("370602-9998");
    bare.tanks.clear();
    bare.dispensers.clear();
    bare.nozzles.clear();
    bare.outline.clear();
    r.add(bare);
    Site open = fuelmap::testing::sample_site("370602-9999");
    open.outline.clear();
    open.station.attributes["osm_id"] = "node/1";
    r.add(open);
    const auto path = dir / "varied.gpkg";
    create_registry(path, r);
    return path;
}

// Runs SQL on a registry with the GeoPackage triggers dropped first (they call spatial functions
// that plain SQLite lacks); the reader does not need them.
void edit(const std::filesystem::path& path, const std::string& sql) {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    std::vector<std::string> triggers;
    SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'");
    while (q.executeStep())
        triggers.push_back(q.getColumn(0).getString());
    for (const std::string& t : triggers)
        db.exec("DROP TRIGGER \"" + t + "\"");
    db.exec(sql);
}

// The full read on one thread, on two, and station by station through the filter all agree.
void expect_same_reads(const std::filesystem::path& path) {
    const Registry sequential = detail::read_registry(path, {}, Threading::never);
    const Registry parallel = detail::read_registry(path, {}, Threading::always);
    ASSERT_GT(sequential.size(), 100u);
    EXPECT_EQ(dump(parallel), dump(sequential));
    EXPECT_EQ(dump(read_registry(path)), dump(sequential));
    for (std::size_t i = 0; i < sequential.size(); i += 5) {
        const Site& expected = sequential.sites()[i];
        const Registry one = read_registry(path, ReadOptions{{expected.station.station_id}});
        ASSERT_EQ(one.size(), 1u);
        EXPECT_EQ(dump(one.sites()[0]), dump(expected));
    }
    // A filtered read of many stations on two threads.
    ReadOptions some;
    for (std::size_t i = 0; i < sequential.size(); i += 3)
        some.stations.push_back(sequential.sites()[i].station.station_id);
    const Registry filtered = detail::read_registry(path, some, Threading::always);
    ASSERT_EQ(filtered.size(), some.stations.size());
    for (const Site& site : filtered.sites())
        EXPECT_EQ(dump(site), dump(*sequential.find(site.station.station_id)));
    ReadOptions stations_only;
    stations_only.layouts = false;
    const Registry bare = detail::read_registry(path, stations_only, Threading::always);
    ASSERT_EQ(bare.size(), sequential.size());
    EXPECT_TRUE(bare.sites()[0].nozzles.empty());
    EXPECT_EQ(bare.sites()[0].station.name, sequential.sites()[0].station.name);
}

// The message of the InputError that reading @p path throws.
std::string read_error(const std::filesystem::path& path, Threading threading) {
    try {
        (void)detail::read_registry(path, {}, threading);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(RegistryFile, ParallelReadEqualsSequentialAndFilteredReads) {
    TempDir dir;
    expect_same_reads(varied_registry(dir));
}

TEST(RegistryFile, SuppliesOutOfStorageOrderReadTheSameOnEveryPath) {
    TempDir dir;
    const auto path = varied_registry(dir);
    const std::string expected = dump(detail::read_registry(path, {}, Threading::never));
    // Move the first legs of every blend to the end of the table: the storage-order read gives up
    // and the keyed fallback reads the legs in leg order again.
    edit(path, "CREATE TABLE moved AS SELECT * FROM supplies WHERE leg = 1 AND (station_id, nozzle_no) IN "
               "(SELECT station_id, nozzle_no FROM supplies WHERE leg = 2);"
               "DELETE FROM supplies WHERE fid IN (SELECT fid FROM moved);"
               "INSERT INTO supplies (station_id, nozzle_no, leg, tank_no, fraction) "
               "SELECT station_id, nozzle_no, leg, tank_no, fraction FROM moved ORDER BY fid;"
               "DROP TABLE moved");
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    ASSERT_GT(db.execAndGet("SELECT count(*) FROM supplies WHERE leg = 2").getInt(), 0);
    EXPECT_EQ(dump(detail::read_registry(path, {}, Threading::never)), expected);
    expect_same_reads(path);
}

TEST(RegistryFile, NozzlesOutOfStationOrderReadTheSameOnEveryPath) {
    TempDir dir;
    const auto path = varied_registry(dir);
    // The nozzles of an early station, and one of a later station, move to the end of the layer:
    // the two-thread read can no longer read the supplies behind the nozzles and reads them again.
    const std::string columns = "geom, station_id, nozzle_no, dispenser_no, fuelling_point, grade, status";
    edit(path, "CREATE TABLE moved AS SELECT * FROM nozzles WHERE station_id = "
               "(SELECT station_id FROM stations ORDER BY fid LIMIT 1 OFFSET 2) "
               "OR fid = (SELECT max(fid) FROM nozzles WHERE station_id = "
               "(SELECT station_id FROM stations ORDER BY fid LIMIT 1 OFFSET 9));"
               "DELETE FROM nozzles WHERE fid IN (SELECT fid FROM moved);"
               "INSERT INTO nozzles (" +
                   columns + ") SELECT " + columns +
                   " FROM moved ORDER BY fid;"
                   "DROP TABLE moved");
    expect_same_reads(path);
}

TEST(RegistryFile, BadRowIsReportedTheSameOnEveryPath) {
    TempDir dir;
    const auto good = varied_registry(dir);
    struct Case {
        std::string sql;
        std::vector<std::string> words; // in the message
    };
    const std::vector<Case> cases = {
        {"UPDATE nozzles SET station_id = '000000-0001' WHERE fid = 7",
         {"layer 'nozzles'", "000000-0001", "not in the stations layer"}},
        {"UPDATE supplies SET nozzle_no = 'N99' WHERE fid = 5", {"layer 'supplies'", "unknown nozzle 'N99'"}},
        {"UPDATE sites SET station_id = '000000-0002' WHERE fid = 3", {"layer 'sites'", "000000-0002"}},
        {"UPDATE tanks SET station_id = '000000-0003' WHERE fid = 9", {"layer 'tanks'", "000000-0003"}},
        {"DROP TABLE dispensers", {"malformed registry", "dispensers"}},
        {"UPDATE stations SET ownership = 'state' WHERE fid = 100",
         {"layer 'stations'", "feature 100 ", "unknown ownership type 'state'"}},
    };
    int n = 0;
    for (const Case& c : cases) {
        SCOPED_TRACE(c.sql);
        const auto path = dir / ("bad" + std::to_string(n++) + ".gpkg");
        std::filesystem::copy_file(good, path);
        edit(path, c.sql);
        const std::string message = read_error(path, Threading::never);
        for (const std::string& w : c.words)
            EXPECT_NE(message.find(w), std::string::npos) << message;
        EXPECT_EQ(read_error(path, Threading::always), message);
    }
}

TEST(RegistryFile, OfTwoBadLayersTheEarlierOneIsReported) {
    TempDir dir;
    const auto good = varied_registry(dir);
    // Pairs of a late and an early layer, read on different threads or on the same one.
    const std::vector<std::pair<std::string, std::string>> pairs = {
        {"UPDATE sites SET station_id = 'late' WHERE fid = 2",
         "UPDATE tanks SET station_id = 'early' WHERE fid = 40"},
        {"UPDATE nozzles SET station_id = 'late' WHERE fid = 2",
         "UPDATE dispensers SET station_id = 'early' WHERE fid = 30"},
        {"UPDATE sites SET station_id = 'late' WHERE fid = 1",
         "UPDATE supplies SET nozzle_no = 'early' WHERE fid = 50"},
        {"UPDATE supplies SET station_id = 'late' WHERE fid = 1",
         "UPDATE nozzles SET station_id = 'early' WHERE fid = 60"},
        {"DROP TABLE sites", "UPDATE dispensers SET station_id = 'early' WHERE fid = 1"},
        // Both in the stations layer, one in each half of a two-thread read.
        {"UPDATE stations SET ownership = 'late' WHERE fid = 110",
         "UPDATE stations SET ownership = 'early' WHERE fid = 10"},
    };
    int n = 0;
    for (const auto& [late, early] : pairs) {
        SCOPED_TRACE(late + "; " + early);
        const auto path = dir / ("two" + std::to_string(n++) + ".gpkg");
        std::filesystem::copy_file(good, path);
        edit(path, late + ";" + early);
        const std::string message = read_error(path, Threading::always);
        EXPECT_NE(message.find("early"), std::string::npos) << message;
        EXPECT_EQ(message.find("late"), std::string::npos) << message;
        EXPECT_EQ(read_error(path, Threading::never), message);
    }
}
