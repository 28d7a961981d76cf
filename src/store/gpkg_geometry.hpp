// SPDX-License-Identifier: MIT
/// @file gpkg_geometry.hpp
/// @brief Decoding of GeoPackage geometry blobs (points and polygon outer rings) without GDAL,
/// for the fast registry read path.
#pragma once

#include <fuelmap/geo.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace fuelmap::detail {

/// The point in a GeoPackage geometry blob; std::nullopt for an empty geometry or another type.
[[nodiscard]] std::optional<GeoPoint> decode_gpkg_point(const void* blob, std::size_t size);

/// The outer ring of a polygon (or of a multipolygon's first polygon) in a GeoPackage blob;
/// empty for an empty geometry or another type.
[[nodiscard]] std::vector<GeoPoint> decode_gpkg_outer_ring(const void* blob, std::size_t size);

} // namespace fuelmap::detail
