// SPDX-License-Identifier: MIT
/// @file route.hpp
/// @brief Private: exact integer geometry of routes (docs/sampling.md section 8.4): positions in
/// microdegrees, the straight-line distance between two positions in whole metres, and the visiting
/// order of a route (nearest neighbour from the base, then 2-opt).
#pragma once

#include <fuelmap/geo.hpp>

#include "model/micro_point.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// Parses a decimal number of degrees written with at most 6 digits after the point
/// ("121.447", "-3.5", "37") exactly into microdegrees; nullopt when it is not such a number or
/// lies outside [-180, 180].
[[nodiscard]] std::optional<std::int64_t> parse_micro_degrees(std::string_view text) noexcept;

/// round(10^6 · cos(d°)) for whole degrees 0 ≤ d ≤ 90 (a fixed table, printed in docs/sampling.md).
[[nodiscard]] std::int64_t cos_e6(int degrees) noexcept;

/// The straight-line distance between two positions in whole metres (equirectangular projection at
/// the pair's mean latitude, whole degrees; 1° = 111,195 m): exact integer arithmetic.
[[nodiscard]] std::int64_t straight_metres(MicroPoint a, MicroPoint b) noexcept;

/// The visiting order of @p stops (indexes into it) on a closed tour from @p base and back:
/// nearest neighbour from the base (ties: the smaller id in byte order), then 2-opt with first
/// improvement until no move shortens the tour. @p ids are the stops' station ids.
[[nodiscard]] std::vector<std::size_t> visiting_order(MicroPoint base, const std::vector<MicroPoint>& stops,
                                                      const std::vector<std::string>& ids);

/// The length in metres of the closed tour base → stops[order[0]] → … → base.
[[nodiscard]] std::int64_t tour_metres(MicroPoint base, const std::vector<MicroPoint>& stops,
                                       const std::vector<std::size_t>& order) noexcept;

} // namespace fuelmap::detail
