// SPDX-License-Identifier: MIT
/// @file pg_qgis_tables.hpp
/// @brief Private: the tables QGIS reads from a PostgreSQL/PostGIS registry by convention:
/// public.layer_styles (default layer styles, QGIS's own schema) and public.qgis_projects (projects
/// stored in the database). The styles and project are made by store/qgis_style.hpp, the same as for a
/// GeoPackage; only the layers' data sources differ (docs/qgis.md).
#pragma once

#include <pqxx/pqxx>

#include <string>

namespace fuelmap::detail {

/// Makes and writes the styles and project of the registry @p name open in @p tx (inside the
/// caller's transaction) for its grades and the extent of its stations: creates layer_styles and
/// qgis_projects when missing, replaces the rows named "fuelmap", keeps every other style and
/// project. The project's layers connect with the database name, host, port and user of @p tx's
/// connection, never a password. @throws InputError when @p name holds no registry; pqxx errors.
void pg_write_qgis_tables(pqxx::transaction_base& tx, const std::string& name);

/// Whether the user of @p tx may (re)write layer_styles and qgis_projects: a county office that adds
/// stations may not; the registry's owner refreshes them (`fuelmap qgis`). @throws pqxx errors.
[[nodiscard]] bool pg_may_write_qgis_tables(pqxx::transaction_base& tx);

} // namespace fuelmap::detail
