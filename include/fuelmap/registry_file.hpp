// SPDX-License-Identifier: MIT
/// @file registry_file.hpp
/// @brief Reading and writing the registry GeoPackage (layers stations, tanks, dispensers,
/// nozzles, sites; tables supplies, grades, fuelmap_meta). See docs/registry.md.
#pragma once

#include <fuelmap/registry.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace fuelmap {

/// What to read from a registry.
struct ReadOptions {
    std::vector<std::string> stations; ///< only these station ids (empty: all)
    bool layouts = true;               ///< false: stations and grades only (no tanks, nozzles …)
    /// false: the stations' name, operator, brand, address and attributes may be left empty (for a
    /// draw whose design reads none of them).
    bool details = true;
};

/// Reads a registry GeoPackage. @throws InputError when the file is missing, is not a fuelmap
/// registry, names a station in @p options that it does not hold, or holds a malformed row.
[[nodiscard]] Registry read_registry(const std::filesystem::path& path, const ReadOptions& options = {});

/// Writes @p registry as a new GeoPackage at @p path. The file is built beside the target and
/// renamed over it only when complete, so an interrupted write leaves the old file (or none).
/// @throws Error when the file cannot be written.
void create_registry(const std::filesystem::path& path, const Registry& registry);

/// Appends @p sites (and any grade of @p grades not yet stored) to the registry at @p path, all
/// or nothing: the registry is copied, extended and renamed over the original.
/// @throws InputError when a station id is already in the registry.
void append_to_registry(const std::filesystem::path& path, std::span<const Site> sites,
                        const GradeTable& grades);

/// True when @p path is an existing file that looks like a fuelmap registry.
[[nodiscard]] bool is_registry(const std::filesystem::path& path);

} // namespace fuelmap
