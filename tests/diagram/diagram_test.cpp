// SPDX-License-Identifier: MIT
#include "testing/diagram_checks.hpp"
#include "testing/expect_throw.hpp"
#include "testing/mini_xml.hpp"
#include "testing/testing.hpp"

#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/synth.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>

using namespace fuelmap;
using namespace fuelmap::testing;

namespace {

// FUELMAP_DIAGRAM_DUMP=DIR keeps the drawings of these tests for a look (rsvg-convert them).
void dump(const std::string& name, const std::string& svg) {
    if (const char* dir = std::getenv("FUELMAP_DIAGRAM_DUMP")) {
        std::ofstream(std::filesystem::path(dir) / (name + ".svg")) << svg;
    }
}

std::vector<XmlElement> elements_with_class(const std::string& svg, const std::string& cls) {
    std::vector<XmlElement> out;
    for (XmlElement& e : parse_xml(svg))
        if (e.has_class(cls))
            out.push_back(std::move(e));
    return out;
}

DiagramPlanOverlay overlay_for(const Site& site) {
    DiagramPlanOverlay o;
    o.round = "2026-Q4 gasoline";
    o.selection.station_id = site.station.station_id;
    o.selection.team = {"INS-007", "INS-012"};
    o.selection.date = "2026-11-24";
    PlannedSample s;
    s.grade = "95#";
    s.nozzle_no = site.nozzles[10].nozzle_no;
    s.nozzle_sample_id = "R1-0001-N";
    s.claimed_tanks = site.nozzles[10].supply;
    for (std::size_t i = 0; i < s.claimed_tanks.size(); ++i)
        s.tank_sample_ids.push_back("R1-0001-T" + std::to_string(i + 1));
    o.selection.samples.push_back(s);
    o.stop = 3;
    o.stops = 7;
    return o;
}

} // namespace

TEST(MiniXml, RejectsMalformedDocuments) {
    EXPECT_NO_THROW(parse_xml("<a x=\"1\"><b/>t &amp; u</a>"));
    EXPECT_THROW(parse_xml("<a><b></a></b>"), std::runtime_error);
    EXPECT_THROW(parse_xml("<a x=1/>"), std::runtime_error);
    EXPECT_THROW(parse_xml("<a>&nbsp;</a>"), std::runtime_error);
    EXPECT_THROW(parse_xml("<a>1 < 2</a>"), std::runtime_error);
    EXPECT_THROW(parse_xml("<a/><b/>"), std::runtime_error);
    EXPECT_THROW(parse_xml("<a>"), std::runtime_error);
}

TEST(DiagramText, WidthsBoundTheFont) {
    EXPECT_DOUBLE_EQ(text_width_em("加油站"), 3.0);
    EXPECT_NEAR(text_width_em("0123456789"), 5.9, 1e-9);
    EXPECT_GT(text_width_em("W"), text_width_em("i"));
    EXPECT_DOUBLE_EQ(text_width_em(""), 0.0);
}

TEST(DiagramColours, OneColourPerGradeEverywhere) {
    EXPECT_EQ(grade_colour("92#"), grade_colour("92#"));
    EXPECT_NE(grade_colour("92#"), grade_colour("95#"));
    EXPECT_NE(grade_colour("95#"), grade_colour("0#"));
    EXPECT_EQ(grade_colour("XYZ-1"), grade_colour("XYZ-1")); // unknown grade: stable hashed colour
    std::set<std::tuple<int, int, int>> seen;
    const GradeTable table = GradeTable::builtin();
    for (const Grade& g : table.all()) {
        const Rgb c = grade_colour(g.code);
        seen.insert({c.r, c.g, c.b});
    }
    EXPECT_EQ(seen.size(), table.all().size()) << "two built-in grades share a colour";
}

TEST(DiagramLayout, SampleStationIsCompleteAndLabelsDoNotOverlap) {
    const Site site = sample_site();
    const DiagramPage page = layout_station(site, GradeTable::builtin(), {});
    EXPECT_EQ(page.unplaced_labels, 0);
    const std::string svg = to_svg(page);
    dump("sample", svg);
    check_station_svg(svg, site);
    // Chinese name and address are real text; the scale and north arrow are drawn.
    EXPECT_NE(svg.find(">中石化烟台芝罘加油站</text>"), std::string::npos);
    EXPECT_NE(svg.find("font-family=\"'Noto Sans CJK SC'"), std::string::npos);
    EXPECT_FALSE(elements_with_class(svg, "north-arrow").empty());
    EXPECT_FALSE(elements_with_class(svg, "scale-bar").empty());
    EXPECT_FALSE(elements_with_class(svg, "site-outline").empty());
    EXPECT_TRUE(elements_with_class(svg, "auto-layout-note").empty());
}

TEST(DiagramLayout, BusyStationWithPositions) {
    const Site site = big_site();
    const std::string svg = to_svg(layout_station(site, GradeTable::builtin(), {}));
    dump("big", svg);
    check_station_svg(svg, site);
    // Blend legs carry their share as a label; manifold pairs are linked.
    std::set<std::string> shares;
    for (const XmlElement& e : parse_xml(svg))
        if (e.has_class("label-text"))
            shares.insert(e.text);
    EXPECT_TRUE(shares.count("T1 40%"));
    EXPECT_TRUE(shares.count("T5 60%"));
    EXPECT_EQ(elements_with_class(svg, "manifold").size(), 3u);
}

TEST(DiagramLayout, BusyStationWithoutPositionsUsesAutomaticLayout) {
    const Site site = big_site("370602-0901", false);
    DiagramOptions opt;
    opt.language = DiagramLanguage::zh;
    const std::string svg = to_svg(layout_station(site, GradeTable::builtin(), opt));
    dump("big_auto_zh", svg);
    check_station_svg(svg, site);
    EXPECT_FALSE(elements_with_class(svg, "auto-layout-note").empty());
    EXPECT_TRUE(elements_with_class(svg, "north-arrow").empty()) << "no north arrow on a schematic";
    EXPECT_NE(svg.find("自动布局"), std::string::npos);
    EXPECT_NE(svg.find(">图例</text>"), std::string::npos);
}

TEST(DiagramLayout, TitleBlockAndDeterminism) {
    const Site site = sample_site();
    DiagramOptions opt;
    opt.registry_digest = std::string(64, 'a');
    opt.digest_caption = "Registry file SHA-256";
    const std::string a = to_svg(layout_station(site, GradeTable::builtin(), opt));
    const std::string b = to_svg(layout_station(site, GradeTable::builtin(), opt));
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.find("Printed"), std::string::npos) << "no date unless asked";
    EXPECT_NE(a.find("aaaaaaaa"), std::string::npos);
    opt.date = "2026-11-22";
    const std::string c = to_svg(layout_station(site, GradeTable::builtin(), opt));
    EXPECT_NE(c.find(">2026-11-22</text>"), std::string::npos);
}

TEST(DiagramLayout, UnknownSupplyTankIsAnInputError) {
    Site site = sample_site();
    site.nozzles[0].supply = {{"T9", 1.0}};
    EXPECT_THROW_MSG((void)layout_station(site, GradeTable::builtin(), {}), InputError,
                     ::testing::AllOf(::testing::HasSubstr("370602-0001/N1"), ::testing::HasSubstr("T9")));
}

TEST(DiagramLayout, EscapesTextInSvg) {
    Site site = sample_site();
    site.station.name = "A&B <station> \"quoted\"";
    const std::string svg = to_svg(layout_station(site, GradeTable::builtin(), {}));
    std::vector<XmlElement> doc = parse_xml(svg);
    bool found = false;
    for (const XmlElement& e : doc)
        found = found || e.text == "A&B <station> \"quoted\"";
    EXPECT_TRUE(found);
}

TEST(DiagramLayout, PlanOverlayHighlightsPicksWithSampleIds) {
    const Site site = big_site();
    const DiagramPlanOverlay overlay = overlay_for(site); // N11: a blend of T1 and T5
    const std::string svg = to_svg(layout_station(site, GradeTable::builtin(), {}, &overlay));
    dump("big_plan", svg);
    check_station_svg(svg, site);
    std::set<std::string> picked, samples;
    for (const XmlElement& e : parse_xml(svg)) {
        if (e.has_class("pick"))
            picked.insert(e.get("data-for"));
        if (e.has_class("sample"))
            samples.insert(e.get("data-sample"));
    }
    EXPECT_EQ(picked, (std::set<std::string>{"N11", "T1", "T5"}));
    EXPECT_EQ(samples, (std::set<std::string>{"R1-0001-N", "R1-0001-T1", "R1-0001-T2"}));
    EXPECT_NE(svg.find(">INS-007, INS-012</text>"), std::string::npos);
    EXPECT_NE(svg.find("2026-11-24"), std::string::npos);
    EXPECT_NE(svg.find(">2026-Q4 gasoline</text>"), std::string::npos);
}

namespace {
std::string shell(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    ::pclose(p);
    return out;
}
} // namespace

TEST(DiagramPdf, PagesTextAndDeterminism) {
    TempDir dir;
    const Site a = sample_site();
    const Site b = big_site();
    DiagramOptions opt;
    opt.language = DiagramLanguage::zh;
    std::vector<DiagramPage> pages = {layout_station(a, GradeTable::builtin(), opt),
                                      layout_station(b, GradeTable::builtin(), opt)};
    const auto pdf = dir / "two.pdf";
    write_pdf(pages, pdf);
    ASSERT_TRUE(std::filesystem::exists(pdf));
    EXPECT_NE(shell("pdfinfo '" + pdf.string() + "' | tr -s ' '").find("Pages: 2\n"), std::string::npos);
    const std::string text = shell("pdftotext -layout '" + pdf.string() + "' -");
    EXPECT_NE(text.find("中石化烟台芝罘加油站"), std::string::npos) << text;
    EXPECT_NE(text.find("中石油烟台莱山大型综合能源站"), std::string::npos);
    EXPECT_NE(text.find("图例"), std::string::npos);
    for (const Nozzle& n : b.nozzles)
        EXPECT_NE(text.find(n.nozzle_no), std::string::npos) << n.nozzle_no;
    const auto again = dir / "again.pdf";
    write_pdf(pages, again);
    EXPECT_EQ(read_file(pdf), read_file(again)) << "PDF bytes differ between two runs";
    EXPECT_THROW(write_pdf(pages, dir / "no-such-dir" / "x.pdf"), Error);
}

// Synthetic stations (up to 8 tanks and 32 nozzles) are drawn to scale at their recorded positions,
// with every supply line routed clear of foreign symbols and few crossings. The bound: a routed
// line crosses lines of other tanks at most twice on average (the straight lines of the old pages
// crossed 2 to 5 times per line on busy stations; busy routed pages average under 1).
TEST(DiagramLayout, SyntheticStationsPassTheChecks) {
    const Registry reg = synthesize({.stations = 80, .seed = 7});
    std::size_t biggest = 0, most_tanks = 0;
    for (const Site& site : reg.sites()) {
        SCOPED_TRACE(site.station.station_id);
        const std::string svg = to_svg(layout_station(site, reg.grades(), {}));
        const StationSvgFacts facts = check_station_svg(svg, site);
        EXPECT_FALSE(facts.approximate) << "synthetic positions must be drawable to scale";
        EXPECT_TRUE(elements_with_class(svg, "auto-layout-note").empty());
        EXPECT_FALSE(elements_with_class(svg, "scale-bar").empty());
        std::size_t legs = 0;
        for (const Nozzle& n : site.nozzles)
            legs += n.supply.size();
        EXPECT_LE(facts.crossings, static_cast<int>(2 * legs));
        most_tanks = std::max(most_tanks, site.tanks.size());
        if (site.nozzles.size() > biggest) {
            biggest = site.nozzles.size();
            dump("synth_biggest", svg);
        }
    }
    EXPECT_GE(biggest, 28u);
    EXPECT_GE(most_tanks, 6u);
}

TEST(DiagramLayout, RoutedLinesAreDeterministicAndCountCrossings) {
    const Site site = big_site("370602-0901", false);
    const DiagramPage a = layout_station(site, GradeTable::builtin(), {});
    const DiagramPage b = layout_station(site, GradeTable::builtin(), {});
    EXPECT_EQ(to_svg(a), to_svg(b));
    EXPECT_EQ(a.unrouted_lines, 0);
    EXPECT_GT(a.line_crossings, 0); // eight grades mixed on every island cannot be drawn without any
    const std::string svg = to_svg(a);
    EXPECT_NE(svg.find("data-line-crossings=\"" + std::to_string(a.line_crossings) + "\""),
              std::string::npos);
    // Lines of a tank share a trunk: junction dots, and only axis-parallel runs.
    EXPECT_FALSE(elements_with_class(svg, "junction").empty());
    for (const XmlElement& e : parse_xml(svg))
        if (e.has_class("supply")) {
            const auto pts = svg_points(e.get("points"));
            for (std::size_t k = 2; k + 1 < pts.size(); ++k) // the first and last runs enter the symbols
                EXPECT_TRUE(pts[k].first == pts[k - 1].first || pts[k].second == pts[k - 1].second)
                    << e.get("data-from") << " -> " << e.get("data-to");
        }
}

TEST(DiagramLayout, SupplyTableInChineseMarksTheSampleRows) {
    const Site site = big_site();
    const DiagramPlanOverlay overlay = overlay_for(site);
    DiagramOptions zh;
    zh.language = DiagramLanguage::zh;
    const std::string svg = to_svg(layout_station(site, GradeTable::builtin(), zh, &overlay));
    check_station_svg(svg, site);
    std::vector<std::string> heads, marked;
    for (const XmlElement& e : parse_xml(svg)) {
        if (e.has_class("supply-table-head"))
            heads.push_back(e.text);
        if (e.name == "g" && e.has_class("supply-row") && e.has_class("sample"))
            marked.push_back(e.get("data-nozzle") + " " + e.get("data-sample") + " " + e.get("data-tanks"));
    }
    ASSERT_GE(heads.size(), 3u);
    EXPECT_EQ(heads[0], "油枪");
    EXPECT_EQ(heads[1], "油品");
    EXPECT_EQ(heads[2], "油罐");
    EXPECT_EQ(marked, (std::vector<std::string>{"N11 R1-0001-N T1:0.4000;T5:0.6000"}));
    // The blend's row spells out both tanks and their shares.
    EXPECT_NE(svg.find(">T1 40% + T5 60%</text>"), std::string::npos);
}

// ----- team colours and day maps -----

TEST(TeamStyle, SixteenDistinctColoursThenTheSameColoursDashed) {
    for (std::size_t i = 0; i < team_palette_size; ++i) {
        const TeamStyle a = team_style(i);
        EXPECT_EQ(a.dash, 0.0) << i;
        EXPECT_EQ(a, team_style(i)) << "a pure function of the index";
        for (std::size_t j = 0; j < i; ++j) {
            const Rgb b = team_style(j).colour;
            const int d =
                std::abs(a.colour.r - b.r) + std::abs(a.colour.g - b.g) + std::abs(a.colour.b - b.b);
            EXPECT_GE(d, 60) << "teams " << i << " and " << j << " look alike";
        }
        // Neither white-ish (invisible on the page) nor the grey of the county lines.
        EXPECT_LT(a.colour.r + a.colour.g + a.colour.b, 3 * 215) << i;
    }
    EXPECT_EQ(team_style(16).colour, team_style(0).colour);
    EXPECT_EQ(team_style(16).dash, 2.4);
    EXPECT_EQ(team_style(37).colour, team_style(5).colour);
    EXPECT_EQ(team_style(37).dash, 1.0);
    EXPECT_EQ(team_style(50).dash, 2.4);
    EXPECT_EQ(team_style(0).colour, (Rgb{0, 114, 178}));
    EXPECT_EQ(to_hex(team_style(3).colour), "#56b4e9");
    EXPECT_EQ(to_hex(Rgb{255, 10, 0}), "#ff0a00");
}

// CIELAB (D65) of @p c as seen with normal vision (vision 0), protanopia (1) or deuteranopia (2):
// the linear-RGB simulation matrices of Machado, Oliveira and Fernandes (2009), severity 1.
std::array<double, 3> seen_lab(Rgb c, int vision) {
    static constexpr double sim[3][3][3] = {
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
        {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
        {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}};
    auto linear = [](std::uint8_t v) {
        const double s = v / 255.0;
        return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    const double in[3] = {linear(c.r), linear(c.g), linear(c.b)};
    double l[3];
    for (int i = 0; i < 3; ++i)
        l[i] = std::clamp(sim[vision][i][0] * in[0] + sim[vision][i][1] * in[1] + sim[vision][i][2] * in[2],
                          0.0, 1.0);
    const double x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
    const double y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    const double z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
    auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
    return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

// The smallest CIELAB distance (ΔE 1976) of two colours over normal vision, protanopia and
// deuteranopia.
double worst_delta_e(Rgb a, Rgb b) {
    double worst = 1e9;
    for (int vision = 0; vision < 3; ++vision) {
        const auto p = seen_lab(a, vision), q = seen_lab(b, vision);
        worst = std::min(worst, std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
    }
    return worst;
}

TEST(TeamStyle, NeighbouringTeamsDifferAlsoForColourBlindReaders) {
    // The checks themselves: pure red and green collapse for a deuteranope, blue and orange do not.
    EXPECT_LT(worst_delta_e({200, 60, 0}, {90, 140, 0}), 15.0);
    EXPECT_GT(worst_delta_e({0, 114, 178}, {230, 159, 0}), 50.0);
    // Consecutive teams (team 16 → 17 changes from solid to dashed, so the wrap is not counted).
    for (std::size_t i = 0; i + 1 < team_palette_size; ++i) {
        const Rgb a = team_style(i).colour, b = team_style(i + 1).colour;
        EXPECT_GE(worst_delta_e(a, b), 50.0) << "teams " << i << " and " << i + 1 << " look alike";
    }
    // The first six (the teams of a usual office) stay apart pairwise, e.g. the demo's T04 and T06,
    // which the old palette drew orange and dark red.
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < i; ++j)
            EXPECT_GE(worst_delta_e(team_style(i).colour, team_style(j).colour), 17.0) << i << " " << j;
}

namespace {

// Three stations around Yantai, a team based at the depot, one route visiting them 2, 0, 1.
struct DayFixture {
    std::vector<Site> sites;
    DayMap day;
    DayFixture() {
        const GeoPoint at[3] = {{121.30, 37.50}, {121.40, 37.56}, {121.52, 37.42}};
        for (int i = 0; i < 3; ++i) {
            Site s = sample_site("370602-000" + std::to_string(i + 1));
            s.station.location = at[i];
            s.station.name = "烟台测试加油站" + std::to_string(i + 1);
            sites.push_back(std::move(s));
        }
        day.round = "YT-2026-12";
        day.team = Team{"T03", {"YT-05", "YT-06"}, 121447000, 37464000};
        day.team_index = 2;
        day.route.team = "T03";
        day.route.date = "2026-12-03";
        day.route.stations = {"370602-0003", "370602-0001", "370602-0002"};
        day.route.straight_m = 45210;
        day.route.distance_m = 58773;
        day.sites = {&sites[2], &sites[0], &sites[1]};
        day.day = 2;
        day.days = 3;
    }
};

std::vector<const DiagramItem*> items_of(const DiagramPage& page, const std::string& cls) {
    std::vector<const DiagramItem*> out;
    for (const DiagramItem& i : page.items)
        if (i.css_class == cls)
            out.push_back(&i);
    return out;
}

std::string data_of(const DiagramItem& item, const std::string& key) {
    for (const auto& [k, v] : item.data)
        if (k == key)
            return v;
    return "";
}

} // namespace

TEST(DayMap, TheRouteRunsFromTheBaseThroughTheStopsInOrderAndBack) {
    DayFixture f;
    DiagramOptions zh;
    zh.language = DiagramLanguage::zh;
    const DiagramPage page = layout_day_map(f.day, {}, zh);
    dump("day-map", to_svg(page));
    const auto route = items_of(page, "route");
    ASSERT_EQ(route.size(), 1u);
    ASSERT_EQ(route[0]->points.size(), 5u) << "base, 3 stops, base";
    EXPECT_EQ(route[0]->points.front().x, route[0]->points.back().x);
    EXPECT_EQ(route[0]->points.front().y, route[0]->points.back().y);
    EXPECT_EQ(*route[0]->stroke, team_style(2).colour);
    const auto stops = items_of(page, "stop");
    ASSERT_EQ(stops.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(data_of(*stops[k], "id"), f.day.route.stations[k]);
        EXPECT_EQ(data_of(*stops[k], "order"), std::to_string(k + 1));
        // The line passes through each dot's centre, in visiting order.
        EXPECT_EQ(stops[k]->points[0].x, route[0]->points[k + 1].x);
        EXPECT_EQ(stops[k]->points[0].y, route[0]->points[k + 1].y);
    }
    // The base square sits where the line starts.
    const auto base = items_of(page, "base");
    ASSERT_FALSE(base.empty());
    EXPECT_NEAR(base[0]->box.x + base[0]->box.w / 2, route[0]->points[0].x, 1e-9);
    // The depot lies east of station 1 and west of station 3: the base is drawn between them.
    EXPECT_GT(route[0]->points[0].x, stops[1]->points[0].x);
    EXPECT_LT(route[0]->points[0].x, stops[0]->points[0].x);

    // Labels carry the station names, overlap nothing and stay on the map.
    const auto labels = items_of(page, "label");
    ASSERT_EQ(labels.size(), 3u);
    EXPECT_EQ(page.unplaced_labels, 0);
    for (const DiagramItem* l : labels) {
        EXPECT_NE(l->text.find("烟台测试加油站"), std::string::npos);
        EXPECT_TRUE((PageBox{10, 10, 199, 178}).contains(l->box)) << l->text;
        for (const DiagramItem* s : stops) {
            const PageBox dot{s->points[0].x - s->radius, s->points[0].y - s->radius, 2 * s->radius,
                              2 * s->radius};
            EXPECT_FALSE(dot.intersects(l->box)) << l->text;
        }
        for (const DiagramItem* m : labels) {
            if (m != l) {
                EXPECT_FALSE(m->box.intersects(l->box));
            }
        }
    }
    // The stop list and title block: order, team, date, day, distance.
    std::string text;
    for (const DiagramItem& i : page.items)
        if (i.kind == ItemKind::text)
            text += i.text + "\n";
    EXPECT_LT(text.find("370602-0003"), text.find("370602-0001"));
    EXPECT_LT(text.find("370602-0001"), text.find("370602-0002"));
    EXPECT_NE(text.find("YT-05, YT-06\n"), std::string::npos) << text;
    EXPECT_NE(text.find("T03  2026-12-03\n"), std::string::npos);
    EXPECT_NE(text.find("2/3\n"), std::string::npos);
    EXPECT_NE(text.find("58.8 km = 45.2 km × 1.3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("当日路线图"), std::string::npos);
    EXPECT_EQ(to_svg(page), to_svg(layout_day_map(f.day, {}, zh))) << "deterministic";
}

TEST(DayMap, CountyAreasAreClippedToTheMap) {
    DayFixture f;
    MapBoundaries b;
    b.source = BoundarySource::layer;
    // One county round the stations, one far outside the map, one that reaches across its edge.
    b.areas = {{"370602", {{{121.2, 37.3}, {121.6, 37.3}, {121.6, 37.7}, {121.2, 37.7}}}},
               {"110101", {{{116.3, 39.8}, {116.5, 39.8}, {116.5, 40.0}}}},
               {"370612", {{{121.5, 37.0}, {125.0, 37.0}, {125.0, 37.45}, {121.5, 37.45}}}}};
    const DiagramPage page = layout_day_map(f.day, b, DiagramOptions{});
    const auto regions = items_of(page, "region");
    ASSERT_EQ(regions.size(), 2u) << "the far county is left out";
    for (const DiagramItem* r : regions)
        for (const PagePoint& p : r->points) {
            EXPECT_GE(p.x, 10 - 1e-9);
            EXPECT_LE(p.x, 209 + 1e-9);
            EXPECT_GE(p.y, 10 - 1e-9);
            EXPECT_LE(p.y, 188 + 1e-9);
        }
    bool legend = false;
    for (const DiagramItem& i : page.items)
        legend = legend || i.text == "county boundary";
    EXPECT_TRUE(legend);
}

TEST(DayMap, RefusesStationsThatDoNotMatchTheRoute) {
    DayFixture f;
    std::swap(f.day.sites[0], f.day.sites[1]);
    EXPECT_THROW_MSG(static_cast<void>(layout_day_map(f.day, {}, DiagramOptions{})), InputError,
                     "the day map's stations do not follow the route's visiting order");
    DayFixture g;
    g.sites[0].station.location.reset();
    EXPECT_THROW_MSG(static_cast<void>(layout_day_map(g.day, {}, DiagramOptions{})), InputError,
                     "station has no location to draw on the day map");
}

TEST(Overview, RoutesInTheirTeamsColoursWithATeamLegend) {
    DayFixture f;
    std::vector<OverviewStop> stops;
    for (const Site& s : f.sites)
        stops.push_back({&s, "370602|major", ""});
    const std::vector<MapRoute> routes = {{"T01", {"A", "B"}, 0, {121.447, 37.464}, {2, 0}},
                                          {"T17", {"C", "D"}, 16, {121.447, 37.464}, {1}}};
    const DiagramPage page = layout_overview(stops, MapBoundaries{}, routes, "R", DiagramOptions{});
    const auto lines = items_of(page, "route");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]->points.size(), 4u);
    EXPECT_EQ(*lines[0]->stroke, team_style(0).colour);
    EXPECT_EQ(lines[0]->dash, 0.0);
    EXPECT_EQ(*lines[1]->stroke, team_style(16).colour);
    EXPECT_EQ(lines[1]->dash, 2.4);
    const auto legend = items_of(page, "legend-team");
    ASSERT_EQ(legend.size(), 2u);
    EXPECT_EQ(data_of(*legend[0], "team"), "T01");
    EXPECT_EQ(data_of(*legend[1], "team"), "T17");
    EXPECT_EQ(*items_of(page, "stop")[1]->fill, team_style(16).colour) << "stop 2 is T17's";
    EXPECT_EQ(items_of(page, "base").size(), 2u) << "one base place: its square and its centre";
    bool hull_note = false;
    for (const DiagramItem& i : page.items)
        hull_note = hull_note || i.text == "county: hull of its stations (no boundaries given)";
    EXPECT_TRUE(hull_note);
    const std::vector<MapRoute> bad = {{"T01", {"A"}, 0, {121.4, 37.4}, {7}}};
    EXPECT_THROW_MSG(static_cast<void>(layout_overview(stops, MapBoundaries{}, bad, "R", DiagramOptions{})),
                     InputError, "a route names a stop that is not drawn");
}

TEST(SyntheticCountyBoxes, OnlyForStationsWhereSynthPutThem) {
    const Registry reg = synthesize(SynthOptions{40, 3, SynthScope::yantai});
    std::vector<const Site*> sites;
    for (const Site& s : reg.sites())
        sites.push_back(&s);
    const std::vector<DiagramRegion> boxes = synthetic_county_boxes(sites);
    EXPECT_EQ(boxes.size(), 11u) << "the 11 county-level regions of Yantai";
    Site moved = *sites[0];
    moved.station.location = GeoPoint{100.0, 30.0};
    sites.push_back(&moved);
    EXPECT_TRUE(synthetic_county_boxes(sites).empty());
    sites.pop_back();
    Site renamed = *sites[0];
    renamed.station.station_id = "STATION-1";
    sites.push_back(&renamed);
    EXPECT_TRUE(synthetic_county_boxes(sites).empty());
}
