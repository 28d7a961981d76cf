// SPDX-License-Identifier: MIT
// The panel on the right of a station page: north arrow, legend and title block.
#include "diagram/diagram_panel.hpp"

#include <set>

namespace fuelmap::detail {

namespace {

std::string family_word(const GradeTable& grades, const std::string& code, const DiagramWords& w) {
    const Grade* g = grades.find(code);
    if (!g)
        return "";
    switch (g->family) {
    case GradeFamily::gasoline:
        return w.gasoline;
    case GradeFamily::diesel:
        return w.diesel;
    case GradeFamily::other:
        return w.other;
    }
    return "";
}

// North arrow at the top of the panel; returns the y below it.
double draw_north(const PanelInput& in, PageBox panel_box, std::vector<DiagramItem>& items, double y) {
    if (!in.surveyed)
        return y;
    const double cx = panel_box.x + panel_box.w - 10;
    DiagramItem arrow;
    arrow.kind = ItemKind::polygon;
    arrow.points = {{cx, y + 4}, {cx + 4, y + 17}, {cx, y + 14}, {cx - 4, y + 17}};
    arrow.stroke = black;
    arrow.fill = black;
    arrow.stroke_width = 0.3;
    arrow.css_class = "north-arrow";
    items.push_back(std::move(arrow));
    DiagramItem half;
    half.kind = ItemKind::polygon;
    half.points = {{cx, y + 4}, {cx - 4, y + 17}, {cx, y + 14}};
    half.stroke = black;
    half.fill = white;
    half.stroke_width = 0.3;
    half.css_class = "north-arrow";
    items.push_back(std::move(half));
    items.push_back(
        make_text({cx, y + 3}, in.words.north, 3.4, black, TextAnchor::middle, true, "north-arrow"));
    return y + 2;
}

double draw_legend(const PanelInput& in, PageBox panel_box, std::vector<DiagramItem>& items, double y) {
    const double x = panel_box.x;
    items.push_back(make_text({x, y + 4}, in.words.legend, 3.6, black, TextAnchor::start, true, "legend"));
    y += 8;
    std::set<std::string> used;
    for (const Tank& t : in.site.tanks)
        used.insert(t.grade);
    for (const Nozzle& n : in.site.nozzles)
        used.insert(n.grade);
    items.push_back(
        make_text({x, y + 2}, in.words.grades, 2.6, dark_grey, TextAnchor::start, true, "legend"));
    y += 3.5;
    for (const std::string& g : used) {
        const Rgb c = grade_colour(g);
        DiagramItem sw = make_rect({x, y, 7, 3.4}, c, c, 0.3, "legend-grade");
        sw.data = {{"grade", g}};
        items.push_back(std::move(sw));
        items.push_back(make_text({x + 9, y + 2.8}, g, 2.8, black, TextAnchor::start, true, "legend"));
        items.push_back(make_text({x + 24, y + 2.8}, family_word(in.grades, g, in.words), 2.6, dark_grey,
                                  TextAnchor::start, false, "legend"));
        y += 4.6;
    }
    y += 1.5;
    items.push_back(
        make_text({x, y + 2}, in.words.symbols, 2.6, dark_grey, TextAnchor::start, true, "legend"));
    y += 3.5;
    auto row = [&](const char* text) {
        items.push_back(make_text({x + 12, y + 2.8}, text, 2.6, black, TextAnchor::start, false, "legend"));
        y += 5.2;
    };
    const Rgb g{90, 90, 90};
    items.push_back(make_rect({x + 2.5, y - 0.5, 5, 4.4}, g, tint(g, 0.82), 0.4, "legend", 2.2));
    row(in.words.tank);
    items.push_back(make_rect({x + 1, y + 0.2, 8, 3.2}, black, white, 0.4, "legend", 0.5));
    row(in.words.dispenser);
    items.push_back(make_rect({x + 1, y + 0.2, 8, 3.4}, g, tint(g, 0.8), 0.4, "legend", 1.2));
    row(in.words.nozzle);
    items.push_back(make_line({x, y + 1.8}, {x + 10, y + 1.8}, g, 0.35, "legend"));
    row(in.words.supply);
    DiagramItem bl = make_line({x, y + 1.8}, {x + 10, y + 1.8}, g, 0.35, "legend");
    bl.dash = 1.2;
    items.push_back(std::move(bl));
    row(in.words.blend);
    items.push_back(make_line({x, y + 1.8}, {x + 10, y + 1.8}, dark_grey, 1.6, "legend"));
    items.push_back(make_line({x, y + 1.8}, {x + 10, y + 1.8}, white, 0.8, "legend"));
    row(in.words.manifold);
    if (in.overlay) {
        items.push_back(make_rect({x + 0.5, y - 0.3, 9, 4.4}, pick_red, std::nullopt, 0.9, "legend", 1.6));
        row(in.words.pick);
    }
    return y;
}

void draw_title_block(const PanelInput& in, PageBox panel_box, std::vector<DiagramItem>& items,
                      double legend_bottom) {
    struct Row {
        std::string caption;
        std::string value;
        double size;
        bool bold;
    };
    const Station& s = in.site.station;
    std::vector<Row> rows;
    rows.push_back({in.words.station, s.station_id, 3.6, true});
    if (!s.name.empty())
        rows.push_back({in.words.name, s.name, 3.4, true});
    if (!s.operator_name.empty())
        rows.push_back({in.words.operator_name, s.operator_name, 2.5, false});
    if (!s.address.empty())
        rows.push_back({in.words.address, s.address, 2.5, false});
    if (in.overlay) {
        if (!in.overlay->round.empty())
            rows.push_back({in.words.round, in.overlay->round, 2.8, true});
        std::string team;
        for (const std::string& t : in.overlay->selection.team)
            team += (team.empty() ? "" : ", ") + t;
        rows.push_back({in.words.team, team, 2.8, true});
        std::string visit = in.overlay->selection.date;
        if (in.overlay->stop > 0)
            visit += "   " + std::string(in.words.stop) + " " + std::to_string(in.overlay->stop) + "/" +
                     std::to_string(in.overlay->stops);
        rows.push_back({in.words.visit_date, visit, 2.8, true});
    }
    rows.push_back({in.words.scale,
                    in.surveyed ? "1:" + fixed(in.denominator, 0) : std::string(in.words.not_to_scale), 2.6,
                    false});
    if (!in.options.registry_digest.empty())
        rows.push_back({in.options.digest_caption.empty() ? "SHA-256" : in.options.digest_caption,
                        in.options.registry_digest, 2.0, false});
    if (!in.options.date.empty())
        rows.push_back({in.words.date_printed, in.options.date, 2.6, false});

    const double inner = panel_box.w - 3;
    struct Laid {
        Row row;
        std::vector<std::string> lines;
    };
    std::vector<Laid> laid;
    double h = 1.0;
    for (Row& r : rows) {
        std::vector<std::string> lines = wrap_text(r.value, r.size, inner);
        if (lines.empty())
            lines.push_back("-");
        h += 3.0 + static_cast<double>(lines.size()) * r.size * 1.25 + 1.2;
        laid.push_back({std::move(r), std::move(lines)});
    }
    const double bottom = panel_box.y + panel_box.h;
    double y = std::max(bottom - h, legend_bottom + 2);
    items.push_back(make_rect({panel_box.x - 1, y, panel_box.w + 1, bottom - y}, black, std::nullopt, 0.4,
                              "title-block"));
    y += 1.0;
    for (std::size_t i = 0; i < laid.size(); ++i) {
        const Laid& l = laid[i];
        if (i > 0)
            items.push_back(make_line({panel_box.x - 1, y - 0.6}, {panel_box.x + panel_box.w, y - 0.6},
                                      mid_grey, 0.15, "title-block"));
        items.push_back(make_text({panel_box.x + 0.5, y + 2.2}, l.row.caption, 1.9, mid_grey,
                                  TextAnchor::start, false, "title-caption"));
        y += 3.0;
        for (const std::string& line : l.lines) {
            y += l.row.size * 1.25;
            items.push_back(make_text({panel_box.x + 0.5, y - l.row.size * 0.3}, line, l.row.size, black,
                                      TextAnchor::start, l.row.bold, "title-value"));
        }
        y += 1.2;
    }
}

} // namespace

void draw_panel(const PanelInput& in, PageBox panel, std::vector<DiagramItem>& items) {
    const double y = draw_north(in, panel, items, panel.y);
    draw_title_block(in, panel, items, draw_legend(in, panel, items, y));
}

} // namespace fuelmap::detail
