// SPDX-License-Identifier: MIT
// End-to-end: two fuelmap processes writing one registry of 20,000 stations at the same time, for
// every pair of writing commands (import --append, observe, lab, plan). Each writer either waits
// for the other or is refused with the lock message (exit 2); afterwards the registry holds the
// work of every writer that exited 0 and nothing of a refused one, and its ledger verifies
// (issue 12, problem 1). A longer loop: bench/two_writers.sh.
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>

#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

using namespace fuelmap;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

constexpr int stations = 20000;
const std::string seed_hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

// One writer: its command line and how much it adds to each table when it succeeds.
struct Writer {
    std::string name;
    std::vector<std::string> args; // "REG" stands for the registry
    std::map<std::string, std::int64_t> adds;
};

// The base registry (synth, with round R0 recorded) and the inputs of two writers of each command.
class TwoWriters : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = std::make_unique<TempDir>();
        const std::string base = path("base.gpkg");
        ASSERT_EQ(run_fuelmap({"synth", "--stations", std::to_string(stations), "--seed", "7", "-o", base})
                      .exit_code,
                  0);
        write_file(s_dir->path() / "d0.json", R"({"round": "R0", "sample_size": 20, "grades": ["92#"]})");
        const RunResult r0 = run_fuelmap(
            {"plan", "-r", base, "--design", path("d0.json"), "--seed", seed_hex, "-o", path("r0.json")});
        ASSERT_EQ(r0.exit_code, 0) << r0.err;
        const Plan plan = read_plan(path("r0.json"));
        // Observations: each nozzle of 100 stations seen on its declared tank(s), A and B on other days.
        ReadOptions some{.stations = {}, .layouts = false};
        const Registry all = read_registry(base, some);
        for (const Site& s : all.sites())
            if (some.stations.size() < 100)
                some.stations.push_back(s.station.station_id);
        some.layouts = true;
        std::string obs_a, obs_b;
        std::int64_t per_file = 0;
        const Registry hundred = read_registry(base, some);
        for (const Site& s : hundred.sites()) {
            for (const Nozzle& n : s.nozzles) {
                std::string tanks;
                for (const SupplyLeg& leg : n.supply)
                    tanks += (tanks.empty() ? "" : "+") + leg.tank_no;
                const std::string row =
                    s.station.station_id + "," + n.nozzle_no + "," + tanks + ",pipe_tracing,I01;I02,";
                obs_a += row + "2026-03-01\n";
                obs_b += row + "2026-03-02\n";
                ++per_file;
            }
        }
        const std::string obs_header = "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n";
        write_file(s_dir->path() / "obs_a.csv", obs_header + obs_a);
        write_file(s_dir->path() / "obs_b.csv", obs_header + obs_b);
        s_observations = per_file;
        // Lab results of R0's nozzle samples, by two labs.
        std::string lab_a, lab_b;
        for (const Selection& s : plan.selections)
            for (const PlannedSample& ps : s.samples) {
                const std::string row = ps.nozzle_sample_id + "," + s.station_id + ",nozzle," + ps.nozzle_no +
                                        ",,,RON,92.4,-,GB/T 5487,";
                lab_a += row + "LA\n";
                lab_b += row + "LB\n";
                ++s_lab_results;
            }
        const std::string lab_header =
            "sample_id,station_id,source,nozzle_no,tank_no,depth,property,value,unit,method,lab\n";
        write_file(s_dir->path() / "lab_a.csv", lab_header + lab_a);
        write_file(s_dir->path() / "lab_b.csv", lab_header + lab_b);
        // Station lists to append.
        for (const char* w : {"a", "b"}) {
            std::string rows = "station_id,name,WKT,ownership\n";
            for (int i = 1; i <= 5; ++i)
                rows += std::string("APP-") + w + "-" + std::to_string(i) + ",追加站,POINT (121.39 37.5" +
                        std::to_string(i) + "),independent\n";
            write_file(s_dir->path() / (std::string("append_") + w + ".csv"), rows);
        }
        for (const char* w : {"A", "B"})
            write_file(s_dir->path() / (std::string("d") + w + ".json"),
                       std::string(R"({"round": "R)") + w + R"(", "sample_size": 10})");
    }
    static void TearDownTestSuite() { s_dir.reset(); }

    static std::string path(const std::string& name) { return (s_dir->path() / name).string(); }

    static Writer writer(const std::string& command, const std::string& which) {
        const std::string lower = which == "A" ? "a" : "b";
        if (command == "append")
            return {"append " + which,
                    {"import", path("append_" + lower + ".csv"), "-r", "REG", "--append"},
                    {{"stations", 5}}};
        if (command == "observe")
            return {"observe " + which,
                    {"observe", "-q", "-r", "REG", path("obs_" + lower + ".csv")},
                    {{"fuelmap_observations", s_observations}, {"fuelmap_ledger", s_observations}}};
        if (command == "lab")
            return {"lab " + which,
                    {"lab", "-r", "REG", path("lab_" + lower + ".csv")},
                    {{"fuelmap_lab_results", s_lab_results}, {"fuelmap_ledger", s_lab_results}}};
        return {
            "plan " + which,
            {"plan", "-r", "REG", "--design", path("d" + which + ".json"), "--seed", seed_hex, "-o", "PLAN"},
            {{"fuelmap_plans", 1}, {"fuelmap_ledger", 1}}};
    }

    static std::map<std::string, std::int64_t> counts(const std::string& reg) {
        SQLite::Database db(reg, SQLite::OPEN_READONLY);
        std::map<std::string, std::int64_t> n;
        for (const char* table :
             {"stations", "fuelmap_observations", "fuelmap_lab_results", "fuelmap_plans", "fuelmap_ledger"})
            n[table] = db.tableExists(table)
                           ? db.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64()
                           : 0;
        return n;
    }

    // Runs @p a and @p b at once on a fresh copy of the base registry and checks the outcome.
    // Returns how many of the two were refused.
    static int race(const std::string& a, const std::string& b, int round) {
        TempDir dir;
        const std::string reg = (dir / "reg.gpkg").string();
        std::filesystem::copy_file(path("base.gpkg"), reg);
        const std::map<std::string, std::int64_t> before = counts(reg);
        Writer w[2] = {writer(a, "A"), writer(b, "B")};
        RunResult result[2];
        std::thread threads[2];
        for (int i = 0; i < 2; ++i) {
            for (std::string& arg : w[i].args) {
                if (arg == "REG")
                    arg = reg;
                else if (arg == "PLAN")
                    arg = (dir / ("plan" + std::to_string(i) + ".json")).string();
            }
            threads[i] = std::thread([&, i] { result[i] = run_fuelmap(w[i].args); });
        }
        for (std::thread& t : threads)
            t.join();
        std::map<std::string, std::int64_t> expected = before;
        int refused = 0;
        for (int i = 0; i < 2; ++i) {
            SCOPED_TRACE(w[i].name + " (round " + std::to_string(round) + ")");
            if (result[i].exit_code == 0) {
                for (const auto& [table, n] : w[i].adds)
                    expected[table] += n;
            } else {
                ++refused;
                EXPECT_EQ(result[i].exit_code, 2) << result[i].err;
                const bool named =
                    result[i].err.find("registry is being written by another fuelmap process (pid ") !=
                    std::string::npos;
                const bool in_use =
                    result[i].err.find("registry is in use by another fuelmap process;") != std::string::npos;
                EXPECT_TRUE(named || in_use) << result[i].err;
            }
        }
        EXPECT_EQ(counts(reg), expected) << a << " + " << b << ": " << result[0].err << result[1].err;
        const RunResult v = run_fuelmap({"ledger", "verify", "-r", reg});
        EXPECT_EQ(v.exit_code, 0) << v.out;
        return refused;
    }

    static inline std::unique_ptr<TempDir> s_dir;
    static inline std::int64_t s_observations = 0;
    static inline std::int64_t s_lab_results = 0;
};

const std::vector<std::string> commands = {"append", "observe", "lab", "plan"};

} // namespace

// With a wait long enough, both writers of every pair succeed, one after the other.
TEST_F(TwoWriters, EveryPairWaitsAndKeepsBothWrites) {
    ::setenv("FUELMAP_LOCK_WAIT", "120", 1);
    int refused = 0;
    for (std::size_t i = 0; i < commands.size(); ++i)
        for (std::size_t j = i; j < commands.size(); ++j)
            refused += race(commands[i], commands[j], 0);
    EXPECT_EQ(refused, 0);
    ::unsetenv("FUELMAP_LOCK_WAIT");
}

// Without waiting, the second writer of a pair may be refused, with the message and no change;
// each pair runs twice (the longer loop: bench/two_writers.sh).
TEST_F(TwoWriters, WithoutWaitingTheSecondWriterIsRefusedNeverLost) {
    ::setenv("FUELMAP_LOCK_WAIT", "0", 1);
    int refused = 0;
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < commands.size(); ++i)
            for (std::size_t j = i; j < commands.size(); ++j)
                refused += race(commands[i], commands[j], round);
    EXPECT_GT(refused, 0) << "no writer was ever refused: the pairs did not overlap";
    ::unsetenv("FUELMAP_LOCK_WAIT");
}
