// SPDX-License-Identifier: MIT
/// @file station_layouts.hpp
/// @brief Private: the nozzles and supply legs of single stations of an open registry, read on
/// demand (the layouts of the stations a draw picks). The rows are decoded by the same code as
/// read_registry()'s (registry_reader.cpp): one reader of nozzle and supply rows.
#pragma once

#include <fuelmap/site.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// Rowid range of one station's rows in a table (empty: first > last).
struct RowRange {
    std::int64_t first = 1; ///< first rowid
    std::int64_t last = 0;  ///< last rowid
};

/// Reads one station's nozzles with their supply legs (in leg order).
class StationLayouts {
public:
    /// Prepares the statements on @p db: by rowid range when @p by_rowid, else by station id.
    /// @throws SQLite::Exception.
    StationLayouts(SQLite::Database& db, bool by_rowid);
    ~StationLayouts();
    StationLayouts(const StationLayouts&) = delete;
    StationLayouts& operator=(const StationLayouts&) = delete;

    /// The nozzles of @p station_id, or (by rowid) those in rows @p nozzles with the legs in rows
    /// @p supplies. @throws SQLite::Exception.
    [[nodiscard]] std::vector<Nozzle> read(std::string_view station_id, RowRange nozzles, RowRange supplies);

private:
    struct Statements;
    std::unique_ptr<Statements> m_q;
    bool m_by_rowid;
};

} // namespace fuelmap::detail
