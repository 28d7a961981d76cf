// SPDX-License-Identifier: MIT
/// @file diagram_checks.hpp
/// @brief Test helpers for site diagrams: a large synthetic-like station (8 tanks, 32 nozzles)
/// and the checks every produced SVG must pass.
#pragma once

#include "testing/mini_xml.hpp"

#include <fuelmap/geo.hpp>
#include <fuelmap/site.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
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

/// The points of an SVG `points` attribute.
inline std::vector<std::pair<double, double>> svg_points(const std::string& text) {
    std::vector<std::pair<double, double>> pts;
    std::string t = text;
    std::replace(t.begin(), t.end(), ',', ' ');
    std::istringstream in(t);
    double x = 0, y = 0;
    while (in >> x >> y)
        pts.emplace_back(x, y);
    return pts;
}

/// True when the segment a → b passes through the interior of box @p b (touching does not count).
inline bool segment_enters(std::pair<double, double> a, std::pair<double, double> b, const SvgBox& box) {
    // Liang–Barsky clipping against the open box.
    double t0 = 0, t1 = 1;
    const double dx = b.first - a.first, dy = b.second - a.second;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.first - box.x, box.x + box.w - a.first, a.second - box.y,
                         box.y + box.h - a.second};
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0) {
            if (q[k] <= 0)
                return false;
            continue;
        }
        const double r = q[k] / p[k];
        if (p[k] < 0)
            t0 = std::max(t0, r);
        else
            t1 = std::min(t1, r);
    }
    return t1 - t0 > 1e-9;
}

/// What check_station_svg() measured on a page.
struct StationSvgFacts {
    int crossings = -1;       ///< data-line-crossings of the root
    std::size_t foreign = 0;  ///< supply lines through a symbol other than their own ends
    bool approximate = false; ///< the page says positions are approximate (symbols moved)
};

/// Checks a station SVG: well-formed; every tank and nozzle number present as text of the right
/// class; one supply line per declared leg, none through a tank, dispenser or nozzle other than its
/// own tank, its own nozzle and that nozzle's dispenser; a supply table listing every supply in
/// nozzle-number order, overlapping nothing; every label box free of every other label box and
/// of every tank, dispenser and nozzle symbol; nothing drawn off the page.
inline StationSvgFacts check_station_svg(const std::string& svg, const Site& site) {
    StationSvgFacts facts;
    std::vector<XmlElement> doc;
    EXPECT_NO_THROW(doc = parse_xml(svg)) << svg.substr(0, 200);
    if (doc.empty()) {
        ADD_FAILURE() << "empty SVG";
        return facts;
    }
    EXPECT_EQ(doc[0].name, "svg");
    EXPECT_EQ(doc[0].get("data-unplaced-labels"), "0");
    EXPECT_EQ(doc[0].get("data-unrouted-lines"), "0");
    EXPECT_FALSE(doc[0].get("data-line-crossings").empty());
    if (!doc[0].get("data-line-crossings").empty())
        facts.crossings = std::stoi(doc[0].get("data-line-crossings"));
    struct Line {
        std::string from, to;
        std::vector<std::pair<double, double>> points;
    };
    std::vector<Line> lines;
    std::map<std::string, std::string> dispenser_of;
    std::vector<SvgBox> tables;
    std::vector<const XmlElement*> rows;
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
        if (e.has_class("supply")) {
            supplies.insert({e.get("data-from"), e.get("data-to")});
            EXPECT_EQ(e.name, "polyline") << "supply lines are routed polylines";
            lines.push_back({e.get("data-from"), e.get("data-to"), svg_points(e.get("points"))});
        }
        if (e.name == "rect" && e.has_class("nozzle"))
            dispenser_of[e.get("data-id")] = e.get("data-dispenser");
        if (e.name == "rect" && e.has_class("supply-table-frame"))
            tables.push_back({std::stod(e.get("x")), std::stod(e.get("y")), std::stod(e.get("width")),
                              std::stod(e.get("height")), "supply table"});
        if (e.name == "g" && e.has_class("supply-row"))
            rows.push_back(&e);
        if (e.name == "text" &&
            (e.text.find("approximate") != std::string::npos || e.text.find("近似") != std::string::npos))
            facts.approximate = true;
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
    // No supply line through a symbol other than its own tank, nozzle and that nozzle's dispenser.
    for (const Line& l : lines) {
        EXPECT_GE(l.points.size(), 2u);
        for (const SvgBox& s : symbols) {
            if (s.what == "tank " + l.from || s.what == "nozzle " + l.to ||
                s.what == "dispenser " + dispenser_of[l.to])
                continue;
            for (std::size_t k = 1; k < l.points.size(); ++k)
                if (segment_enters(l.points[k - 1], l.points[k], s)) {
                    ++facts.foreign;
                    ADD_FAILURE() << "supply line " << l.from << " -> " << l.to << " passes through "
                                  << s.what;
                    break;
                }
        }
    }
    // The supply table: one row per nozzle in nozzle-number order, with its grade and tanks.
    EXPECT_EQ(tables.size(), 1u) << "one supply table";
    std::vector<std::string> order;
    for (const Nozzle& n : site.nozzles)
        order.push_back(n.nozzle_no);
    auto number = [](const std::string& s) {
        const auto d = s.find_first_of("0123456789");
        return d == std::string::npos ? 0L : std::stol(s.substr(d));
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](const std::string& a, const std::string& b) { return number(a) < number(b); });
    EXPECT_EQ(rows.size(), site.nozzles.size());
    for (std::size_t k = 0; k < rows.size() && k < order.size(); ++k) {
        EXPECT_EQ(rows[k]->get("data-nozzle"), order[k]) << "row " << k;
        for (const Nozzle& n : site.nozzles)
            if (n.nozzle_no == rows[k]->get("data-nozzle")) {
                EXPECT_EQ(rows[k]->get("data-grade"), n.grade);
                std::string tanks;
                for (const SupplyLeg& l : n.supply) {
                    std::ostringstream f;
                    f.setf(std::ios::fixed);
                    f.precision(4);
                    f << l.fraction;
                    tanks += (tanks.empty() ? "" : ";") + l.tank_no + ":" + f.str();
                }
                EXPECT_EQ(rows[k]->get("data-tanks"), tanks) << n.nozzle_no;
            }
    }
    for (const SvgBox& t : tables) {
        for (const SvgBox& s : symbols)
            EXPECT_FALSE(t.intersects(s)) << "supply table overlaps " << s.what;
        for (const SvgBox& l : labels)
            EXPECT_FALSE(t.intersects(l)) << "supply table overlaps " << l.what;
    }
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
    return facts;
}

} // namespace fuelmap::testing
