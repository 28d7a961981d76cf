// SPDX-License-Identifier: MIT
// Synthetic registries: determinism, plausible counts, clean validation, blends and manifolds.
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/synth.hpp>
#include <fuelmap/validation.hpp>

#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace fuelmap;

namespace {

// Every field of a site, one line per element: equal text means equal sites.
std::string dump(const Site& site) {
    return fuelmap::testing::dump_site(site, 7, false);
}

std::string dump(const Registry& r) {
    std::string all;
    for (const Site& s : r.sites())
        all += dump(s);
    return all;
}

Registry make(std::size_t n, std::uint64_t seed, SynthScope scope = SynthScope::automatic) {
    return synthesize({.stations = n, .seed = seed, .scope = scope});
}

} // namespace

TEST(Synth, SameSeedGivesTheSameRegistry) {
    EXPECT_EQ(dump(make(300, 42)), dump(make(300, 42)));
    EXPECT_EQ(dump(make(1500, 42)), dump(make(1500, 42)));
}

TEST(Synth, DifferentSeedGivesADifferentRegistry) {
    const Registry a = make(50, 1);
    const Registry b = make(50, 2);
    ASSERT_EQ(a.size(), b.size());
    // Same ids (they depend only on the count), different stations.
    EXPECT_EQ(a.sites().front().station.station_id, b.sites().front().station.station_id);
    int differing = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        differing += dump(a.sites()[i]) != dump(b.sites()[i]);
    EXPECT_EQ(differing, 50);
}

TEST(Synth, PinnedDigestIsTheSameOnEveryMachine) {
    // Integer arithmetic and a fixed PRNG: this digest must not change between machines or
    // compilers. It changes only when the generator itself is changed on purpose (then update it,
    // and regenerate maps/example with scripts/make_example_maps.sh).
    const std::string text = dump(make(40, 20240601));
    EXPECT_EQ(sha256_hex(text), "4376fa9cf778a06d9e103ff2ad2a402da989e85ddfdea18e82e0d41c4b5b909e")
        << text.substr(0, 400);
}

TEST(Synth, AStationDoesNotDependOnHowManyAreMade) {
    const Registry small = make(11, 9);
    const Registry large = make(600, 9);
    for (const Site& s : small.sites()) {
        const Site* same = large.find(s.station.station_id);
        ASSERT_NE(same, nullptr) << s.station.station_id;
        EXPECT_EQ(dump(s), dump(*same));
    }
}

TEST(Synth, CountsAndCodesAreWithinRange) {
    const Registry r = make(2000, 5);
    ASSERT_EQ(r.size(), 2000u);
    std::set<std::string> counties;
    for (const SynthRegion& region : synth_regions(SynthScope::national))
        counties.insert(region.county);
    std::size_t nozzles = 0;
    for (const Site& site : r.sites()) {
        const Station& s = site.station;
        SCOPED_TRACE(s.station_id);
        ASSERT_EQ(s.station_id.size(), 11u);
        EXPECT_EQ(s.station_id[6], '-');
        EXPECT_EQ(s.county, s.station_id.substr(0, 6));
        EXPECT_TRUE(counties.count(s.county));
        EXPECT_EQ(s.city.substr(0, 4), s.county.substr(0, 4));
        EXPECT_EQ(s.province.substr(0, 2), s.county.substr(0, 2));
        EXPECT_FALSE(s.name.empty());
        EXPECT_NE(s.name.find("加油站"), std::string::npos);
        EXPECT_GE(s.risk_weight, 1);
        EXPECT_LE(s.risk_weight, 5);
        EXPECT_GT(s.annual_volume_m3, 0);
        EXPECT_GE(site.tanks.size(), 2u);
        EXPECT_LE(site.tanks.size(), 8u);
        EXPECT_GE(site.dispensers.size(), 2u);
        EXPECT_LE(site.dispensers.size(), 8u);
        EXPECT_GE(site.nozzles.size(), 4u);
        EXPECT_LE(site.nozzles.size(), 32u);
        EXPECT_GE(site.outline.size(), 4u);
        for (const Tank& t : site.tanks) {
            EXPECT_GE(t.capacity_l, 20000);
            EXPECT_LE(t.capacity_l, 50000);
        }
        for (const Dispenser& d : site.dispensers) {
            EXPECT_GE(d.fuelling_points, 2);
            EXPECT_LE(d.fuelling_points, 4);
        }
        nozzles += site.nozzles.size();
    }
    const double mean = static_cast<double>(nozzles) / 2000.0;
    EXPECT_GT(mean, 14.5);
    EXPECT_LT(mean, 17.5);
}

TEST(Synth, OwnershipSharesArePlausible) {
    const Registry r = make(3000, 11);
    std::map<Ownership, int> n;
    for (const Site& s : r.sites())
        ++n[s.station.ownership];
    EXPECT_GT(n[Ownership::major], 1400); // ~55 %
    EXPECT_LT(n[Ownership::major], 1900);
    EXPECT_GT(n[Ownership::independent], 850); // ~35 %
    EXPECT_LT(n[Ownership::independent], 1250);
    EXPECT_GT(n[Ownership::hypermarket], 40);
    EXPECT_GT(n[Ownership::other], 80);
}

TEST(Synth, EveryStationValidatesWithoutAnyFinding) {
    for (const auto& [n, seed] : {std::pair<std::size_t, std::uint64_t>{300, 1}, {2500, 77}}) {
        const Registry r = make(n, seed);
        const std::vector<Finding> findings = validate_registry(r);
        EXPECT_TRUE(findings.empty())
            << findings.size() << " findings, first: " << findings.front().station_id << " "
            << findings.front().code << " " << findings.front().element << ": " << findings.front().message;
    }
}

TEST(Synth, BlendsManifoldsAndIdleTanksArePresent) {
    const Registry r = make(1000, 3);
    int blends = 0, manifolded_stations = 0, out_of_service = 0;
    for (const Site& site : r.sites()) {
        for (const Nozzle& n : site.nozzles)
            if (n.supply.size() == 2) {
                ++blends;
                EXPECT_EQ(n.grade, "95#");
                EXPECT_EQ(site.find_tank(n.supply[0].tank_no)->grade, "92#");
                EXPECT_EQ(site.find_tank(n.supply[1].tank_no)->grade, "98#");
                EXPECT_EQ(n.supply[0].fraction + n.supply[1].fraction, 1.0);
            }
        std::map<std::string, std::set<std::string>> groups;
        for (const Tank& t : site.tanks) {
            if (!t.manifold_group.empty())
                groups[t.manifold_group].insert(t.grade);
            out_of_service += t.status == "out_of_service";
        }
        for (const auto& [name, grades] : groups)
            EXPECT_EQ(grades.size(), 1u) << site.station.station_id << " " << name;
        manifolded_stations += !groups.empty();
    }
    EXPECT_GT(blends, 50);
    EXPECT_GT(manifolded_stations, 100);
    EXPECT_GT(out_of_service, 5);
}

TEST(Synth, SmallCountsStayInYantaiAndLargeOnesGoNational) {
    ASSERT_EQ(synth_regions(SynthScope::yantai).size(), 11u);
    for (const SynthRegion& r : synth_regions(SynthScope::yantai))
        EXPECT_EQ(r.city, "370600");
    const Registry yantai = make(30, 1);
    for (const Site& s : yantai.sites())
        EXPECT_EQ(s.station.city, "370600") << s.station.station_id;
    std::set<std::string> provinces;
    const Registry national = make(2000, 1);
    for (const Site& s : national.sites())
        provinces.insert(s.station.province);
    EXPECT_GT(provinces.size(), 25u);
    std::set<std::string> codes;
    for (const SynthRegion& r : synth_regions(SynthScope::national)) {
        EXPECT_TRUE(codes.insert(r.county).second) << r.county;
        EXPECT_GT(r.lon_e6, 73'000'000);
        EXPECT_LT(r.lon_e6, 135'000'000);
        EXPECT_GT(r.lat_e6, 18'000'000);
        EXPECT_LT(r.lat_e6, 54'000'000);
    }
    EXPECT_GT(codes.size(), 300u);
}

TEST(Synth, StationsLieNearTheirRegion) {
    const auto regions = synth_regions(SynthScope::national);
    const Registry r = make(1200, 4);
    for (const Site& s : r.sites()) {
        auto it = std::find_if(regions.begin(), regions.end(),
                               [&](const SynthRegion& r) { return r.county == s.station.county; });
        ASSERT_NE(it, regions.end());
        EXPECT_LT(std::abs(s.station.location->lon * 1e6 - static_cast<double>(it->lon_e6)), 200'000.0);
        EXPECT_LT(std::abs(s.station.location->lat * 1e6 - static_cast<double>(it->lat_e6)), 200'000.0);
    }
}

TEST(Synth, BadCountsAreRefused) {
    EXPECT_THROW((void)make(0, 1), UsageError);
    EXPECT_THROW_MSG((void)make(200'000, 1, SynthScope::yantai), UsageError, "--stations");
}

TEST(Synth, ReportsProgressUpToTheTotal) {
    std::size_t last_done = 0, last_total = 0, calls = 0;
    (void)synthesize({.stations = 1000, .seed = 1}, [&](std::size_t done, std::size_t total) {
        EXPECT_GE(done, last_done);
        last_done = done;
        last_total = total;
        ++calls;
    });
    EXPECT_GT(calls, 1u);
    EXPECT_EQ(last_done, 1000u);
    EXPECT_EQ(last_total, 1000u);
}

TEST(Synth, ParsesScopes) {
    EXPECT_EQ(parse_synth_scope("auto"), SynthScope::automatic);
    EXPECT_EQ(parse_synth_scope("yantai"), SynthScope::yantai);
    EXPECT_EQ(parse_synth_scope("national"), SynthScope::national);
    EXPECT_FALSE(parse_synth_scope("mars"));
}
