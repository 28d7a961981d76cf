// SPDX-License-Identifier: MIT
// SVG writer: the drawing model as SVG 1.1 text. Written by hand (no XML library) because the
// output is simple and this is the hot path of a national run: one string, reserved once.
#include <fuelmap/diagram.hpp>

#include <charconv>
#include <cmath>

namespace fuelmap {

namespace {

class SvgOut {
public:
    explicit SvgOut(std::string& s) : m_s(s) {}

    SvgOut& raw(std::string_view v) {
        m_s.append(v);
        return *this;
    }
    // Millimetres with two decimals, locale-free, no trailing zeros.
    SvgOut& num(double v) {
        if (!std::isfinite(v))
            v = 0;
        const long long hundredths = std::llround(v * 100.0);
        long long whole = hundredths / 100;
        long long frac = hundredths % 100;
        if (hundredths < 0) {
            m_s.push_back('-');
            whole = -whole;
            frac = -frac;
        }
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, whole);
        m_s.append(buf, r.ptr);
        if (frac) {
            m_s.push_back('.');
            m_s.push_back(static_cast<char>('0' + frac / 10));
            if (frac % 10)
                m_s.push_back(static_cast<char>('0' + frac % 10));
        }
        return *this;
    }
    SvgOut& text(std::string_view v) {
        for (char c : v) {
            switch (c) {
            case '&':
                m_s.append("&amp;");
                break;
            case '<':
                m_s.append("&lt;");
                break;
            case '>':
                m_s.append("&gt;");
                break;
            case '"':
                m_s.append("&quot;");
                break;
            default:
                // Control characters are not allowed in XML 1.0.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n')
                    m_s.push_back(c);
            }
        }
        return *this;
    }
    SvgOut& attr(std::string_view name, double v) {
        raw(" ").raw(name).raw("=\"");
        num(v);
        return raw("\"");
    }
    SvgOut& attr(std::string_view name, std::string_view v) {
        raw(" ").raw(name).raw("=\"");
        text(v);
        return raw("\"");
    }
    SvgOut& colour(std::string_view name, const std::optional<Rgb>& c) {
        raw(" ").raw(name).raw("=\"");
        if (!c)
            return raw("none\"");
        static constexpr char hex[] = "0123456789abcdef";
        char buf[7] = {
            '#',           hex[c->r >> 4], hex[c->r & 15], hex[c->g >> 4], hex[c->g & 15], hex[c->b >> 4],
            hex[c->b & 15]};
        m_s.append(buf, 7);
        return raw("\"");
    }

private:
    std::string& m_s;
};

void common(SvgOut& o, const DiagramItem& i) {
    if (!i.css_class.empty())
        o.attr("class", i.css_class);
    for (const auto& [k, v] : i.data) {
        o.raw(" data-").raw(k).raw("=\"").text(v).raw("\"");
    }
}

void stroke_fill(SvgOut& o, const DiagramItem& i) {
    o.colour("fill", i.fill).colour("stroke", i.stroke);
    if (i.stroke)
        o.attr("stroke-width", i.stroke_width);
    if (i.dash > 0) {
        o.raw(" stroke-dasharray=\"").num(i.dash).raw(" ").num(i.dash * 0.7).raw("\"");
    }
    if (i.opacity < 1.0)
        o.attr("opacity", i.opacity);
}

void points(SvgOut& o, const std::vector<PagePoint>& pts) {
    o.raw(" points=\"");
    for (std::size_t k = 0; k < pts.size(); ++k) {
        if (k)
            o.raw(" ");
        o.num(pts[k].x).raw(",").num(pts[k].y);
    }
    o.raw("\"");
}

void text_element(SvgOut& o, const DiagramItem& i, PagePoint at, std::string_view cls, bool with_data) {
    o.raw("<text");
    if (with_data)
        common(o, i);
    else if (!cls.empty())
        o.attr("class", cls);
    o.attr("x", at.x).attr("y", at.y).attr("font-size", i.font_size);
    if (i.bold)
        o.raw(" font-weight=\"bold\"");
    if (i.anchor == TextAnchor::middle)
        o.raw(" text-anchor=\"middle\"");
    else if (i.anchor == TextAnchor::end)
        o.raw(" text-anchor=\"end\"");
    o.colour("fill", i.fill ? i.fill : std::optional<Rgb>{Rgb{}});
    o.raw(">").text(i.text).raw("</text>\n");
}

} // namespace

std::string to_svg(const DiagramPage& page) {
    std::string s;
    s.reserve(64 * 1024);
    SvgOut o(s);
    o.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "version=\"1.1\"");
    o.raw(" width=\"").num(page.width_mm).raw("mm\" height=\"").num(page.height_mm).raw("mm\"");
    o.raw(" viewBox=\"0 0 ").num(page.width_mm).raw(" ").num(page.height_mm).raw("\"");
    o.raw(" font-family=\"'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif\"");
    o.raw(" stroke-linejoin=\"round\" data-unplaced-labels=\"").num(page.unplaced_labels);
    o.raw("\" data-line-crossings=\"").num(page.line_crossings);
    o.raw("\" data-unrouted-lines=\"").num(page.unrouted_lines).raw("\">\n");
    o.raw("<title>").text(page.title).raw("</title>\n");
    for (const DiagramItem& i : page.items) {
        switch (i.kind) {
        case ItemKind::line:
            o.raw("<line");
            common(o, i);
            o.attr("x1", i.points[0].x)
                .attr("y1", i.points[0].y)
                .attr("x2", i.points[1].x)
                .attr("y2", i.points[1].y);
            stroke_fill(o, i);
            o.raw("/>\n");
            break;
        case ItemKind::polyline:
        case ItemKind::polygon:
            o.raw(i.kind == ItemKind::polygon ? "<polygon" : "<polyline");
            common(o, i);
            points(o, i.points);
            stroke_fill(o, i);
            o.raw("/>\n");
            break;
        case ItemKind::rect:
            o.raw("<rect");
            common(o, i);
            o.attr("x", i.box.x).attr("y", i.box.y).attr("width", i.box.w).attr("height", i.box.h);
            if (i.radius > 0)
                o.attr("rx", std::min(i.radius, std::min(i.box.w, i.box.h) / 2));
            stroke_fill(o, i);
            o.raw("/>\n");
            break;
        case ItemKind::circle:
            o.raw("<circle");
            common(o, i);
            o.attr("cx", i.points[0].x).attr("cy", i.points[0].y).attr("r", i.radius);
            stroke_fill(o, i);
            o.raw("/>\n");
            break;
        case ItemKind::text:
            text_element(o, i, i.points[0], {}, true);
            break;
        case ItemKind::label:
            // The label box is part of the interface: tests read data-x/y/w/h to check overlaps.
            o.raw("<g");
            common(o, i);
            o.attr("data-x", i.box.x).attr("data-y", i.box.y).attr("data-w", i.box.w).attr("data-h", i.box.h);
            o.raw(">\n<rect");
            o.attr("x", i.box.x)
                .attr("y", i.box.y)
                .attr("width", i.box.w)
                .attr("height", i.box.h)
                .attr("rx", 0.6);
            o.raw(" fill=\"#ffffff\"");
            o.colour("stroke", i.stroke);
            if (i.stroke)
                o.attr("stroke-width", i.stroke_width);
            o.raw("/>\n");
            text_element(o, i, i.points[0], "label-text", false);
            o.raw("</g>\n");
            break;
        case ItemKind::group:
            o.raw("<g");
            common(o, i);
            o.raw(">\n");
            break;
        case ItemKind::end_group:
            o.raw("</g>\n");
            break;
        }
    }
    o.raw("</svg>\n");
    return s;
}

} // namespace fuelmap
