// SPDX-License-Identifier: MIT
// The published page's map: the selected stations and each team-day route (base, stations in
// visiting order, back to base), drawn as inline SVG in an equirectangular projection. Display
// only: nothing here decides anything, so plain doubles are fine.
#include "publish/site_page.hpp"

#include <fuelmap/diagram.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fuelmap::detail {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

} // namespace

std::string site_map_svg(const SiteContent& c) {
    struct Point {
        double lon, lat;
    };
    std::vector<Point> all;
    for (const auto& [id, s] : c.stations)
        if (s.lon && s.lat)
            all.push_back({*s.lon, *s.lat});
    for (const Team& t : c.plan.teams)
        all.push_back({static_cast<double>(t.base_lon_e6) / 1e6, static_cast<double>(t.base_lat_e6) / 1e6});
    if (all.empty())
        return "";
    double lon0 = all.front().lon, lon1 = lon0, lat0 = all.front().lat, lat1 = lat0;
    for (const Point& p : all) {
        lon0 = std::min(lon0, p.lon);
        lon1 = std::max(lon1, p.lon);
        lat0 = std::min(lat0, p.lat);
        lat1 = std::max(lat1, p.lat);
    }
    const double k = std::cos((lat0 + lat1) / 2 * 3.14159265358979 / 180);
    const double w_deg = std::max((lon1 - lon0) * k, 0.01), h_deg = std::max(lat1 - lat0, 0.01);
    const double width = 900, margin = 30, label_room = 90;
    const double scale = (width - 2 * margin - label_room) / w_deg;
    const double height = std::min(h_deg * scale + 2 * margin, 600.0);
    const double s = std::min(scale, (height - 2 * margin) / h_deg);
    auto x = [&](double lon) { return margin + (lon - lon0) * k * s; };
    auto y = [&](double lat) { return margin + (lat1 - lat) * s; };

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(width) + " " +
                      num(height) + "\" role=\"img\" aria-label=\"map of the round\">\n";
    std::map<std::string, std::size_t> team_index;
    for (std::size_t i = 0; i < c.plan.teams.size(); ++i)
        team_index[c.plan.teams[i].name] = i;
    for (const Route& r : c.plan.routes) {
        const std::size_t t = team_index.count(r.team) ? team_index[r.team] : 0;
        const Team& team = c.plan.teams[t];
        const std::string base = num(x(static_cast<double>(team.base_lon_e6) / 1e6)) + "," +
                                 num(y(static_cast<double>(team.base_lat_e6) / 1e6));
        std::string points = base;
        for (const std::string& id : r.stations) {
            auto it = c.stations.find(id);
            if (it != c.stations.end() && it->second.lon && it->second.lat)
                points += " " + num(x(*it->second.lon)) + "," + num(y(*it->second.lat));
        }
        points += " " + base;
        svg += "<polyline fill=\"none\" stroke=\"" + to_hex(team_style(t).colour) +
               "\" stroke-width=\"2\" stroke-opacity=\"0.75\" points=\"" + points + "\"><title>" +
               html_escape(r.team + " " + r.date) + "</title></polyline>\n";
    }
    for (const Team& t : c.plan.teams)
        svg += "<rect x=\"" + num(x(static_cast<double>(t.base_lon_e6) / 1e6) - 6) + "\" y=\"" +
               num(y(static_cast<double>(t.base_lat_e6) / 1e6) - 6) +
               "\" width=\"12\" height=\"12\" fill=\"#12355b\"><title>" + html_escape(t.name) +
               " base</title></rect>\n";
    const bool labels = c.stations.size() <= 80;
    for (const auto& [id, st] : c.stations) {
        if (!st.lon || !st.lat)
            continue;
        svg += "<circle cx=\"" + num(x(*st.lon)) + "\" cy=\"" + num(y(*st.lat)) +
               "\" r=\"5\" fill=\"#fff\" stroke=\"#1d2733\" stroke-width=\"2\"><title>" +
               html_escape(id + " " + st.name) + "</title></circle>\n";
        if (labels)
            svg += "<text x=\"" + num(x(*st.lon) + 7) + "\" y=\"" + num(y(*st.lat) + 4) +
                   "\" font-size=\"11\" fill=\"#1d2733\">" + html_escape(id) + "</text>\n";
    }
    svg += "</svg>\n";
    return svg;
}

} // namespace fuelmap::detail
