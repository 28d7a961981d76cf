// SPDX-License-Identifier: MIT
/// @file qgis_tables.hpp
/// @brief Private: the tables QGIS reads from a registry GeoPackage by convention: layer_styles
/// (default layer styles) and qgis_projects (projects stored in the file). The one writer of both;
/// what goes in them is made by store/qgis_style.hpp (docs/qgis.md).
#pragma once

#include "store/qgis_style.hpp"

#include <filesystem>
#include <string>

namespace SQLite {
class Database;
}

namespace fuelmap::detail {

/// Writes @p styles into the open registry @p db (inside the caller's transaction): creates
/// layer_styles (registered in gpkg_contents) and qgis_projects when missing, replaces the rows
/// named "fuelmap", keeps every other style and project. fuelmap's style is a layer's default
/// unless another style of that layer is. @throws SQLite::Exception.
void write_qgis_tables(SQLite::Database& db, const QgisStyles& styles);

/// Makes and writes the styles and project of the registry file @p path in one transaction, for
/// its grades and the extent of its stations; the project finds the layers at "./@p file_name"
/// (the registry's name once in place, beside the project). @throws InputError when @p path is not
/// a registry; Error when it cannot be written.
void write_qgis_styles(const std::filesystem::path& path, const std::string& file_name);

} // namespace fuelmap::detail
