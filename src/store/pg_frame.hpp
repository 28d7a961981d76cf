// SPDX-License-Identifier: MIT
/// @file pg_frame.hpp
/// @brief Private: a PostgreSQL/PostGIS registry opened for a draw, with its layout cache
/// (docs/registry.md, "PostgreSQL/PostGIS", "Layout cache"). Table fuelmap_frame_layouts holds, per
/// station id, exactly the bytes of that station's N lines of the frame text, written by import;
/// triggers on nozzles, supplies and stations (SECURITY DEFINER, so that any role's edit marks)
/// record every station whose rows change in fuelmap_frame_dirty. A draw reads the stations, the
/// cache and the marks in one snapshot and recomputes only the marked stations from their rows; the
/// cache is used only when its tables, functions and triggers are exactly as written here.
#pragma once

#include "store/frame_source.hpp"

#include <pqxx/pqxx>

#include <memory>
#include <span>
#include <string>

namespace fuelmap::detail {

/// Creates the layout cache of a registry whose layouts are exactly @p sites (every station of it):
/// the two tables, the trigger functions and the triggers, and one cache row per station, in @p tx.
/// Call after the sites' rows are written (the triggers do not exist while they are).
/// @throws pqxx exceptions.
void pg_create_layout_cache(pqxx::transaction_base& tx, std::span<const Site> sites);

/// True when the database of @p tx holds the layout cache with every trigger and trigger function
/// exactly as pg_create_layout_cache() writes them, each trigger enabled, and the connection's role
/// may read both cache tables.
[[nodiscard]] bool pg_layout_cache_trusted(pqxx::transaction_base& tx);

/// Opens the registry @p registry (an is_pg_registry() name) for a draw in one REPEATABLE READ
/// snapshot on a connection of its own: the stations are read now, the frame digest from the
/// layout cache when @p use_layout_cache and the cache is trusted (else from every nozzle and supply
/// row), the drawn stations' nozzles on demand. @throws InputError naming the registry.
[[nodiscard]] std::unique_ptr<FrameSource> open_pg_frame_source(const std::string& registry,
                                                                bool use_layout_cache);

} // namespace fuelmap::detail
