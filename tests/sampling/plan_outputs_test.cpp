// SPDX-License-Identifier: MIT
// The plan's GeoJSON (docs/formats.md): the same bytes as nlohmann's dump(1) of the document it
// describes, for located, unlocated and unknown stations, text that needs escaping, and no selection.
#include <fuelmap/plan.hpp>
#include <fuelmap/plan_outputs.hpp>
#include <fuelmap/registry.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace fuelmap;

namespace {

// The document the GeoJSON stands for, built as a json value.
std::string geojson_by_value(const Plan& plan, const Registry& registry) {
    nlohmann::ordered_json fc;
    fc["type"] = "FeatureCollection";
    fc["name"] = plan.round;
    fc["features"] = nlohmann::ordered_json::array();
    for (const Selection& s : plan.selections) {
        const Site* site = registry.find(s.station_id);
        nlohmann::ordered_json f;
        f["type"] = "Feature";
        if (site && site->station.location)
            f["geometry"] = {{"type", "Point"},
                             {"coordinates", {site->station.location->lon, site->station.location->lat}}};
        else
            f["geometry"] = nullptr;
        std::string samples, team;
        for (const PlannedSample& p : s.samples)
            samples += (samples.empty() ? "" : ", ") + p.grade + " " + p.nozzle_no;
        for (const std::string& m : s.team)
            team += (team.empty() ? "" : " ") + m;
        f["properties"] = {{"station_id", s.station_id},
                           {"name", site ? site->station.name : ""},
                           {"stratum", s.stratum},
                           {"reason", s.reason},
                           {"inclusion_probability", s.inclusion_probability},
                           {"date", s.date},
                           {"team", team},
                           {"samples", samples}};
        fc["features"].push_back(f);
    }
    return fc.dump(1) + "\n";
}

PlannedSample sample(const std::string& grade, const std::string& nozzle_no) {
    PlannedSample p;
    p.grade = grade;
    p.nozzle_no = nozzle_no;
    return p;
}

Site site(const std::string& id, const std::string& name, std::optional<GeoPoint> where) {
    Site s;
    s.station.station_id = id;
    s.station.name = name;
    s.station.location = where;
    return s;
}

} // namespace

TEST(PlanGeojson, IsTheDumpOfItsDocumentByteForByte) {
    Registry registry;
    registry.add(site("S1", "中国石化 \"东城\" 加油站\\1\t", GeoPoint{116.4073963, 39.9041999}));
    registry.add(site("S2", "没有坐标", std::nullopt));
    registry.add(site("S3", "Integer place", GeoPoint{117.0, -0.5}));
    Plan plan;
    plan.round = "2026-Q4 \"第一轮\"";
    auto selection = [](std::string id, std::vector<PlannedSample> samples, std::vector<std::string> team) {
        Selection s;
        s.station_id = std::move(id);
        s.stratum = "370602|major";
        s.reason = "random";
        s.inclusion_probability = "185/2504";
        s.date = "2026-03-02";
        s.samples = std::move(samples);
        s.team = std::move(team);
        return s;
    };
    plan.selections.push_back(selection("S1", {sample("92#", "N4"), sample("95#", "N6")}, {"I039", "I094"}));
    plan.selections.push_back(selection("S2", {}, {}));
    plan.selections.push_back(selection("S9-not-in-registry", {sample("0#", "N1")}, {"I1"}));
    plan.selections.push_back(selection("S3", {sample("98#", "N\x01")}, {"A", "B", "C"}));
    const std::string written = plan_geojson(plan, registry);
    EXPECT_EQ(written, geojson_by_value(plan, registry));
    const auto parsed = nlohmann::json::parse(written);
    ASSERT_EQ(parsed["features"].size(), 4u);
    EXPECT_TRUE(parsed["features"][1]["geometry"].is_null());
    EXPECT_EQ(parsed["features"][0]["properties"]["name"], "中国石化 \"东城\" 加油站\\1\t");

    Plan empty;
    empty.round = "empty";
    EXPECT_EQ(plan_geojson(empty, registry), geojson_by_value(empty, registry));
    EXPECT_EQ(plan_geojson(empty, registry),
              "{\n \"type\": \"FeatureCollection\",\n \"name\": \"empty\",\n \"features\": []\n}\n");
}
