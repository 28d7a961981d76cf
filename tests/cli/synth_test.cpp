// SPDX-License-Identifier: MIT
// End-to-end: fuelmap synth writes registries that validate clean, deterministically, and refuses
// bad input with exit 2 and a message naming the option or the path.
#include "testing/testing.hpp"

#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace fuelmap;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;

namespace {

// Every stored field of every station, as text.
std::string content(const std::filesystem::path& path) {
    const Registry r = read_registry(path);
    std::ostringstream o;
    o.precision(17);
    for (const Site& site : r.sites()) {
        const Station& s = site.station;
        o << s.station_id << '|' << s.name << '|' << s.operator_name << '|' << s.brand << '|'
          << to_string(s.ownership) << '|' << s.county << '|' << s.address << '|' << s.location->lon << ','
          << s.location->lat << '|' << s.annual_volume_m3 << '|' << s.risk_weight << '\n';
        for (const Tank& t : site.tanks)
            o << t.tank_no << t.grade << t.capacity_l << t.manifold_group << t.status << t.position->lon
              << t.position->lat << '\n';
        for (const Dispenser& d : site.dispensers)
            o << d.dispenser_no << d.island << d.fuelling_points << d.position->lon << d.position->lat
              << '\n';
        for (const Nozzle& n : site.nozzles) {
            o << n.nozzle_no << n.dispenser_no << n.fuelling_point << n.grade << n.position->lon
              << n.position->lat;
            for (const SupplyLeg& leg : n.supply)
                o << '|' << leg.tank_no << '@' << leg.fraction;
            o << '\n';
        }
        for (const GeoPoint& p : site.outline)
            o << p.lon << ',' << p.lat << ' ';
        o << '\n';
    }
    return o.str();
}

} // namespace

TEST(CliSynth, WritesARegistryThatValidatesClean) {
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    auto r = run_fuelmap({"synth", "--stations", "60", "-o", reg, "--seed", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("wrote " + reg + ": 60 stations"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal";
    EXPECT_TRUE(is_registry(reg));

    auto v = run_fuelmap({"validate", "-r", reg, "--quiet"});
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_NE(v.out.find("60 station(s) checked: 0 critical, 0 error(s), 0 warning(s)"), std::string::npos)
        << v.out;

    auto show = run_fuelmap({"show", "-r", reg, "370602-0001"});
    EXPECT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("370000 / 370600 / 370602"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("加油站"), std::string::npos) << show.out;
}

TEST(CliSynth, SameSeedSameContentOtherSeedOtherContent) {
    TempDir dir;
    for (const char* name : {"a.gpkg", "b.gpkg"}) {
        auto r =
            run_fuelmap({"synth", "--stations", "40", "-o", (dir / name).string(), "--seed", "17", "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, "");
    }
    auto c =
        run_fuelmap({"synth", "--stations", "40", "-o", (dir / "c.gpkg").string(), "--seed", "18", "-q"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    const std::string a = content(dir / "a.gpkg");
    EXPECT_GT(a.size(), 10000u);
    EXPECT_EQ(a, content(dir / "b.gpkg"));
    EXPECT_NE(a, content(dir / "c.gpkg"));
}

TEST(CliSynth, NationalScopeSpreadsOverProvinces) {
    TempDir dir;
    const std::string reg = (dir / "n.gpkg").string();
    auto r = run_fuelmap({"synth", "--stations", "120", "--regions", "national", "-o", reg, "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Registry registry = read_registry(reg);
    std::set<std::string> provinces;
    for (const Site& s : registry.sites())
        provinces.insert(s.station.province);
    EXPECT_GT(provinces.size(), 10u);
    EXPECT_EQ(run_fuelmap({"validate", "-r", reg, "-q"}).exit_code, 0);
}

TEST(CliSynth, BadCountsExitTwoNamingTheOption) {
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    for (const char* bad : {"0", "-5", "many"}) {
        auto r = run_fuelmap({"synth", "--stations", bad, "-o", reg});
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.err.find("--stations"), std::string::npos) << bad << ": " << r.err;
        EXPECT_FALSE(std::filesystem::exists(reg)) << bad;
    }
    auto too_many = run_fuelmap({"synth", "--stations", "200000", "--regions", "yantai", "-o", reg});
    EXPECT_EQ(too_many.exit_code, 2);
    EXPECT_NE(too_many.err.find("--stations"), std::string::npos) << too_many.err;
    auto scope = run_fuelmap({"synth", "--stations", "5", "--regions", "mars", "-o", reg});
    EXPECT_EQ(scope.exit_code, 2);
    EXPECT_NE(scope.err.find("--regions"), std::string::npos) << scope.err;
    auto seed = run_fuelmap({"synth", "--stations", "5", "--seed", "x1", "-o", reg});
    EXPECT_EQ(seed.exit_code, 2);
    EXPECT_NE(seed.err.find("--seed"), std::string::npos) << seed.err;
    auto missing = run_fuelmap({"synth", "--stations", "5"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("--output"), std::string::npos) << missing.err;
}

TEST(CliSynth, UnwritableOutputExitsTwoNamingThePath) {
    TempDir dir;
    const std::string nowhere = (dir / "no-such-dir" / "r.gpkg").string();
    auto r = run_fuelmap({"synth", "--stations", "5", "-o", nowhere});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(nowhere), std::string::npos) << r.err;

    auto is_dir = run_fuelmap({"synth", "--stations", "5", "-o", dir.path().string(), "--force"});
    EXPECT_EQ(is_dir.exit_code, 2);
    EXPECT_NE(is_dir.err.find(dir.path().string()), std::string::npos) << is_dir.err;

    // /proc refuses new files even to root.
    auto proc = run_fuelmap({"synth", "--stations", "5", "-o", "/proc/fuelmap-test.gpkg"});
    EXPECT_EQ(proc.exit_code, 2);
    EXPECT_NE(proc.err.find("/proc/fuelmap-test.gpkg"), std::string::npos) << proc.err;

    // A directory we may not write into (root may write anywhere, so only checked as non-root).
    if (::geteuid() != 0) {
        std::filesystem::create_directory(dir / "ro");
        std::filesystem::permissions(dir / "ro",
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
        auto ro = run_fuelmap({"synth", "--stations", "5", "-o", (dir / "ro" / "r.gpkg").string()});
        EXPECT_EQ(ro.exit_code, 2);
        EXPECT_NE(ro.err.find((dir / "ro").string()), std::string::npos) << ro.err;
        std::filesystem::permissions(dir / "ro", std::filesystem::perms::owner_all);
    }
}

TEST(CliSynth, ExistingFileIsKeptUnlessForced) {
    TempDir dir;
    const std::filesystem::path reg = dir / "r.gpkg";
    {
        std::FILE* f = std::fopen(reg.c_str(), "w");
        std::fputs("precious", f);
        std::fclose(f);
    }
    auto r = run_fuelmap({"synth", "--stations", "5", "-o", reg.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(reg.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(fuelmap::testing::read_file(reg), "precious");

    auto forced = run_fuelmap({"synth", "--stations", "5", "-o", reg.string(), "--force", "-q"});
    EXPECT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(read_registry(reg).size(), 5u);
}

// A killed writer leaves `<target>.tmp-<pid>` (and its journal) behind; the next write of the same
// target removes those whose pid is no live process, and only those.
TEST(CliSynth, StaleTemporaryFilesOfKilledWritersAreRemoved) {
    TempDir dir;
    const std::filesystem::path reg = dir / "r.gpkg";
    long pid_max = 0;
    {
        std::FILE* f = std::fopen("/proc/sys/kernel/pid_max", "r");
        ASSERT_NE(f, nullptr);
        ASSERT_EQ(std::fscanf(f, "%ld", &pid_max), 1);
        std::fclose(f);
    }
    const std::string dead = std::to_string(pid_max + 1); // no process can have it
    const std::string alive = std::to_string(::getpid()); // this test, running
    auto touch = [&](const std::string& name) {
        std::FILE* f = std::fopen((dir / name).c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fputs("half-written", f);
        std::fclose(f);
    };
    const std::vector<std::string> stale = {"r.gpkg.tmp-" + dead, "r.gpkg.tmp-" + dead + "-journal"};
    const std::vector<std::string> kept = {
        "r.gpkg.tmp-" + alive,         "r.gpkg.tmp-" + alive + "-journal",
        "other.gpkg.tmp-" + dead,   // another target's
        "r.gpkg.tmp-0" + dead,      // not a name fuelmap writes
        "r.gpkg.tmp-" + dead + "x", // nor this
        "r.gpkg.tmp-" + dead + ".bak",
    };
    for (const std::string& name : stale)
        touch(name);
    for (const std::string& name : kept)
        touch(name);
    std::filesystem::create_directory(dir / ("r.gpkg.tmp-" + std::to_string(pid_max + 2)));

    auto r = run_fuelmap({"synth", "--stations", "5", "-o", reg.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_registry(reg).size(), 5u);
    for (const std::string& name : stale)
        EXPECT_FALSE(std::filesystem::exists(dir / name)) << name;
    for (const std::string& name : kept)
        EXPECT_EQ(fuelmap::testing::read_file(dir / name), "half-written") << name;
    EXPECT_TRUE(std::filesystem::is_directory(dir / ("r.gpkg.tmp-" + std::to_string(pid_max + 2))));
}
