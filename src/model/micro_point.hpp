// SPDX-License-Identifier: MIT
/// @file micro_point.hpp
/// @brief Private: a WGS84 position in whole microdegrees, the exact integer form in which the
/// frame text records station positions and the schedule measures routes (docs/sampling.md §8, §10).
#pragma once

#include <fuelmap/geo.hpp>

#include <cstdint>

namespace fuelmap::detail {

/// A WGS84 position in whole microdegrees (10^-6 degree).
struct MicroPoint {
    std::int64_t lon = 0; ///< longitude × 10^6
    std::int64_t lat = 0; ///< latitude × 10^6
};

/// The position of a double WGS84 point: each coordinate × 10^6 (one IEEE-754 double
/// multiplication), rounded to the nearest integer, halves away from zero.
[[nodiscard]] MicroPoint micro_point(const GeoPoint& p) noexcept;

} // namespace fuelmap::detail
