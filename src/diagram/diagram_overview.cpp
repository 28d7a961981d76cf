// SPDX-License-Identifier: MIT
// The overview map of a round: every selected station over the county boundaries (a given layer,
// the synthetic county boxes, or the convex hull of each county's stations), numbered in route
// order, coloured by stratum or, with routes, each route in its team's style.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "diagram/diagram_kit.hpp"
#include "diagram/diagram_map.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace fuelmap {

using namespace detail;

namespace {

constexpr PageBox map_box = map_area_box;
constexpr PageBox panel_box = map_panel_box;
constexpr double stop_r = 2.6;

// Distinct colours for strata, in order of the sorted stratum keys (cycled beyond twelve).
constexpr std::array<Rgb, 12> stratum_colours = {{{31, 119, 180},
                                                  {255, 127, 14},
                                                  {44, 160, 44},
                                                  {214, 39, 40},
                                                  {148, 103, 189},
                                                  {140, 86, 75},
                                                  {227, 119, 194},
                                                  {127, 127, 127},
                                                  {188, 189, 34},
                                                  {23, 190, 207},
                                                  {0, 0, 128},
                                                  {128, 64, 0}}};

double cross(LocalPoint o, LocalPoint a, LocalPoint b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// Andrew's monotone chain; points sorted by (x, y) so the result is deterministic.
std::vector<LocalPoint> convex_hull(std::vector<LocalPoint> p) {
    std::sort(p.begin(), p.end(),
              [](LocalPoint a, LocalPoint b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    p.erase(std::unique(p.begin(), p.end()), p.end());
    if (p.size() < 3)
        return p;
    std::vector<LocalPoint> h(2 * p.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            --k;
        h[k++] = p[i];
    }
    for (std::size_t i = p.size() - 1, t = k + 1; i > 0; --i) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i - 1]) <= 0)
            --k;
        h[k++] = p[i - 1];
    }
    h.resize(k - 1);
    return h;
}

// The convex hull of each county's stations (a box 1 km round one or two stations), in WGS84.
std::vector<DiagramRegion> county_hulls(std::span<const OverviewStop> stops, const LocalFrame& frame) {
    std::map<std::string, std::vector<LocalPoint>> by_county;
    for (const OverviewStop& s : stops)
        by_county[s.site->station.county].push_back(frame.to_local(*s.site->station.location));
    std::vector<DiagramRegion> hulls;
    for (auto& [county, p] : by_county) {
        std::vector<LocalPoint> hull = convex_hull(p);
        if (hull.size() < 3) {
            double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
            for (const LocalPoint& q : p) {
                x0 = std::min(x0, q.x);
                x1 = std::max(x1, q.x);
                y0 = std::min(y0, q.y);
                y1 = std::max(y1, q.y);
            }
            hull = {{x0 - 1000, y0 - 1000},
                    {x1 + 1000, y0 - 1000},
                    {x1 + 1000, y1 + 1000},
                    {x0 - 1000, y1 + 1000}};
        }
        DiagramRegion r{county.empty() ? "?" : county, {{}}};
        for (const LocalPoint& q : hull)
            r.rings[0].push_back(frame.to_wgs84(q));
        hulls.push_back(std::move(r));
    }
    return hulls;
}

// Legend rows of the teams: "T01  A, B" in one column when they fit, else names only in columns.
double draw_team_legend(DiagramPage& page, std::span<const MapRoute> routes, double x, double y,
                        double bottom) {
    std::map<std::size_t, const MapRoute*> teams; // by team index
    for (const MapRoute& r : routes)
        teams.emplace(r.team_index, &r);
    const double row = 4.0;
    const double width = panel_box.w;
    const bool with_members = static_cast<double>(teams.size()) * row <= bottom - y;
    const int columns = with_members ? 1 : 3;
    const double col_w = width / columns;
    const auto rows_fit = static_cast<std::size_t>(std::max(1.0, std::floor((bottom - y) / row)));
    const std::size_t capacity = rows_fit * static_cast<std::size_t>(columns);
    std::size_t k = 0;
    for (const auto& [index, r] : teams) {
        if (k + 1 == capacity && teams.size() > capacity) {
            page.items.push_back(make_text({x + (k / rows_fit) * col_w, y + (k % rows_fit) * row + 2.6},
                                           "+" + std::to_string(teams.size() - k), 2.4, black,
                                           TextAnchor::start, false, "legend"));
            break;
        }
        const double cx = x + static_cast<double>(k / rows_fit) * col_w;
        const double cy = y + static_cast<double>(k % rows_fit) * row;
        const TeamStyle style = team_style(index);
        DiagramItem line = make_line({cx, cy + 1.8}, {cx + 6, cy + 1.8}, style.colour, 0.8, "legend-team");
        line.dash = style.dash;
        line.data = {{"team", r->team}};
        page.items.push_back(std::move(line));
        std::string text = r->team;
        if (with_members) {
            text += "  " + join(r->members, ", ");
            const std::vector<std::string> lines = wrap_text(text, 2.4, col_w - 8);
            if (lines.size() > 1)
                text = lines[0];
        }
        page.items.push_back(
            make_text({cx + 7.5, cy + 2.6}, text, 2.4, black, TextAnchor::start, false, "legend"));
        ++k;
    }
    const std::size_t used = std::min(k + 1, capacity);
    return y + static_cast<double>(std::min(used, rows_fit)) * row;
}

} // namespace

DiagramPage layout_overview(std::span<const OverviewStop> stops, std::span<const DiagramRegion> regions,
                            const std::string& title, const DiagramOptions& options) {
    MapBoundaries b;
    b.areas.assign(regions.begin(), regions.end());
    b.source = regions.empty() ? BoundarySource::none : BoundarySource::layer;
    return layout_overview(stops, b, {}, title, options);
}

DiagramPage layout_overview(std::span<const OverviewStop> stops, const MapBoundaries& boundaries,
                            std::span<const MapRoute> routes, const std::string& title,
                            const DiagramOptions& options) {
    const DiagramWords& w = words(options.language);
    DiagramPage page;
    page.title = title;
    if (stops.empty())
        throw InputError({}, "the overview has no station to draw");
    for (const OverviewStop& s : stops)
        if (!s.site || !s.site->station.location)
            throw InputError(
                {.layer = "stations", .feature = s.site ? s.site->station.station_id : "", .field = "geom"},
                "station has no location to draw on the overview");
    for (const MapRoute& r : routes)
        for (std::size_t i : r.stops)
            if (i >= stops.size())
                throw InputError({.feature = r.team, .field = "routes"},
                                 "a route names a stop that is not drawn");

    // The map fits the stations, the bases and (for hulls, which hold them) the hull margins.
    std::vector<GeoPoint> geo;
    for (const OverviewStop& s : stops)
        geo.push_back(*s.site->station.location);
    for (const MapRoute& r : routes)
        geo.push_back(r.base);
    const LocalFrame frame = MapProjection::frame_for(geo);
    const bool hulls = boundaries.areas.empty();
    const std::vector<DiagramRegion> areas = hulls ? county_hulls(stops, frame) : boundaries.areas;
    std::vector<LocalPoint> extra;
    if (hulls)
        for (const DiagramRegion& a : areas)
            for (const GeoPoint& g : a.rings[0])
                extra.push_back(frame.to_local(g));
    const MapProjection proj(geo, map_box, 8, extra);

    draw_map_frame(page);
    draw_areas(page, areas, proj, hulls);

    // Colours: by stratum without routes, by team with them (stops of no route in grey).
    std::map<std::string, Rgb> stratum_colour;
    for (const OverviewStop& s : stops)
        stratum_colour.emplace(s.stratum, Rgb{});
    std::size_t k = 0;
    for (auto& [stratum, c] : stratum_colour)
        c = stratum_colours[k++ % stratum_colours.size()];
    std::vector<Rgb> dot_colour(stops.size());
    for (std::size_t i = 0; i < stops.size(); ++i)
        dot_colour[i] = routes.empty() ? stratum_colour[stops[i].stratum] : light_grey;
    for (const MapRoute& r : routes)
        for (std::size_t i : r.stops)
            dot_colour[i] = team_style(r.team_index).colour;

    // Stops, then each distinct base, pushed apart together where they would overlap.
    std::vector<PagePoint> true_at;
    for (const OverviewStop& s : stops)
        true_at.push_back(proj.page(*s.site->station.location));
    std::map<std::pair<double, double>, std::size_t> base_at; // base → index in true_at
    for (const MapRoute& r : routes)
        if (base_at.emplace(std::pair{r.base.lon, r.base.lat}, true_at.size()).second)
            true_at.push_back(proj.page(r.base));
    const std::vector<PagePoint> at = spread_dots(true_at, stop_r, map_box, page);
    auto base_of = [&](const MapRoute& r) { return at[base_at.at({r.base.lon, r.base.lat})]; };

    // Route lines: from the base through the stops and back, in the team's style; without routes (a
    // plan of format 1), a dashed grey line through the consecutive stops of each team.
    std::vector<std::vector<PagePoint>> lines;
    for (const MapRoute& r : routes) {
        DiagramItem route;
        route.kind = ItemKind::polyline;
        route.points.push_back(base_of(r));
        for (std::size_t i : r.stops)
            route.points.push_back(at[i]);
        route.points.push_back(base_of(r));
        const TeamStyle style = team_style(r.team_index);
        route.stroke = style.colour;
        route.stroke_width = 0.45;
        route.dash = style.dash;
        route.css_class = "route";
        route.data = {{"team", r.team}};
        lines.push_back(route.points);
        page.items.push_back(std::move(route));
    }
    if (routes.empty()) {
        std::map<std::string, std::vector<std::size_t>> by_team;
        for (std::size_t i = 0; i < stops.size(); ++i)
            if (!stops[i].team.empty())
                by_team[stops[i].team].push_back(i);
        for (const auto& [team, idx] : by_team) {
            if (idx.size() < 2)
                continue;
            DiagramItem route;
            route.kind = ItemKind::polyline;
            for (std::size_t i : idx)
                route.points.push_back(at[i]);
            route.stroke = Rgb{110, 110, 110};
            route.stroke_width = 0.3;
            route.dash = 0.8;
            route.css_class = "route";
            route.data = {{"team", team}};
            lines.push_back(route.points);
            page.items.push_back(std::move(route));
        }
    }

    LabelPlacer placer(map_box);
    placer.add_obstacle({panel_box.x - 3, map_frame_box.y, 100, map_frame_box.h});
    for (const PagePoint& p : at)
        placer.add_symbol({p.x - stop_r, p.y - stop_r, 2 * stop_r, 2 * stop_r});
    // Bases: a square each, over the lines.
    for (const auto& [where, i] : base_at) {
        draw_base(page, at[i], 2.2, "base");
    }
    for (std::size_t i = 0; i < stops.size(); ++i) {
        DiagramItem dot = make_circle(at[i], stop_r, black, dot_colour[i], 0.3, "stop");
        dot.data = {{"id", stops[i].site->station.station_id},
                    {"order", std::to_string(i + 1)},
                    {"stratum", stops[i].stratum}};
        if (!stops[i].team.empty())
            dot.data.push_back({"team", stops[i].team});
        page.items.push_back(std::move(dot));
        const std::string n = std::to_string(i + 1);
        const double size = std::min(2.4, 2 * stop_r * 0.85 / text_width_em(n));
        DiagramItem num = make_text({at[i].x, at[i].y + size * 0.36}, n, size, text_colour_on(dot_colour[i]),
                                    TextAnchor::middle, true, "stop-no");
        num.data = {{"for", stops[i].site->station.station_id}};
        page.items.push_back(std::move(num));
    }
    // Station ids as labels when there is room for them (a national round is too many), kept off the
    // route lines where they can be.
    std::vector<DiagramItem> labels;
    if (stops.size() <= 120) {
        for (const std::vector<PagePoint>& l : lines)
            for (const PageBox& b : boxes_along(l, 1.0))
                placer.add_obstacle(b);
        for (std::size_t i = 0; i < stops.size(); ++i) {
            LabelPlacer::Request rq;
            rq.anchor = {at[i].x - stop_r, at[i].y - stop_r, 2 * stop_r, 2 * stop_r};
            rq.text = stops[i].site->station.station_id;
            rq.size = 2.0;
            rq.preferred = 1;
            rq.colour = dark_grey;
            rq.border = white;
            rq.round_anchor = true;
            rq.leaders_clear = true;
            rq.data = {{"for", stops[i].site->station.station_id}};
            if (!placer.place(rq, labels))
                ++page.unplaced_labels;
        }
    }
    for (DiagramItem& l : labels)
        page.items.push_back(std::move(l));

    // Title block first (bottom of the panel), so that the legend knows where to stop.
    std::vector<std::pair<std::string, std::string>> rows = {{w.overview, title},
                                                             {w.stations, std::to_string(stops.size())}};
    if (!routes.empty())
        rows.push_back({w.routes, std::to_string(routes.size())});
    const double title_top = draw_map_furniture(page, proj.mm_per_m(), w.north, options, std::move(rows));

    // Legend: strata or teams, symbols, where the county areas come from.
    double y = panel_box.y + 4;
    const double x = panel_box.x;
    page.items.push_back(make_text({x, y}, w.legend, 3.6, black, TextAnchor::start, true, "legend"));
    y += 5;
    const double symbols_h = 5 + 5 + 5 + (routes.empty() ? 0 : 5) + 5;
    if (routes.empty()) {
        page.items.push_back(make_text({x, y}, w.stratum, 2.6, dark_grey, TextAnchor::start, true, "legend"));
        y += 1.5;
        std::size_t shown = 0;
        for (const auto& [stratum, c] : stratum_colour) {
            if (shown++ == 18) {
                page.items.push_back(make_text({x + 7, y + 2.6},
                                               "+" + std::to_string(stratum_colour.size() - 18), 2.4, black,
                                               TextAnchor::start, false, "legend"));
                y += 4;
                break;
            }
            page.items.push_back(make_circle({x + 2.5, y + 1.8}, 1.8, black, c, 0.25, "legend-stratum"));
            page.items.push_back(make_text({x + 7, y + 2.6}, stratum.empty() ? "-" : stratum, 2.4, black,
                                           TextAnchor::start, false, "legend"));
            y += 4;
        }
    } else {
        page.items.push_back(make_text({x, y}, w.teams, 2.6, dark_grey, TextAnchor::start, true, "legend"));
        y += 1.5;
        y = draw_team_legend(page, routes, x, y, title_top - symbols_h - 6);
    }
    y += 2;
    DiagramItem reg = make_rect({x, y, 5, 3.4}, mid_grey, Rgb{242, 242, 238}, 0.35, "legend");
    reg.dash = hulls ? 1.2 : 0.0;
    page.items.push_back(std::move(reg));
    const char* area_word = boundaries.source == BoundarySource::layer       ? w.county_boundary
                            : boundaries.source == BoundarySource::synthetic ? w.synthetic_county
                                                                             : w.county_hull;
    for (const std::string& line : wrap_text(area_word, 2.4, panel_box.w - 8)) {
        page.items.push_back(
            make_text({x + 7, y + 2.8}, line, 2.4, black, TextAnchor::start, false, "legend"));
        y += 3.2;
    }
    y += 1.8;
    if (!routes.empty()) {
        draw_base(page, {x + 2.5, y + 2}, 2.0, "legend");
        for (const std::string& line : wrap_text(w.base, 2.4, panel_box.w - 24)) {
            page.items.push_back(
                make_text({x + 7, y + 2.8}, line, 2.4, black, TextAnchor::start, false, "legend"));
            y += 3.2;
        }
    } else {
        DiagramItem rl = make_line({x, y + 1.7}, {x + 5, y + 1.7}, Rgb{110, 110, 110}, 0.3, "legend");
        rl.dash = 0.8;
        page.items.push_back(std::move(rl));
        page.items.push_back(
            make_text({x + 7, y + 2.8}, w.route_order, 2.4, black, TextAnchor::start, false, "legend"));
    }
    return page;
}

} // namespace fuelmap
