// SPDX-License-Identifier: MIT
// The layout cache of a PostgreSQL/PostGIS registry (docs/registry.md, "PostgreSQL/PostGIS"): the
// same digests and byte-identical plans as the GeoPackage and as a read of every row, whatever SQL
// edits the layout tables (as QGIS does), by the owner or by a role that owns nothing; a draw reads
// one snapshot while others edit; a cache that is tampered with is not used.
#include "store/registry_store.hpp"
#include "testing/demo_round.hpp"
#include "testing/pg_testing.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace fuelmap;
using fuelmap::testing::PgTestDb;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::run_ok;
using fuelmap::testing::RunResult;
using fuelmap::testing::source_path;
using fuelmap::testing::TempDir;

namespace {

const std::string design = fuelmap::testing::demo_design();
const std::string seed = fuelmap::testing::fixed_seed;

std::string digest(const std::string& registry, bool cache = true) {
    std::vector<std::string> args{"plan", "-r", registry, "--design", design, "--frame-digest"};
    if (!cache)
        args.push_back("--no-cache");
    return run_ok(args).out;
}

// A synthetic registry in a GeoPackage and imported into @p db.
std::string synth_both(const PgTestDb& db, const TempDir& tmp) {
    const std::string gpkg = (tmp / "r.gpkg").string();
    run_ok({"synth", "--stations", "300", "--seed", "11", "-o", gpkg, "-q"});
    run_ok({"import", gpkg, "-r", db.registry(), "-q"});
    return gpkg;
}

// Edits of every kind the frame reads, in SQL that both SQLite and PostgreSQL run: a grade, a
// fraction, a deleted nozzle with its legs, an added nozzle with a leg, a leg moved to another
// tank. @p a and @p b are station ids of the registry with a nozzle N1.
std::vector<std::string> edits(const std::string& a, const std::string& b) {
    return {
        "UPDATE nozzles SET grade = '0#' WHERE station_id = '" + a + "' AND nozzle_no = 'N1'",
        "UPDATE supplies SET fraction = 0.25 WHERE station_id = '" + a + "' AND nozzle_no = 'N1'",
        "DELETE FROM supplies WHERE station_id = '" + b + "' AND nozzle_no = 'N1'",
        "DELETE FROM nozzles WHERE station_id = '" + b + "' AND nozzle_no = 'N1'",
        "INSERT INTO nozzles (station_id, nozzle_no, dispenser_no, fuelling_point, grade, status) "
        "VALUES ('" +
            b + "', 'N99', 'D1', 1, '92#', 'in_service')",
        "INSERT INTO supplies (station_id, nozzle_no, leg, tank_no, fraction) "
        "VALUES ('" +
            b + "', 'N99', 1, 'T1', 1)",
    };
}

} // namespace

TEST(PgLayoutCache, ImportWritesItAndDigestsAndPlansEqualTheGeoPackage) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = synth_both(db, tmp);
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_frame_layouts"), "300");
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_frame_dirty"), "0");
    EXPECT_EQ(digest(db.registry()), digest(gpkg));
    EXPECT_EQ(digest(db.registry()), digest(db.registry(), false));
    run_ok(
        {"plan", "-r", db.registry(), "--design", design, "--seed", seed, "-o", (tmp / "pg.json").string()});
    run_ok({"plan", "-r", gpkg, "--design", design, "--seed", seed, "-o", (tmp / "gpkg.json").string()});
    EXPECT_EQ(read_file(tmp / "pg.json"), read_file(tmp / "gpkg.json"));
    run_ok({"verify", (tmp / "pg.json").string(), "-r", db.registry()});
}

TEST(PgLayoutCache, SqlEditsChangeTheDigestExactlyAsInTheGeoPackage) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = synth_both(db, tmp);
    const std::string before = digest(db.registry());
    const std::string a =
        db.sql("SELECT station_id FROM nozzles WHERE nozzle_no = 'N1' ORDER BY station_id LIMIT 1");
    const std::string b =
        db.sql("SELECT station_id FROM nozzles WHERE nozzle_no = 'N1' ORDER BY station_id DESC LIMIT 1");
    ASSERT_NE(a, b);
    for (const std::string& sql : edits(a, b)) {
        db.sql(sql);
        fuelmap::testing::exec_sql(gpkg, sql);
    }
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_frame_dirty"), "2");
    const std::string after = digest(db.registry());
    EXPECT_NE(after, before);
    EXPECT_EQ(after, digest(db.registry(), false));
    EXPECT_EQ(after, digest(gpkg, false));
    // A plan drawn with the cache is the plan of the rows, byte for byte.
    run_ok(
        {"plan", "-r", db.registry(), "--design", design, "--seed", seed, "-o", (tmp / "pg.json").string()});
    run_ok({"plan", "-r", gpkg, "--design", design, "--seed", seed, "-o", (tmp / "gpkg.json").string()});
    EXPECT_EQ(read_file(tmp / "pg.json"), read_file(tmp / "gpkg.json"));
    run_ok({"verify", (tmp / "pg.json").string(), "-r", db.registry()});
    run_ok({"verify", (tmp / "pg.json").string(), "-r", db.registry(), "--no-cache"});
}

TEST(PgLayoutCache, AnEditByARoleThatOwnsNothingMarksTheStation) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = synth_both(db, tmp);
    const std::string role = db.name() + "_county";
    db.sql("CREATE ROLE " + role + " NOLOGIN");
    db.sql("GRANT SELECT, UPDATE ON nozzles TO " + role);
    const std::string a =
        db.sql("SELECT station_id FROM nozzles WHERE nozzle_no = 'N1' ORDER BY station_id LIMIT 1");
    const std::string sql =
        "UPDATE nozzles SET status = 'closed' WHERE station_id = '" + a + "' AND nozzle_no = 'N1'";
    // The role may not write the cache's tables itself; the trigger marks for it, in the real table
    // even when the role made a temporary one of the same name to take the mark.
    db.sql("SET ROLE " + role + "; CREATE TEMP TABLE fuelmap_frame_dirty (station_id text PRIMARY KEY); " +
           sql + "; RESET ROLE");
    fuelmap::testing::exec_sql(gpkg, sql);
    EXPECT_EQ(db.sql("SELECT string_agg(station_id, ',') FROM fuelmap_frame_dirty"), a);
    EXPECT_EQ(digest(db.registry()), digest(gpkg, false));
    EXPECT_EQ(digest(db.registry()), digest(db.registry(), false));
    db.sql("REVOKE ALL ON nozzles FROM " + role);
    db.sql("DROP ROLE " + role);
}

TEST(PgLayoutCache, RowsOfNoStationAreReportedAsWithoutTheCache) {
    PgTestDb db;
    TempDir tmp;
    synth_both(db, tmp);
    db.sql("INSERT INTO nozzles (station_id, nozzle_no, grade, status) VALUES ('NOPE', '01', '92#', "
           "'in_service')");
    const RunResult r = run_fuelmap({"plan", "-r", db.registry(), "--design", design, "--frame-digest"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("station 'NOPE' is not in the stations layer"), std::string::npos) << r.err;
}

TEST(PgLayoutCache, ADisabledTriggerOrATamperedFunctionIsNotTrusted) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = synth_both(db, tmp);
    const std::string a =
        db.sql("SELECT station_id FROM nozzles WHERE nozzle_no = 'N1' ORDER BY station_id LIMIT 1");
    const std::string sql =
        "UPDATE nozzles SET grade = '0#' WHERE station_id = '" + a + "' AND nozzle_no = 'N1'";
    db.sql("ALTER TABLE nozzles DISABLE TRIGGER fuelmap_frame_nozzles");
    db.sql(sql);
    fuelmap::testing::exec_sql(gpkg, sql);
    EXPECT_EQ(db.sql("SELECT count(*) FROM fuelmap_frame_dirty"), "0");
    EXPECT_EQ(digest(db.registry()), digest(gpkg, false));
    // The trigger on again, its function changed: the cache (stale for station a) is still not used.
    db.sql("ALTER TABLE nozzles ENABLE TRIGGER fuelmap_frame_nozzles");
    db.sql(
        "CREATE OR REPLACE FUNCTION fuelmap_frame_mark() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "AS $$ BEGIN RETURN NULL; END $$");
    EXPECT_EQ(digest(db.registry()), digest(gpkg, false));
}

TEST(PgLayoutCache, ADrawReadsOneSnapshotWhileOthersEdit) {
    PgTestDb db;
    TempDir tmp;
    synth_both(db, tmp);
    const std::string before = detail::open_store(db.registry())->open_frame(true, true)->digest({}, "");
    const std::unique_ptr<detail::FrameSource> source =
        detail::open_store(db.registry())->open_frame(true, true);
    const Site& site = source->stations().sites().front();
    const std::string id = site.station.station_id;
    // Committed while the draw's snapshot is open: an edit, and the cache emptied.
    db.sql("UPDATE nozzles SET grade = 'Z9#' WHERE station_id = '" + id + "'");
    db.sql("DELETE FROM fuelmap_frame_layouts");
    EXPECT_EQ(source->digest({}, ""), before);
    ASSERT_FALSE(source->nozzles(site).empty());
    for (const Nozzle& n : source->nozzles(site))
        EXPECT_NE(n.grade, "Z9#");
    const std::string after = detail::open_store(db.registry())->open_frame(true, true)->digest({}, "");
    EXPECT_NE(after, before);
    EXPECT_EQ(after, detail::open_store(db.registry())->open_frame(false, true)->digest({}, ""));
}

TEST(PgLayoutCache, ARoleThatMayNotReadTheCacheReadsTheRows) {
    PgTestDb db;
    TempDir tmp;
    const std::string gpkg = synth_both(db, tmp);
    const std::string role = db.name() + "_auditor";
    db.sql("CREATE ROLE " + role + " NOLOGIN");
    db.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
    db.sql("REVOKE ALL ON fuelmap_frame_layouts FROM " + role);
    EXPECT_EQ(digest(db.registry() + " options=-crole=" + role), digest(gpkg));
    db.sql("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + role);
    db.sql("DROP ROLE " + role);
}
