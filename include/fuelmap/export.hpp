// SPDX-License-Identifier: MIT
/// @file export.hpp
/// @brief Exporting registry layers to any GDAL vector format (GeoJSON, GPKG, KML, CSV, XLSX,
/// ESRI Shapefile …). See docs/formats.md.
#pragma once

#include <fuelmap/progress.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fuelmap {

/// The registry layers and tables that can be exported, in export order: stations, tanks,
/// dispensers, nozzles, sites, supplies, grades.
[[nodiscard]] const std::vector<std::string>& exportable_layers();

/// What to export and how.
struct ExportOptions {
    /// GDAL driver short name ("GeoJSON", "GPKG", "CSV", "KML", "XLSX", "ESRI Shapefile" …);
    /// empty: chosen from the extension of the output path.
    std::string format;
    /// Layers to export (names from exportable_layers()); empty: all of them.
    std::vector<std::string> layers;
    /// Only the stations of these counties (the `county` field) with their rows in every layer, and
    /// every grade; empty: the whole registry. Each must hold a station.
    std::vector<std::string> counties;
    /// Called with features written so far and the total; may be empty.
    ProgressFn progress;
};

/// What an export wrote.
struct ExportResult {
    std::string format;                       ///< the GDAL driver used
    std::vector<std::filesystem::path> files; ///< the files (or dataset) written, in layer order
    std::size_t features = 0;                 ///< features written over all layers
};

/// The GDAL driver for an output path's extension (".geojson" → "GeoJSON", ".gpkg" → "GPKG" …).
/// @throws UsageError when the extension names no GDAL vector driver that can write.
[[nodiscard]] std::string format_for_path(const std::filesystem::path& out);

/// Exports layers of the registry at @p registry to @p out. Output is UTF-8 and WGS84, features
/// ordered by station id (then registry order), so that the same registry content always gives
/// the same files. Drivers that hold several layers in one dataset (GPKG, KML, XLSX …) write one
/// dataset at @p out; single-layer drivers (GeoJSON, CSV, Shapefile …) asked for several layers
/// write @p out as a directory with one file per layer (stations.geojson, supplies.csv …).
/// Every file is written in a staging directory beside its target, each write checked, and renamed
/// over the target only once every layer is written: a failure (a full disk included) leaves earlier
/// files as they were. `/vsistdout/` works for one layer.
/// @throws InputError when the registry cannot be read, or a county of the options holds no
/// station; UsageError for an unknown layer or format, or a layer or county named twice;
/// InputError for an output that is the registry (the same file, through any link) or a special
/// file; Error naming the file when it cannot be written ("the disk is full" …).
ExportResult export_registry(const std::filesystem::path& registry, const std::filesystem::path& out,
                             const ExportOptions& options = {});

} // namespace fuelmap
