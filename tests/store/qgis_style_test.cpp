// SPDX-License-Identifier: MIT
// The QGIS styles and project made for a registry (what QGIS makes of them: tests/qgis/).
#include "store/qgis_style.hpp"

#include <fuelmap/diagram.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace fuelmap;
using namespace fuelmap::detail;

namespace {

QgisSource postgis_source() {
    return {.provider = "postgres",
            .geometry_column = "the_geom",
            .datasource = [](std::string_view layer, const char*) {
                return "dbname='fuelmap' table=\"public\".\"" + std::string(layer) + "\" (the_geom)";
            }};
}

const QgisLayerStyle& style_of(const QgisStyles& s, const std::string& table) {
    const auto it =
        std::find_if(s.layers.begin(), s.layers.end(), [&](const auto& l) { return l.table == table; });
    EXPECT_NE(it, s.layers.end()) << table;
    return *it;
}

} // namespace

TEST(QgisStyle, EveryGradeOfTheTableIsACategoryAndTextIsEscaped) {
    GradeTable grades = GradeTable::builtin();
    Grade odd;
    odd.code = "X<&>\"1";
    grades.add(odd);
    const QgisStyles s = make_qgis_styles(grades, postgis_source(), {});
    ASSERT_EQ(s.layers.size(), 7u);
    for (const char* table : {"tanks", "nozzles"}) {
        const std::string& qml = style_of(s, table).qml;
        for (const Grade& g : grades.all()) {
            if (g.code == odd.code)
                continue;
            EXPECT_NE(qml.find("<category render=\"true\" value=\"" + g.code + "\""), std::string::npos)
                << g.code;
        }
        EXPECT_NE(qml.find("value=\"X&lt;&amp;&gt;&quot;1\""), std::string::npos);
        EXPECT_EQ(qml.find("X<&>"), std::string::npos);
        EXPECT_NE(style_of(s, table).sld.find("<ogc:Literal>X&lt;&amp;&gt;&quot;1</ogc:Literal>"),
                  std::string::npos);
        const Rgb c = grade_colour("X<&>\"1");
        EXPECT_NE(
            qml.find(std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ",255"),
            std::string::npos);
    }
    EXPECT_EQ(style_of(s, "tanks").geometry_column, "the_geom");
    EXPECT_EQ(style_of(s, "supplies").geometry_column, "");
    EXPECT_EQ(style_of(s, "supplies").sld, "");
}

TEST(QgisStyle, TheProjectNamesTheBackendsSourcesRelationsAndExtent) {
    const QgisStyles s =
        make_qgis_styles(GradeTable::builtin(), postgis_source(), {120.5, 36.25, 121.75, 37.5});
    const std::string& p = s.project_qgs;
    EXPECT_EQ(p.find("{{"), std::string::npos);
    EXPECT_NE(p.find("<datasource>dbname='fuelmap' table=&quot;public&quot;.&quot;tanks&quot; "
                     "(the_geom)</datasource>"),
              std::string::npos);
    EXPECT_NE(p.find("<provider encoding=\"UTF-8\">postgres</provider>"), std::string::npos);
    EXPECT_NE(p.find("<xmin>120.5</xmin><ymin>36.25</ymin><xmax>121.75</xmax><ymax>37.5</ymax>"),
              std::string::npos);
    EXPECT_NE(
        p.find(
            "<relation id=\"fuelmap_nozzle_supplies\" name=\"nozzle → supplies\" referencingLayer=\"fuelmap_"
            "supplies\" referencedLayer=\"fuelmap_nozzles\" strength=\"Association\"><fieldRef "
            "referencingField=\"station_id\" referencedField=\"station_id\"/><fieldRef "
            "referencingField=\"nozzle_no\" referencedField=\"nozzle_no\"/></relation>"),
        std::string::npos);
    std::size_t relations = 0;
    for (std::size_t at = p.find("<relation "); at != std::string::npos; at = p.find("<relation ", at + 1))
        ++relations;
    EXPECT_EQ(relations, 7u);
}

TEST(QgisStyle, TheProjectArchiveIsAZipOfTheProject) {
    const std::string qgz = make_qgz("<qgis/>");
    ASSERT_GT(qgz.size(), 30u);
    EXPECT_EQ(qgz.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_NE(qgz.find("fuelmap.qgs"), std::string::npos);
}
