// SPDX-License-Identifier: MIT
// End-to-end: fuelmap validate and fuelmap show on registries written to disk.
#include "testing/testing.hpp"

#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace fuelmap;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::TempDir;

TEST(CliValidate, CleanRegistryExitsZero) {
    TempDir dir;
    create_registry(dir / "r.gpkg", fuelmap::testing::sample_registry(3));
    auto r = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 station(s) checked: 0 critical, 0 error(s), 0 warning(s)"), std::string::npos)
        << r.out;
}

TEST(CliValidate, FindingsExitOneWithCodesInTextAndJson) {
    TempDir dir;
    Registry reg = fuelmap::testing::sample_registry(2);
    Site bad = fuelmap::testing::sample_site("370611-0001");
    bad.nozzles[0].supply = {{"T3", 1.0}};
    reg.add(bad);
    create_registry(dir / "r.gpkg", reg);
    auto text = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string()});
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_NE(text.out.find("370611-0001  critical  FM-SUPPLY-FAMILY-MISMATCH  nozzle N1"), std::string::npos)
        << text.out;

    auto json = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string(), "--format", "json", "370611-0001"});
    EXPECT_EQ(json.exit_code, 1);
    auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["stations"], 1);
    EXPECT_EQ(j["summary"]["critical"], 1);
    EXPECT_EQ(j["findings"][0]["code"], "FM-SUPPLY-FAMILY-MISMATCH");

    auto only_clean = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string(), "370602-0001"});
    EXPECT_EQ(only_clean.exit_code, 0);
}

TEST(CliValidate, BadInputExitsTwoNamingTheProblem) {
    TempDir dir;
    auto missing = run_fuelmap({"validate", "-r", (dir / "nope.gpkg").string()});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("nope.gpkg"), std::string::npos) << missing.err;

    create_registry(dir / "r.gpkg", fuelmap::testing::sample_registry(1));
    auto unknown = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string(), "999999-0001"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("999999-0001"), std::string::npos) << unknown.err;

    auto usage = run_fuelmap({"validate"});
    EXPECT_EQ(usage.exit_code, 2);
    auto format = run_fuelmap({"validate", "-r", (dir / "r.gpkg").string(), "--format", "xml"});
    EXPECT_EQ(format.exit_code, 2);
}

TEST(CliShow, PrintsEveryElementInTextAndJson) {
    TempDir dir;
    create_registry(dir / "r.gpkg", fuelmap::testing::sample_registry(2));
    auto text = run_fuelmap({"show", "-r", (dir / "r.gpkg").string(), "370602-0002"});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("中石化烟台芝罘加油站"), std::string::npos);
    EXPECT_NE(text.out.find("Tanks (3)"), std::string::npos);
    EXPECT_NE(text.out.find("Nozzles (6)"), std::string::npos);
    EXPECT_NE(text.out.find("feeds N1 N4"), std::string::npos) << text.out;

    auto json = run_fuelmap({"show", "-r", (dir / "r.gpkg").string(), "370602-0002", "--format", "json"});
    ASSERT_EQ(json.exit_code, 0);
    auto j = nlohmann::json::parse(json.out);
    EXPECT_EQ(j["station_id"], "370602-0002");
    EXPECT_EQ(j["tanks"].size(), 3u);
    EXPECT_EQ(j["dispensers"].size(), 2u);
    EXPECT_EQ(j["nozzles"][2]["supply"][0]["tank_no"], "T3");

    auto missing = run_fuelmap({"show", "-r", (dir / "r.gpkg").string(), "000000-0000"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("000000-0000"), std::string::npos);
}
