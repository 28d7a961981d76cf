// SPDX-License-Identifier: MIT
#include "diagram/diagram_placement.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

namespace fuelmap::detail {

namespace {

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

class StationPlacer {
public:
    StationPlacer(const Site& site, PageBox map) : m_site(site), m_map(map) {}

    Placement run() {
        collect();
        position();
        return {std::move(m_tanks),
                std::move(m_disps),
                std::move(m_nozzles),
                std::move(m_outline_m),
                m_surveyed,
                m_displaced,
                m_crowded,
                m_mm_per_m,
                m_denominator,
                std::move(m_to_page)};
    }

private:
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

    const Site& m_site;
    PageBox m_map;
    std::vector<TankShape> m_tanks;
    std::vector<DispenserShape> m_disps;
    std::vector<NozzleShape> m_nozzles;
    std::vector<LocalPoint> m_outline_m;
    bool m_surveyed = false;
    bool m_displaced = false; // symbols moved off their surveyed positions for legibility
    bool m_crowded = false;   // positions recorded but too crowded: automatic layout
    PageBox m_fit_box = map_box;
    double m_pill_w = 6.0;
    double m_mm_per_m = 1.0;
    double m_denominator = 0.0;
    std::function<PagePoint(LocalPoint)> m_to_page;
};

} // namespace

Placement place_station(const Site& site, PageBox map) {
    return StationPlacer(site, map).run();
}

} // namespace fuelmap::detail
