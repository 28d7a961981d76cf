// SPDX-License-Identifier: MIT
// The station page: from a Site to a list of drawing items on an A4 landscape page. Everything is
// computed in page millimetres here so that the SVG and PDF writers only interpret items.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "diagram/diagram_kit.hpp"
#include "diagram/diagram_panel.hpp"
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
constexpr PageBox map_box{10, 10, 199, 178};   // the site drawing
constexpr PageBox panel_box{213, 10, 74, 190}; // north arrow, legend, title block
constexpr double scale_bar_y = 196.0;

// Symbol sizes, millimetres on paper (the same at every scale so that text always fits).
constexpr double tank_w = 13.0;
constexpr double tank_h = 20.0;
constexpr double nozzle_h = 6.4; // nozzle "pill": number above grade inside
constexpr double nozzle_font = 2.4;
constexpr double nozzle_gap = 1.0; // between pills, and pill to dispenser
constexpr double dispenser_h = 6.0;

struct TankShape {
    const Tank* tank;
    LocalPoint m; // metres (or layout units)
    PageBox box;
};

struct DispenserShape {
    std::string number;
    std::string island;
    const Dispenser* dispenser; // nullptr for nozzles naming an unknown dispenser
    LocalPoint m;
    PageBox box;
    std::vector<std::size_t> top, bottom; // nozzle indices by side
};

struct NozzleShape {
    const Nozzle* nozzle;
    std::size_t dispenser;
    PageBox box;
    bool top = false;
};

PagePoint centre(const PageBox& b) {
    return {b.x + b.w / 2, b.y + b.h / 2};
}

// The smallest "nice" scale denominator whose drawing still fits.
double nice_denominator(double min_denominator) {
    static constexpr std::array<double, 12> series = {100, 125, 150, 200, 250, 300,
                                                      400, 500, 600, 750, 800, 1000};
    double decade = 1.0;
    while (decade < 1e9) {
        for (double s : series)
            if (s * decade >= min_denominator - 1e-9)
                return s * decade;
        decade *= 10.0;
    }
    return min_denominator;
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
        collect();
        std::map<std::string, std::string> marked;
        if (m_overlay)
            for (const PlannedSample& s : m_overlay->selection.samples)
                marked.emplace(s.nozzle_no, s.nozzle_sample_id);
        // The supply table takes a strip at the bottom of the map area; the site is drawn above it.
        const SupplyTable table(m_site, m_w, map_box.w, marked);
        const PageBox table_box{map_box.x, map_box.y + map_box.h - table.height(), map_box.w, table.height()};
        m_map = {map_box.x, map_box.y, map_box.w, table_box.y - 2 - map_box.y};
        m_placer.add_obstacle(table_box.inflated(0.5));
        position();
        draw_frame();
        draw_site();
        draw_links();
        draw_symbols();
        table.draw({table_box.x, table_box.y}, m_page.items);
        draw_labels();
        draw_scale();
        draw_panel({m_site, m_grades, m_opt, m_w, m_overlay, m_surveyed, m_denominator}, panel_box,
                   m_page.items);
        return std::move(m_page);
    }

private:
    void add(DiagramItem item) { m_page.items.push_back(std::move(item)); }

    // Tanks, dispensers (with pseudo-dispensers for nozzles naming none known), nozzles by side.
    void collect() {
        for (const Tank& t : m_site.tanks)
            m_tanks.push_back({&t, {}, {}});
        std::map<std::string, std::size_t> index;
        for (const Dispenser& d : m_site.dispensers) {
            index.emplace(d.dispenser_no, m_disps.size());
            m_disps.push_back({d.dispenser_no, d.island, &d, {}, {}, {}, {}});
        }
        for (const Nozzle& n : m_site.nozzles) {
            auto it = index.find(n.dispenser_no);
            if (it == index.end()) {
                it = index.emplace(n.dispenser_no, m_disps.size()).first;
                m_disps.push_back({n.dispenser_no, "?", nullptr, {}, {}, {}, {}});
            }
            m_nozzles.push_back({&n, it->second, {}, n.fuelling_point % 2 == 0});
            // One pill width per station, wide enough for the longest number or grade.
            m_pill_w = std::max(
                m_pill_w, std::max(text_width_em(n.nozzle_no), text_width_em(n.grade)) * nozzle_font + 1.8);
        }
        for (std::size_t i = 0; i < m_nozzles.size(); ++i) {
            DispenserShape& d = m_disps[m_nozzles[i].dispenser];
            (m_nozzles[i].top ? d.top : d.bottom).push_back(i);
        }
        for (DispenserShape& d : m_disps)
            for (auto* side : {&d.top, &d.bottom})
                std::stable_sort(side->begin(), side->end(), [this](std::size_t a, std::size_t b) {
                    return m_nozzles[a].nozzle->fuelling_point < m_nozzles[b].nozzle->fuelling_point;
                });
    }

    // Local metres from WGS84 when every tank and dispenser has a position; else the automatic layout.
    void position() {
        position(false);
        if (m_surveyed && !displace()) {
            // Too crowded to draw near the surveyed positions: the automatic layout instead.
            m_crowded = true;
            m_outline_m.clear();
            position(true);
        }
        if (!m_surveyed)
            displace();
    }

    // Pushes overlapping symbol groups (a tank; a dispenser with its nozzles) apart, each by half
    // the overlap along the axis where it is smaller, until none overlaps; then moves the whole
    // drawing back into the map area. False when it cannot be made to fit.
    bool displace() {
        struct Group {
            PageBox box;
            double dx = 0, dy = 0;
        };
        std::vector<Group> groups;
        for (const TankShape& t : m_tanks)
            groups.push_back({t.box.inflated(1.5)});
        for (const DispenserShape& d : m_disps)
            groups.push_back({group_box(d).inflated(1.5)});
        // Groups closer than 2 mm are moved, and then apart by 8 mm, to leave lanes for the lines.
        bool close = false;
        for (std::size_t i = 0; i < groups.size() && !close; ++i)
            for (std::size_t j = i + 1; j < groups.size() && !close; ++j)
                close = groups[i].box.inflated(1.0).intersects(groups[j].box.inflated(1.0));
        const double gap = close ? 8.0 : 2.0;
        bool moved = false;
        for (int iter = 0; iter < 400; ++iter) {
            bool any = false;
            for (std::size_t i = 0; i < groups.size(); ++i)
                for (std::size_t j = i + 1; j < groups.size(); ++j) {
                    PageBox& a = groups[i].box;
                    PageBox& b = groups[j].box;
                    const double ox = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x) + gap;
                    const double oy = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y) + gap;
                    if (ox <= 0 || oy <= 0)
                        continue;
                    any = true;
                    const double ca = a.x + a.w / 2, cb = b.x + b.w / 2;
                    const double ra = a.y + a.h / 2, rb = b.y + b.h / 2;
                    // Ties go by index so that the result does not depend on anything else.
                    if (ox < oy) {
                        const double s = (ca < cb || (ca == cb && i < j)) ? 1.0 : -1.0;
                        a.x -= s * ox / 2;
                        b.x += s * ox / 2;
                    } else {
                        const double s = (ra < rb || (ra == rb && i < j)) ? 1.0 : -1.0;
                        a.y -= s * oy / 2;
                        b.y += s * oy / 2;
                    }
                }
            if (!any)
                break;
            moved = true;
        }
        // Still overlapping after the iterations: give up.
        for (std::size_t i = 0; i < groups.size(); ++i)
            for (std::size_t j = i + 1; j < groups.size(); ++j)
                if (groups[i].box.intersects(groups[j].box))
                    return false;
        // Back into the map area: shift by the overflow, fail if wider or taller than it.
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
        for (const Group& g : groups) {
            x0 = std::min(x0, g.box.x);
            y0 = std::min(y0, g.box.y);
            x1 = std::max(x1, g.box.x + g.box.w);
            y1 = std::max(y1, g.box.y + g.box.h);
        }
        const PageBox area = m_fit_box;
        if (!groups.empty() && (x1 - x0 > area.w || y1 - y0 > area.h))
            return false;
        double sx = 0, sy = 0;
        if (!groups.empty()) {
            if (x0 < area.x)
                sx = area.x - x0;
            else if (x1 > area.x + area.w)
                sx = area.x + area.w - x1;
            if (y0 < area.y)
                sy = area.y - y0;
            else if (y1 > area.y + area.h)
                sy = area.y + area.h - y1;
        }
        std::size_t k = 0;
        auto shift = [](PageBox& b, double dx, double dy) {
            b.x += dx;
            b.y += dy;
        };
        for (TankShape& t : m_tanks) {
            const PageBox before = t.box.inflated(1.5);
            const Group& g = groups[k++];
            shift(t.box, g.box.x - before.x + sx, g.box.y - before.y + sy);
        }
        for (DispenserShape& d : m_disps) {
            const PageBox before = group_box(d).inflated(1.5);
            const Group& g = groups[k++];
            const double dx = g.box.x - before.x + sx, dy = g.box.y - before.y + sy;
            shift(d.box, dx, dy);
            for (auto* side : {&d.top, &d.bottom})
                for (std::size_t i : *side)
                    shift(m_nozzles[i].box, dx, dy);
        }
        m_displaced = m_surveyed && moved;
        if (sx != 0 || sy != 0) {
            // The outline moves with the symbols.
            const auto to_page = m_to_page;
            m_to_page = [to_page, sx, sy](LocalPoint p) {
                PagePoint q = to_page(p);
                return PagePoint{q.x + sx, q.y + sy};
            };
        }
        return true;
    }

    PageBox group_box(const DispenserShape& d) const {
        double x0 = d.box.x, y0 = d.box.y, x1 = d.box.x + d.box.w, y1 = d.box.y + d.box.h;
        for (auto* side : {&d.top, &d.bottom})
            for (std::size_t i : *side) {
                const PageBox& b = m_nozzles[i].box;
                x0 = std::min(x0, b.x);
                y0 = std::min(y0, b.y);
                x1 = std::max(x1, b.x + b.w);
                y1 = std::max(y1, b.y + b.h);
            }
        return {x0, y0, x1 - x0, y1 - y0};
    }

    void position(bool force_auto) {
        std::optional<GeoPoint> origin = m_site.station.location;
        for (const Tank& t : m_site.tanks)
            if (!origin && t.position)
                origin = t.position;
        bool surveyed = !force_auto && origin.has_value() && !(m_tanks.empty() && m_disps.empty());
        for (const TankShape& t : m_tanks)
            surveyed = surveyed && t.tank->position.has_value();
        for (const DispenserShape& d : m_disps) {
            bool has = d.dispenser && d.dispenser->position;
            for (std::size_t i : d.top)
                has = has || m_nozzles[i].nozzle->position;
            for (std::size_t i : d.bottom)
                has = has || m_nozzles[i].nozzle->position;
            surveyed = surveyed && has;
        }
        m_surveyed = surveyed;
        std::vector<LocalPoint> extent;
        if (surveyed) {
            const LocalFrame frame(*origin);
            for (TankShape& t : m_tanks)
                t.m = frame.to_local(*t.tank->position);
            for (DispenserShape& d : m_disps) {
                if (d.dispenser && d.dispenser->position) {
                    d.m = frame.to_local(*d.dispenser->position);
                    continue;
                }
                double sx = 0, sy = 0;
                int n = 0;
                for (auto* side : {&d.top, &d.bottom})
                    for (std::size_t i : *side)
                        if (m_nozzles[i].nozzle->position) {
                            const LocalPoint p = frame.to_local(*m_nozzles[i].nozzle->position);
                            sx += p.x;
                            sy += p.y;
                            ++n;
                        }
                d.m = {sx / n, sy / n};
            }
            for (const GeoPoint& g : m_site.outline)
                m_outline_m.push_back(frame.to_local(g));
            extent = m_outline_m;
        } else {
            // Tanks in a row to the north; to the south the dispensers island by island, in rows
            // about 185 mm wide at the largest scale (3.4 mm per unit), with lanes for the lines.
            constexpr double unit = 3.4;
            const double tank_pitch = (tank_w + 9.0) / unit;
            for (std::size_t i = 0; i < m_tanks.size(); ++i)
                m_tanks[i].m = {static_cast<double>(i) * tank_pitch, 0.0};
            std::vector<std::string> islands;
            for (const DispenserShape& d : m_disps)
                if (std::find(islands.begin(), islands.end(), d.island) == islands.end())
                    islands.push_back(d.island);
            double widest = 0, used = 0;
            int row = 0;
            for (const std::string& island : islands)
                for (DispenserShape& d : m_disps) {
                    if (d.island != island)
                        continue;
                    const auto side =
                        static_cast<double>(std::max<std::size_t>({d.top.size(), d.bottom.size(), 1}));
                    const double w = side * (m_pill_w + nozzle_gap) + nozzle_gap + 12.0;
                    if (used > 0 && used + w > 185.0) {
                        ++row;
                        used = 0;
                    }
                    d.m = {(used + w / 2) / unit,
                           -(tank_h + 24.0 + row * (dispenser_h + 2 * nozzle_h + 22.0)) / unit};
                    used += w;
                    widest = std::max(widest, used / unit);
                }
            const double tanks_w =
                m_tanks.empty() ? 0.0 : static_cast<double>(m_tanks.size() - 1) * tank_pitch;
            const double shift = (widest - tanks_w) / 2;
            for (TankShape& t : m_tanks)
                t.m.x += shift;
        }
        for (const TankShape& t : m_tanks)
            extent.push_back(t.m);
        for (const DispenserShape& d : m_disps)
            extent.push_back(d.m);

        double minx = 1e300, maxx = -1e300, miny = 1e300, maxy = -1e300;
        for (const LocalPoint& p : extent) {
            minx = std::min(minx, p.x);
            maxx = std::max(maxx, p.x);
            miny = std::min(miny, p.y);
            maxy = std::max(maxy, p.y);
        }
        if (extent.empty())
            minx = maxx = miny = maxy = 0;
        // The largest scale at which every symbol (with room for a label round it) and the
        // outline fit the map area; surveyed plans use a "nice" ratio from the series.
        const double top = m_map.y + 10.0; // room for a note on the layout
        const PageBox fit_box{m_map.x + 2, top, m_map.w - 4, m_map.y + m_map.h - 2 - top};
        m_fit_box = fit_box;
        const double mid_x = (minx + maxx) / 2;
        const double mid_y = (miny + maxy) / 2;
        const double page_cx = fit_box.x + fit_box.w / 2;
        const double page_cy = fit_box.y + fit_box.h / 2;
        auto fits = [&](double mm_per_m) {
            m_to_page = [=](LocalPoint p) {
                return PagePoint{page_cx + (p.x - mid_x) * mm_per_m, page_cy - (p.y - mid_y) * mm_per_m};
            };
            place_symbols();
            auto inside = [&](const PageBox& b) { return fit_box.contains(b); };
            for (const TankShape& t : m_tanks)
                if (!inside(t.box.inflated(5)))
                    return false;
            for (const DispenserShape& d : m_disps)
                if (!inside(group_box(d).inflated(4)))
                    return false;
            for (const LocalPoint& p : m_outline_m) {
                const PagePoint q = m_to_page(p);
                if (!inside({q.x, q.y, 0, 0}))
                    return false;
            }
            return true;
        };
        if (m_surveyed) {
            static constexpr std::array<double, 21> series = {100,  125,  150,  200,  250,  300,  350,
                                                              400,  450,  500,  600,  750,  1000, 1250,
                                                              1500, 2000, 2500, 3000, 4000, 5000, 10000};
            m_denominator = 0;
            for (double d : series)
                if (fits(1000.0 / d)) {
                    m_denominator = d;
                    break;
                }
            if (m_denominator == 0) {
                // A site kilometres wide: the outline alone decides.
                const double span = std::max({maxx - minx, maxy - miny, 1.0});
                m_denominator = nice_denominator(1000.0 * span / std::min(fit_box.w, fit_box.h));
            }
            m_mm_per_m = 1000.0 / m_denominator;
        } else {
            m_mm_per_m = 3.4;
            while (m_mm_per_m > 1.0 && !fits(m_mm_per_m))
                m_mm_per_m *= 0.95;
        }
        fits(m_mm_per_m);
    }

    void place_symbols() {
        for (TankShape& t : m_tanks) {
            const PagePoint c = m_to_page(t.m);
            t.box = {c.x - tank_w / 2, c.y - tank_h / 2, tank_w, tank_h};
        }
        for (DispenserShape& d : m_disps) {
            const PagePoint c = m_to_page(d.m);
            // The nozzles of a side in one row, so that every pill has a free outer edge for its line.
            const std::size_t cols = std::max<std::size_t>({d.top.size(), d.bottom.size(), 1});
            const double pitch = m_pill_w + nozzle_gap;
            const double w = std::max(12.0, static_cast<double>(cols) * pitch + nozzle_gap);
            d.box = {c.x - w / 2, c.y - dispenser_h / 2, w, dispenser_h};
            for (auto* side : {&d.top, &d.bottom}) {
                const double y =
                    side == &d.top ? d.box.y - nozzle_gap - nozzle_h : d.box.y + d.box.h + nozzle_gap;
                const double x0 = c.x - static_cast<double>(side->size()) * pitch / 2 + nozzle_gap / 2;
                for (std::size_t k = 0; k < side->size(); ++k)
                    m_nozzles[(*side)[k]].box = {x0 + static_cast<double>(k) * pitch, y, m_pill_w, nozzle_h};
            }
        }
    }

    void draw_frame() {
        add(make_rect(frame_box, black, white, 0.5, "frame"));
        add(make_line({panel_box.x - 2, frame_box.y}, {panel_box.x - 2, frame_box.y + frame_box.h}, black,
                      0.35, "frame"));
        m_placer.add_obstacle({panel_box.x - 3, frame_box.y, 100, frame_box.h});
    }

    void draw_site() {
        if (!m_outline_m.empty()) {
            DiagramItem o;
            o.kind = ItemKind::polygon;
            for (const LocalPoint& p : m_outline_m)
                o.points.push_back(m_to_page(p));
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
            for (const TankShape& t : m_tanks)
                grow(t.box);
            for (const DispenserShape& d : m_disps)
                grow(d.box.inflated(nozzle_h + nozzle_gap));
            if (x0 < x1) {
                PageBox b{x0 - 9, y0 - 9, x1 - x0 + 18, y1 - y0 + 18};
                b.x = std::max(b.x, m_map.x + 1);
                b.y = std::max(b.y, m_map.y + (m_surveyed ? 1 : 9));
                b.w = std::min(b.w, m_map.x + m_map.w - 1 - b.x);
                b.h = std::min(b.h, m_map.y + m_map.h - 1 - b.y);
                DiagramItem f = make_rect(b, mid_grey, Rgb{250, 250, 250}, 0.3, "site-frame", 3.0);
                f.dash = 1.5;
                add(std::move(f));
            }
        }
        if (!m_surveyed || m_displaced) {
            const std::string note =
                !m_surveyed ? (m_crowded ? m_w.crowded : m_w.auto_layout) : m_w.displaced;
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
        for (const DispenserShape& d : m_disps) {
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
        for (const TankShape& t : m_tanks)
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
        for (std::size_t i = 0; i < m_tanks.size(); ++i)
            tank_index.emplace(m_tanks[i].tank->tank_no, i);
        RoutingProblem problem;
        problem.area = m_map;
        for (const TankShape& t : m_tanks)
            problem.tanks.push_back(t.box);
        for (const DispenserShape& d : m_disps)
            problem.obstacles.push_back(d.box);
        for (const NozzleShape& ns : m_nozzles)
            problem.obstacles.push_back(ns.box);
        if (m_note)
            problem.obstacles.push_back(*m_note);
        struct Leg {
            std::size_t nozzle, leg, tank;
            double distance;
        };
        std::vector<Leg> legs;
        for (std::size_t i = 0; i < m_nozzles.size(); ++i) {
            const Nozzle& n = *m_nozzles[i].nozzle;
            for (std::size_t l = 0; l < n.supply.size(); ++l) {
                auto it = tank_index.find(n.supply[l].tank_no);
                if (it == tank_index.end())
                    throw InputError({.layer = "supplies",
                                      .feature = element_id(m_site.station.station_id, n.nozzle_no),
                                      .field = "tank_no"},
                                     "supply names tank '" + n.supply[l].tank_no +
                                         "' which the station does not have");
                const PagePoint a = centre(m_nozzles[i].box), b = centre(m_tanks[it->second].box);
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
            const NozzleShape& ns = m_nozzles[l.nozzle];
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
            const TankShape& tank = m_tanks[l.tank];
            const Nozzle& n = *m_nozzles[l.nozzle].nozzle;
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
        for (const TankShape& t : m_tanks) {
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
        for (const DispenserShape& d : m_disps) {
            DiagramItem r = make_rect(d.box, black, white, 0.45, "dispenser", 0.8);
            r.data = {{"id", d.number}, {"island", d.island}};
            add(std::move(r));
            const PagePoint m = centre(d.box);
            add(make_text({m.x, m.y + 1.1}, d.number, fit(d.number, 3.0, d.box.w - 1), black,
                          TextAnchor::middle, true, "dispenser-no"));
            m_placer.add_obstacle(d.box);
        }
        for (const NozzleShape& ns : m_nozzles) {
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
                for (const NozzleShape& ns : m_nozzles) {
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
                    for (const TankShape& t : m_tanks) {
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
        if (!m_surveyed) {
            add(make_text({map_box.x + 2, y + 1}, std::string(m_w.scale) + ": " + m_w.not_to_scale, 2.8,
                          black, TextAnchor::start, false, "scale-bar"));
            return;
        }
        const double len_m = nice_length(m_mm_per_m, 50.0);
        const double len = len_m * m_mm_per_m;
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
        DiagramItem ratio = make_text({x0 + len + 12, y + 0.4}, "1:" + fixed(m_denominator, 0), 3.0, black,
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
    std::vector<TankShape> m_tanks;
    std::vector<DispenserShape> m_disps;
    std::vector<NozzleShape> m_nozzles;
    std::vector<LocalPoint> m_outline_m;
    std::vector<BlendLabel> m_blend_labels;
    std::vector<DiagramItem> m_labels;
    bool m_surveyed = false;
    bool m_displaced = false; // symbols moved off their surveyed positions for legibility
    bool m_crowded = false;   // positions recorded but too crowded: automatic layout
    PageBox m_fit_box = map_box;
    PageBox m_map = map_box;       // the map area above the supply table
    std::optional<PageBox> m_note; // the layout note, when there is one
    double m_pill_w = 6.0;
    double m_mm_per_m = 1.0;
    double m_denominator = 0.0;
    std::function<PagePoint(LocalPoint)> m_to_page;
};

} // namespace

DiagramPage layout_station(const Site& site, const GradeTable& grades, const DiagramOptions& options,
                           const DiagramPlanOverlay* overlay) {
    return StationLayout(site, grades, options, overlay).run();
}

} // namespace fuelmap
