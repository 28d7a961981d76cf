// SPDX-License-Identifier: MIT
/// @file china_crs.hpp
/// @brief The coordinates of Chinese web maps: GCJ-02 (Amap, Tencent, the published maps of China)
/// and BD-09 (Baidu), converted to and from WGS84. Accuracy and the China test: docs/formats.md.
#pragma once

#include <fuelmap/geo.hpp>

#include <optional>
#include <string_view>

namespace fuelmap {

/// A coordinate system of Chinese web maps (longitude/latitude in degrees, shifted from WGS84).
enum class ChinaCrs {
    gcj02, ///< GCJ-02 ("Mars coordinates"): Amap (Gaode), Tencent, Google Maps in China
    bd09,  ///< BD-09: Baidu Maps (GCJ-02 shifted once more)
};

/// The system a mapping's "crs" names: "GCJ-02" / "GCJ02" or "BD-09" / "BD09" / "BD09LL" (any
/// case, "-", "_" and spaces ignored); std::nullopt for any other text (then a PROJ CRS).
[[nodiscard]] std::optional<ChinaCrs> parse_china_crs(std::string_view name);

/// The canonical name of @p crs ("GCJ-02", "BD-09").
[[nodiscard]] std::string_view to_string(ChinaCrs crs) noexcept;

/// True when @p p lies in the box where GCJ-02 shifts coordinates: longitude 72.004–137.8347 and
/// latitude 0.8293–55.8271 (a rectangle round China, as every public implementation uses; outside
/// it GCJ-02 and WGS84 coincide).
[[nodiscard]] bool in_china_box(const GeoPoint& p) noexcept;

/// WGS84 → GCJ-02 by the public (reconstructed) forward transform; unchanged outside the box.
[[nodiscard]] GeoPoint wgs84_to_gcj02(const GeoPoint& wgs84) noexcept;
/// GCJ-02 → WGS84: the forward transform inverted by fixed-point iteration until it reproduces
/// @p gcj02 to 1e-10 degrees (about 0.01 mm); unchanged outside the box.
[[nodiscard]] GeoPoint gcj02_to_wgs84(const GeoPoint& gcj02) noexcept;
/// GCJ-02 → BD-09 (Baidu's published closed form).
[[nodiscard]] GeoPoint gcj02_to_bd09(const GeoPoint& gcj02) noexcept;
/// BD-09 → GCJ-02: gcj02_to_bd09() inverted by iteration to 1e-10 degrees.
[[nodiscard]] GeoPoint bd09_to_gcj02(const GeoPoint& bd09) noexcept;

/// A point in @p crs to WGS84.
[[nodiscard]] GeoPoint china_to_wgs84(const GeoPoint& p, ChinaCrs crs) noexcept;
/// A WGS84 point to @p crs.
[[nodiscard]] GeoPoint wgs84_to_china(const GeoPoint& wgs84, ChinaCrs crs) noexcept;

} // namespace fuelmap
