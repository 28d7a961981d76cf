// SPDX-License-Identifier: MIT
/// @file layout_cache.hpp
/// @brief Private: the registry's layout cache, an accelerator for the frame digest
/// (docs/sampling.md section 10, docs/registry.md "Layout cache").
///
/// Table fuelmap_frame_layouts holds, per station id, exactly the bytes of that station's N lines
/// of the frame text. Triggers on nozzles, supplies and stations record every station whose rows
/// change in fuelmap_frame_dirty, so edits made by any tool (QGIS, sqlite3, GDAL) are seen. The
/// cache is used only when the table and every trigger exist with exactly the SQL written here;
/// otherwise the frame is read from the tables themselves. The digest is the same either way.
#pragma once

#include <fuelmap/registry.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// True when @p db holds the layout cache and every one of its triggers, each exactly as
/// create_layout_cache() writes it.
[[nodiscard]] bool layout_cache_trusted(SQLite::Database& db);

/// Whether the cache of a registry can be used, and which stations are marked dirty.
struct LayoutCacheState {
    bool usable = false;            ///< false: no trusted cache, or a mark that is not text
    std::vector<std::string> dirty; ///< the dirty station ids, ascending
};

/// The state of the cache of @p db. Never writes.
[[nodiscard]] LayoutCacheState layout_cache_state(SQLite::Database& db);

/// Streams the N lines of every station from the cache: calls @p lines(i, text) for each
/// i < station_ids.size() in order (@p station_ids: all station ids of the registry, ascending
/// byte order, unique). Stations marked dirty in @p state are recomputed from their nozzle and
/// supply rows in @p db. Returns false (after any number of calls) when the cache cannot give the
/// frame: it is not usable, a dirty station's rows do not form a layout, a cache row is not text,
/// or rows or cache entries belong to no station (an orphan: the table scan then reports it).
/// Never writes.
[[nodiscard]] bool read_layout_cache(SQLite::Database& db, const LayoutCacheState& state,
                                     std::span<const std::string_view> station_ids,
                                     const std::function<void(std::size_t, std::string_view)>& lines);

/// The same, reading the state of the cache from @p db first.
[[nodiscard]] bool read_layout_cache(SQLite::Database& db, std::span<const std::string_view> station_ids,
                                     const std::function<void(std::size_t, std::string_view)>& lines);

class SqlRows;

/// The cached N lines of single stations of an open registry.
class CachedLines {
public:
    /// Prepares the lookup on @p db, whose cache is in @p state (kept by reference).
    /// @throws SQLite::Exception.
    CachedLines(SQLite::Database& db, const LayoutCacheState& state);
    ~CachedLines();
    CachedLines(const CachedLines&) = delete;
    CachedLines& operator=(const CachedLines&) = delete;

    /// The N lines of station @p station_id as cached (empty when it has none: a station without
    /// nozzles); nullopt when the cache is not usable, the station is marked dirty (its rows are
    /// then the truth) or its row is not text. @throws SQLite::Exception.
    [[nodiscard]] std::optional<std::string> lines(std::string_view station_id);

private:
    const LayoutCacheState& m_state;
    std::unique_ptr<SqlRows> m_query;
};

/// Writes the cache and its triggers into a registry file just written by create_registry() whose
/// layouts are exactly @p sites. @throws Error when the file cannot be written.
void write_layout_cache(const std::filesystem::path& file, std::span<const Site> sites);

/// Brings the cache of the registry file up to date after rows were added or changed: recomputes
/// the dirty stations from the tables, or rebuilds the whole cache (and its triggers) when it is
/// missing or not trusted. @throws Error when the file cannot be written.
void update_layout_cache(const std::filesystem::path& file);

/// Recomputes the dirty stations of a trusted cache inside the caller's write transaction on
/// @p db; does nothing when the cache is missing or not trusted, or when a dirty station's rows
/// do not form a layout (it stays dirty).
void refresh_layout_cache(SQLite::Database& db);

} // namespace fuelmap::detail
