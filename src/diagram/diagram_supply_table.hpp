// SPDX-License-Identifier: MIT
// The supply table of a station page: every nozzle with its grade and the tank(s) it draws from,
// in nozzle-number order, in as many columns as the width allows. See docs/diagrams.md.
#pragma once

#include "diagram/diagram_kit.hpp"

#include <fuelmap/site.hpp>

#include <map>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// The table's size, worked out before the page is laid out so that the map leaves room for it.
class SupplyTable {
public:
    /// Lays out the rows of @p site for a strip @p width mm wide; @p samples maps the nozzles to
    /// sample to their sample ids (their rows are marked).
    SupplyTable(const Site& site, const DiagramWords& words, double width,
                const std::map<std::string, std::string>& samples);
    /// Height of the table, mm.
    [[nodiscard]] double height() const noexcept { return m_height; }
    /// Appends the table (a group of class `supply-table`) with its top-left corner at @p at.
    void draw(PagePoint at, std::vector<DiagramItem>& items) const;

private:
    struct Row {
        std::string nozzle, grade, tanks, tank_data;
        std::string sample; // sample id; empty: not to sample
        bool marked = false;
    };
    const DiagramWords& m_w;
    std::vector<Row> m_rows;
    double m_no_w = 0, m_grade_w = 0, m_tanks_w = 0, m_col_w = 0, m_width = 0, m_height = 0;
    std::size_t m_cols = 1, m_per_col = 0;
};

/// Share of a blend leg as text: "40%", "33.3%".
[[nodiscard]] std::string percent(double fraction);

} // namespace fuelmap::detail
