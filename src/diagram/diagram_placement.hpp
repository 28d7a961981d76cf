// SPDX-License-Identifier: MIT
// Where the symbols of a station page go: surveyed positions projected to the page at a "nice"
// scale, symbol groups moved apart where they would overlap, or the automatic layout.
// See docs/diagrams.md, "Positions and the automatic layout".
#pragma once

#include <fuelmap/diagram.hpp>
#include <fuelmap/geo.hpp>
#include <fuelmap/site.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// The site drawing's area on an A4 landscape page (mm), before the supply table takes its strip.
constexpr PageBox map_box{10, 10, 199, 178};

// Symbol sizes, millimetres on paper (the same at every scale so that text always fits).
constexpr double tank_w = 13.0;
constexpr double tank_h = 20.0;
constexpr double nozzle_h = 6.4; // nozzle "pill": number above grade inside
constexpr double nozzle_font = 2.4;
constexpr double nozzle_gap = 1.0; // between pills, and pill to dispenser
constexpr double dispenser_h = 6.0;

/// A tank on the page.
struct TankShape {
    const Tank* tank;
    LocalPoint m; // metres (or layout units)
    PageBox box;
};

/// A dispenser on the page, with its nozzles by side.
struct DispenserShape {
    std::string number;
    std::string island;
    const Dispenser* dispenser; // nullptr for nozzles naming an unknown dispenser
    LocalPoint m;
    PageBox box;
    std::vector<std::size_t> top, bottom; // nozzle indices by side
};

/// A nozzle pill on the page.
struct NozzleShape {
    const Nozzle* nozzle;
    std::size_t dispenser;
    PageBox box;
    bool top = false;
};

/// Where everything of a station page goes.
struct Placement {
    std::vector<TankShape> tanks;                 ///< in registry order
    std::vector<DispenserShape> disps;            ///< registry order, then dispensers only nozzles name
    std::vector<NozzleShape> nozzles;             ///< in registry order
    std::vector<LocalPoint> outline_m;            ///< site outline, local metres (empty: none drawn)
    bool surveyed = false;                        ///< drawn to scale from recorded positions
    bool displaced = false;                       ///< surveyed, but symbol groups moved apart
    bool crowded = false;                         ///< positions recorded but too close: automatic layout
    double mm_per_m = 1.0;                        ///< scale
    double denominator = 0.0;                     ///< scale ratio 1:denominator (surveyed only)
    std::function<PagePoint(LocalPoint)> to_page; ///< local metres (or layout units) to the page
};

/// Places the tanks, dispensers and nozzles of @p site in @p map (the page area for the site).
[[nodiscard]] Placement place_station(const Site& site, PageBox map);

} // namespace fuelmap::detail
