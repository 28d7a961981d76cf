// SPDX-License-Identifier: MIT
// The station page: from a Site to a list of drawing items on an A4 landscape page. Everything is
// computed in page millimetres here so that the SVG and PDF writers only interpret items.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "diagram/diagram_kit.hpp"
#include "diagram/diagram_panel.hpp"
#include "diagram/diagram_placement.hpp"
#include "diagram/diagram_routing.hpp"
#include "diagram/diagram_supply_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace fuelmap {

using namespace detail;

namespace {

// Page geometry, millimetres (A4 landscape).
constexpr PageBox frame_box{8, 8, 281, 194};
constexpr PageBox panel_box{213, 10, 74, 190}; // north arrow, legend, title block
constexpr double scale_bar_y = 196.0;

PagePoint centre(const PageBox& b) {
    return {b.x + b.w / 2, b.y + b.h / 2};
}

// The largest 1-2-5 length (metres) whose bar is at most max_mm long.
double nice_length(double mm_per_m, double max_mm) {
    double best = 1.0;
    for (double decade = 0.1; decade < 1e7; decade *= 10)
        for (double s : {1.0, 2.0, 5.0})
            if (s * decade * mm_per_m <= max_mm)
                best = s * decade;
    return best;
}

class StationLayout {
public:
    StationLayout(const Site& site, const GradeTable& grades, const DiagramOptions& options,
                  const DiagramPlanOverlay* overlay)
        : m_site(site), m_grades(grades), m_opt(options), m_w(words(options.language)), m_overlay(overlay),
          m_placer(map_box) {}

    DiagramPage run() {
        m_page.title = m_site.station.station_id + " " + m_site.station.name;
        std::map<std::string, std::string> marked;
        if (m_overlay)
            for (const PlannedSample& s : m_overlay->selection.samples)
                marked.emplace(s.nozzle_no, s.nozzle_sample_id);
        // The supply table takes a strip at the bottom of the map area; the site is drawn above it.
        const SupplyTable table(m_site, m_w, map_box.w, marked);
        const PageBox table_box{map_box.x, map_box.y + map_box.h - table.height(), map_box.w, table.height()};
        m_map = {map_box.x, map_box.y, map_box.w, table_box.y - 2 - map_box.y};
        m_placer.add_obstacle(table_box.inflated(0.5));
        m_pl = place_station(m_site, m_map);
        draw_frame();
        draw_site();
        draw_links();
        draw_symbols();
        table.draw({table_box.x, table_box.y}, m_page.items);
        draw_labels();
        draw_scale();
        draw_panel({m_site, m_grades, m_opt, m_w, m_overlay, m_pl.surveyed, m_pl.denominator}, panel_box,
                   m_page.items);
        return std::move(m_page);
    }

private:
    void add(DiagramItem item) { m_page.items.push_back(std::move(item)); }

    void draw_frame() {
        add(make_rect(frame_box, black, white, 0.5, "frame"));
        add(make_line({panel_box.x - 2, frame_box.y}, {panel_box.x - 2, frame_box.y + frame_box.h}, black,
                      0.35, "frame"));
        m_placer.add_obstacle({panel_box.x - 3, frame_box.y, 100, frame_box.h});
    }

    void draw_site() {
        if (!m_pl.outline_m.empty()) {
            DiagramItem o;
            o.kind = ItemKind::polygon;
            for (const LocalPoint& p : m_pl.outline_m)
                o.points.push_back(m_pl.to_page(p));
            o.stroke = dark_grey;
            o.fill = Rgb{248, 248, 246};
            o.stroke_width = 0.5;
            o.css_class = "site-outline";
            add(std::move(o));
        } else {
            // A tidy frame round everything drawn.
            double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
            auto grow = [&](const PageBox& b) {
                x0 = std::min(x0, b.x);
                y0 = std::min(y0, b.y);
                x1 = std::max(x1, b.x + b.w);
                y1 = std::max(y1, b.y + b.h);
            };
            for (const TankShape& t : m_pl.tanks)
                grow(t.box);
            for (const DispenserShape& d : m_pl.disps)
                grow(d.box.inflated(nozzle_h + nozzle_gap));
            if (x0 < x1) {
                PageBox b{x0 - 9, y0 - 9, x1 - x0 + 18, y1 - y0 + 18};
                b.x = std::max(b.x, m_map.x + 1);
                b.y = std::max(b.y, m_map.y + (m_pl.surveyed ? 1 : 9));
                b.w = std::min(b.w, m_map.x + m_map.w - 1 - b.x);
                b.h = std::min(b.h, m_map.y + m_map.h - 1 - b.y);
                DiagramItem f = make_rect(b, mid_grey, Rgb{250, 250, 250}, 0.3, "site-frame", 3.0);
                f.dash = 1.5;
                add(std::move(f));
            }
        }
        if (!m_pl.surveyed || m_pl.displaced) {
            const std::string note =
                !m_pl.surveyed ? (m_pl.crowded ? m_w.crowded : m_w.auto_layout) : m_w.displaced;
            const double size = 3.0;
            const PageBox b{m_map.x + 1, m_map.y + 1, text_width_em(note) * size + 3, size * 1.6};
            m_note = b;
            add(make_rect(b, pick_red, Rgb{255, 244, 229}, 0.3, "auto-layout-note"));
            add(make_text({b.x + 1.5, b.y + b.h / 2 + size * 0.36}, note, size, black, TextAnchor::start,
                          true, "auto-layout-note"));
            m_placer.add_obstacle(b);
        }
        // Islands: a slab under the dispensers of each island when they stand together.
        std::map<std::string, PageBox> slabs;
        for (const DispenserShape& d : m_pl.disps) {
            if (!d.dispenser || d.island.empty())
                continue;
            const PageBox b{d.box.x - 2, d.box.y - 1.2, d.box.w + 4, d.box.h + 2.4};
            auto [it, fresh] = slabs.emplace(d.island, b);
            if (!fresh) {
                PageBox& s = it->second;
                const double x1 = std::max(s.x + s.w, b.x + b.w), y1 = std::max(s.y + s.h, b.y + b.h);
                s.x = std::min(s.x, b.x);
                s.y = std::min(s.y, b.y);
                s.w = x1 - s.x;
                s.h = y1 - s.y;
            }
        }
        for (const auto& [island, s] : slabs) {
            if (s.w > 90 || s.h > 40)
                continue; // dispensers far apart: no slab
            DiagramItem i = make_rect(s, Rgb{170, 170, 170}, light_grey, 0.2, "island", 1.5);
            i.data = {{"id", island}};
            add(std::move(i));
        }
    }

    void draw_links() {
        // Manifold links: consecutive tanks of a group, left to right.
        std::map<std::string, std::vector<const TankShape*>> groups;
        for (const TankShape& t : m_pl.tanks)
            if (!t.tank->manifold_group.empty())
                groups[t.tank->manifold_group].push_back(&t);
        for (auto& [group, members] : groups) {
            std::stable_sort(members.begin(), members.end(),
                             [](const TankShape* a, const TankShape* b) { return a->box.x < b->box.x; });
            for (std::size_t i = 0; i + 1 < members.size(); ++i) {
                const PagePoint a = centre(members[i]->box);
                const PagePoint b = centre(members[i + 1]->box);
                DiagramItem outer = make_line(a, b, dark_grey, 1.6, "manifold");
                outer.data = {{"from", members[i]->tank->tank_no},
                              {"to", members[i + 1]->tank->tank_no},
                              {"group", group}};
                add(std::move(outer));
                DiagramItem inner = make_line(a, b, white, 0.8, "manifold-core");
                add(std::move(inner));
            }
        }
        // Supply lines: routed around every foreign symbol, bundled per tank (docs/diagrams.md).
        std::map<std::string, std::size_t> tank_index;
        for (std::size_t i = 0; i < m_pl.tanks.size(); ++i)
            tank_index.emplace(m_pl.tanks[i].tank->tank_no, i);
        RoutingProblem problem;
        problem.area = m_map;
        for (const TankShape& t : m_pl.tanks)
            problem.tanks.push_back(t.box);
        for (const DispenserShape& d : m_pl.disps)
            problem.obstacles.push_back(d.box);
        for (const NozzleShape& ns : m_pl.nozzles)
            problem.obstacles.push_back(ns.box);
        if (m_note)
            problem.obstacles.push_back(*m_note);
        struct Leg {
            std::size_t nozzle, leg, tank;
            double distance;
        };
        std::vector<Leg> legs;
        for (std::size_t i = 0; i < m_pl.nozzles.size(); ++i) {
            const Nozzle& n = *m_pl.nozzles[i].nozzle;
            for (std::size_t l = 0; l < n.supply.size(); ++l) {
                auto it = tank_index.find(n.supply[l].tank_no);
                if (it == tank_index.end())
                    throw InputError({.layer = "supplies",
                                      .feature = element_id(m_site.station.station_id, n.nozzle_no),
                                      .field = "tank_no"},
                                     "supply names tank '" + n.supply[l].tank_no +
                                         "' which the station does not have");
                const PagePoint a = centre(m_pl.nozzles[i].box), b = centre(m_pl.tanks[it->second].box);
                legs.push_back({i, l, it->second, std::fabs(a.x - b.x) + std::fabs(a.y - b.y)});
            }
        }
        // Tank by tank; within a tank the farthest nozzle first, so that it lays the trunk that the
        // nearer ones join. Ties by nozzle and leg order: the order is total.
        std::stable_sort(legs.begin(), legs.end(), [](const Leg& a, const Leg& b) {
            if (a.tank != b.tank)
                return a.tank < b.tank;
            return a.distance > b.distance;
        });
        for (const Leg& l : legs) {
            const NozzleShape& ns = m_pl.nozzles[l.nozzle];
            problem.legs.push_back({l.tank, ns.box, ns.top, static_cast<int>(l.leg),
                                    static_cast<int>(ns.nozzle->supply.size())});
        }
        const Routing routing = route_supply_lines(problem);
        m_page.line_crossings = routing.crossings;
        m_page.unrouted_lines = routing.unrouted;
        std::vector<DiagramItem> junctions;
        for (std::size_t k = 0; k < legs.size(); ++k) {
            const Leg& l = legs[k];
            const RoutedLeg& r = routing.legs[k];
            const TankShape& tank = m_pl.tanks[l.tank];
            const Nozzle& n = *m_pl.nozzles[l.nozzle].nozzle;
            const Rgb colour = grade_colour(tank.tank->grade);
            DiagramItem line;
            line.kind = ItemKind::polyline;
            line.points = r.points;
            line.stroke = colour;
            line.stroke_width = 0.4;
            line.css_class = "supply";
            const bool blend = n.supply.size() > 1;
            line.data = {{"from", tank.tank->tank_no},
                         {"to", n.nozzle_no},
                         {"fraction", fixed(n.supply[l.leg].fraction, 4)}};
            // A blend leg is dashed (where it shares a trunk, the trunk's solid line shows through).
            if (blend) {
                line.dash = 1.2;
                m_blend_labels.push_back({r.branch, n.nozzle_no, tank.tank->tank_no,
                                          percent(n.supply[l.leg].fraction), tank.tank->grade});
            }
            add(std::move(line));
            if (r.joined) {
                DiagramItem dot = make_circle(r.junction, 0.7, std::nullopt, colour, 0.0, "junction");
                dot.data = {{"tank", tank.tank->tank_no}};
                junctions.push_back(std::move(dot));
            }
        }
        for (DiagramItem& j : junctions)
            add(std::move(j));
    }

    const PlannedSample* pick_of_nozzle(const std::string& nozzle_no) const {
        if (!m_overlay)
            return nullptr;
        for (const PlannedSample& s : m_overlay->selection.samples)
            if (s.nozzle_no == nozzle_no)
                return &s;
        return nullptr;
    }

    std::vector<std::string> tank_sample_ids(const std::string& tank_no) const {
        std::vector<std::string> ids;
        if (!m_overlay)
            return ids;
        for (const PlannedSample& s : m_overlay->selection.samples)
            for (std::size_t i = 0; i < s.claimed_tanks.size(); ++i)
                if (s.claimed_tanks[i].tank_no == tank_no && i < s.tank_sample_ids.size())
                    ids.push_back(s.tank_sample_ids[i]);
        return ids;
    }

    void draw_symbols() {
        for (const TankShape& t : m_pl.tanks) {
            const Rgb c = grade_colour(t.tank->grade);
            const bool in_service = t.tank->status == "in_service";
            if (!tank_sample_ids(t.tank->tank_no).empty()) {
                DiagramItem h = make_rect(t.box.inflated(1.4), pick_red, std::nullopt, 1.0, "pick", 7.0);
                h.data = {{"for", t.tank->tank_no}};
                add(std::move(h));
            }
            DiagramItem r = make_rect(t.box, c, tint(c, 0.82), 0.6, "tank", tank_w / 2);
            if (!in_service)
                r.dash = 1.0;
            r.data = {{"id", t.tank->tank_no}, {"grade", t.tank->grade}};
            add(std::move(r));
            const PagePoint m = centre(t.box);
            DiagramItem no =
                make_text({m.x, m.y - 2.6}, t.tank->tank_no, fit(t.tank->tank_no, 3.4, tank_w - 2), black,
                          TextAnchor::middle, true, "tank-no");
            no.data = {{"for", t.tank->tank_no}};
            add(std::move(no));
            add(make_text({m.x, m.y + 1.6}, t.tank->grade, fit(t.tank->grade, 2.8, tank_w - 2), black,
                          TextAnchor::middle, true, "tank-grade"));
            std::string cap = in_service ? fixed(static_cast<double>(t.tank->capacity_l) / 1000.0, 0) + " m³"
                                         : std::string(m_w.out_of_service);
            add(make_text({m.x, m.y + 5.6}, cap, fit(cap, 2.2, tank_w - 1.5), dark_grey, TextAnchor::middle,
                          false, "tank-capacity"));
            m_placer.add_obstacle(t.box.inflated(1.4));
        }
        for (const DispenserShape& d : m_pl.disps) {
            DiagramItem r = make_rect(d.box, black, white, 0.45, "dispenser", 0.8);
            r.data = {{"id", d.number}, {"island", d.island}};
            add(std::move(r));
            const PagePoint m = centre(d.box);
            add(make_text({m.x, m.y + 1.1}, d.number, fit(d.number, 3.0, d.box.w - 1), black,
                          TextAnchor::middle, true, "dispenser-no"));
            m_placer.add_obstacle(d.box);
        }
        for (const NozzleShape& ns : m_pl.nozzles) {
            const Nozzle& n = *ns.nozzle;
            const Rgb c = grade_colour(n.grade);
            const bool picked = pick_of_nozzle(n.nozzle_no) != nullptr;
            if (picked) {
                DiagramItem h = make_rect(ns.box.inflated(1.0), pick_red, std::nullopt, 0.9, "pick", 2.6);
                h.data = {{"for", n.nozzle_no}};
                add(std::move(h));
            }
            DiagramItem pill = make_rect(ns.box, c, tint(c, 0.8), 0.6, "nozzle", 1.6);
            if (n.status != "in_service")
                pill.dash = 0.8;
            pill.data = {{"id", n.nozzle_no}, {"grade", n.grade}, {"dispenser", n.dispenser_no}};
            add(std::move(pill));
            const double mid = ns.box.x + ns.box.w / 2;
            DiagramItem no = make_text({mid, ns.box.y + 2.75}, n.nozzle_no, nozzle_font, black,
                                       TextAnchor::middle, true, "nozzle-no");
            no.data = {{"for", n.nozzle_no}};
            add(std::move(no));
            add(make_text({mid, ns.box.y + 5.55}, n.grade, nozzle_font, black, TextAnchor::middle, false,
                          "nozzle-grade"));
            m_placer.add_obstacle(picked ? ns.box.inflated(1.5) : ns.box);
        }
    }

    // The point @p mm along a polyline (its end when shorter).
    static PagePoint along(const std::vector<PagePoint>& pts, double mm) {
        for (std::size_t k = 1; k < pts.size(); ++k) {
            const double len = std::hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y);
            if (len >= mm && len > 0)
                return {pts[k - 1].x + (pts[k].x - pts[k - 1].x) * mm / len,
                        pts[k - 1].y + (pts[k].y - pts[k - 1].y) * mm / len};
            mm -= len;
        }
        return pts.empty() ? PagePoint{} : pts.back();
    }

    static double fit(const std::string& text, double size, double width) {
        const double em = text_width_em(text);
        return em * size > width ? width / em : size;
    }

    void count(bool placed) {
        if (!placed)
            ++m_page.unplaced_labels;
    }

    void draw_labels() {
        // Plan picks first (they matter most), then nozzle grades, then blend shares.
        if (m_overlay) {
            for (const PlannedSample& s : m_overlay->selection.samples) {
                for (const NozzleShape& ns : m_pl.nozzles) {
                    if (ns.nozzle->nozzle_no != s.nozzle_no)
                        continue;
                    LabelPlacer::Request rq;
                    rq.anchor = ns.box.inflated(1.5);
                    rq.text = std::string(m_w.sample) + " " + s.nozzle_sample_id;
                    rq.size = 2.8;
                    rq.bold = true;
                    rq.preferred = ns.top ? 0 : 2;
                    rq.colour = pick_red;
                    rq.border = pick_red;
                    rq.css_class = "label sample";
                    rq.data = {{"for", s.nozzle_no}, {"sample", s.nozzle_sample_id}};
                    count(m_placer.place(rq, m_labels));
                }
                for (std::size_t i = 0; i < s.claimed_tanks.size() && i < s.tank_sample_ids.size(); ++i)
                    for (const TankShape& t : m_pl.tanks) {
                        if (t.tank->tank_no != s.claimed_tanks[i].tank_no)
                            continue;
                        LabelPlacer::Request rq;
                        rq.anchor = t.box.inflated(1.4);
                        rq.text = std::string(m_w.tank_sample) + " " + s.tank_sample_ids[i];
                        rq.size = 2.8;
                        rq.bold = true;
                        rq.preferred = 0;
                        rq.colour = pick_red;
                        rq.border = pick_red;
                        rq.css_class = "label sample";
                        rq.data = {{"for", t.tank->tank_no}, {"sample", s.tank_sample_ids[i]}};
                        count(m_placer.place(rq, m_labels));
                    }
            }
        }
        for (const BlendLabel& b : m_blend_labels) {
            const PagePoint p = along(b.branch, 7.0);
            LabelPlacer::Request rq;
            rq.anchor = {p.x - 0.3, p.y - 0.3, 0.6, 0.6};
            rq.text = b.tank + " " + b.share;
            rq.size = 2.2;
            rq.preferred = 4;
            rq.colour = black;
            rq.border = grade_colour(b.grade);
            rq.data = {{"for", b.nozzle}, {"kind", "blend"}, {"tank", b.tank}};
            count(m_placer.place(rq, m_labels));
        }
        for (DiagramItem& i : m_labels)
            add(std::move(i));
    }

    void draw_scale() {
        const double y = scale_bar_y;
        if (!m_pl.surveyed) {
            add(make_text({map_box.x + 2, y + 1}, std::string(m_w.scale) + ": " + m_w.not_to_scale, 2.8,
                          black, TextAnchor::start, false, "scale-bar"));
            return;
        }
        const double len_m = nice_length(m_pl.mm_per_m, 50.0);
        const double len = len_m * m_pl.mm_per_m;
        const double x0 = map_box.x + 2;
        for (int i = 0; i < 4; ++i) {
            DiagramItem seg = make_rect({x0 + len * i / 4, y - 1.2, len / 4, 1.6}, black,
                                        i % 2 ? white : black, 0.2, "scale-bar");
            add(std::move(seg));
        }
        auto metres = [](double m) { return m >= 1 ? fixed(m, 0) : fixed(m, 1); };
        add(make_text({x0, y - 2.2}, "0", 2.4, black, TextAnchor::middle, false, "scale-bar"));
        add(make_text({x0 + len / 2, y - 2.2}, metres(len_m / 2), 2.4, black, TextAnchor::middle, false,
                      "scale-bar"));
        add(make_text({x0 + len, y - 2.2}, metres(len_m) + " m", 2.4, black, TextAnchor::start, false,
                      "scale-bar"));
        DiagramItem ratio = make_text({x0 + len + 12, y + 0.4}, "1:" + fixed(m_pl.denominator, 0), 3.0, black,
                                      TextAnchor::start, true, "scale-ratio");
        add(std::move(ratio));
    }

    struct BlendLabel {
        std::vector<PagePoint> branch; // nozzle end first
        std::string nozzle, tank, share, grade;
    };

    const Site& m_site;
    const GradeTable& m_grades;
    const DiagramOptions& m_opt;
    const DiagramWords& m_w;
    const DiagramPlanOverlay* m_overlay;
    LabelPlacer m_placer;
    DiagramPage m_page;
    std::vector<BlendLabel> m_blend_labels;
    std::vector<DiagramItem> m_labels;
    Placement m_pl;                // symbols, scale and projection
    PageBox m_map = map_box;       // the map area above the supply table
    std::optional<PageBox> m_note; // the layout note, when there is one
};

} // namespace

DiagramPage layout_station(const Site& site, const GradeTable& grades, const DiagramOptions& options,
                           const DiagramPlanOverlay* overlay) {
    return StationLayout(site, grades, options, overlay).run();
}

} // namespace fuelmap
