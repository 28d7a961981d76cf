// SPDX-License-Identifier: MIT
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/station_graph.hpp>

#include <gtest/gtest.h>

using namespace fuelmap;

TEST(StationGraph, AnswersSupplyQueries) {
    Site site = fuelmap::testing::sample_site();
    site.tanks.push_back({"T4", "92#", 20000, "G1", "in_service", std::nullopt});
    site.tanks[0].manifold_group = "G1";
    site.nozzles.push_back({"N7", "D2", 1, "95#", "in_service", {{"T1", 0.4}, {"T2", 0.6}}, std::nullopt});
    StationGraph g(site);

    auto legs = g.tanks_feeding("N7");
    ASSERT_EQ(legs.size(), 2u);
    EXPECT_EQ(legs[0].tank_no, "T1");
    EXPECT_DOUBLE_EQ(legs[1].fraction, 0.6);
    EXPECT_EQ(g.nozzles_fed_by("T1"), (std::vector<std::string>{"N1", "N4", "N7"}));
    EXPECT_EQ(g.nozzles_fed_by("T4"), std::vector<std::string>{});
    EXPECT_EQ(g.manifold_group("T4"), (std::vector<std::string>{"T1", "T4"}));
    EXPECT_EQ(g.manifold_group("T3"), std::vector<std::string>{"T3"});
    EXPECT_EQ(g.nozzles_labelled("95#"), (std::vector<std::string>{"N2", "N5", "N7"}));
    EXPECT_EQ(boost::num_vertices(g.graph()), 11u);
}

TEST(StationGraph, RefusesDuplicateAndUnknownNumbers) {
    Site site = fuelmap::testing::sample_site();
    site.tanks.push_back(site.tanks.front());
    EXPECT_THROW(StationGraph{site}, InputError);

    Site unknown = fuelmap::testing::sample_site();
    unknown.nozzles[0].supply = {{"T9", 1.0}};
    EXPECT_THROW_MSG(StationGraph{unknown}, InputError, "T9");
    StationGraph g(fuelmap::testing::sample_site());
    EXPECT_THROW((void)g.tanks_feeding("N99"), InputError);
    EXPECT_THROW(g.add_supply("T1", "N99", 1.0), InputError);
    EXPECT_FALSE(g.find_tank("T9").has_value());
    EXPECT_TRUE(g.find_nozzle("N1").has_value());
}
