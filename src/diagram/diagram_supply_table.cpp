// SPDX-License-Identifier: MIT
#include "diagram/diagram_supply_table.hpp"

#include <algorithm>
#include <cmath>

namespace fuelmap::detail {

namespace {

constexpr double font = 2.3;
constexpr double header_font = 2.0;
constexpr double row_h = 3.3;
constexpr double header_h = 3.6;
constexpr double pad = 1.0;      // inside the frame
constexpr double cell_gap = 1.6; // between the cells of a row
constexpr double col_gap = 3.0;  // between columns of rows
constexpr double marker_w = 2.6; // the "to sample" dot before the nozzle number

} // namespace

std::string percent(double fraction) {
    const double p = fraction * 100.0;
    if (std::fabs(p - std::round(p)) < 0.05)
        return fixed(std::round(p), 0) + "%";
    return fixed(p, 1) + "%";
}

SupplyTable::SupplyTable(const Site& site, const DiagramWords& words, double width,
                         const std::map<std::string, std::string>& samples)
    : m_w(words), m_width(width) {
    for (const Nozzle& n : site.nozzles) {
        const auto sample = samples.find(n.nozzle_no);
        Row r{n.nozzle_no,
              n.grade,
              {},
              {},
              sample == samples.end() ? "" : sample->second,
              sample != samples.end()};
        for (std::size_t l = 0; l < n.supply.size(); ++l) {
            const SupplyLeg& leg = n.supply[l];
            if (l > 0) {
                r.tanks += " + ";
                r.tank_data += ";";
            }
            r.tanks += n.supply.size() > 1 ? leg.tank_no + " " + percent(leg.fraction) : leg.tank_no;
            r.tank_data += leg.tank_no + ":" + fixed(leg.fraction, 4);
        }
        if (r.tanks.empty())
            r.tanks = "-";
        m_rows.push_back(std::move(r));
    }
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [](const Row& a, const Row& b) { return number_less(a.nozzle, b.nozzle); });
    m_no_w = text_width_em(words.table_nozzle) * header_font;
    m_grade_w = text_width_em(words.table_grade) * header_font;
    m_tanks_w = text_width_em(words.table_tanks) * header_font;
    for (const Row& r : m_rows) {
        m_no_w = std::max(m_no_w, text_width_em(r.nozzle) * font);
        m_grade_w = std::max(m_grade_w, text_width_em(r.grade) * font);
        m_tanks_w = std::max(m_tanks_w, text_width_em(r.tanks) * font);
    }
    m_col_w = marker_w + m_no_w + cell_gap + m_grade_w + cell_gap + m_tanks_w;
    const double inner = width - 2 * pad;
    const auto fit =
        static_cast<std::size_t>(std::max(1.0, std::floor((inner + col_gap) / (m_col_w + col_gap))));
    const std::size_t n = std::max<std::size_t>(m_rows.size(), 1);
    m_per_col = (n + fit - 1) / fit;
    m_cols = (n + m_per_col - 1) / m_per_col;
    m_height = 2 * pad + header_h + static_cast<double>(m_per_col) * row_h;
}

void SupplyTable::draw(PagePoint at, std::vector<DiagramItem>& items) const {
    DiagramItem group;
    group.kind = ItemKind::group;
    group.css_class = "supply-table";
    group.data = {{"rows", std::to_string(m_rows.size())}};
    items.push_back(std::move(group));
    items.push_back(make_rect({at.x, at.y, m_width, m_height}, dark_grey, white, 0.3, "supply-table-frame"));
    for (std::size_t c = 0; c < m_cols; ++c) {
        const double x = at.x + pad + static_cast<double>(c) * (m_col_w + col_gap);
        const double x_grade = x + marker_w + m_no_w + cell_gap;
        const double x_tanks = x_grade + m_grade_w + cell_gap;
        double y = at.y + pad;
        const double head = y + header_h * 0.7;
        items.push_back(make_text({x + marker_w, head}, m_w.table_nozzle, header_font, mid_grey,
                                  TextAnchor::start, true, "supply-table-head"));
        items.push_back(make_text({x_grade, head}, m_w.table_grade, header_font, mid_grey, TextAnchor::start,
                                  true, "supply-table-head"));
        items.push_back(make_text({x_tanks, head}, m_w.table_tanks, header_font, mid_grey, TextAnchor::start,
                                  true, "supply-table-head"));
        y += header_h;
        for (std::size_t k = c * m_per_col; k < std::min(m_rows.size(), (c + 1) * m_per_col); ++k) {
            const Row& r = m_rows[k];
            DiagramItem row;
            row.kind = ItemKind::group;
            row.css_class = r.marked ? "supply-row sample" : "supply-row";
            row.data = {{"nozzle", r.nozzle}, {"grade", r.grade}, {"tanks", r.tank_data}};
            if (r.marked)
                row.data.emplace_back("sample", r.sample);
            items.push_back(std::move(row));
            // Every other row shaded so that a row can be followed across in greyscale.
            const PageBox band{x, y, m_col_w, row_h};
            if (r.marked)
                items.push_back(make_rect(band, pick_red, tint(pick_red, 0.88), 0.35, "supply-row-band"));
            else if ((k - c * m_per_col) % 2 == 1)
                items.push_back(make_rect(band, std::nullopt, Rgb{238, 238, 238}, 0.0, "supply-row-band"));
            const double base = y + row_h * 0.5 + font * 0.36;
            if (r.marked)
                items.push_back(make_circle({x + marker_w / 2, y + row_h / 2}, 0.8, std::nullopt, pick_red,
                                            0.0, "supply-row-mark"));
            const Rgb ink = r.marked ? pick_red : black;
            items.push_back(make_text({x + marker_w, base}, r.nozzle, font, ink, TextAnchor::start, true,
                                      "supply-row-nozzle"));
            items.push_back(make_text({x_grade, base}, r.grade, font, ink, TextAnchor::start, r.marked,
                                      "supply-row-grade"));
            items.push_back(make_text({x_tanks, base}, r.tanks, font, ink, TextAnchor::start, r.marked,
                                      "supply-row-tanks"));
            DiagramItem end;
            end.kind = ItemKind::end_group;
            items.push_back(std::move(end));
            y += row_h;
        }
    }
    DiagramItem end;
    end.kind = ItemKind::end_group;
    items.push_back(std::move(end));
}

} // namespace fuelmap::detail
