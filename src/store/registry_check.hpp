// SPDX-License-Identifier: MIT
/// @file registry_check.hpp
/// @brief Private: the registry check for code outside store/ that reads the file by other means
/// (export goes through GDAL), without the database types of registry_db.hpp.
#pragma once

#include <filesystem>

namespace fuelmap::detail {

/// Opens the registry file @p path read-only and closes it again. @throws InputError as
/// open_registry() (registry_db.hpp) when it is missing, is not a registry, is locked or corrupt.
void check_registry(const std::filesystem::path& path);

} // namespace fuelmap::detail
