// SPDX-License-Identifier: MIT
// End-to-end: fuelmap seed, plan, verify and ledger verify on registries written to disk.
#include "testing/testing.hpp"

#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/seed.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include <unistd.h>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;

namespace {

const std::string seed = "7f3a9c0e5b2d4f6a8c1e3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a";

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

// A registry of 20 stations in three counties, and a design with strata, weights, certainty,
// grades, inspectors and a window.
struct Round {
    TempDir dir;
    std::string reg = (dir / "r.gpkg").string();
    std::string design = (dir / "design.json").string();
    std::string plan = (dir / "plan.json").string();

    Round() {
        Registry base = fuelmap::testing::sample_registry(20);
        Registry reg_data;
        int i = 0;
        for (Site s : base.sites()) {
            static const char* counties[] = {"370602", "370611", "370612"};
            s.station.county = counties[i % 3];
            s.station.risk_weight = 1 + i % 3;
            reg_data.add(std::move(s));
            ++i;
        }
        create_registry(reg, reg_data);
        write(dir / "inspectors.csv", "id,name,unit,role\nI1,张三,370602,lead\nI2,李四,370611,member\n"
                                      "I3,王五,370612,member\nI4,赵六,370699,lead\n"
                                      "I5,钱七,370698,member\nI6,孙八,370697,lead\n");
        write(design,
              R"({"round": "2026-Q1", "sample_size": 5, "strata": ["county"], "weight_field": "risk_weight",
            "certainty": ["370602-0020"], "grades": ["92#", "95#"], "inspectors": "inspectors.csv",
            "stations_per_day": 3, "depot": {"lon": "121.447", "lat": "37.463"},
            "window": {"start": "2026-03-02", "end": "2026-03-06"}})");
    }

    fuelmap::testing::RunResult run_plan(const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{"plan", "-r", reg, "--design", design, "--seed", seed, "-o", plan};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_fuelmap(args);
    }
    fuelmap::testing::RunResult verify() { return run_fuelmap({"verify", plan, "-r", reg}); }
};

void replace_in_file(const std::string& path, const std::string& from, const std::string& to) {
    std::string text = read_file(path);
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    write(path, text);
}

} // namespace

TEST(CliSeed, NewPrintsSeedAndCommitment) {
    auto r = run_fuelmap({"seed", "new", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    const std::string s = j["seed"];
    EXPECT_EQ(s.size(), 64u);
    EXPECT_EQ(j["commitment"], seed_commitment(s));
    TempDir dir;
    auto f = run_fuelmap({"seed", "new", "-o", (dir / "s.txt").string()});
    ASSERT_EQ(f.exit_code, 0) << f.err;
    EXPECT_EQ(f.out.find("seed "), std::string::npos) << "the seed must stay in the file";
    EXPECT_NE(f.out.find("commitment " + seed_commitment(read_file(dir / "s.txt").substr(0, 64))),
              std::string::npos);
}

TEST(CliSeed, FromSourcesBuildsTheRfc3797Key) {
    auto r = run_fuelmap({"seed", "from-sources", "--source", "9319", "--source", "2 5 12 8 10", "--source",
                          "9,18,26,34,41,45"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("key 9319./2.5.8.10.12./9.18.26.34.41.45./\n"), std::string::npos) << r.out;
    auto bad = run_fuelmap({"seed", "from-sources", "--source", "1 2", "--source", "3 x"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("--source 2"), std::string::npos) << bad.err;
}

TEST(CliPlan, WritesRecordsAndVerifies) {
    Round round;
    auto r = round.run_plan({"--csv-dir", (round.dir / "lists").string(), "--geojson",
                             (round.dir / "sel.geojson").string(), "--commitment", seed_commitment(seed)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto plan = nlohmann::json::parse(read_file(round.plan));
    EXPECT_EQ(plan["selections"].size(), 6u);
    int certain = 0;
    for (const auto& s : plan["selections"]) {
        certain += s["reason"] == "certainty";
        EXPECT_EQ(s["team"].size(), 2u);
        EXPECT_EQ(s["samples"].size(), 2u);
        EXPECT_FALSE(s["date"].get<std::string>().empty());
    }
    EXPECT_EQ(certain, 1);
    EXPECT_EQ(read_file(round.plan).back(), '\n');
    auto geo = nlohmann::json::parse(read_file(round.dir / "sel.geojson"));
    EXPECT_EQ(geo["features"].size(), 6u);
    EXPECT_FALSE(std::filesystem::is_empty(round.dir / "lists"));

    auto v = round.verify();
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    EXPECT_NE(v.out.find("verified"), std::string::npos);
    auto l = run_fuelmap({"ledger", "verify", "-r", round.reg});
    EXPECT_EQ(l.exit_code, 0) << l.out << l.err;
    EXPECT_NE(l.out.find("1 entries"), std::string::npos) << l.out;

    // The same round again is refused.
    auto again = round.run_plan();
    EXPECT_EQ(again.exit_code, 2);
    EXPECT_NE(again.err.find("already recorded"), std::string::npos) << again.err;
}

TEST(CliPlan, SameInputsGiveByteIdenticalPlans) {
    Round round;
    ASSERT_EQ(round.run_plan({"--dry-run"}).exit_code, 0);
    const std::string first = read_file(round.plan);
    ASSERT_EQ(round.run_plan({"--dry-run"}).exit_code, 0);
    EXPECT_EQ(read_file(round.plan), first);
    write(round.dir / "seed.txt", seed + "\n");
    ASSERT_EQ(run_fuelmap({"plan", "-r", round.reg, "--design", round.design, "--seed-file",
                           (round.dir / "seed.txt").string(), "-o", round.plan, "--dry-run"})
                  .exit_code,
              0);
    EXPECT_EQ(read_file(round.plan), first);
}

TEST(CliVerify, EachChangeFailsWithItsReason) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    const std::string original = read_file(round.plan);
    auto plan = nlohmann::ordered_json::parse(original);
    const std::string first_station = plan["selections"][0]["station_id"];

    auto expect = [&](const std::string& what, const std::vector<std::string>& needles) {
        auto v = round.verify();
        EXPECT_EQ(v.exit_code, 1) << what << "\n" << v.out << v.err;
        for (const std::string& n : needles)
            EXPECT_NE(v.out.find(n), std::string::npos) << what << ": no '" << n << "' in\n" << v.out;
        write(round.plan, original);
    };

    {
        auto p = nlohmann::json::parse(original);
        p["selections"][0]["date"] = "2026-03-09";
        write(round.plan, p.dump(2) + "\n");
    }
    expect("date edited", {"digest wrong", "selection_edited: selection " + first_station + ": date"});

    replace_in_file(round.plan, "\"seed\": \"" + seed + "\"", "\"seed\": \"" + seed.substr(1) + "0\"");
    expect("seed", {"seed altered"});

    replace_in_file(round.plan, "\"sample_size\": 5", "\"sample_size\": 4");
    expect("design", {"design altered", "selection_added"});

    {
        auto p = nlohmann::json::parse(original);
        p["selections"].erase(p["selections"].begin());
        write(round.plan, p.dump(2) + "\n");
    }
    expect("removed", {"selection_removed: selection removed: station " + first_station, "digest wrong"});

    replace_in_file(round.plan, "\"digest\": \"", "\"digest\": \"0");
    expect("digest", {"digest wrong"});

    // The registry changes after the plan: a nozzle's declared supply is re-piped.
    {
        SQLite::Database db(round.reg, SQLite::OPEN_READWRITE);
        db.exec("UPDATE supplies SET tank_no = 'T1' WHERE station_id = '370602-0001' AND nozzle_no = 'N2'");
    }
    expect("registry", {"registry changed since the plan"});
}

// verify reads only the head of a plan to recompute it; a file that is not the recomputed text is
// then read whole, so a body that is no plan is refused exactly as before (exit 2, its error), even
// when the head also fails, and a reformatted plan is a difference of form only.
TEST(CliVerify, ABodyThatIsNoPlanIsRefusedAsBefore) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    const std::string original = read_file(round.plan);
    const std::size_t last_team = original.rfind("\"team\": [");
    ASSERT_NE(last_team, std::string::npos);

    std::string twice = original;
    twice.insert(last_team, "\"reason\": \"random\",\n      ");
    write(round.plan, twice);
    auto v = round.verify();
    EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
    EXPECT_NE(v.err.find("the key appears twice"), std::string::npos) << v.err;

    write(round.plan, original.substr(0, last_team));
    v = round.verify();
    EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
    EXPECT_NE(v.err.find("not valid JSON"), std::string::npos) << v.err;

    // A head whose design cannot be drawn, before a body that is not JSON: the body's error.
    std::string both = original.substr(0, last_team);
    both.replace(both.find("\"sample_size\": 5"), 17, "\"sample_size\": \"five\"");
    write(round.plan, both);
    v = round.verify();
    EXPECT_EQ(v.exit_code, 2) << v.out << v.err;
    EXPECT_NE(v.err.find("not valid JSON"), std::string::npos) << v.err;

    write(round.plan, nlohmann::ordered_json::parse(original).dump() + "\n");
    v = round.verify();
    EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
    EXPECT_NE(v.out.find("not byte-identical to the canonical form"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find("digest wrong"), std::string::npos) << v.out;
    EXPECT_EQ(v.out.find("selection"), std::string::npos) << v.out;

    write(round.plan, original);
    EXPECT_EQ(round.verify().exit_code, 0);
}

// Every edit of the schedule (a route's order, stations, day, team or distances; a team's members
// or base) fails verify with exit 1, naming the route or team.
TEST(CliVerify, AnyEditOfTheScheduleIsSeen) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    const std::string original = read_file(round.plan);
    const auto plan = nlohmann::json::parse(original);
    ASSERT_FALSE(plan["routes"].empty());
    std::size_t longest = 0;
    for (std::size_t i = 0; i < plan["routes"].size(); ++i)
        if (plan["routes"][i]["stations"].size() > plan["routes"][longest]["stations"].size())
            longest = i;
    ASSERT_GE(plan["routes"][longest]["stations"].size(), 2u) << original;
    const std::string team = plan["routes"][longest]["team"];
    using Edit = std::function<void(nlohmann::json&)>;
    const std::vector<std::tuple<std::string, Edit, std::string>> edits = {
        {"order",
         [&](nlohmann::json& p) {
             auto& st = p["routes"][longest]["stations"];
             std::swap(st[0], st[1]);
         },
         "route: route of team " + team},
        {"distance", [&](nlohmann::json& p) { p["routes"][longest]["distance_m"] = 1; },
         "distance_m 1 in the plan"},
        {"straight", [&](nlohmann::json& p) { p["routes"][longest]["straight_m"] = 7; },
         "straight_m 7, distance_m"},
        {"day", [&](nlohmann::json& p) { p["routes"][longest]["date"] = "2026-03-31"; },
         "on 2026-03-31 is in the plan"},
        {"team", [&](nlohmann::json& p) { p["routes"][longest]["team"] = "T99"; }, "route of team T99"},
        {"members", [&](nlohmann::json& p) { p["teams"][0]["members"][0] = "I9"; }, "team: team T01 is"},
        {"base", [&](nlohmann::json& p) { p["teams"][0]["base_lon_e6"] = 0; }, "team: team T01 is"},
        {"dropped", [&](nlohmann::json& p) { p["routes"].erase(p["routes"].begin()); },
         "missing from the plan"},
    };
    for (const auto& [what, edit, needle] : edits) {
        auto p = plan;
        edit(p);
        p.erase("digest");
        write(round.plan, p.dump(2) + "\n");
        // Re-digested, so that only the recomputation can catch it.
        auto parsed = parse_plan(read_file(round.plan), round.plan);
        p["digest"] = plan_digest(parsed);
        write(round.plan, p.dump(2) + "\n");
        auto v = round.verify();
        EXPECT_EQ(v.exit_code, 1) << what << "\n" << v.out << v.err;
        EXPECT_NE(v.out.find(needle), std::string::npos) << what << ": no '" << needle << "' in\n" << v.out;
    }
    write(round.plan, original);
    EXPECT_EQ(round.verify().exit_code, 0);
}

// SQL NULL in a built-in station column is a missing value (docs/sampling.md section 3): a design
// that uses the field is refused naming the station and field; one that does not is unaffected.
TEST(CliPlan, NullInABuiltInColumnIsMissing) {
    Round round;
    fuelmap::testing::exec_sql(round.reg, "UPDATE stations SET brand = NULL, risk_weight = NULL "
                                          "WHERE station_id = '370602-0004'");
    write(round.design, R"({"round": "N", "sample_size": 3, "strata": ["brand"]})");
    auto r = round.run_plan({"--dry-run"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("layer 'stations'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("370602-0004"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("field 'brand': has no value for the stratum field"), std::string::npos) << r.err;
    write(round.design, R"({"round": "N", "sample_size": 3, "weight_field": "risk_weight"})");
    r = round.run_plan({"--dry-run"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("field 'risk_weight': has no value for the risk weight field"), std::string::npos)
        << r.err;
    write(round.design, R"({"round": "N", "sample_size": 3, "strata": ["county"]})");
    r = round.run_plan({"--dry-run"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// A plan of the older algorithm is not recomputed: verify says which algorithm it used.
TEST(CliVerify, APlanOfTheOlderAlgorithmIsNamed) {
    Round round;
    ASSERT_EQ(round.run_plan({"--dry-run"}).exit_code, 0);
    replace_in_file(round.plan, "\"algorithm_version\": \"fuelmap-sampling-2\"",
                    "\"algorithm_version\": \"fuelmap-sampling-1\"");
    auto v = round.verify();
    EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
    EXPECT_NE(v.out.find("algorithm: the plan was drawn with algorithm fuelmap-sampling-1 but this fuelmap "
                         "implements fuelmap-sampling-2"),
              std::string::npos)
        << v.out;
}

// The field lists: one CSV per team-day, stations in visiting order.
TEST(CliPlan, FieldListPerTeamDayInVisitingOrder) {
    Round round;
    ASSERT_EQ(round.run_plan({"--dry-run", "--csv-dir", (round.dir / "lists").string()}).exit_code, 0);
    const auto plan = nlohmann::json::parse(read_file(round.plan));
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(round.dir / "lists"))
        files += e.path().extension() == ".csv";
    EXPECT_EQ(files, plan["routes"].size());
    // Each stop with the station's name and address (the draw read its frame without them: the
    // design's strata are counties).
    const Registry registry = read_registry(round.reg);
    for (const auto& r : plan["routes"]) {
        const std::string name = r["team"].get<std::string>() + "_" + r["date"].get<std::string>() + ".csv";
        const std::string text = read_file(round.dir / "lists" / name);
        EXPECT_EQ(text.rfind("date,team,stop,station_id,name,address,", 0), 0u) << name;
        std::size_t at = 0;
        for (std::size_t i = 0; i < r["stations"].size(); ++i) {
            const std::string id = r["stations"][i].get<std::string>();
            const Station& station = registry.find(id)->station;
            ASSERT_FALSE(station.name.empty());
            const std::string row =
                "," + std::to_string(i + 1) + "," + id + "," + station.name + "," + station.address + ",";
            const std::size_t found = text.find(row, at);
            ASSERT_NE(found, std::string::npos) << name << " has no stop " << i + 1 << "\n" << text;
            at = found;
        }
    }
}

TEST(CliVerify, AnyEditOfANozzleOrSupplyRowIsSeen) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    const std::string saved = (round.dir / "saved.gpkg").string();
    std::filesystem::copy_file(round.reg, saved);
    const std::vector<std::string> edits = {
        "UPDATE nozzles SET grade = '95#' WHERE station_id = '370602-0007' AND nozzle_no = 'N1'",
        "UPDATE nozzles SET status = 'out_of_service' WHERE station_id = '370602-0013' AND nozzle_no = 'N4'",
        "UPDATE supplies SET fraction = 0.999 WHERE station_id = '370602-0002' AND nozzle_no = 'N5'",
        "DELETE FROM supplies WHERE station_id = '370602-0019' AND nozzle_no = 'N6'",
        "INSERT INTO nozzles (station_id, nozzle_no, grade, status) VALUES ('370602-0011', 'N7', '92#', "
        "'out_of_service')",
        "DROP TRIGGER fuelmap_frame_nozzles_update; UPDATE nozzles SET grade = '0#' WHERE station_id = "
        "'370602-0005' AND nozzle_no = 'N2'",
    };
    for (const std::string& sql : edits) {
        fuelmap::testing::exec_sql(round.reg, sql);
        auto v = round.verify();
        EXPECT_EQ(v.exit_code, 1) << sql << "\n" << v.out << v.err;
        EXPECT_NE(v.out.find("registry changed since the plan"), std::string::npos) << sql << "\n" << v.out;
        std::filesystem::copy_file(saved, round.reg, std::filesystem::copy_options::overwrite_existing);
    }
    // Edited and edited back: the same frame, the plan verifies.
    {
        SQLite::Database db(round.reg, SQLite::OPEN_READWRITE);
        db.exec("UPDATE supplies SET tank_no = 'T9' WHERE station_id = '370602-0001'");
        db.exec("UPDATE supplies SET tank_no = 'T1' WHERE station_id = '370602-0001' AND nozzle_no IN ('N1', "
                "'N2')");
    }
    auto changed = round.verify();
    EXPECT_EQ(changed.exit_code, 1) << changed.out;
    std::filesystem::copy_file(saved, round.reg, std::filesystem::copy_options::overwrite_existing);
    fuelmap::testing::exec_sql(
        round.reg, "UPDATE nozzles SET grade = 'x' WHERE station_id = '370602-0001' AND nozzle_no = 'N1'; "
                   "UPDATE nozzles SET grade = '92#' WHERE station_id = '370602-0001' AND nozzle_no = 'N1'");
    auto same = round.verify();
    EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

// Whoever can write the registry can also forge its layout cache, triggers intact: plain verify
// trusts the cache, verify --no-cache reads the nozzles and supplies tables only.
TEST(CliVerify, NoCacheSeesThroughAForgedLayoutCache) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    const auto plan = nlohmann::json::parse(read_file(round.plan));
    std::set<std::string> selected;
    for (const auto& s : plan["selections"])
        selected.insert(s["station_id"].get<std::string>());
    // A station the plan does not draw: its layout changes the digest and nothing else.
    std::string other;
    for (int i = 1; i <= 20 && other.empty(); ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "370602-%04d", i);
        if (!selected.count(id))
            other = id;
    }
    ASSERT_FALSE(other.empty());
    const std::string saved = (round.dir / "saved.gpkg").string();
    std::filesystem::copy_file(round.reg, saved);
    auto restore = [&] {
        std::filesystem::copy_file(saved, round.reg, std::filesystem::copy_options::overwrite_existing);
    };
    auto verify_no_cache = [&] { return run_fuelmap({"verify", round.plan, "-r", round.reg, "--no-cache"}); };
    auto frame_digest = [&](bool no_cache) {
        std::vector<std::string> args{"plan", "-r", round.reg, "--design", round.design, "--frame-digest"};
        if (no_cache)
            args.push_back("--no-cache");
        auto r = run_fuelmap(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    const std::string plan_digest = plan["registry_digest"];

    // The untouched registry verifies either way.
    auto honest = verify_no_cache();
    EXPECT_EQ(honest.exit_code, 0) << honest.out << honest.err;
    EXPECT_NE(honest.out.find("verified"), std::string::npos) << honest.out;
    EXPECT_EQ(frame_digest(true), plan_digest + "\n");

    const std::string edit =
        "UPDATE nozzles SET grade = '95#' WHERE station_id = '" + other + "' AND nozzle_no = 'N1'";
    const std::vector<std::pair<std::string, std::string>> forgeries = {
        // The edit marks the station dirty; the forger deletes the mark.
        {"dirty mark deleted", edit + "; DELETE FROM fuelmap_frame_dirty"},
        // The forger drops the trigger, edits, and puts the trigger back exactly as it was.
        {"trigger dropped and restored", "DROP TRIGGER fuelmap_frame_nozzles_update; " + edit},
    };
    for (const auto& [what, sql] : forgeries) {
        fuelmap::testing::exec_sql(round.reg, sql);
        if (what == "trigger dropped and restored") {
            // Restore the trigger from its SQL as stored before the drop.
            SQLite::Database db(saved, SQLite::OPEN_READONLY);
            const std::string trigger =
                db.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'fuelmap_frame_nozzles_update'")
                    .getString();
            fuelmap::testing::exec_sql(round.reg, trigger);
        }
        {
            SQLite::Database db(round.reg, SQLite::OPEN_READONLY);
            EXPECT_EQ(db.execAndGet("SELECT count(*) FROM fuelmap_frame_dirty").getInt(), 0) << what;
            EXPECT_EQ(db.execAndGet("SELECT grade FROM nozzles WHERE station_id = '" + other +
                                    "' AND nozzle_no = 'N1'")
                          .getString(),
                      "95#")
                << what;
        }
        // The cache still holds the old lines and the plain verify is fooled.
        auto fooled = round.verify();
        EXPECT_EQ(fooled.exit_code, 0) << what << "\n" << fooled.out << fooled.err;
        EXPECT_EQ(frame_digest(false), plan_digest + "\n") << what;
        // Without the cache the edit is seen.
        auto seen = verify_no_cache();
        EXPECT_EQ(seen.exit_code, 1) << what << "\n" << seen.out << seen.err;
        EXPECT_NE(seen.out.find("registry: registry changed since the plan"), std::string::npos)
            << what << "\n"
            << seen.out;
        EXPECT_NE(frame_digest(true), plan_digest + "\n") << what;
        restore();
    }

    // The other way round: a cache that lies about tables left as they were. Plain verify reports
    // a change that is not there; --no-cache never reads the cache and verifies.
    fuelmap::testing::exec_sql(round.reg, "UPDATE fuelmap_frame_layouts SET lines = replace(lines, '92#', "
                                          "'98#') WHERE station_id = '" +
                                              other + "'");
    auto lied = round.verify();
    EXPECT_EQ(lied.exit_code, 1) << lied.out << lied.err;
    EXPECT_NE(lied.out.find("registry changed since the plan"), std::string::npos) << lied.out;
    auto tables = verify_no_cache();
    EXPECT_EQ(tables.exit_code, 0) << tables.out << tables.err;
    EXPECT_EQ(frame_digest(true), plan_digest + "\n");
}

TEST(CliVerify, PublishedDesignAndCommitmentAreChecked) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    auto ok = run_fuelmap({"verify", round.plan, "-r", round.reg, "--design", round.design, "--commitment",
                           seed_commitment(seed)});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    write(round.dir / "other.json", R"({"round": "2026-Q1", "sample_size": 6})");
    auto bad = run_fuelmap({"verify", round.plan, "-r", round.reg, "--design",
                            (round.dir / "other.json").string(), "--commitment", std::string(64, 'a')});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.out.find("design altered"), std::string::npos) << bad.out;
    EXPECT_NE(bad.out.find("published commitment"), std::string::npos) << bad.out;
    auto missing = run_fuelmap({"verify", (round.dir / "nope.json").string(), "-r", round.reg});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("nope.json"), std::string::npos);
}

TEST(CliLedger, EditedPlanRecordIsDetected) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    {
        SQLite::Database db(round.reg, SQLite::OPEN_READWRITE);
        db.exec("UPDATE fuelmap_ledger SET payload = replace(payload, '2026-03', '2026-04') WHERE seq = 1");
    }
    auto l = run_fuelmap({"ledger", "verify", "-r", round.reg});
    EXPECT_EQ(l.exit_code, 1);
    EXPECT_NE(l.out.find("broken at entry 1"), std::string::npos) << l.out;
}

TEST(CliPlan, BadDesignFieldsExitTwoNamingFileAndKey) {
    Round round;
    struct Case {
        std::string json, key, words;
    };
    const std::vector<Case> cases = {
        {R"({"round": "R", "sample_size": 3, "colour": "red"})", "colour", "unknown key"},
        {R"({"round": "R", "budget": -100, "cost_per_batch": 10, "grades": ["92#"]})", "budget",
         "at least 0"},
        {R"({"round": "R", "budget": 100.5, "cost_per_batch": 10, "grades": ["92#"]})", "budget",
         "whole number"},
        {R"({"round": "R", "sample_size": 3, "strata": ["colour"]})", "strata",
         "unknown station field 'colour'"},
        {R"({"round": "R", "sample_size": 21})", "sample_size", "frame holds only 20"},
        {R"({"round": "R", "sample_size": 3, "method": "dice"})", "method", "tickets"},
        {R"({"round": "R", "sample_size": 3, "grades": ["100#"]})", "grades", "unknown grade"},
        {R"({"round": "R", "sample_size": 3, "certainty": ["XX-1"]})", "certainty", "not in the registry"},
        {R"({"round": "R", "sample_size": 3, "window": {"start": "2026-02-30", "end": "2026-03-01"}})",
         "window.start", "YYYY-MM-DD"},
        {R"({"round": "R", "sample_size": 3, "team_size": 1, "inspectors": "inspectors.csv"})", "team_size",
         "at least 2"},
        {R"({"sample_size": 3})", "round", "missing"},
    };
    for (const Case& c : cases) {
        write(round.design, c.json);
        auto r = round.run_plan({"--dry-run"});
        EXPECT_EQ(r.exit_code, 2) << c.json;
        EXPECT_NE(r.err.find("design.json"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("field '" + c.key + "'"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(c.words), std::string::npos) << r.err;
    }
    // Inconsistent commitment.
    write(round.design, R"({"round": "R", "sample_size": 3})");
    auto r = round.run_plan({"--commitment", std::string(64, '0')});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("does not match the published commitment"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(round.plan));
}

TEST(CliPlan, Rfc3797MethodUsesTheKeyString) {
    Round round;
    write(round.design, R"({"round": "lottery", "method": "rfc3797", "sample_size": 3})");
    auto r = run_fuelmap({"plan", "-r", round.reg, "--design", round.design, "--seed",
                          "9319./2.5.8.10.12./9.18.26.34.41.45./", "-o", round.plan});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto plan = nlohmann::json::parse(read_file(round.plan));
    EXPECT_EQ(plan["method"], "rfc3797");
    std::set<std::string> ids;
    for (const auto& s : plan["selections"])
        ids.insert(s["station_id"].get<std::string>());
    // Pool of 20 in id order; picks: 16 (i=0: MD5 mod 20), then ... checked against the library.
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(round.verify().exit_code, 0);
}

TEST(CliPlan, FrameDigestCanBePublishedBeforeTheSeed) {
    Round round;
    auto d = run_fuelmap({"plan", "-r", round.reg, "--design", round.design, "--frame-digest"});
    ASSERT_EQ(d.exit_code, 0) << d.err;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    auto plan = nlohmann::json::parse(read_file(round.plan));
    EXPECT_EQ(d.out, plan["registry_digest"].get<std::string>() + "\n");
}

TEST(CliPlan, CertaintyFromRoundNeedsARecordedRound) {
    Round round;
    ASSERT_EQ(round.run_plan().exit_code, 0);
    write(round.design, R"({"round": "2026-Q2", "sample_size": 3, "certainty_from_round": "2026-Q1"})");
    auto ok = round.run_plan();
    EXPECT_EQ(ok.exit_code, 0) << ok.err; // no audit results yet: no failures, nothing certain
    EXPECT_EQ(round.verify().exit_code, 0);
    write(round.design, R"({"round": "2026-Q3", "sample_size": 3, "certainty_from_round": "1999"})");
    auto bad = round.run_plan();
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("1999"), std::string::npos) << bad.err;
}

// Known answers (fuelmap-sampling-2; G3 to G5, which have no schedule, select exactly the stations,
// nozzles and frame digests that fuelmap-sampling-1 gave): plans of a synthetic registry, as fuelmap gave
// them before the registry's layout cache and the faster ticket arithmetic (any change to a plan byte changes
// its digest).
TEST(CliPlan, KnownAnswerPlansOfASynthRegistry) {
    TempDir dir;
    const std::string reg = (dir / "g.gpkg").string();
    ASSERT_EQ(run_fuelmap({"synth", "--stations", "400", "--seed", "3", "-o", reg}).exit_code, 0);
    write(dir / "insp.csv", "id,name,district,role\nI01,n1,370602,member\nI02,n2,370611,member\n"
                            "I03,n3,370612,member\nI04,n4,370613,member\nI05,n5,370614,member\n"
                            "I06,n6,370681,member\nI07,n7,370682,member\nI08,n8,370683,member\n"
                            "I09,n9,370685,member\nI10,n10,370686,member\nI11,n11,370687,member\n"
                            "J00,m0,999999,lead\nJ01,m1,999999,lead\nJ02,m2,999999,lead\n"
                            "J03,m3,999999,lead\nJ04,m4,999999,lead\nJ05,m5,999999,lead\n");
    const std::string teams_and_dates =
        R"("strata": ["county", "ownership"], "min_per_stratum": 1, "weight_field": "risk_weight",
        "certainty": ["370602-0002", "370681-0005"], "grades": ["92#", "95#", "0#"], "inspectors": "insp.csv",
        "stations_per_day": 4, "depot": {"lon": "121.447", "lat": "37.463"},
        "window": {"start": "2026-03-02", "end": "2026-03-13", "holidays": ["2026-03-05"]})";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"round": "G1", "sample_size": 60, "workload_cap": 12, )" + teams_and_dates + "}",
         "ced599a4f8b254e77ba624381dcab122ea6e1e9c4fac663b9638027a8b102b50"},
        {R"({"round": "G2", "sample_size": 25, "strata": ["ownership"], "allocation": "equal",
          "min_per_stratum": 2, "exclude": ["370602-0003"], "inspectors": "insp.csv", "team_size": 3,
          "stations_per_day": 5, "depot": {"lon": "121.447", "lat": "37.463"},
          "window": {"start": "2026-03-02", "end": "2026-03-06"}})",
         "f32068b84d1ec6840e1bb386e030e831bfaf2e039911f24f7b2658a6ead7b87f"},
        {R"({"round": "G3", "budget": 9000, "cost_per_batch": 100, "grades": ["92#", "95#"],
          "strata": ["county"], "allocation": "volume", "volume_field": "annual_volume_m3",
          "weight_field": "risk_weight"})",
         "8728ad5240820ab90cd91cc0fd1687d809fa3b545ada44b7d5ff8dd26f2ce588"},
        {R"({"round": "G4", "method": "rfc3797", "sample_size": 15, "strata": ["ownership"],
          "certainty": ["370602-0001"]})",
         "048fc19e732fc3db0aef4f9c75dee15a7e41b5c9372236dce807e435f435a519"},
        {R"({"round": "G5", "sample_size": 30})",
         "aacb3b6ff007b666dd46b70eae545faaf65c2c49e379b887913b750bee8406dd"},
    };
    auto digest_of = [&](const std::string& design, bool record) {
        write(dir / "d.json", design);
        std::vector<std::string> args{"plan",
                                      "-r",
                                      reg,
                                      "--design",
                                      (dir / "d.json").string(),
                                      "--seed",
                                      "golden-seed",
                                      "-o",
                                      (dir / "p.json").string()};
        if (!record)
            args.emplace_back("--dry-run");
        auto r = run_fuelmap(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        // The answers pin the draw: the ledger checkpoint (the registry's ledger when the plan was
        // drawn, not an output of the draw) is set aside.
        Plan drawn = read_plan(dir / "p.json");
        EXPECT_GE(drawn.ledger_entries, 0);
        drawn.ledger_entries = -1;
        drawn.ledger_head.clear();
        return plan_digest(drawn);
    };
    for (const auto& [design, digest] : cases)
        EXPECT_EQ(digest_of(design, false), digest) << design;
    // With a recorded round: last-visit teams enter the frame and the team rule.
    EXPECT_EQ(digest_of(cases[0].first, true), cases[0].second);
    EXPECT_EQ(digest_of(R"({"round": "G6", "sample_size": 120, "workload_cap": 20, )" + teams_and_dates + "}",
                        false),
              "0ea172e6278ea2e576d7f125429184ebca67b4a45d81a714f2cf3370feb3895c");
}

namespace {

// The names in @p dir that look like temporary files (`….tmp-…`).
std::vector<std::string> temp_files_in(const std::filesystem::path& dir) {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos)
            found.push_back(e.path().filename().string());
    return found;
}

// The names of the files under @p dir but registries and their lock files (recursively, relative), with their
// contents.
std::map<std::string, std::string> files_under(const std::filesystem::path& dir) {
    std::map<std::string, std::string> found;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() != ".gpkg" && e.path().extension() != ".lock")
            found[std::filesystem::relative(e.path(), dir).string()] = read_file(e.path());
    return found;
}

// The rounds recorded in @p reg: the plan table and the ledger's plan entries must agree.
std::vector<std::string> recorded_rounds(const std::string& reg) {
    std::vector<std::string> rounds;
    for (const Plan& p : read_recorded_plans(reg))
        rounds.push_back(p.round);
    std::vector<std::string> ledger;
    for (const LedgerEntry& e : read_ledger(reg))
        if (e.kind == "plan")
            ledger.push_back(e.record_id);
    EXPECT_EQ(rounds, ledger);
    return rounds;
}

} // namespace

// An output that cannot be written (here a directory stands where a file should go) fails with
// exit 2 and a message naming the file before anything is recorded or put in place: no other
// output is written, the round is not recorded, no temporary file is left, and the same command
// succeeds once the path is fixed.
TEST(CliPlan, AFailedOutputLeavesNoFileNoTemporaryFileAndNoRecord) {
    std::string csv_name;
    {
        Round probe;
        const std::string lists = (probe.dir / "lists").string();
        ASSERT_EQ(probe.run_plan({"--dry-run", "--csv-dir", lists}).exit_code, 0);
        csv_name = std::filesystem::directory_iterator(lists)->path().filename().string();
    }
    for (const std::string what : {"plan", "geojson", "csv"}) {
        for (const bool dry_run : {true, false}) {
            SCOPED_TRACE(what + (dry_run ? " --dry-run" : ""));
            Round round;
            const auto lists = round.dir / "new" / "lists";
            const std::string geojson = (round.dir / "sel.geojson").string();
            const std::string blocked = what == "plan"      ? round.plan
                                        : what == "geojson" ? geojson
                                                            : (lists / csv_name).string();
            std::filesystem::create_directories(std::filesystem::path(blocked) / "keep");
            const auto before = files_under(round.dir.path());
            std::vector<std::string> extra{"--csv-dir", lists.string(), "--geojson", geojson};
            if (dry_run)
                extra.push_back("--dry-run");
            auto r = round.run_plan(extra);
            EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
            EXPECT_NE(r.err.find(blocked + ": cannot write the file: Is a directory"), std::string::npos)
                << r.err;
            EXPECT_EQ(r.out, "");
            EXPECT_TRUE(std::filesystem::is_directory(std::filesystem::path(blocked) / "keep"));
            EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});
            EXPECT_EQ(files_under(round.dir.path()), before);
            // The field-list directory made for this run is gone again (unless it holds the block).
            EXPECT_EQ(std::filesystem::exists(round.dir / "new"), what == "csv");
            EXPECT_EQ(recorded_rounds(round.reg), std::vector<std::string>{});

            std::filesystem::remove_all(blocked);
            r = round.run_plan(extra);
            ASSERT_EQ(r.exit_code, 0) << r.err;
            EXPECT_TRUE(std::filesystem::is_regular_file(blocked));
            EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});
            EXPECT_EQ(recorded_rounds(round.reg),
                      dry_run ? std::vector<std::string>{} : std::vector<std::string>{"2026-Q1"});
        }
    }
}

// A --csv-dir that does not exist is made with its parents and filled whole (its lists are written
// into a staging directory renamed into place); one that exists gets its lists one by one; a GeoJSON
// written into a new list directory goes with its lists. No staging name is left either way.
TEST(CliPlan, FieldListsGoIntoANewOrAnExistingDirectory) {
    Round round;
    const auto lists = round.dir / "a" / "b" / "lists";
    auto r = round.run_plan({"--dry-run", "--csv-dir", lists.string() + "/"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto made = files_under(round.dir / "a");
    ASSERT_GT(made.size(), 1u);
    for (const auto& [name, text] : made)
        EXPECT_TRUE(name.starts_with("b/lists/") && name.ends_with(".csv")) << name;
    EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});

    // Again into the existing directory: the same files, the same bytes.
    std::filesystem::remove(round.plan);
    r = round.run_plan({"--dry-run", "--csv-dir", lists.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(files_under(round.dir / "a"), made);

    const auto fresh = round.dir / "c" / "lists";
    const std::string geojson = (fresh / "sel.geojson").string();
    r = round.run_plan({"--csv-dir", fresh.string(), "--geojson", geojson});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::is_regular_file(geojson));
    EXPECT_EQ(files_under(round.dir / "c").size(), made.size() + 1);
    EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});
}

// A round that cannot be recorded (already recorded, or the registry refuses the write) exits 2 and
// leaves every output file as it was: none is created or changed.
TEST(CliPlan, ARoundThatCannotBeRecordedWritesNoFile) {
    Round round;
    const std::string geojson = (round.dir / "sel.geojson").string();
    const std::string lists = (round.dir / "lists").string();
    ASSERT_EQ(round.run_plan({"--csv-dir", lists, "--geojson", geojson}).exit_code, 0);
    for (const auto& [name, text] : files_under(round.dir.path()))
        if (name != "design.json" && name != "inspectors.csv")
            write(round.dir / name, "earlier " + name);
    const std::string new_lists = (round.dir / "new-lists").string();
    const auto before = files_under(round.dir.path());

    auto r = round.run_plan({"--csv-dir", new_lists, "--geojson", geojson});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("a plan for round '2026-Q1' is already recorded"), std::string::npos) << r.err;
    EXPECT_EQ(files_under(round.dir.path()), before);
    EXPECT_FALSE(std::filesystem::exists(new_lists));

    // A new round whose recording fails inside the registry's transaction, after every output was
    // written to its temporary file.
    replace_in_file(round.design, "2026-Q1", "2026-Q2");
    {
        SQLite::Database db(round.reg, SQLite::OPEN_READWRITE);
        db.exec("CREATE TRIGGER no_more_plans BEFORE INSERT ON fuelmap_plans "
                "BEGIN SELECT RAISE(ABORT, 'plans are frozen'); END");
    }
    const auto frozen = files_under(round.dir.path());
    r = round.run_plan({"--csv-dir", new_lists, "--geojson", geojson});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot record the plan"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("plans are frozen"), std::string::npos) << r.err;
    EXPECT_EQ(files_under(round.dir.path()), frozen);
    EXPECT_FALSE(std::filesystem::exists(new_lists));
    EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});
    EXPECT_EQ(recorded_rounds(round.reg), std::vector<std::string>{"2026-Q1"});

    {
        SQLite::Database db(round.reg, SQLite::OPEN_READWRITE);
        db.exec("DROP TRIGGER no_more_plans");
    }
    r = round.run_plan({"--csv-dir", new_lists, "--geojson", geojson});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_file(round.plan), before.at("plan.json"));
    EXPECT_FALSE(std::filesystem::is_empty(new_lists));
    EXPECT_EQ(recorded_rounds(round.reg), (std::vector<std::string>{"2026-Q1", "2026-Q2"}));
}

// The way back from a rename that fails after the round was recorded (the error message says so):
// the same command with --dry-run writes every output again, byte for byte.
TEST(CliPlan, DryRunRewritesTheFilesOfARecordedRound) {
    Round round;
    const std::vector<std::string> outputs{"--csv-dir", (round.dir / "out" / "lists").string(), "--geojson",
                                           (round.dir / "out" / "sel.geojson").string()};
    std::filesystem::create_directories(round.dir / "out");
    ASSERT_EQ(round.run_plan(outputs).exit_code, 0);
    const std::string plan = read_file(round.plan);
    const auto written = files_under(round.dir / "out");
    ASSERT_GE(written.size(), 2u); // field lists and the GeoJSON
    ASSERT_EQ(written.count("sel.geojson"), 1u);
    std::filesystem::remove_all(round.dir / "out");
    std::filesystem::remove(round.plan);
    std::vector<std::string> dry = outputs;
    dry.push_back("--dry-run");
    ASSERT_EQ(round.run_plan(dry).exit_code, 0);
    EXPECT_EQ(read_file(round.plan), plan);
    EXPECT_EQ(files_under(round.dir / "out"), written);
    EXPECT_EQ(recorded_rounds(round.reg), std::vector<std::string>{"2026-Q1"});
}

// The same file named for two outputs is refused before anything is written or recorded.
TEST(CliPlan, TheSameFileForTwoOutputsIsRefused) {
    Round round;
    auto r = round.run_plan({"--geojson", round.plan});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(round.plan + ": cannot write the file: it is named for two outputs"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(round.plan));
    EXPECT_EQ(temp_files_in(round.dir.path()), std::vector<std::string>{});
    EXPECT_EQ(recorded_rounds(round.reg), std::vector<std::string>{});
}

// Writing a plan output also removes the temporary files of that output left by killed writers.
TEST(CliPlan, StaleTemporaryFilesOfOutputsAreRemoved) {
    Round round;
    long pid_max = 0;
    std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
    ASSERT_GT(pid_max, 0);
    const std::string stale = round.plan + ".tmp-" + std::to_string(pid_max + 1);
    const std::string live = round.plan + ".tmp-" + std::to_string(::getpid());
    for (const std::string& path : {stale, live})
        write(path, "half-written");
    ASSERT_EQ(round.run_plan({"--dry-run"}).exit_code, 0);
    EXPECT_FALSE(std::filesystem::exists(stale));
    EXPECT_EQ(read_file(live), "half-written");
}
