// SPDX-License-Identifier: MIT
// A station's fields by name (docs/sampling.md section 3): every built-in field, attributes, and
// missing values (SQL NULL in the registry) reported as missing rather than as "" or 0.
#include <fuelmap/site.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>

using namespace fuelmap;

namespace {

Station station() {
    Station s;
    s.station_id = "370602-0001";
    s.name = "中国石化芝罘加油站";
    s.operator_name = "中国石化销售股份有限公司";
    s.brand = "中国石化";
    s.ownership = Ownership::major;
    s.province = "370000";
    s.city = "370600";
    s.county = "370602";
    s.address = "芝罘区南大街1号";
    s.status = "open";
    s.annual_volume_m3 = 5400;
    s.risk_weight = -3; // not a valid weight, but the field gives what is stored
    s.attributes = {{"count", "7"}, {"zone", "港区"}, {"", "empty name"}};
    return s;
}

} // namespace

TEST(StationField, GivesEveryBuiltInFieldAndAttribute) {
    const Station s = station();
    EXPECT_EQ(s.field("station_id"), "370602-0001");
    EXPECT_EQ(s.field("name"), "中国石化芝罘加油站");
    EXPECT_EQ(s.field("operator"), "中国石化销售股份有限公司");
    EXPECT_EQ(s.field("brand"), "中国石化");
    EXPECT_EQ(s.field("ownership"), "major");
    EXPECT_EQ(s.field("province"), "370000");
    EXPECT_EQ(s.field("city"), "370600");
    EXPECT_EQ(s.field("county"), "370602");
    EXPECT_EQ(s.field("address"), "芝罘区南大街1号");
    EXPECT_EQ(s.field("status"), "open");
    EXPECT_EQ(s.field("annual_volume_m3"), "5400");
    EXPECT_EQ(s.field("risk_weight"), "-3");
    // Attributes, also those whose names begin like a built-in field's, and the empty name.
    EXPECT_EQ(s.field("count"), "7");
    EXPECT_EQ(s.field("zone"), "港区");
    EXPECT_EQ(s.field(""), "empty name");
    EXPECT_EQ(s.field("operator_name"), std::nullopt); // the member's name is not the field's
    EXPECT_EQ(s.field("Name"), std::nullopt);
    EXPECT_EQ(s.field("lon"), std::nullopt);
}

TEST(StationField, MissingValuesAreMissingAndAppendLeavesTheTextAlone) {
    Station s = station();
    s.missing = {"annual_volume_m3", "county", "name"};
    EXPECT_EQ(s.field("county"), std::nullopt);
    EXPECT_EQ(s.field("name"), std::nullopt);
    EXPECT_EQ(s.field("annual_volume_m3"), std::nullopt);
    EXPECT_EQ(s.field("city"), "370600");
    std::string out = "key:";
    EXPECT_FALSE(s.append_field("county", out));
    EXPECT_EQ(out, "key:");
    EXPECT_TRUE(s.append_field("province", out));
    EXPECT_TRUE(s.append_field("risk_weight", out));
    EXPECT_EQ(out, "key:370000-3");
}
