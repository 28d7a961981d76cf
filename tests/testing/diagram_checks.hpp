// SPDX-License-Identifier: MIT
/// @file diagram_checks.hpp
/// @brief Test helpers for site diagrams: a large synthetic-like station (8 tanks, 32 nozzles)
/// and the checks every produced SVG must pass.
#pragma once

#include "testing/mini_xml.hpp"

#include <fuelmap/geo.hpp>
#include <fuelmap/site.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace fuelmap::testing {

/// A busy station: 8 tanks (two manifold pairs), 4 islands × 2 dispensers × 4 nozzles = 32
/// nozzles, two of them blends. With @p positions false, nothing has a position (automatic layout).
inline Site big_site(const std::string& station_id = "370602-0900", bool positions = true) {
    Site site;
    Station& s = site.station;
    s.station_id = station_id;
    s.name = "中石油烟台莱山大型综合能源站";
    s.operator_name = "中国石油天然气股份有限公司山东烟台销售分公司";
    s.address = "山东省烟台市莱山区港城东大街 1288 号";
    s.county = "370613";
    s.location = GeoPoint{121.4452, 37.4731};
    const LocalFrame frame(*s.location);
    auto at = [&](double x, double y) -> std::optional<GeoPoint> {
        if (!positions)
            return std::nullopt;
        return frame.to_wgs84({x, y});
    };
    if (positions)
        site.outline = {*at(-32, -30), *at(32, -30), *at(32, 28), *at(-32, 28)};
    const char* grades[8] = {"92#", "92#", "95#", "95#", "98#", "0#", "0#", "-10#"};
    const char* groups[8] = {"A", "A", "B", "B", "", "C", "C", ""};
    for (int i = 0; i < 8; ++i)
        site.tanks.push_back({"T" + std::to_string(i + 1), grades[i], i < 5 ? 30000 : 50000, groups[i],
                              "in_service", at(-24.5 + 7 * i, 20)});
    int nozzle = 1;
    for (int island = 0; island < 4; ++island)
        for (int k = 0; k < 2; ++k) {
            const std::string d = "D" + std::to_string(island * 2 + k + 1);
            const double x = k == 0 ? -12 : 12;
            const double y = 6 - island * 9.5;
            site.dispensers.push_back({d, std::to_string(island + 1), 2, at(x, y)});
            auto add = [&](int fp, const char* grade, std::vector<SupplyLeg> supply) {
                site.nozzles.push_back({"N" + std::to_string(nozzle++), d, fp, grade, "in_service",
                                        std::move(supply), at(x + (fp == 1 ? -1 : 1), y)});
            };
            const bool blend = island == 1;
            add(1, "92#", {{k == 0 ? "T1" : "T2", 1.0}});
            add(1, "0#", {{k == 0 ? "T6" : "T7", 1.0}});
            if (blend)
                add(2, "95#", {{"T1", 0.4}, {"T5", 0.6}});
            else
                add(2, "95#", {{k == 0 ? "T3" : "T4", 1.0}});
            add(2, island == 3 ? "-10#" : "98#", {{island == 3 ? "T8" : "T5", 1.0}});
        }
    return site;
}

/// A box read from an SVG element.
struct SvgBox {
    double x, y, w, h;
    std::string what;
    [[nodiscard]] bool intersects(const SvgBox& o) const {
        return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
};

/// Checks a station SVG: well-formed; every tank and nozzle number present as text of the right
/// class; one supply line per declared leg; every label box free of every other label box and
/// of every tank, dispenser and nozzle symbol; nothing drawn off the page.
inline void check_station_svg(const std::string& svg, const Site& site) {
    std::vector<XmlElement> doc;
    ASSERT_NO_THROW(doc = parse_xml(svg)) << svg.substr(0, 200);
    ASSERT_FALSE(doc.empty());
    EXPECT_EQ(doc[0].name, "svg");
    EXPECT_EQ(doc[0].get("data-unplaced-labels"), "0");
    std::set<std::string> tank_texts, nozzle_texts, all_text;
    std::set<std::pair<std::string, std::string>> supplies;
    std::vector<SvgBox> labels, symbols;
    for (const XmlElement& e : doc) {
        if (e.name == "text") {
            all_text.insert(e.text);
            if (e.has_class("tank-no"))
                tank_texts.insert(e.text);
            if (e.has_class("nozzle-no"))
                nozzle_texts.insert(e.text);
        }
        if (e.name == "line" && e.has_class("supply"))
            supplies.insert({e.get("data-from"), e.get("data-to")});
        if (e.has_class("label"))
            labels.push_back({std::stod(e.get("data-x")), std::stod(e.get("data-y")),
                              std::stod(e.get("data-w")), std::stod(e.get("data-h")),
                              e.get("data-for") + " label"});
        if (e.name == "rect" && (e.has_class("tank") || e.has_class("dispenser") || e.has_class("nozzle")))
            symbols.push_back({std::stod(e.get("x")), std::stod(e.get("y")), std::stod(e.get("width")),
                               std::stod(e.get("height")), e.get("class") + " " + e.get("data-id")});
    }
    for (const Tank& t : site.tanks)
        EXPECT_TRUE(tank_texts.count(t.tank_no)) << "tank " << t.tank_no;
    for (const Nozzle& n : site.nozzles) {
        EXPECT_TRUE(nozzle_texts.count(n.nozzle_no)) << "nozzle " << n.nozzle_no;
        for (const SupplyLeg& l : n.supply)
            EXPECT_TRUE(supplies.count({l.tank_no, n.nozzle_no})) << l.tank_no << " -> " << n.nozzle_no;
    }
    std::size_t legs = 0;
    for (const Nozzle& n : site.nozzles)
        legs += n.supply.size();
    EXPECT_EQ(supplies.size(), legs);
    EXPECT_EQ(symbols.size(), site.tanks.size() + site.dispensers.size() + site.nozzles.size());
    EXPECT_TRUE(all_text.count(site.station.station_id));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        for (std::size_t j = i + 1; j < labels.size(); ++j)
            EXPECT_FALSE(labels[i].intersects(labels[j])) << labels[i].what << " overlaps " << labels[j].what;
        for (const SvgBox& s : symbols)
            EXPECT_FALSE(labels[i].intersects(s)) << labels[i].what << " overlaps " << s.what;
    }
    // Symbols do not overlap each other either.
    for (std::size_t i = 0; i < symbols.size(); ++i)
        for (std::size_t j = i + 1; j < symbols.size(); ++j)
            EXPECT_FALSE(symbols[i].intersects(symbols[j]))
                << symbols[i].what << " overlaps " << symbols[j].what;
    for (const SvgBox& s : symbols) {
        EXPECT_GE(s.x, 0.0);
        EXPECT_GE(s.y, 0.0);
        EXPECT_LE(s.x + s.w, 297.0);
        EXPECT_LE(s.y + s.h, 210.0);
    }
}

} // namespace fuelmap::testing
