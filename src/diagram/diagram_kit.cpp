// SPDX-License-Identifier: MIT
#include "diagram/diagram_kit.hpp"

#include <fuelmap/hash.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

namespace fuelmap {

std::optional<DiagramLanguage> parse_diagram_language(std::string_view s) noexcept {
    if (s == "en")
        return DiagramLanguage::en;
    if (s == "zh")
        return DiagramLanguage::zh;
    return std::nullopt;
}

namespace {

// Advance widths of ASCII 32..126 in Noto Sans CJK SC Bold, hundredths of an em (measured with
// cairo; the regular face is never wider). Text widths computed from this table bound the
// rendered width, so label boxes never undersize their text.
constexpr std::array<unsigned char, 95> ascii_width = {
    23, 37, 57, 59, 59, 96, 74, 33, 38,  38, 51, 59, 33, 37, 33, 39, 59, 59, 59, 59, 59, 59, 59, 59,
    59, 59, 33, 33, 59, 59, 59, 51, 101, 64, 68, 66, 71, 62, 59, 72, 76, 33, 57, 69, 58, 85, 75, 77,
    67, 77, 68, 62, 63, 75, 62, 92, 63,  58, 61, 38, 39, 38, 59, 57, 63, 59, 64, 53, 64, 58, 37, 60,
    64, 30, 31, 60, 32, 96, 64, 63, 64,  64, 44, 50, 42, 64, 58, 86, 56, 57, 51, 38, 30, 38, 59};

struct GradeColour {
    std::string_view code;
    Rgb colour;
};

// One colour per built-in grade, distinct in hue and, as far as it goes, in lightness; the grade
// text is always drawn beside the colour for greyscale print.
constexpr std::array<GradeColour, 10> grade_colours = {{
    {"89#", {102, 166, 30}},
    {"92#", {27, 158, 119}},
    {"95#", {217, 95, 2}},
    {"98#", {117, 112, 179}},
    {"5#", {140, 109, 49}},
    {"0#", {60, 60, 60}},
    {"-10#", {31, 120, 180}},
    {"-20#", {106, 61, 154}},
    {"-35#", {166, 118, 29}},
    {"-50#", {231, 41, 138}},
}};

} // namespace

double text_width_em(std::string_view utf8) {
    double w = 0.0;
    for (unsigned char c : utf8) {
        if (c >= 32 && c < 127)
            w += ascii_width[c - 32] / 100.0;
        else if (c >= 0xC0)
            w += 1.0; // lead byte of a multi-byte character: CJK glyphs are 1 em
        else if (c < 0x80)
            w += 0.6; // control characters should not occur; count them anyway
    }
    return w;
}

Rgb grade_colour(std::string_view code) {
    for (const GradeColour& g : grade_colours)
        if (g.code == code)
            return g.colour;
    // Ethanol blends: the colour of their base grade, darker.
    if (code.starts_with("E10-"))
        for (const GradeColour& g : grade_colours)
            if (g.code == code.substr(4))
                return {static_cast<std::uint8_t>(g.colour.r * 0.6),
                        static_cast<std::uint8_t>(g.colour.g * 0.6),
                        static_cast<std::uint8_t>(g.colour.b * 0.6)};
    if (code == "LPG")
        return {230, 171, 2};
    if (code == "CNG")
        return {120, 144, 156};
    // Any other grade: a mid-dark colour from the hash of its code, the same everywhere.
    const Sha256Digest d = sha256(code);
    auto channel = [](std::uint8_t v) { return static_cast<std::uint8_t>(40 + v % 150); };
    return {channel(d[0]), channel(d[1]), channel(d[2])};
}

TeamStyle team_style(std::size_t index) noexcept {
    // The first six are Okabe and Ito's colour-blind safe colours (without black and the pale
    // yellow), any two of them apart also under protanopia and deuteranopia; then Tol's muted and
    // dark colours. Ordered so that neighbours differ most: teams T01, T02, T03 … that work side by
    // side on one map alternate cool and warm, light and dark (tests/diagram: neighbouring colours
    // differ by ΔE ≥ 50 in CIELAB under normal vision, protanopia and deuteranopia).
    static constexpr std::array<Rgb, team_palette_size> palette = {{
        {0, 114, 178},   // blue
        {0, 158, 115},   // bluish green
        {230, 159, 0},   // orange
        {86, 180, 233},  // sky blue
        {213, 94, 0},    // vermillion
        {204, 121, 167}, // reddish purple
        {221, 170, 51},  // ochre
        {136, 34, 85},   // wine
        {153, 153, 51},  // olive
        {68, 170, 153},  // teal
        {0, 0, 0},       // black
        {177, 89, 40},   // brown
        {106, 61, 154},  // purple
        {17, 119, 51},   // green
        {51, 34, 136},   // indigo
        {204, 102, 119}, // rose
    }};
    const std::size_t cycle = index / team_palette_size;
    return {palette[index % team_palette_size], cycle == 0 ? 0.0 : (cycle % 2 ? 2.4 : 1.0)};
}

namespace detail {

const DiagramWords& words(DiagramLanguage lang) {
    static const DiagramWords en{
        "tank",
        "nozzle",
        "dispenser",
        "island",
        "supply line",
        "blend leg (share)",
        "manifold link",
        "Legend",
        "Grades",
        "Symbols",
        "N",
        "Station",
        "Name",
        "Operator",
        "Address",
        "Scale",
        "not to scale",
        "Printed",
        "Automatic layout: no positions recorded, not to scale",
        "Automatic layout: recorded positions too close to draw legibly, not to scale",
        "Symbols moved apart for legibility: positions approximate",
        "gasoline",
        "diesel",
        "other",
        "Sample",
        "Tank sample",
        "to sample",
        "Round",
        "Team",
        "Visit date",
        "Stop",
        "out of service",
        "site outline",
        "site (no outline recorded)",
        "Round overview",
        "Stations",
        "Stratum",
        "region",
        "county: hull of its stations (no boundaries given)",
        "route order",
        "Page",
        "Supplies",
        "Nozzle",
        "Grade",
        "Tank(s)",
        "junction",
        "Routes",
        "Teams",
        "county boundary",
        "county area of the synthetic registry",
        "base (start and end of every route)",
        "Route of the day",
        "Distance",
        "road estimate: straight line × 1.3",
        "Day",
        "Stops in visiting order",
        "route, in visiting order"};
    static const DiagramWords zh{"油罐",
                                 "油枪",
                                 "加油机",
                                 "加油岛",
                                 "供油管线",
                                 "调和管线（比例）",
                                 "连通管",
                                 "图例",
                                 "油品",
                                 "符号",
                                 "北",
                                 "加油站",
                                 "名称",
                                 "经营单位",
                                 "地址",
                                 "比例",
                                 "不按比例",
                                 "打印日期",
                                 "自动布局：未记录位置，不按比例",
                                 "自动布局：记录位置过密，无法清晰绘制，不按比例",
                                 "为清晰起见符号已错开：位置为近似",
                                 "汽油",
                                 "柴油",
                                 "其他",
                                 "采样",
                                 "油罐采样",
                                 "抽检对象",
                                 "轮次",
                                 "检查组",
                                 "检查日期",
                                 "站序",
                                 "停用",
                                 "站区边界",
                                 "站区（未记录边界）",
                                 "抽检轮次总图",
                                 "加油站",
                                 "层",
                                 "区域",
                                 "县区：站点凸包（未提供县界）",
                                 "路线顺序",
                                 "页",
                                 "供油关系",
                                 "油枪",
                                 "油品",
                                 "油罐",
                                 "管线分支",
                                 "路线",
                                 "检查组",
                                 "县级行政区界",
                                 "县区范围（合成登记库）",
                                 "基地（每条路线的起点和终点）",
                                 "当日路线图",
                                 "里程",
                                 "道路估算：直线距离 × 1.3",
                                 "出车日",
                                 "检查顺序",
                                 "路线（按检查顺序）"};
    return lang == DiagramLanguage::zh ? zh : en;
}

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v))
        v = 0.0;
    if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals))
        v = 0.0; // no "-0.00"
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return std::string(buf, r.ptr);
}

Rgb tint(Rgb c, double t) {
    auto mix = [t](std::uint8_t v) { return static_cast<std::uint8_t>(std::lround(v + (255 - v) * t)); };
    return {mix(c.r), mix(c.g), mix(c.b)};
}

DiagramItem make_line(PagePoint a, PagePoint b, Rgb stroke, double width, std::string css_class) {
    DiagramItem i;
    i.kind = ItemKind::line;
    i.points = {a, b};
    i.stroke = stroke;
    i.stroke_width = width;
    i.css_class = std::move(css_class);
    return i;
}

DiagramItem make_rect(PageBox box, std::optional<Rgb> stroke, std::optional<Rgb> fill, double width,
                      std::string css_class, double radius) {
    DiagramItem i;
    i.kind = ItemKind::rect;
    i.box = box;
    i.stroke = stroke;
    i.fill = fill;
    i.stroke_width = width;
    i.radius = radius;
    i.css_class = std::move(css_class);
    return i;
}

DiagramItem make_circle(PagePoint c, double r, std::optional<Rgb> stroke, std::optional<Rgb> fill,
                        double width, std::string css_class) {
    DiagramItem i;
    i.kind = ItemKind::circle;
    i.points = {c};
    i.radius = r;
    i.stroke = stroke;
    i.fill = fill;
    i.stroke_width = width;
    i.css_class = std::move(css_class);
    return i;
}

DiagramItem make_text(PagePoint baseline, std::string text, double size, Rgb colour, TextAnchor anchor,
                      bool bold, std::string css_class) {
    DiagramItem i;
    i.kind = ItemKind::text;
    i.points = {baseline};
    i.text = std::move(text);
    i.font_size = size;
    i.fill = colour;
    i.anchor = anchor;
    i.bold = bold;
    i.css_class = std::move(css_class);
    return i;
}

bool number_less(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    while (i < a.size() && j < b.size()) {
        if (digit(a[i]) && digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && a[ie] == '0')
                ++ie;
            while (je < b.size() && b[je] == '0')
                ++je;
            std::size_t ia = ie, jb = je;
            while (ia < a.size() && digit(a[ia]))
                ++ia;
            while (jb < b.size() && digit(b[jb]))
                ++jb;
            // More significant digits: larger; same count: compare the digits.
            if (ia - ie != jb - je)
                return ia - ie < jb - je;
            const int c = a.substr(ie, ia - ie).compare(b.substr(je, jb - je));
            if (c != 0)
                return c < 0;
            i = ia;
            j = jb;
            continue;
        }
        if (a[i] != b[j])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return a.size() - i < b.size() - j;
    return a < b; // equal apart from leading zeros: bytewise, so that the order is total
}

std::vector<std::string> wrap_text(std::string_view text, double size, double width_mm) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t last_space = std::string::npos; // in `line`
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        len = std::min(len, text.size() - i);
        const std::string_view glyph = text.substr(i, len);
        i += len;
        if (line.empty() && glyph == " ")
            continue;
        if (!line.empty() && text_width_em(line) * size + text_width_em(glyph) * size > width_mm) {
            if (glyph != " " && c < 0x80 && last_space != std::string::npos) {
                lines.push_back(line.substr(0, last_space));
                line = line.substr(last_space + 1);
            } else {
                lines.push_back(line);
                line.clear();
            }
            last_space = std::string::npos;
            if (glyph == " ")
                continue;
        }
        if (glyph == " ")
            last_space = line.size();
        line += glyph;
    }
    if (!line.empty())
        lines.push_back(line);
    return lines;
}

namespace {

// The leader of a label at @p b: from the anchor's edge to the nearest point of the box; none when
// the box touches the anchor.
std::optional<std::pair<PagePoint, PagePoint>> leader_segment(const LabelPlacer::Request& rq,
                                                              const PageBox& b) {
    const PageBox& a = rq.anchor;
    const double cx = a.x + a.w / 2;
    const double cy = a.y + a.h / 2;
    const double px = std::clamp(cx, b.x, b.x + b.w);
    const double py = std::clamp(cy, b.y, b.y + b.h);
    double dx = px - cx;
    double dy = py - cy;
    const double len = std::hypot(dx, dy);
    if (len <= 1e-9)
        return std::nullopt;
    dx /= len;
    dy /= len;
    double start;
    if (rq.round_anchor) {
        start = a.w / 2;
    } else {
        const double tx = std::fabs(dx) > 1e-9 ? (a.w / 2) / std::fabs(dx) : 1e9;
        const double ty = std::fabs(dy) > 1e-9 ? (a.h / 2) / std::fabs(dy) : 1e9;
        start = std::min(tx, ty);
    }
    if (len <= start + 0.3)
        return std::nullopt;
    return std::pair{PagePoint{cx + dx * start, cy + dy * start}, PagePoint{px, py}};
}

// True when the segment p-q passes through the interior of @p box (Liang–Barsky).
bool crosses(PagePoint p, PagePoint q, const PageBox& box) {
    double t0 = 0.0, t1 = 1.0;
    const double dx = q.x - p.x, dy = q.y - p.y;
    const double ps[4] = {-dx, dx, -dy, dy};
    const double qs[4] = {p.x - box.x, box.x + box.w - p.x, p.y - box.y, box.y + box.h - p.y};
    for (int i = 0; i < 4; ++i) {
        if (ps[i] == 0.0) {
            if (qs[i] <= 0.0)
                return false;
            continue;
        }
        const double t = qs[i] / ps[i];
        if (ps[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 >= t1)
            return false;
    }
    return true;
}

} // namespace

bool LabelPlacer::leader_clear(const Request& rq, const PageBox& b) const {
    if (!rq.leaders_clear)
        return true;
    const auto seg = leader_segment(rq, b);
    if (!seg)
        return true;
    for (const PageBox& s : m_symbols) {
        if (s.x == rq.anchor.x && s.y == rq.anchor.y && s.w == rq.anchor.w && s.h == rq.anchor.h)
            continue; // the leader starts on its own anchor
        if (crosses(seg->first, seg->second, s.inflated(-0.15)))
            return false;
    }
    return true;
}

bool LabelPlacer::free(const PageBox& b) const {
    if (!m_area.contains(b))
        return false;
    for (const PageBox& o : m_obstacles)
        if (o.intersects(b))
            return false;
    return true;
}

bool LabelPlacer::place(const Request& rq, std::vector<DiagramItem>& items) {
    constexpr double pad = 0.5;       // text to box edge
    constexpr double clearance = 0.4; // box to anything else
    const double w = text_width_em(rq.text) * rq.size + 2 * pad;
    const double h = rq.size * 1.25 + 2 * pad * 0.6;
    const PageBox& a = rq.anchor;
    const double cx = a.x + a.w / 2;
    const double cy = a.y + a.h / 2;

    // Candidate boxes, best first: adjacent to the anchor in the preferred direction and round the
    // compass, then rings further out (these get a leader line).
    auto candidate = [&](int dir, double d, double shift) -> PageBox {
        switch (dir) {
        case 0:
            return {cx - w / 2 + shift, a.y - d - h, w, h}; // north
        case 1:
            return {a.x + a.w + d, cy - h / 2 + shift, w, h}; // east
        case 2:
            return {cx - w / 2 + shift, a.y + a.h + d, w, h}; // south
        case 3:
            return {a.x - d - w, cy - h / 2 + shift, w, h}; // west
        case 4:
            return {a.x + a.w + d, a.y - d - h, w, h}; // north-east
        case 5:
            return {a.x + a.w + d, a.y + a.h + d, w, h}; // south-east
        case 6:
            return {a.x - d - w, a.y + a.h + d, w, h}; // south-west
        default:
            return {a.x - d - w, a.y - d - h, w, h}; // north-west
        }
    };
    std::array<int, 8> order{};
    if (rq.preferred == 4) {
        order = {0, 1, 2, 3, 4, 5, 6, 7};
    } else {
        const int p = rq.preferred;
        // preferred, its two diagonals, its two neighbours, the rest
        static constexpr std::array<std::array<int, 8>, 4> by_pref = {{
            {0, 4, 7, 1, 3, 5, 6, 2},
            {1, 4, 5, 0, 2, 7, 6, 3},
            {2, 5, 6, 1, 3, 4, 7, 0},
            {3, 7, 6, 0, 2, 4, 5, 1},
        }};
        order = by_pref[static_cast<std::size_t>(p)];
    }

    std::optional<PageBox> chosen;
    bool leader = false;
    if (rq.preferred == 4) {
        PageBox c{cx - w / 2, cy - h / 2, w, h};
        if (free(c.inflated(clearance)))
            chosen = c;
    }
    for (int ring = 0; ring < 7 && !chosen; ++ring) {
        const double d = 0.5 + ring * 2.5;
        for (int dir : order) {
            const bool vertical = dir == 0 || dir == 2;
            const bool horizontal = dir == 1 || dir == 3;
            const double step = vertical ? w * 0.55 : h * 0.9;
            const int shifts = (vertical || horizontal) ? (ring == 0 ? 1 : 5) : 1;
            for (int s = 0; s < shifts && !chosen; ++s) {
                const double shift = (s == 0) ? 0.0 : ((s % 2) ? 1.0 : -1.0) * step * ((s + 1) / 2);
                PageBox c = candidate(dir, d, shift);
                const bool needs_leader = ring > 0 || s > 0;
                if (free(c.inflated(clearance)) && (!needs_leader || leader_clear(rq, c))) {
                    chosen = c;
                    leader = needs_leader;
                }
            }
            if (chosen)
                break;
        }
    }
    if (!chosen) {
        // Scan the whole area, nearest first.
        std::vector<std::pair<double, PageBox>> grid;
        for (double y = m_area.y; y + h <= m_area.y + m_area.h; y += 1.5)
            for (double x = m_area.x; x + w <= m_area.x + m_area.w; x += 1.5) {
                const double dx = x + w / 2 - cx;
                const double dy = y + h / 2 - cy;
                grid.push_back({dx * dx + dy * dy, PageBox{x, y, w, h}});
            }
        std::stable_sort(grid.begin(), grid.end(),
                         [](const auto& l, const auto& r) { return l.first < r.first; });
        for (const auto& [dist, box] : grid)
            if (free(box.inflated(clearance)) && leader_clear(rq, box)) {
                chosen = box;
                leader = true;
                break;
            }
    }
    if (!chosen && rq.leaders_clear) {
        // Nowhere with a clear leader: a leader across a symbol is still better than an overlap.
        Request anywhere = rq;
        anywhere.leaders_clear = false;
        return place(anywhere, items);
    }
    const bool ok = chosen.has_value();
    if (!chosen)
        chosen = candidate(order[0], 0.5, 0.0);
    const PageBox b = *chosen;
    m_obstacles.push_back(b);
    if (rq.leaders_clear)
        m_symbols.push_back(b); // later leaders keep off this label too

    if (leader)
        if (const auto seg = leader_segment(rq, b))
            items.push_back(make_line(seg->first, seg->second, rq.colour, 0.18, "leader"));
    DiagramItem item;
    item.kind = ItemKind::label;
    item.box = b;
    item.text = rq.text;
    item.font_size = rq.size;
    item.bold = rq.bold;
    item.anchor = TextAnchor::middle;
    item.fill = rq.colour;
    item.stroke = rq.border == white ? std::optional<Rgb>{} : std::optional<Rgb>{rq.border};
    item.stroke_width = 0.15;
    item.points = {{b.x + b.w / 2, b.y + b.h / 2 + rq.size * 0.36}};
    item.css_class = rq.css_class;
    item.data = rq.data;
    items.push_back(std::move(item));
    return ok;
}

} // namespace detail

std::string to_hex(Rgb c) {
    static constexpr char digits[] = "0123456789abcdef";
    return {'#',
            digits[c.r >> 4],
            digits[c.r & 15],
            digits[c.g >> 4],
            digits[c.g & 15],
            digits[c.b >> 4],
            digits[c.b & 15]};
}

} // namespace fuelmap
