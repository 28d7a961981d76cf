// SPDX-License-Identifier: MIT
// util/text.hpp: join, trim, XML escapes and ASCII lower case.
#include "util/text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

using namespace fuelmap::detail;

TEST(Text, JoinPutsTheSeparatorBetweenElementsOnly) {
    EXPECT_EQ(join(std::vector<std::string>{}, ", "), "");
    EXPECT_EQ(join(std::vector<std::string>{"T1"}, "+"), "T1");
    EXPECT_EQ(join(std::vector<std::string>{"T1", "", "T3"}, "+"), "T1++T3");
    EXPECT_EQ(join(std::array<std::string_view, 3>{"I01", "I07", "油站"}, "; "), "I01; I07; 油站");
    std::string out = "observed ";
    append_joined(out, std::vector<std::string_view>{"T1", "T2"}, "+");
    EXPECT_EQ(out, "observed T1+T2");
}

TEST(Text, TrimRemovesSpacesTabsAndLineEndsAtBothEnds) {
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim(" \t\r\n"), "");
    EXPECT_EQ(trim("  95# \r\n"), "95#");
    EXPECT_EQ(trim("\tA B\t"), "A B");
    EXPECT_EQ(trim("\u3000站\u3000"), "\u3000站\u3000"); // only ASCII white space
}

TEST(Text, AsciiLowerLeavesEveryOtherByteAlone) {
    EXPECT_EQ(ascii_lower("Stations.GeoJSON"), "stations.geojson");
    EXPECT_EQ(ascii_lower("ÄÖ 加油站 .SHP"), "ÄÖ 加油站 .shp");
    EXPECT_EQ(ascii_lower("az@[`{"), "az@[`{");
}

TEST(Text, XmlEscapeWritesTheFourSpecialCharactersAsEntities) {
    EXPECT_EQ(xml_escape(""), "");
    EXPECT_EQ(xml_escape("E10-92# <&> \"油\""), "E10-92# &lt;&amp;&gt; &quot;油&quot;");
    EXPECT_EQ(xml_escape("it's"), "it's"); // attributes are always double-quoted
}
