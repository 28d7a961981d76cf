// SPDX-License-Identifier: MIT
/// @file registry_writer.hpp
/// @brief Private: writes the rows of a new registry straight into the GeoPackage tables that GDAL
/// created (prepared SQLite statements, GeoPackage geometry blobs encoded here, spatial indexes
/// filled in bulk), instead of one OGRFeature at a time through GDAL.
#pragma once

#include <fuelmap/registry.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace fuelmap::detail {

/// Writes @p meta (key, value rows of fuelmap_meta), the grades and the sites of @p registry into
/// the registry file @p path, whose layers exist and are empty, in one transaction. Keeps the file a
/// valid GeoPackage: feature counts, layer extents and R-tree spatial indexes (with their triggers)
/// are brought up to date. @throws fuelmap::Error naming the file and the layer on failure (a
/// duplicate key included), after which the file is to be discarded.
void write_registry_rows(const std::filesystem::path& path,
                         const std::vector<std::pair<std::string, std::string>>& meta,
                         const Registry& registry);

/// create_registry() of a GeoPackage file (docs/registry.md, "Writes are all or nothing").
void create_gpkg_registry(const std::filesystem::path& path, const Registry& registry);

/// append_to_registry() of a GeoPackage file: copied, extended and renamed over the original.
void append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                             const GradeTable& grades);

} // namespace fuelmap::detail
