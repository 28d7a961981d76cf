// SPDX-License-Identifier: MIT
/// @file rtree_bulk.hpp
/// @brief Private: fills an SQLite R*Tree virtual table (a GeoPackage spatial index) in bulk by
/// writing its node, rowid and parent shadow tables directly, as a packed Hilbert R-tree. Inserting
/// millions of boxes one by one through the virtual table costs tens of seconds; this costs a sort.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace fuelmap::detail {

/// One box of a 2-D R-tree: the row id and its bounds as SQLite's rtree module stores them
/// (4-byte floats).
struct RtreeBox {
    std::int64_t id;
    float min_x, max_x, min_y, max_y;

    /// The box of row @p id around the given bounds, rounded outwards to floats as SQLite does
    /// (so that the float box always contains the exact one).
    [[nodiscard]] static RtreeBox around(std::int64_t id, double min_x, double max_x, double min_y,
                                         double max_y) noexcept;
};

/// Replaces the content of the R-tree @p table (a `USING rtree(id, minx, maxx, miny, maxy)` virtual
/// table that already exists, normally empty) with @p boxes. The virtual table must not have been
/// used on @p db before (SQLite caches its root node); ids must be unique. Runs inside the caller's
/// transaction. @throws fuelmap::Error on an SQLite error.
void fill_rtree(sqlite3* db, const std::string& table, std::vector<RtreeBox> boxes);

} // namespace fuelmap::detail
