// SPDX-License-Identifier: MIT
/// @file registry_layers.hpp
/// @brief Private: the registry's layers as GDAL reads them (export copies them feature by
/// feature through OGR); the schema knowledge stays in store/.
#pragma once

#include <string>

namespace fuelmap::detail {

/// The query (SQL of GDAL's GeoPackage driver) that reads every feature of the registry layer
/// @p layer in key order: grades by code, every other layer by station id, then feature id.
[[nodiscard]] std::string ordered_layer_query(const std::string& layer);

} // namespace fuelmap::detail
