// SPDX-License-Identifier: MIT
/// @file pg_connection.hpp
/// @brief Private: the one place that connects to a registry held in a PostgreSQL/PostGIS database
/// (docs/registry.md, "PostgreSQL/PostGIS").
/// libpqxx types show only in src/store/.
#pragma once

#include <fuelmap/error.hpp>

#include "store/pg_name.hpp"

#include <pqxx/pqxx>

#include <memory>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Connects to the registry database @p registry (time zone UTC, client encoding UTF-8).
/// @throws InputError naming the registry: "cannot connect to the registry database: …".
[[nodiscard]] std::unique_ptr<pqxx::connection> pg_connect(const std::string& registry);

/// The InputError for a database error @p e met on the registry @p registry while doing @p what
/// ("cannot read the registry", …), with PostgreSQL's message.
[[nodiscard]] InputError pg_error(const std::string& registry, const std::string& what,
                                  const std::exception& e);

} // namespace fuelmap::detail
