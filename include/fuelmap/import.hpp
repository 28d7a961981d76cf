// SPDX-License-Identifier: MIT
/// @file import.hpp
/// @brief Importing stations or full site layouts from any GDAL vector source into a registry.
/// The input shapes, the mapping file and the limits are described in docs/formats.md.
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/progress.hpp>
#include <fuelmap/site.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// How the fields of a *station list* (one point layer, e.g. an OpenStreetMap amenity=fuel export)
/// become stations, and how a source's coordinates are to be read. Loaded from a mapping JSON file
/// with load_mapping().
struct ImportMapping {
    /// The source layer to read (empty: the only layer of the source).
    std::string layer;
    /// Station field ("station_id", "name", "operator", "brand", "ownership", "province", "city",
    /// "county", "address", "status", "annual_volume_m3", "risk_weight") → source field name.
    std::map<std::string, std::string> fields;
    /// Station field → value used for every station (wins over `fields`).
    std::map<std::string, std::string> constants;
    /// Station field → value used when the source value is empty (or, for a field with a `values`
    /// table, not in that table).
    std::map<std::string, std::string> defaults;
    /// Station field → (source value → stored value), e.g. ownership: "中国石化" → "major".
    std::map<std::string, std::map<std::string, std::string>> values;
    /// Text put before every station id (e.g. "OSM-").
    std::string id_prefix;
    /// Source fields never copied into Station::attributes.
    std::vector<std::string> ignore;
    /// Whether unmapped source fields go to Station::attributes.
    bool keep_attributes = true;
    /// CRS of the source coordinates, overriding what the source declares: "GCJ-02" or "BD-09"
    /// (ChinaCrs, converted by fuelmap) or any CRS PROJ knows ("EPSG:4490", WKT or PROJ string);
    /// empty: the declared CRS, or WGS84 when none is declared and the coordinates are in range.
    std::string crs;
    /// Layouts: geometry of tanks, dispensers, nozzles and sites is in metres east/north of the
    /// station's location, not in a CRS.
    bool local_metres = false;
};

/// Reads a mapping JSON file. @throws InputError naming the file and the key when it is not valid
/// JSON, has an unknown key or names an unknown station field.
[[nodiscard]] ImportMapping load_mapping(const std::filesystem::path& path);

/// Guards against inputs too large to be meant.
struct ImportLimits {
    std::uint64_t max_features_per_layer = 20'000'000;      ///< features in one source layer
    std::uint64_t max_file_bytes = std::uint64_t{16} << 30; ///< size of one source file (16 GiB)
};

/// How to import.
struct ImportOptions {
    /// Field mapping of a station list, CRS and local-metre settings; std::nullopt: the source is
    /// a layout or a station list with the registry's field names, in WGS84 or a declared CRS.
    std::optional<ImportMapping> mapping;
    /// Size guards.
    ImportLimits limits;
    /// Grades every tank and nozzle grade must be in (a layout's `grades` layer extends it).
    GradeTable grades = GradeTable::builtin();
    /// Called with features read so far and the total; may be empty.
    ProgressFn progress;
};

/// What the sources held.
struct ImportData {
    std::vector<Site> sites;  ///< every station with its layout, in source order
    GradeTable grades;        ///< the grades of ImportOptions plus those of the sources
    std::size_t features = 0; ///< features read over all layers
    /// Where each site's station was read (file, layer, feature id), in the order of @ref sites.
    std::vector<Location> origins;
};

/// Reads stations or layouts from @p sources (files or directories holding one file per layer),
/// reprojecting to WGS84, and checks their structure. Nothing is written.
/// @throws InputError naming file, layer or line, feature id and field for every bad input.
[[nodiscard]] ImportData read_import_sources(const std::vector<std::filesystem::path>& sources,
                                             const ImportOptions& options = {});

/// Counts of what an import wrote.
struct ImportSummary {
    std::size_t stations = 0;   ///< stations
    std::size_t tanks = 0;      ///< tanks
    std::size_t dispensers = 0; ///< dispensers
    std::size_t nozzles = 0;    ///< nozzles
    std::size_t features = 0;   ///< source features read
    /// Records moved with their ledger entries, by entry kind (plan, observation …): a registry
    /// file imported into a new PostgreSQL registry brings them (docs/registry.md).
    std::map<std::string, std::size_t> moved_records;
};

/// Reads @p sources and writes them to the registry at @p registry: a new registry, or with
/// @p append the stations are added to an existing one. All or nothing: on any error the
/// registry is left as it was (also when the process is killed). @return what was imported.
/// @throws InputError for bad input (also: registry exists without @p append, or a station id is
/// already in it); Error when the registry cannot be written.
ImportSummary import_to_registry(const std::vector<std::filesystem::path>& sources,
                                 const std::filesystem::path& registry, bool append,
                                 ImportOptions options = {});

} // namespace fuelmap
