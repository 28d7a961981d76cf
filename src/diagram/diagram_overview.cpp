// SPDX-License-Identifier: MIT
// The overview map of a round: every selected station over its region boundaries (a given layer,
// or the convex hull of each county's stations), coloured by stratum, numbered in route order.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "diagram/diagram_kit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace fuelmap {

using namespace detail;

namespace {

constexpr PageBox frame_box{8, 8, 281, 194};
constexpr PageBox map_box{10, 10, 199, 178};
constexpr PageBox panel_box{213, 10, 74, 190};
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

} // namespace

DiagramPage layout_overview(std::span<const OverviewStop> stops, std::span<const DiagramRegion> regions,
                            const std::string& title, const DiagramOptions& options) {
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

    // Frame centred on the stations' bounding box.
    double lon0 = 1e300, lon1 = -1e300, lat0 = 1e300, lat1 = -1e300;
    for (const OverviewStop& s : stops) {
        lon0 = std::min(lon0, s.site->station.location->lon);
        lon1 = std::max(lon1, s.site->station.location->lon);
        lat0 = std::min(lat0, s.site->station.location->lat);
        lat1 = std::max(lat1, s.site->station.location->lat);
    }
    const LocalFrame frame(GeoPoint{(lon0 + lon1) / 2, (lat0 + lat1) / 2});
    std::vector<LocalPoint> pts;
    for (const OverviewStop& s : stops)
        pts.push_back(frame.to_local(*s.site->station.location));

    // Areas: the given regions that hold a station, else the hull of each county's stations.
    struct Area {
        std::string name;
        std::vector<std::vector<LocalPoint>> rings;
    };
    std::vector<Area> areas;
    if (!regions.empty()) {
        for (const DiagramRegion& r : regions) {
            Area a{r.name, {}};
            for (const auto& ring : r.rings) {
                std::vector<LocalPoint> lr;
                for (const GeoPoint& g : ring)
                    lr.push_back(frame.to_local(g));
                a.rings.push_back(std::move(lr));
            }
            areas.push_back(std::move(a));
        }
    } else {
        std::map<std::string, std::vector<LocalPoint>> by_county;
        for (std::size_t i = 0; i < stops.size(); ++i)
            by_county[stops[i].site->station.county].push_back(pts[i]);
        for (auto& [county, p] : by_county) {
            std::vector<LocalPoint> hull = convex_hull(p);
            if (hull.size() < 3) {
                // One or two stations: a box round them, 1 km of margin.
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
            areas.push_back({county.empty() ? "?" : county, {std::move(hull)}});
        }
    }

    // Fit the stations (and the hulls, which hold them) into the map area.
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    auto grow = [&](LocalPoint p) {
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    };
    for (const LocalPoint& p : pts)
        grow(p);
    if (regions.empty())
        for (const Area& a : areas)
            for (const auto& ring : a.rings)
                for (const LocalPoint& p : ring)
                    grow(p);
    const PageBox fit{map_box.x + 8, map_box.y + 8, map_box.w - 16, map_box.h - 16};
    const double span_x = std::max(x1 - x0, 100.0);
    const double span_y = std::max(y1 - y0, 100.0);
    const double mm_per_m = std::min(fit.w / span_x, fit.h / span_y);
    const double mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    auto to_page = [&](LocalPoint p) {
        return PagePoint{fit.x + fit.w / 2 + (p.x - mx) * mm_per_m,
                         fit.y + fit.h / 2 - (p.y - my) * mm_per_m};
    };

    page.items.push_back(make_rect(frame_box, black, white, 0.5, "frame"));
    page.items.push_back(make_line({panel_box.x - 2, frame_box.y},
                                   {panel_box.x - 2, frame_box.y + frame_box.h}, black, 0.35, "frame"));

    // Region polygons, clipped by dropping those entirely off the map.
    for (const Area& a : areas)
        for (const auto& ring : a.rings) {
            DiagramItem poly;
            poly.kind = ItemKind::polygon;
            bool on_map = false;
            for (const LocalPoint& p : ring) {
                PagePoint q = to_page(p);
                q.x = std::clamp(q.x, map_box.x, map_box.x + map_box.w);
                q.y = std::clamp(q.y, map_box.y, map_box.y + map_box.h);
                on_map = on_map || (q.x > map_box.x && q.x < map_box.x + map_box.w && q.y > map_box.y &&
                                    q.y < map_box.y + map_box.h);
                poly.points.push_back(q);
            }
            if (!on_map || poly.points.size() < 3)
                continue;
            poly.stroke = mid_grey;
            poly.fill = Rgb{242, 242, 238};
            poly.stroke_width = 0.35;
            poly.dash = regions.empty() ? 1.2 : 0.0;
            poly.css_class = "region";
            poly.data = {{"name", a.name}};
            page.items.push_back(std::move(poly));
        }

    // Strata colours.
    std::map<std::string, Rgb> colour;
    for (const OverviewStop& s : stops)
        colour.emplace(s.stratum, Rgb{});
    std::size_t k = 0;
    for (auto& [stratum, c] : colour)
        c = stratum_colours[k++ % stratum_colours.size()];

    // Route lines: consecutive stops of one team.
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
            route.points.push_back(to_page(pts[i]));
        route.stroke = Rgb{110, 110, 110};
        route.stroke_width = 0.3;
        route.dash = 0.8;
        route.css_class = "route";
        route.data = {{"team", team}};
        page.items.push_back(std::move(route));
    }

    LabelPlacer placer(map_box);
    placer.add_obstacle({panel_box.x - 3, frame_box.y, 100, frame_box.h});
    std::vector<PagePoint> at, true_at;
    for (const LocalPoint& p : pts)
        true_at.push_back(to_page(p));
    at = true_at;
    // Stations closer than a dot's width: push the dots apart (pairwise, half the overlap each,
    // along the line between them; ties by index) and tie each moved dot to its true place.
    const double min_d = 2 * stop_r + 0.5;
    for (int iter = 0; iter < 300; ++iter) {
        bool any = false;
        for (std::size_t i = 0; i < at.size(); ++i)
            for (std::size_t j = i + 1; j < at.size(); ++j) {
                double dx = at[j].x - at[i].x, dy = at[j].y - at[i].y;
                double d = std::hypot(dx, dy);
                if (d >= min_d)
                    continue;
                any = true;
                if (d < 1e-6) {
                    dx = 1.0; // coincident: apart along x, lower index to the left
                    dy = 0.0;
                    d = 1.0;
                }
                const double push = (min_d - d) / 2 + 0.01;
                at[i].x -= dx / d * push;
                at[i].y -= dy / d * push;
                at[j].x += dx / d * push;
                at[j].y += dy / d * push;
            }
        if (!any)
            break;
    }
    for (std::size_t i = 0; i < at.size(); ++i) {
        at[i].x = std::clamp(at[i].x, map_box.x + stop_r, map_box.x + map_box.w - stop_r);
        at[i].y = std::clamp(at[i].y, map_box.y + stop_r, map_box.y + map_box.h - stop_r);
        if (std::hypot(at[i].x - true_at[i].x, at[i].y - true_at[i].y) > 0.8) {
            page.items.push_back(make_line(true_at[i], at[i], dark_grey, 0.2, "stop-leader"));
            page.items.push_back(make_circle(true_at[i], 0.45, std::nullopt, black, 0.0, "stop-position"));
        }
        placer.add_obstacle({at[i].x - stop_r, at[i].y - stop_r, 2 * stop_r, 2 * stop_r});
    }
    for (std::size_t i = 0; i < stops.size(); ++i) {
        const Rgb c = colour[stops[i].stratum];
        DiagramItem dot = make_circle(at[i], stop_r, black, c, 0.3, "stop");
        dot.data = {{"id", stops[i].site->station.station_id},
                    {"order", std::to_string(i + 1)},
                    {"stratum", stops[i].stratum}};
        page.items.push_back(std::move(dot));
        const std::string n = std::to_string(i + 1);
        const double size = std::min(2.4, 2 * stop_r * 0.85 / text_width_em(n));
        DiagramItem num =
            make_text({at[i].x, at[i].y + size * 0.36}, n, size, white, TextAnchor::middle, true, "stop-no");
        num.data = {{"for", stops[i].site->station.station_id}};
        page.items.push_back(std::move(num));
    }
    // Station ids as labels when there is room for them (a national round is too many).
    std::vector<DiagramItem> labels;
    if (stops.size() <= 120)
        for (std::size_t i = 0; i < stops.size(); ++i) {
            LabelPlacer::Request rq;
            rq.anchor = {at[i].x - stop_r, at[i].y - stop_r, 2 * stop_r, 2 * stop_r};
            rq.text = stops[i].site->station.station_id;
            rq.size = 2.0;
            rq.preferred = 1;
            rq.colour = dark_grey;
            rq.border = white;
            rq.round_anchor = true;
            rq.data = {{"for", stops[i].site->station.station_id}};
            if (!placer.place(rq, labels))
                ++page.unplaced_labels;
        }
    for (DiagramItem& l : labels)
        page.items.push_back(std::move(l));

    // Scale bar in kilometres or metres.
    {
        double len_m = 1;
        for (double d = 1; d < 1e8; d *= 10)
            for (double s : {1.0, 2.0, 5.0})
                if (s * d * mm_per_m <= 45)
                    len_m = s * d;
        const double len = len_m * mm_per_m;
        const double x = map_box.x + 2, y = 196;
        for (int i = 0; i < 4; ++i)
            page.items.push_back(make_rect({x + len * i / 4, y - 1.2, len / 4, 1.6}, black,
                                           i % 2 ? white : black, 0.2, "scale-bar"));
        const std::string unit =
            len_m >= 1000 ? fixed(len_m / 1000, len_m >= 10000 ? 0 : 1) + " km" : fixed(len_m, 0) + " m";
        page.items.push_back(
            make_text({x, y - 2.2}, "0", 2.4, black, TextAnchor::middle, false, "scale-bar"));
        page.items.push_back(
            make_text({x + len, y - 2.2}, unit, 2.4, black, TextAnchor::start, false, "scale-bar"));
    }
    // North arrow.
    {
        const double cx = panel_box.x + panel_box.w - 10, y = panel_box.y;
        DiagramItem arrow;
        arrow.kind = ItemKind::polygon;
        arrow.points = {{cx, y + 4}, {cx + 4, y + 17}, {cx, y + 14}, {cx - 4, y + 17}};
        arrow.stroke = black;
        arrow.fill = black;
        arrow.css_class = "north-arrow";
        page.items.push_back(std::move(arrow));
        page.items.push_back(
            make_text({cx, y + 3}, w.north, 3.4, black, TextAnchor::middle, true, "north-arrow"));
    }
    // Legend: strata, symbols.
    double y = panel_box.y + 4;
    const double x = panel_box.x;
    page.items.push_back(make_text({x, y}, w.legend, 3.6, black, TextAnchor::start, true, "legend"));
    y += 5;
    page.items.push_back(make_text({x, y}, w.stratum, 2.6, dark_grey, TextAnchor::start, true, "legend"));
    y += 1.5;
    std::size_t shown = 0;
    for (const auto& [stratum, c] : colour) {
        if (shown++ == 18) {
            page.items.push_back(make_text({x + 7, y + 2.6}, "+" + std::to_string(colour.size() - 18), 2.4,
                                           black, TextAnchor::start, false, "legend"));
            y += 4;
            break;
        }
        page.items.push_back(make_circle({x + 2.5, y + 1.8}, 1.8, black, c, 0.25, "legend-stratum"));
        page.items.push_back(make_text({x + 7, y + 2.6}, stratum.empty() ? "-" : stratum, 2.4, black,
                                       TextAnchor::start, false, "legend"));
        y += 4;
    }
    y += 2;
    DiagramItem reg = make_rect({x, y, 5, 3.4}, mid_grey, Rgb{242, 242, 238}, 0.35, "legend");
    reg.dash = regions.empty() ? 1.2 : 0.0;
    page.items.push_back(std::move(reg));
    page.items.push_back(make_text({x + 7, y + 2.8}, regions.empty() ? w.county_hull : w.region, 2.4, black,
                                   TextAnchor::start, false, "legend"));
    y += 5;
    DiagramItem rl = make_line({x, y + 1.7}, {x + 5, y + 1.7}, Rgb{110, 110, 110}, 0.3, "legend");
    rl.dash = 0.8;
    page.items.push_back(std::move(rl));
    page.items.push_back(
        make_text({x + 7, y + 2.8}, w.route_order, 2.4, black, TextAnchor::start, false, "legend"));

    // Title block.
    std::vector<std::pair<std::string, std::string>> rows = {{w.overview, title},
                                                             {w.stations, std::to_string(stops.size())}};
    if (!options.registry_digest.empty())
        rows.push_back(
            {options.digest_caption.empty() ? "SHA-256" : options.digest_caption, options.registry_digest});
    if (!options.date.empty())
        rows.push_back({w.date_printed, options.date});
    double h = 1;
    std::vector<std::vector<std::string>> wrapped;
    for (const auto& [caption, value] : rows) {
        const double size = caption == w.overview ? 3.4 : (value.size() > 40 ? 2.0 : 2.8);
        wrapped.push_back(wrap_text(value, size, panel_box.w - 3));
        h += 4.2 + static_cast<double>(wrapped.back().size()) * size * 1.25;
    }
    const double bottom = panel_box.y + panel_box.h;
    double ty = bottom - h;
    page.items.push_back(
        make_rect({panel_box.x - 1, ty, panel_box.w + 1, h}, black, std::nullopt, 0.4, "title-block"));
    ty += 1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& [caption, value] = rows[i];
        const double size = caption == w.overview ? 3.4 : (value.size() > 40 ? 2.0 : 2.8);
        page.items.push_back(make_text({panel_box.x + 0.5, ty + 2.2}, caption, 1.9, mid_grey,
                                       TextAnchor::start, false, "title-caption"));
        ty += 3.0;
        for (const std::string& line : wrapped[i]) {
            ty += size * 1.25;
            page.items.push_back(make_text({panel_box.x + 0.5, ty - size * 0.3}, line, size, black,
                                           TextAnchor::start, i == 0, "title-value"));
        }
        ty += 1.2;
    }
    return page;
}

} // namespace fuelmap
