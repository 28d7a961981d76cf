// SPDX-License-Identifier: MIT
/// @file pg_records.hpp
/// @brief Private: fuelmap's record tables (plans, observations, lab results, cases, case steps) as
/// PostgreSQL rows: a row read back as its canonical payload columns (docs/ledger.md), and the
/// column list a query of them names.
#pragma once

#include "store/ledger_records.hpp"

#include <pqxx/pqxx>

#include <string>

namespace fuelmap::detail {

/// A record row (a SELECT or RETURNING of @p t's payload columns, in order) as its canonical JSON
/// values: smallint/integer/bigint → integer, real/double precision → number, NULL → null, anything
/// else → string (docs/ledger.md, "Records and their canonical text").
[[nodiscard]] RecordRow record_row(const pqxx::row& r, const RecordTable& t);

/// @p t's payload columns as an SQL column list ("fid, round, …").
[[nodiscard]] std::string column_list(const RecordTable& t);

} // namespace fuelmap::detail
