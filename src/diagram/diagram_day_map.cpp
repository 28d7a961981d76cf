// SPDX-License-Identifier: MIT
// The day map of one team-day (the first page of each day in a team's route pack): the route from the
// team's base through its stations in visiting order and back, over the county areas.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "diagram/diagram_kit.hpp"
#include "diagram/diagram_map.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace fuelmap {

using namespace detail;

namespace {

constexpr PageBox map_box = map_area_box;
constexpr PageBox panel_box = map_panel_box;
constexpr double stop_r = 3.0;
constexpr double base_half = 2.5;

// A small arrowhead in the middle of a leg, pointing the way the team drives.
DiagramItem leg_arrow(PagePoint a, PagePoint b, Rgb colour) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len = std::hypot(dx, dy);
    const double ux = dx / len, uy = dy / len;
    const PagePoint m{(a.x + b.x) / 2, (a.y + b.y) / 2};
    DiagramItem arrow;
    arrow.kind = ItemKind::polygon;
    arrow.points = {{m.x + ux * 1.8, m.y + uy * 1.8},
                    {m.x - ux * 1.2 - uy * 1.3, m.y - uy * 1.2 + ux * 1.3},
                    {m.x - ux * 1.2 + uy * 1.3, m.y - uy * 1.2 - ux * 1.3}};
    arrow.fill = colour;
    arrow.stroke = white;
    arrow.stroke_width = 0.2;
    arrow.css_class = "route-arrow";
    return arrow;
}

std::string km(std::int64_t metres) {
    return fixed(static_cast<double>(metres) / 1000.0, 1) + " km";
}

// The stops in visiting order down the panel, from @p y to at most @p bottom: number, id, name and
// (when everything fits) address. Returns false when even the short form does not fit.
bool draw_stop_list(DiagramPage& page, const DayMap& day, const TeamStyle& style, double y, double bottom,
                    const char* heading) {
    const double x = panel_box.x;
    const double text_w = panel_box.w - 7;
    for (int detail_level = 2; detail_level >= 0; --detail_level) {
        const double size = detail_level == 0 ? 2.0 : 2.4;
        // Lines of each stop: id, then wrapped name and address.
        std::vector<std::vector<std::pair<std::string, double>>> blocks;
        double h = 5;
        for (const Site* s : day.sites) {
            std::vector<std::pair<std::string, double>> lines{{s->station.station_id, size}};
            for (const std::string& l : wrap_text(s->station.name, size, text_w))
                lines.push_back({l, size});
            if (detail_level == 2)
                for (const std::string& l : wrap_text(s->station.address, size * 0.85, text_w))
                    lines.push_back({l, size * 0.85});
            if (detail_level == 0)
                lines.resize(std::min<std::size_t>(lines.size(), 2));
            for (const auto& l : lines)
                h += l.second * 1.3;
            h += 1.2;
            blocks.push_back(std::move(lines));
        }
        if (y + h > bottom && detail_level > 0)
            continue;
        if (y + h > bottom)
            return false;
        page.items.push_back(
            make_text({x, y + 2.6}, heading, 2.6, dark_grey, TextAnchor::start, true, "stop-list"));
        y += 5;
        for (std::size_t k = 0; k < blocks.size(); ++k) {
            const double top = y;
            DiagramItem dot = make_circle({x + 2.3, top + 1.6}, 2.0, black, style.colour, 0.2, "stop-list");
            dot.data = {{"id", day.sites[k]->station.station_id}, {"order", std::to_string(k + 1)}};
            page.items.push_back(std::move(dot));
            page.items.push_back(make_text({x + 2.3, top + 2.4}, std::to_string(k + 1), 2.2,
                                           text_colour_on(style.colour), TextAnchor::middle, true,
                                           "stop-list"));
            for (std::size_t i = 0; i < blocks[k].size(); ++i) {
                const auto& [text, sz] = blocks[k][i];
                y += sz * 1.3;
                page.items.push_back(make_text({x + 6, y - sz * 0.3}, text, sz, i == 2 ? dark_grey : black,
                                               TextAnchor::start, i == 0, "stop-list"));
            }
            y += 1.2;
        }
        return true;
    }
    return false;
}

} // namespace

DiagramPage layout_day_map(const DayMap& day, const MapBoundaries& boundaries,
                           const DiagramOptions& options) {
    const DiagramWords& w = words(options.language);
    if (day.sites.size() != day.route.stations.size() || day.sites.empty())
        throw InputError({.feature = day.route.team, .field = "routes"},
                         "the day map of " + day.route.team + " on " + day.route.date +
                             " needs the route's stations, in visiting order");
    for (std::size_t i = 0; i < day.sites.size(); ++i) {
        const Site* s = day.sites[i];
        if (!s || s->station.station_id != day.route.stations[i])
            throw InputError({.feature = day.route.stations[i], .field = "routes"},
                             "the day map's stations do not follow the route's visiting order");
        if (!s->station.location)
            throw InputError({.layer = "stations", .feature = s->station.station_id, .field = "geom"},
                             "station has no location to draw on the day map");
    }
    DiagramPage page;
    page.title = day.round + " " + day.route.team + " " + day.route.date;
    const GeoPoint base{static_cast<double>(day.team.base_lon_e6) / 1e6,
                        static_cast<double>(day.team.base_lat_e6) / 1e6};
    std::vector<GeoPoint> geo{base};
    for (const Site* s : day.sites)
        geo.push_back(*s->station.location);
    const MapProjection proj(geo, map_box, 12);
    const TeamStyle style = team_style(day.team_index);

    draw_map_frame(page);
    draw_areas(page, boundaries.areas, proj, false);

    // Base and stops where they are; pushed apart where they would overlap (the base counts as a dot).
    std::vector<PagePoint> true_at;
    for (const GeoPoint& g : geo)
        true_at.push_back(proj.page(g));
    const std::vector<PagePoint> at = spread_dots(true_at, stop_r, map_box, page);

    // The route: base → stops → base, a white casing under the team's colour so that it reads over
    // county lines, an arrowhead on every leg long enough to hold one.
    std::vector<PagePoint> tour = at;
    tour.push_back(at[0]);
    DiagramItem casing;
    casing.kind = ItemKind::polyline;
    casing.points = tour;
    casing.stroke = white;
    casing.stroke_width = 1.6;
    casing.css_class = "route-casing";
    page.items.push_back(std::move(casing));
    DiagramItem line;
    line.kind = ItemKind::polyline;
    line.points = tour;
    line.stroke = style.colour;
    line.stroke_width = 0.8;
    line.dash = style.dash;
    line.css_class = "route";
    line.data = {{"team", day.route.team}, {"date", day.route.date}};
    page.items.push_back(std::move(line));
    for (std::size_t i = 1; i < tour.size(); ++i)
        if (std::hypot(tour[i].x - tour[i - 1].x, tour[i].y - tour[i - 1].y) > 2 * stop_r + 10)
            page.items.push_back(leg_arrow(tour[i - 1], tour[i], style.colour));

    LabelPlacer placer(map_box);
    placer.add_obstacle({panel_box.x - 3, map_frame_box.y, 100, map_frame_box.h});
    placer.add_obstacle({map_box.x, 188, 80, 14}); // the scale bar
    for (const PageBox& b : boxes_along(tour, 1.2))
        placer.add_obstacle(b);
    placer.add_symbol({at[0].x - base_half, at[0].y - base_half, 2 * base_half, 2 * base_half});
    for (std::size_t i = 1; i < at.size(); ++i)
        placer.add_symbol({at[i].x - stop_r, at[i].y - stop_r, 2 * stop_r, 2 * stop_r});

    draw_base(page, at[0], base_half, "base");
    for (std::size_t i = 1; i < at.size(); ++i) {
        const std::string& id = day.sites[i - 1]->station.station_id;
        DiagramItem dot = make_circle(at[i], stop_r, black, style.colour, 0.35, "stop");
        dot.data = {{"id", id}, {"order", std::to_string(i)}};
        page.items.push_back(std::move(dot));
        const std::string n = std::to_string(i);
        DiagramItem num = make_text({at[i].x, at[i].y + 2.8 * 0.36}, n, 2.8, text_colour_on(style.colour),
                                    TextAnchor::middle, true, "stop-no");
        num.data = {{"for", id}};
        page.items.push_back(std::move(num));
    }
    std::vector<DiagramItem> labels;
    for (std::size_t i = 1; i < at.size(); ++i) {
        const Station& st = day.sites[i - 1]->station;
        LabelPlacer::Request rq;
        rq.anchor = {at[i].x - stop_r, at[i].y - stop_r, 2 * stop_r, 2 * stop_r};
        rq.text = st.name.empty() ? st.station_id : st.name;
        rq.size = 2.6;
        rq.preferred = 1;
        rq.colour = black;
        rq.border = mid_grey;
        rq.round_anchor = true;
        rq.leaders_clear = true;
        rq.data = {{"for", st.station_id}};
        if (!placer.place(rq, labels))
            ++page.unplaced_labels;
    }
    for (DiagramItem& l : labels)
        page.items.push_back(std::move(l));

    std::vector<std::pair<std::string, std::string>> rows = {
        {w.day_map, day.route.team + "  " + day.route.date},
        {w.round, day.round},
        {w.team, join(day.team.members, ", ")},
        {w.day, std::to_string(day.day) + "/" + std::to_string(day.days)},
        {std::string(w.distance) + " (" + w.distance_note + ")",
         km(day.route.distance_m) + " = " + km(day.route.straight_m) + " × 1.3"}};
    const double title_top = draw_map_furniture(page, proj.mm_per_m(), w.north, options, std::move(rows));

    // Legend: route, stop, base, county areas.
    double y = panel_box.y + 4;
    const double x = panel_box.x;
    page.items.push_back(make_text({x, y}, w.legend, 3.6, black, TextAnchor::start, true, "legend"));
    y += 4;
    DiagramItem rl = make_line({x, y + 1.7}, {x + 5, y + 1.7}, style.colour, 0.8, "legend");
    rl.dash = style.dash;
    page.items.push_back(std::move(rl));
    page.items.push_back(
        make_text({x + 7, y + 2.6}, w.route_line, 2.4, black, TextAnchor::start, false, "legend"));
    y += 4;
    draw_base(page, {x + 2.5, y + 2}, 2.0, "legend");
    for (const std::string& l : wrap_text(w.base, 2.4, panel_box.w - 24)) {
        page.items.push_back(make_text({x + 7, y + 2.8}, l, 2.4, black, TextAnchor::start, false, "legend"));
        y += 3.2;
    }
    y += 1;
    if (boundaries.source != BoundarySource::none) {
        page.items.push_back(make_rect({x, y, 5, 3.4}, mid_grey, Rgb{242, 242, 238}, 0.35, "legend"));
        page.items.push_back(
            make_text({x + 7, y + 2.8},
                      boundaries.source == BoundarySource::layer ? w.county_boundary : w.synthetic_county,
                      2.4, black, TextAnchor::start, false, "legend"));
        y += 5;
    }
    y += 1;
    if (!draw_stop_list(page, day, style, std::max(y, panel_box.y + 20), title_top - 1, w.stop_list))
        throw InputError({.feature = day.route.team, .field = "routes"},
                         "the route of " + day.route.team + " on " + day.route.date +
                             " has too many stops (" + std::to_string(day.sites.size()) +
                             ") to list on its day map");
    return page;
}

} // namespace fuelmap
