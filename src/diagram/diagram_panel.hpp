// SPDX-License-Identifier: MIT
// The panel on the right of a station page: north arrow (pages drawn to scale), legend of the
// grades and symbols on the page, and the title block. See docs/diagrams.md.
#pragma once

#include "diagram/diagram_kit.hpp"

#include <fuelmap/grade.hpp>
#include <fuelmap/site.hpp>

#include <vector>

namespace fuelmap::detail {

/// What the panel shows.
struct PanelInput {
    const Site& site;                  ///< the station
    const GradeTable& grades;          ///< for the grade families
    const DiagramOptions& options;     ///< date and registry digest
    const DiagramWords& words;         ///< the drawing's words
    const DiagramPlanOverlay* overlay; ///< the plan's picks, or nullptr
    bool surveyed;                     ///< drawn to scale (north arrow, scale ratio)
    double denominator;                ///< scale ratio 1:denominator when surveyed
};

/// Appends the north arrow, the legend and the title block inside @p panel to @p items.
void draw_panel(const PanelInput& in, PageBox panel, std::vector<DiagramItem>& items);

} // namespace fuelmap::detail
