// SPDX-License-Identifier: MIT
// The registry in memory: sites kept in station-id order, an id never twice.
#include <fuelmap/error.hpp>
#include <fuelmap/registry.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace fuelmap;

namespace {

std::vector<Site> sites_of(const std::vector<std::string>& ids) {
    std::vector<Site> out;
    for (const std::string& id : ids) {
        Site& s = out.emplace_back();
        s.station.station_id = id;
        s.station.name = "站 " + id;
    }
    return out;
}

std::vector<std::string> ids_of(const Registry& r) {
    std::vector<std::string> out;
    for (const Site& s : r.sites())
        out.push_back(s.station.station_id);
    return out;
}

std::string refusal(Registry& r, const std::vector<std::string>& ids) {
    try {
        r.add_all(sites_of(ids));
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST(Registry, AddAllKeepsStationIdOrderWhateverTheInputOrder) {
    Registry in_order;
    in_order.add_all(sites_of({"A1", "A2", "B1"}));
    EXPECT_EQ(ids_of(in_order), (std::vector<std::string>{"A1", "A2", "B1"}));
    Registry shuffled;
    shuffled.add_all(sites_of({"B1", "A1", "A2"}));
    EXPECT_EQ(ids_of(shuffled), (std::vector<std::string>{"A1", "A2", "B1"}));
    EXPECT_EQ(shuffled.find("A2")->station.name, "站 A2");
    EXPECT_EQ(shuffled.find("A3"), nullptr);
    shuffled.add_all(sites_of({"C1", "A0"}));
    EXPECT_EQ(ids_of(shuffled), (std::vector<std::string>{"A0", "A1", "A2", "B1", "C1"}));
}

TEST(Registry, AddAllRefusesAnIdTwiceAndLeavesTheRegistryUnchanged) {
    Registry r;
    r.add_all(sites_of({"A1"}));
    // Next to each other, apart in the input (found once sorted), and already in the registry.
    EXPECT_NE(refusal(r, {"B1", "B1"}).find("station id 'B1' appears twice"), std::string::npos);
    EXPECT_NE(refusal(r, {"C1", "B2", "C1"}).find("station id 'C1' appears twice"), std::string::npos);
    EXPECT_NE(refusal(r, {"B3", "A1"}).find("station id 'A1' is already in the registry"), std::string::npos);
    EXPECT_EQ(ids_of(r), (std::vector<std::string>{"A1"}));
}
