// SPDX-License-Identifier: MIT
/// @file registry_layers.hpp
/// @brief Private: the registry's layers as GDAL reads them (export copies them feature by
/// feature through OGR); the schema knowledge stays in store/, which also defines
/// exportable_layers() (fuelmap/export.hpp).
#pragma once

#include <string>
#include <vector>

namespace fuelmap::detail {

/// The query (SQL that GDAL's GeoPackage and PostgreSQL drivers both run) that reads every feature
/// of the registry layer @p layer in key order: grades by code, every other layer by station id,
/// then feature id. With @p counties, only the rows of the stations of those counties (every grade).
[[nodiscard]] std::string ordered_layer_query(const std::string& layer,
                                              const std::vector<std::string>& counties = {});

/// The query that counts the stations of county @p county (one row, one column).
[[nodiscard]] std::string county_stations_query(const std::string& county);

} // namespace fuelmap::detail
