// SPDX-License-Identifier: MIT
#include "diagram/diagram_map.hpp"

#include "diagram/diagram_kit.hpp"

#include <algorithm>
#include <cmath>

namespace fuelmap::detail {

LocalFrame MapProjection::frame_for(std::span<const GeoPoint> points) {
    double lon0 = 1e300, lon1 = -1e300, lat0 = 1e300, lat1 = -1e300;
    for (const GeoPoint& g : points) {
        lon0 = std::min(lon0, g.lon);
        lon1 = std::max(lon1, g.lon);
        lat0 = std::min(lat0, g.lat);
        lat1 = std::max(lat1, g.lat);
    }
    return LocalFrame(GeoPoint{(lon0 + lon1) / 2, (lat0 + lat1) / 2});
}

MapProjection::MapProjection(std::span<const GeoPoint> points, PageBox area, double margin_mm,
                             std::span<const LocalPoint> extra_local)
    : m_frame(frame_for(points)), m_fit{area.x + margin_mm, area.y + margin_mm, area.w - 2 * margin_mm,
                                        area.h - 2 * margin_mm} {
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    auto grow = [&](LocalPoint p) {
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
    };
    for (const GeoPoint& g : points)
        grow(m_frame.to_local(g));
    for (const LocalPoint& p : extra_local)
        grow(p);
    const double span_x = std::max(x1 - x0, 100.0);
    const double span_y = std::max(y1 - y0, 100.0);
    m_mm_per_m = std::min(m_fit.w / span_x, m_fit.h / span_y);
    m_mx = (x0 + x1) / 2;
    m_my = (y0 + y1) / 2;
}

PagePoint MapProjection::page(LocalPoint p) const noexcept {
    return {m_fit.x + m_fit.w / 2 + (p.x - m_mx) * m_mm_per_m,
            m_fit.y + m_fit.h / 2 - (p.y - m_my) * m_mm_per_m};
}

std::vector<PagePoint> clip_ring(const std::vector<PagePoint>& ring, const PageBox& box) {
    // One half-plane per edge of the box: inside(p) and the crossing of segment a-b with the edge.
    struct Edge {
        int axis;   // 0: x, 1: y
        double at;  // the edge's coordinate
        bool below; // inside means coordinate <= at
    };
    const Edge edges[4] = {
        {0, box.x, false}, {0, box.x + box.w, true}, {1, box.y, false}, {1, box.y + box.h, true}};
    std::vector<PagePoint> out = ring;
    for (const Edge& e : edges) {
        if (out.empty())
            break;
        auto coord = [&](PagePoint p) { return e.axis == 0 ? p.x : p.y; };
        auto inside = [&](PagePoint p) { return e.below ? coord(p) <= e.at : coord(p) >= e.at; };
        auto cross = [&](PagePoint a, PagePoint b) {
            const double t = (e.at - coord(a)) / (coord(b) - coord(a));
            return PagePoint{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
        };
        std::vector<PagePoint> in = std::move(out);
        out.clear();
        for (std::size_t i = 0; i < in.size(); ++i) {
            const PagePoint cur = in[i];
            const PagePoint prev = in[(i + in.size() - 1) % in.size()];
            if (inside(cur)) {
                if (!inside(prev))
                    out.push_back(cross(prev, cur));
                out.push_back(cur);
            } else if (inside(prev)) {
                out.push_back(cross(prev, cur));
            }
        }
    }
    if (out.size() < 3)
        out.clear();
    return out;
}

void draw_areas(DiagramPage& page, std::span<const DiagramRegion> areas, const MapProjection& projection,
                bool dashed) {
    for (const DiagramRegion& a : areas)
        for (const auto& ring : a.rings) {
            std::vector<PagePoint> on_page;
            on_page.reserve(ring.size());
            for (const GeoPoint& g : ring)
                on_page.push_back(projection.page(g));
            DiagramItem poly;
            poly.kind = ItemKind::polygon;
            poly.points = clip_ring(on_page, map_area_box);
            if (poly.points.empty())
                continue;
            poly.stroke = mid_grey;
            poly.fill = Rgb{242, 242, 238};
            poly.stroke_width = 0.35;
            poly.dash = dashed ? 1.2 : 0.0;
            poly.css_class = "region";
            poly.data = {{"name", a.name}};
            page.items.push_back(std::move(poly));
        }
}

std::vector<PagePoint> spread_dots(const std::vector<PagePoint>& true_at, double r, const PageBox& area,
                                   DiagramPage& page) {
    std::vector<PagePoint> at = true_at;
    const double min_d = 2 * r + 0.5;
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
        at[i].x = std::clamp(at[i].x, area.x + r, area.x + area.w - r);
        at[i].y = std::clamp(at[i].y, area.y + r, area.y + area.h - r);
        if (std::hypot(at[i].x - true_at[i].x, at[i].y - true_at[i].y) > 0.8) {
            page.items.push_back(make_line(true_at[i], at[i], dark_grey, 0.2, "stop-leader"));
            page.items.push_back(make_circle(true_at[i], 0.45, std::nullopt, black, 0.0, "stop-position"));
        }
    }
    return at;
}

void draw_scale_bar(DiagramPage& page, double mm_per_m, PagePoint at) {
    double len_m = 1;
    for (double d = 1; d < 1e8; d *= 10)
        for (double s : {1.0, 2.0, 5.0})
            if (s * d * mm_per_m <= 45)
                len_m = s * d;
    const double len = len_m * mm_per_m;
    // A white ground, so that areas and routes under the bar do not hide it.
    page.items.push_back(
        make_rect({at.x - 3, at.y - 5.6, len + 16, 7.4}, std::nullopt, white, 0.0, "scale-bar"));
    for (int i = 0; i < 4; ++i)
        page.items.push_back(make_rect({at.x + len * i / 4, at.y - 1.2, len / 4, 1.6}, black,
                                       i % 2 ? white : black, 0.2, "scale-bar"));
    const std::string unit =
        len_m >= 1000 ? fixed(len_m / 1000, len_m >= 10000 ? 0 : 1) + " km" : fixed(len_m, 0) + " m";
    page.items.push_back(
        make_text({at.x, at.y - 2.2}, "0", 2.4, black, TextAnchor::middle, false, "scale-bar"));
    page.items.push_back(
        make_text({at.x + len, at.y - 2.2}, unit, 2.4, black, TextAnchor::start, false, "scale-bar"));
}

void draw_north_arrow(DiagramPage& page, const PageBox& panel, const char* north) {
    const double cx = panel.x + panel.w - 10, y = panel.y;
    DiagramItem arrow;
    arrow.kind = ItemKind::polygon;
    arrow.points = {{cx, y + 4}, {cx + 4, y + 17}, {cx, y + 14}, {cx - 4, y + 17}};
    arrow.stroke = black;
    arrow.fill = black;
    arrow.css_class = "north-arrow";
    page.items.push_back(std::move(arrow));
    page.items.push_back(make_text({cx, y + 3}, north, 3.4, black, TextAnchor::middle, true, "north-arrow"));
}

double draw_title_block(DiagramPage& page, const PageBox& panel,
                        const std::vector<std::pair<std::string, std::string>>& rows) {
    auto size_of = [](std::size_t i, const std::string& value) {
        return i == 0 ? 3.4 : (value.size() > 40 ? 2.0 : 2.8);
    };
    double h = 1;
    std::vector<std::vector<std::string>> wrapped;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double size = size_of(i, rows[i].second);
        wrapped.push_back(wrap_text(rows[i].second, size, panel.w - 3));
        h += 4.2 + static_cast<double>(wrapped.back().size()) * size * 1.25;
    }
    const double top = panel.y + panel.h - h;
    double ty = top;
    page.items.push_back(
        make_rect({panel.x - 1, ty, panel.w + 1, h}, black, std::nullopt, 0.4, "title-block"));
    ty += 1;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double size = size_of(i, rows[i].second);
        page.items.push_back(make_text({panel.x + 0.5, ty + 2.2}, rows[i].first, 1.9, mid_grey,
                                       TextAnchor::start, false, "title-caption"));
        ty += 3.0;
        for (const std::string& line : wrapped[i]) {
            ty += size * 1.25;
            page.items.push_back(make_text({panel.x + 0.5, ty - size * 0.3}, line, size, black,
                                           TextAnchor::start, i == 0, "title-value"));
        }
        ty += 1.2;
    }
    return top;
}

void draw_map_frame(DiagramPage& page) {
    page.items.push_back(make_rect(map_frame_box, black, white, 0.5, "frame"));
    page.items.push_back(make_line({map_panel_box.x - 2, map_frame_box.y},
                                   {map_panel_box.x - 2, map_frame_box.y + map_frame_box.h}, black, 0.35,
                                   "frame"));
}

void draw_base(DiagramPage& page, PagePoint c, double half, const std::string& css_class) {
    page.items.push_back(
        make_rect({c.x - half, c.y - half, 2 * half, 2 * half}, black, white, 0.45, css_class));
    const double inner = half * 0.45;
    page.items.push_back(
        make_rect({c.x - inner, c.y - inner, 2 * inner, 2 * inner}, std::nullopt, black, 0, css_class));
}

double draw_map_furniture(DiagramPage& page, double mm_per_m, const char* north,
                          const DiagramOptions& options,
                          std::vector<std::pair<std::string, std::string>> rows) {
    draw_scale_bar(page, mm_per_m, {map_area_box.x + 5, 196});
    draw_north_arrow(page, map_panel_box, north);
    if (!options.registry_digest.empty())
        rows.push_back(
            {options.digest_caption.empty() ? "SHA-256" : options.digest_caption, options.registry_digest});
    if (!options.date.empty())
        rows.push_back({words(options.language).date_printed, options.date});
    return draw_title_block(page, map_panel_box, rows);
}

Rgb text_colour_on(Rgb fill) noexcept {
    // Relative luminance (sRGB weights, no gamma: enough to choose between black and white).
    const double y = 0.2126 * fill.r + 0.7152 * fill.g + 0.0722 * fill.b;
    return y > 150 ? black : white;
}

std::vector<PageBox> boxes_along(std::span<const PagePoint> points, double step) {
    std::vector<PageBox> boxes;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const PagePoint a = points[i - 1], b = points[i];
        const double len = std::hypot(b.x - a.x, b.y - a.y);
        const int n = std::max(1, static_cast<int>(std::ceil(len / step)));
        for (int k = 0; k <= n; ++k) {
            const double t = static_cast<double>(k) / n;
            const PagePoint p{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
            boxes.push_back({p.x - step / 2, p.y - step / 2, step, step});
        }
    }
    return boxes;
}

} // namespace fuelmap::detail
