// SPDX-License-Identifier: MIT
/// @file ledger_records.hpp
/// @brief Private: the record tables the ledger binds, the canonical text of one of their rows (the
/// payload of its ledger entry), and the check of every table against the ledger both ways.
#pragma once

#include <fuelmap/ledger.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// A table whose rows are ledger records: entry kind, table name, the columns the payload covers
/// (in this order; each row links to its entry through `ledger_seq`) and the columns that name a
/// row in messages.
struct RecordTable {
    std::string_view kind;
    std::string_view table;
    std::vector<std::string_view> columns;
    std::vector<std::string_view> key_columns;
};

/// The record tables, in a fixed order (plans, observations, lab results).
[[nodiscard]] const std::vector<RecordTable>& record_tables();

/// The record table of entry kind @p kind, or nullptr.
[[nodiscard]] const RecordTable* record_table(std::string_view kind);

/// The canonical text of row @p rowid of @p table: compact JSON object of the table's payload
/// columns in order, each as stored (NULL → null, INTEGER → integer, REAL → shortest round-trip
/// number, TEXT → string). @throws Error when the row does not exist.
[[nodiscard]] std::string record_payload(SQLite::Database& db, const RecordTable& table, std::int64_t rowid);

/// The statement record_payload() runs, prepared once for many rows: bind the rowid to parameter 1.
[[nodiscard]] SQLite::Statement record_row_query(SQLite::Database& db, const RecordTable& table);

/// record_payload() with a statement from record_row_query(). @throws Error when the row does not
/// exist.
[[nodiscard]] std::string record_payload(SQLite::Statement& query, const RecordTable& table,
                                         std::int64_t rowid);

/// Checks every record table against the ledger (entries 1 to @p last_seq) both ways, streaming
/// the rows with their entries' payloads, and appends a sentence per problem to @p problems: a row
/// whose content differs from its entry (naming the field), a row no entry accounts for
/// (inserted), an entry whose row is gone (deleted), an entry of a kind this version does not know.
void check_record_tables(SQLite::Database& db, std::int64_t last_seq, std::vector<std::string>& problems);

} // namespace fuelmap::detail
