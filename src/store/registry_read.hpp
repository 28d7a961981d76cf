// SPDX-License-Identifier: MIT
/// @file registry_read.hpp
/// @brief Private: read_registry() with a choice of worker threads (tests force each path), and
/// the registry's grade table on its own.
#pragma once

#include <fuelmap/registry_file.hpp>

#include "util/threading.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// The grade table of the registry file @p path: the built-in grades, each replaced or extended by
/// the rows of its grades table. The one reader of that table (read_registry() uses it too).
/// @throws InputError as read_registry(), and naming the row of an unknown grade family.
[[nodiscard]] GradeTable read_registry_grades(const std::filesystem::path& path);

/// read_registry() with a choice of threading; the result and the errors do not depend on it.
[[nodiscard]] Registry read_registry(const std::filesystem::path& path, const ReadOptions& options,
                                     Threading threading);

/// The grades and those of @p station_ids that the registry at @p path holds, with their layouts;
/// ids it does not hold are left out (the caller reports them where they were named); more than
/// 10,000 ids read the whole registry. What a write that names a few stations needs, without
/// reading every station's layout.
/// @throws InputError as read_registry().
[[nodiscard]] Registry read_named_stations(const std::filesystem::path& path,
                                           std::vector<std::string> station_ids);

} // namespace fuelmap::detail
