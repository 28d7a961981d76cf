// SPDX-License-Identifier: MIT
/// @file pg_registry.hpp
/// @brief Private: the registry's tables in a PostgreSQL/PostGIS database (docs/registry.md,
/// "PostgreSQL/PostGIS"): the schema (the GeoPackage's tables and columns, PostGIS geometry columns
/// in SRID 4326), writing stations with their layouts, and reading them back into the model exactly
/// as the GeoPackage reader does (same order, same values, same errors for a malformed row).
#pragma once

#include <fuelmap/registry_file.hpp>

#include <pqxx/pqxx>

#include <span>
#include <string>

namespace fuelmap::detail {

/// Creates the PostGIS extension (when missing) and every table of a registry with its keys and
/// indexes, and writes fuelmap_meta's format and version, in @p tx. @throws pqxx exceptions.
void pg_create_schema(pqxx::transaction_base& tx);

/// True when the database of @p tx holds a fuelmap registry (its stations and fuelmap_meta tables).
[[nodiscard]] bool pg_has_registry(pqxx::transaction_base& tx);

/// Checks that the database of @p tx holds a registry of the version this fuelmap reads.
/// @throws InputError naming @p name: "not a fuelmap registry (no stations and fuelmap_meta
/// tables)" or "unsupported registry version …".
void pg_check_registry(pqxx::transaction_base& tx, const std::string& name);

/// True when table @p table exists in the database of @p tx (in the search path).
[[nodiscard]] bool pg_has_table(pqxx::transaction_base& tx, const std::string& table);

/// Writes @p sites (stations, tanks, dispensers, nozzles, supplies, outlines, layer after layer in
/// the order given) with COPY. @throws pqxx exceptions (a duplicate key among them).
void pg_write_sites(pqxx::transaction_base& tx, std::span<const Site> sites);

/// Writes @p grades into the grades table. @throws pqxx exceptions.
void pg_write_grades(pqxx::transaction_base& tx, std::span<const Grade> grades);

/// Reads the registry as read_registry() reads a GeoPackage. @throws InputError naming @p name and,
/// for a malformed row, its table, fid, station and field.
[[nodiscard]] Registry pg_read_registry(pqxx::transaction_base& tx, const std::string& name,
                                        const ReadOptions& options);

/// The registry as a draw reads it: the stations and grades with each station's nozzles and their
/// supply legs (no tanks, dispensers or outlines), as pg_read_registry() reads them; only the
/// stations of @p options when it names some. @throws InputError as pg_read_registry().
[[nodiscard]] Registry pg_read_frame(pqxx::transaction_base& tx, const std::string& name,
                                     const ReadOptions& options = {});

/// The grade table: the built-in grades, each replaced or extended by the stored rows.
/// @throws InputError naming the row of an unknown grade family.
[[nodiscard]] GradeTable pg_read_grades(pqxx::transaction_base& tx, const std::string& name);

} // namespace fuelmap::detail
