// SPDX-License-Identifier: MIT
// The layout cache of the registry (src/detail/layout_cache): the frame digest read through it is
// the digest of the frame text, whatever was edited in the file and by whom.
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/sampler.hpp>

#include "store/frame_text.hpp"
#include "store/layout_cache.hpp"
#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {

// Stations with blends, escapes, an empty supply, nozzle numbers whose byte order is not their
// registry order, and a station without nozzles.
Registry awkward_registry() {
    Registry base = fuelmap::testing::sample_registry(6);
    Registry out;
    int i = 0;
    for (Site s : base.sites()) {
        s.station.attributes["group"] = i % 2 ? "a\tb" : "c\\d";
        if (i == 1) {
            s.nozzles[1].supply = {{"T2", 0.6}, {"T1", 0.4}};
            s.nozzles[2].supply = {{"T1", 1.0 / 3}, {"T3", 2.0 / 3}};
            s.nozzles[5].nozzle_no = "N10";
            s.nozzles[3].nozzle_no = "N\t4\\x";
            s.nozzles[4].grade = "9\n5#";
        }
        if (i == 2)
            s.nozzles[0].supply.clear();
        if (i == 3)
            s.nozzles.clear();
        out.add(std::move(s));
        ++i;
    }
    return out;
}

Design design() {
    return parse_design(R"({"round":"R","sample_size":2,"strata":["group"],"weight_field":"risk_weight"})",
                        "design.json", ".");
}

DrawContext context(const std::filesystem::path& reg) {
    DrawContext c;
    c.registry_file = reg.string();
    return c;
}

// The digest of the file as the table scan gives it, on a copy whose cache is not trusted.
std::string scanned_digest(const std::filesystem::path& reg, const TempDir& dir) {
    const auto copy = dir / "scan.gpkg";
    std::filesystem::copy_file(reg, copy, std::filesystem::copy_options::overwrite_existing);
    {
        SQLite::Database db(copy.string(), SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER fuelmap_frame_nozzles_insert");
        EXPECT_FALSE(detail::layout_cache_trusted(db));
    }
    return frame_digest(copy, design());
}

// The digest from the registry read fully into memory (frame_text of docs/sampling.md).
std::string memory_digest(const std::filesystem::path& reg) {
    return frame_digest(read_registry(reg), design(), context(reg));
}

void exec(const std::filesystem::path& reg, const std::string& sql) {
    fuelmap::testing::exec_sql(reg, sql);
}

int count(const std::filesystem::path& reg, const std::string& sql) {
    SQLite::Database db(reg.string(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt();
}

bool trusted(const std::filesystem::path& reg) {
    SQLite::Database db(reg.string(), SQLite::OPEN_READONLY);
    return detail::layout_cache_trusted(db);
}

// The N lines of all stations as the cache gives them.
std::string cached_lines(const std::filesystem::path& reg, const Registry& registry) {
    std::vector<std::string_view> ids;
    for (const Site& s : registry.sites())
        ids.emplace_back(s.station.station_id);
    std::string out;
    SQLite::Database db(reg.string(), SQLite::OPEN_READONLY);
    EXPECT_TRUE(detail::read_layout_cache(db, ids, [&](std::size_t, std::string_view l) { out += l; }));
    return out;
}

// The N lines of all stations in frame_text().
std::string frame_n_lines(const Registry& registry, const std::filesystem::path& reg) {
    const std::string text = frame_text(registry, design(), context(reg));
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = text.find('\n', at) + 1;
        if (text[at] == 'N')
            out += text.substr(at, end - at);
        at = end;
    }
    return out;
}

} // namespace

TEST(LayoutCache, CacheScanAndFrameTextAgree) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    const Registry original = awkward_registry();
    create_registry(reg, original);
    ASSERT_TRUE(trusted(reg));
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_layouts"), 5); // not the empty station
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    EXPECT_EQ(cached_lines(reg, original), frame_n_lines(original, reg));
    const std::string digest = frame_digest(reg, design());
    EXPECT_EQ(digest, frame_digest(original, design(), context(reg)));
    EXPECT_EQ(digest, memory_digest(reg));
    EXPECT_EQ(digest, scanned_digest(reg, dir));
}

TEST(LayoutCache, RawSqlEditsMarkStationsDirtyAndTheDigestFollowsTheScan) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    const std::string before = frame_digest(reg, design());
    const std::vector<std::string> edits = {
        "UPDATE nozzles SET grade = '95#' WHERE station_id = '370602-0001' AND nozzle_no = 'N1'",
        "UPDATE supplies SET fraction = 0.25 WHERE station_id = '370602-0002' AND nozzle_no = 'N2' AND leg = "
        "1",
        "UPDATE supplies SET fraction = 0.75 WHERE station_id = '370602-0002' AND nozzle_no = 'N2' AND leg = "
        "2",
        "DELETE FROM nozzles WHERE station_id = '370602-0005' AND nozzle_no = 'N6'; "
        "DELETE FROM supplies WHERE station_id = '370602-0005' AND nozzle_no = 'N6'",
        "INSERT INTO nozzles (station_id, nozzle_no, grade, status) VALUES ('370602-0004', 'N1', '0#', "
        "'in_service')",
        "INSERT INTO supplies (station_id, nozzle_no, leg, tank_no, fraction) VALUES ('370602-0004', 'N1', "
        "1, "
        "'T3', 1)",
    };
    std::string previous = before;
    for (const std::string& sql : edits) {
        exec(reg, sql);
        EXPECT_GT(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0) << sql;
        ASSERT_TRUE(trusted(reg));
        const std::string now = frame_digest(reg, design());
        EXPECT_NE(now, previous) << sql;
        EXPECT_EQ(now, memory_digest(reg)) << sql;
        EXPECT_EQ(now, scanned_digest(reg, dir)) << sql;
        previous = now;
    }
    // A position edit is not in the frame and marks nothing.
    exec(reg, "DELETE FROM fuelmap_frame_dirty");
    exec(reg, "UPDATE nozzles SET geom = NULL WHERE station_id = '370602-0001'");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
}

TEST(LayoutCache, EditingBackGivesTheOriginalDigest) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    const std::string before = frame_digest(reg, design());
    exec(reg, "UPDATE nozzles SET status = 'out_of_service' WHERE station_id = '370602-0003'");
    EXPECT_NE(frame_digest(reg, design()), before);
    exec(reg, "UPDATE nozzles SET status = 'in_service' WHERE station_id = '370602-0003'");
    EXPECT_EQ(frame_digest(reg, design()), before);
}

TEST(LayoutCache, ReplacedRowsAreSeen) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    // REPLACE on the primary key deletes a row of another station without a delete trigger.
    exec(reg, "INSERT OR REPLACE INTO nozzles (fid, station_id, nozzle_no, grade, status) SELECT fid, "
              "'370602-0004', 'N9', '92#', 'in_service' FROM nozzles WHERE station_id = '370602-0001' "
              "AND nozzle_no = 'N3'");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty WHERE station_id = '370602-0001'"), 1);
    exec(reg, "DELETE FROM supplies WHERE station_id = '370602-0001' AND nozzle_no = 'N3'");
    EXPECT_EQ(frame_digest(reg, design()), memory_digest(reg));
    EXPECT_EQ(frame_digest(reg, design()), scanned_digest(reg, dir));
    exec(reg, "UPDATE OR REPLACE nozzles SET fid = (SELECT fid FROM nozzles WHERE station_id = '370602-0002' "
              "AND nozzle_no = 'N1') WHERE station_id = '370602-0004' AND nozzle_no = 'N9'");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty WHERE station_id = '370602-0002'"), 1);
    exec(reg, "DELETE FROM supplies WHERE station_id = '370602-0002' AND nozzle_no = 'N1'");
    EXPECT_EQ(frame_digest(reg, design()), memory_digest(reg));
}

TEST(LayoutCache, OrphansGiveTheErrorOfTheTableScan) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    auto error_of = [&](const std::filesystem::path& path) {
        try {
            (void)frame_digest(path, design());
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const auto copy = dir / "scan" / "r.gpkg"; // the same file name: the error names it
    std::filesystem::create_directory(dir / "scan");
    auto scanned_error = [&] {
        std::filesystem::copy_file(reg, copy, std::filesystem::copy_options::overwrite_existing);
        exec(copy, "DROP TRIGGER fuelmap_frame_stations_delete");
        std::string e = error_of(copy);
        const std::string dir_name = (dir / "scan").string();
        if (auto at = e.find(dir_name); at != std::string::npos)
            e.replace(at, dir_name.size(), dir.path().string());
        return e;
    };
    // A station removed, its nozzles left.
    exec(reg, "DELETE FROM stations WHERE station_id = '370602-0002'");
    const std::string error = error_of(reg);
    EXPECT_NE(error.find("370602-0002"), std::string::npos) << error;
    EXPECT_EQ(error, scanned_error());
    // The same, with the dirty mark gone: the cache entry of no station is not trusted either.
    exec(reg, "DELETE FROM fuelmap_frame_dirty");
    EXPECT_EQ(error_of(reg), scanned_error());
    // Rows of a station that never was.
    create_registry(reg, awkward_registry());
    exec(reg,
         "INSERT INTO nozzles (station_id, nozzle_no, grade, status) VALUES ('370602-0000', 'N1', '92#', "
         "'in_service')");
    EXPECT_NE(error_of(reg), "no error");
    EXPECT_EQ(error_of(reg), scanned_error());
    // A NULL station id.
    create_registry(reg, awkward_registry());
    exec(reg, "INSERT INTO supplies (station_id, nozzle_no, leg, tank_no, fraction) VALUES (NULL, 'N1', 1, "
              "'T1', 1)");
    EXPECT_NE(error_of(reg), "no error");
    EXPECT_EQ(error_of(reg), scanned_error());
}

TEST(LayoutCache, AChangedOrMissingTriggerMeansTheTableScan) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    const std::string before = frame_digest(reg, design());
    // A trigger rewritten to mark nothing, then an edit it does not see.
    exec(reg, "DROP TRIGGER fuelmap_frame_supplies_update");
    exec(reg, "CREATE TRIGGER fuelmap_frame_supplies_update AFTER UPDATE OF fid ON supplies BEGIN "
              "SELECT 1; END");
    EXPECT_FALSE(trusted(reg));
    exec(reg, "UPDATE supplies SET tank_no = 'T3' WHERE station_id = '370602-0001' AND nozzle_no = 'N1'");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    const std::string after = frame_digest(reg, design());
    EXPECT_NE(after, before);
    EXPECT_EQ(after, memory_digest(reg));
    // Another trigger that writes into the cache is not ours either.
    create_registry(reg, awkward_registry());
    exec(reg, "CREATE TRIGGER sneaky AFTER INSERT ON nozzles BEGIN DELETE FROM fuelmap_frame_dirty; END");
    EXPECT_FALSE(trusted(reg));
    // A registry without the cache (written by an older fuelmap) is read through the tables.
    create_registry(reg, awkward_registry());
    exec(reg, "DROP TABLE fuelmap_frame_layouts");
    EXPECT_FALSE(trusted(reg));
    EXPECT_EQ(frame_digest(reg, design()), before);
}

TEST(LayoutCache, UpdateRebuildsOrRefreshes) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    exec(reg, "UPDATE nozzles SET grade = '98#' WHERE station_id = '370602-0006'");
    detail::update_layout_cache(reg);
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    EXPECT_EQ(frame_digest(reg, design()), memory_digest(reg));
    // No cache at all (an older registry): built from the tables.
    for (const char* t : {"fuelmap_frame_layouts", "fuelmap_frame_dirty"})
        exec(reg, std::string("DROP TABLE ") + t);
    detail::update_layout_cache(reg);
    EXPECT_TRUE(trusted(reg));
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_layouts"), 5);
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    const Registry back = read_registry(reg);
    EXPECT_EQ(cached_lines(reg, back), frame_n_lines(back, reg));
}

TEST(LayoutCache, AppendKeepsTheCacheAndRecordingAPlanRefreshesIt) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    Registry all = awkward_registry();
    Registry first;
    std::vector<Site> later;
    for (const Site& s : all.sites())
        if (s.station.station_id < "370602-0004")
            first.add(s);
        else
            later.push_back(s);
    create_registry(reg, first);
    append_to_registry(reg, later, GradeTable::builtin());
    ASSERT_TRUE(trusted(reg));
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    EXPECT_EQ(cached_lines(reg, all), frame_n_lines(all, reg));
    EXPECT_EQ(frame_digest(reg, design()), frame_digest(all, design(), context(reg)));

    exec(reg, "UPDATE nozzles SET grade = '0#' WHERE station_id = '370602-0005' AND nozzle_no = 'N2'");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 1);
    const Plan plan = draw_plan(reg, design(), "seed");
    record_plan(reg, plan);
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 0);
    EXPECT_EQ(frame_digest(reg, design()), plan.registry_digest);
    EXPECT_EQ(plan.registry_digest, memory_digest(reg));
}

TEST(LayoutCache, WithoutTheCacheTheDigestComesFromTheTablesOnly) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    const FrameReadOptions tables_only{.use_layout_cache = false};
    const std::string before = frame_digest(reg, design());
    EXPECT_EQ(frame_digest(reg, design(), tables_only), before);
    // A forged cache, triggers intact: an edit whose dirty mark was deleted.
    exec(reg, "UPDATE nozzles SET status = 'out_of_service' WHERE station_id = '370602-0005' AND "
              "nozzle_no = 'N2'; DELETE FROM fuelmap_frame_dirty");
    ASSERT_TRUE(trusted(reg));
    EXPECT_EQ(frame_digest(reg, design()), before); // the cache lies
    const std::string truth = memory_digest(reg);
    EXPECT_NE(truth, before);
    EXPECT_EQ(frame_digest(reg, design(), tables_only), truth);
    EXPECT_EQ(draw_plan(reg, design(), "seed", tables_only).registry_digest, truth);
    EXPECT_EQ(draw_plan(reg, design(), "seed").registry_digest, before);
    // Cache lines rewritten over honest tables: only the cached digest moves.
    create_registry(reg, awkward_registry());
    exec(reg, "UPDATE fuelmap_frame_layouts SET lines = replace(lines, 'in_service', 'closed')");
    ASSERT_TRUE(trusted(reg));
    EXPECT_NE(frame_digest(reg, design()), before);
    EXPECT_EQ(frame_digest(reg, design(), tables_only), before);
    // Rows out of order take the indexed pass, still without the cache.
    exec(reg, "UPDATE nozzles SET fid = 100000 WHERE station_id = '370602-0001' AND nozzle_no = 'N1'");
    EXPECT_EQ(frame_digest(reg, design(), tables_only), before);
}

namespace {

// A design that draws every station of awkward_registry() and samples every grade it sells.
Design every_station() {
    return parse_design(R"({"round":"R","sample_size":6})", "design.json", ".");
}

// The plan drawn from @p reg, as its text.
std::string drawn(const std::filesystem::path& reg, const FrameReadOptions& options = {}) {
    return plan_to_json(draw_plan(reg, every_station(), "seed", options));
}

} // namespace

TEST(LayoutCache, TheDrawTakesTheDrawnStationsNozzlesFromTheCacheAsTheRowsHoldThem) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry()); // blends, escapes, an empty supply, a station without nozzles
    ASSERT_TRUE(trusted(reg));
    const FrameReadOptions tables_only{.use_layout_cache = false};
    const std::string from_tables = drawn(reg, tables_only);
    EXPECT_EQ(draw_plan(reg, every_station(), "seed", tables_only).selections.size(), 6u);
    EXPECT_EQ(drawn(reg), from_tables);
    // An edit (marked dirty) is read from the rows.
    exec(reg, "UPDATE supplies SET tank_no = 'T9' WHERE station_id = '370602-0003' AND leg = 1");
    EXPECT_EQ(count(reg, "SELECT count(*) FROM fuelmap_frame_dirty"), 1);
    const std::string edited = drawn(reg, tables_only);
    EXPECT_NE(edited, from_tables);
    EXPECT_EQ(drawn(reg), edited);
}

TEST(LayoutCache, WhenTheCacheCannotGiveTheDigestTheDrawReadsTheRows) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, awkward_registry());
    const std::string truth = drawn(reg, FrameReadOptions{.use_layout_cache = false});
    // Forged lines for one station (no trigger sees the cache table written): nothing in service.
    exec(reg, "UPDATE fuelmap_frame_layouts SET lines = replace(lines, 'in_service', 'out_of_service') "
              "WHERE station_id = '370602-0005'");
    ASSERT_TRUE(trusted(reg));
    EXPECT_NE(drawn(reg), truth); // the cache guards against edits, not forgery (docs/registry.md)
    // With a cache row of no station besides, the digest comes from the rows, and so do the
    // nozzles the draw took: the draw is made again from them.
    exec(reg, "INSERT INTO fuelmap_frame_layouts (station_id, lines) VALUES ('370602-9999', '')");
    ASSERT_TRUE(trusted(reg));
    EXPECT_EQ(drawn(reg), truth);
}

TEST(LayoutCache, CachedLinesOfSingleStations) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    const Registry original = awkward_registry();
    create_registry(reg, original);
    exec(reg, "UPDATE nozzles SET grade = '0#' WHERE station_id = '370602-0005' AND nozzle_no = 'N2'");
    SQLite::Database db(reg.string(), SQLite::OPEN_READONLY);
    const detail::LayoutCacheState state = detail::layout_cache_state(db);
    ASSERT_TRUE(state.usable);
    EXPECT_EQ(state.dirty, std::vector<std::string>{"370602-0005"});
    detail::CachedLines lines(db, state);
    std::string expected;
    detail::append_nozzle_lines(expected, original.find("370602-0002")->nozzles);
    EXPECT_EQ(lines.lines("370602-0002"), expected);
    EXPECT_EQ(lines.lines("370602-0004"), std::string()); // no nozzles, no row
    EXPECT_EQ(lines.lines("370602-0005"), std::nullopt);  // dirty: its rows are the truth
    exec(reg, "DROP TRIGGER fuelmap_frame_nozzles_insert");
    SQLite::Database untrusted(reg.string(), SQLite::OPEN_READONLY);
    const detail::LayoutCacheState none = detail::layout_cache_state(untrusted);
    EXPECT_FALSE(none.usable);
    EXPECT_EQ(detail::CachedLines(untrusted, none).lines("370602-0002"), std::nullopt);
}
