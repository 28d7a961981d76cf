// SPDX-License-Identifier: MIT
/// @file pg_connection.hpp
/// @brief Private: the one place that connects to a registry held in a PostgreSQL/PostGIS database
/// (docs/registry.md, "PostgreSQL/PostGIS").
/// libpqxx types show only in src/store/.
#pragma once

#include <fuelmap/error.hpp>

#include "store/pg_name.hpp"

#include <pqxx/pqxx>

#include <cstdint>
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

/// The text of a result field, "" for NULL (valid while its result lives).
[[nodiscard]] std::string_view pg_text(const pqxx::field& f) noexcept;

/// A result field as an integer (0 for NULL or text that is none).
[[nodiscard]] std::int64_t pg_int64(const pqxx::field& f) noexcept;

/// A result field as a double, read exactly from PostgreSQL's shortest text (0 for NULL).
[[nodiscard]] double pg_real(const pqxx::field& f) noexcept;

} // namespace fuelmap::detail
