// SPDX-License-Identifier: MIT
/// @file ledger_records.hpp
/// @brief Private: the record tables the ledger binds, the canonical text of one of their rows (the
/// payload of its ledger entry), and the check of every table against the ledger both ways.
#pragma once

#include <fuelmap/ledger.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
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

/// One record row as its payload columns (in the table's column order) with their JSON values:
/// NULL → null, integer → integer, floating point → number, text → string. Backends build it.
using RecordRow = nlohmann::ordered_json;

/// The canonical text of @p row (compact JSON): a ledger entry's payload.
[[nodiscard]] std::string record_text(const RecordRow& row);

/// Hands every row of each record table that exists to the second argument, in fid order.
using RecordTableRows = std::function<void(const RecordTable&, const std::function<void(const RecordRow&)>&)>;

/// check_record_tables() over rows a backend supplies and @p entries (the whole ledger, in seq
/// order, in memory).
void check_record_rows(const RecordTableRows& rows, const std::vector<LedgerEntry>& entries,
                       std::vector<std::string>& problems);

/// The ledger head as a backend keeps it (fuelmap_meta's ledger_count, ledger_head, ledger_version).
struct LedgerHead {
    std::optional<std::string> count, head, version;
};

/// Checks @p entries (the whole ledger in seq order, as read in one snapshot with @p head and the
/// rows of @p rows) as verify_ledger() does, for the registry named @p registry in messages.
[[nodiscard]] LedgerCheck check_ledger(const std::vector<LedgerEntry>& entries, const LedgerHead& head,
                                       const RecordTableRows& rows, const std::string& registry);

/// The next entry of the chain, sealed: recorded now (UTC), its hash computed.
[[nodiscard]] LedgerEntry seal_entry(std::int64_t seq, const std::string& kind, const std::string& record_id,
                                     std::string payload, const std::string& prev_hash);

/// The message that refuses a ledger of format 1 on @p registry (ledger migrate fixes it).
[[nodiscard]] std::string old_ledger_format_message(const std::string& registry);

} // namespace fuelmap::detail
