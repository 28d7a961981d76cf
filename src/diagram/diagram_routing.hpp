// SPDX-License-Identifier: MIT
// Supply line routing for station pages: orthogonal runs on a 2 mm grid of the map area, bundled
// per tank, around every symbol that is not one of the line's own ends. See docs/diagrams.md.
#pragma once

#include <fuelmap/diagram.hpp>

#include <cstddef>
#include <vector>

namespace fuelmap::detail {

/// What the router needs to know about a page: the area lines may use, the tanks (capsules of
/// width = 2 × corner radius) and every other symbol box, and the legs to route, in routing order.
struct RoutingProblem {
    PageBox area;                   ///< lines stay inside
    std::vector<PageBox> tanks;     ///< tank capsules, by tank index
    std::vector<PageBox> obstacles; ///< every other symbol (dispensers, nozzles, notes)
    /// One tank → nozzle leg; the line enters the nozzle through its outer edge.
    struct Leg {
        std::size_t tank = 0; ///< tank index
        PageBox nozzle;       ///< the nozzle pill
        bool top = false;     ///< the pill sits above its dispenser (enter from above)
        int slot = 0;         ///< which of `slots` entry points on the pill edge (blends: two)
        int slots = 1;        ///< entry points on this pill
    };
    std::vector<Leg> legs; ///< in routing order
};

/// A routed leg: the polyline from the nozzle edge to the tank outline.
struct RoutedLeg {
    std::vector<PagePoint> points; ///< nozzle end first, tank end last
    std::vector<PagePoint> branch; ///< the leg's own part: from the nozzle to its junction or tank
    PagePoint junction;            ///< where it joins an earlier line of its tank (when joined)
    bool joined = false;           ///< the leg joins an earlier leg of its tank at `junction`
    bool clear = true;             ///< false: no free path; the line passes through symbols
};

/// The routed lines of a page, by leg index of the problem.
struct Routing {
    std::vector<RoutedLeg> legs; ///< one per problem leg
    int crossings = 0;           ///< times a line crosses a line of another tank
    int unrouted = 0;            ///< legs without a free path (drawn through symbols)
};

/// Routes every leg: an A* search per leg on a 2 mm grid (integer costs: length, bends, crossings)
/// from the nozzle to its tank or to any point of a line already drawn from that tank, never
/// through a symbol or along a line of another tank, and crossing lines of other tanks only at
/// right angles. Deterministic: integer costs, ties broken by grid index.
[[nodiscard]] Routing route_supply_lines(const RoutingProblem& problem);

} // namespace fuelmap::detail
