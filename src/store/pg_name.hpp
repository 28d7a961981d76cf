// SPDX-License-Identifier: MIT
/// @file pg_name.hpp
/// @brief Private: how a -r argument names a registry held in a PostgreSQL/PostGIS database
/// (docs/registry.md, "PostgreSQL/PostGIS"). No database type shows here.
#pragma once

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// True when @p registry names a PostgreSQL database rather than a file: `PG:` followed by libpq
/// keyword=value pairs (GDAL's syntax), or a `postgresql://` or `postgres://` URI (any case).
[[nodiscard]] bool is_pg_registry(std::string_view registry) noexcept;

/// The libpq connection string of @p registry (an is_pg_registry() name): without `PG:`.
[[nodiscard]] std::string pg_conninfo(std::string_view registry);

} // namespace fuelmap::detail
