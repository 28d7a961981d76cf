// SPDX-License-Identifier: MIT
/// @file ledger_db.hpp
/// @brief Private: appending to the ledger inside a caller's SQLite transaction, so that a record
/// and its ledger entry are written together or not at all.
#pragma once

#include <fuelmap/ledger.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap::detail {

class RegistryDb;

/// Appends entries to the ledger inside the caller's SQLite transaction: creates the ledger table if
/// needed, prepares its statements once and keeps the chain head in memory, so a batch of a million
/// records costs one insert each. A record is written first, with next_seq() in its `ledger_seq`
/// column; append_record() then reads the row back and seals its canonical text. finish() writes
/// the new head into fuelmap_meta; call it before the transaction commits (the destructor does not).
class LedgerAppender {
public:
    /// @throws InputError when the registry's ledger is an older format (see migrate_ledger()).
    explicit LedgerAppender(RegistryDb& db);
    LedgerAppender(const LedgerAppender&) = delete;
    LedgerAppender& operator=(const LedgerAppender&) = delete;

    /// The seq the next appended entry gets: the value for the record's `ledger_seq` column.
    [[nodiscard]] std::int64_t next_seq() const noexcept { return m_seq + 1; }
    /// Seals row @p rowid (its fid) of the record table of @p kind, just written with
    /// `ledger_seq` = next_seq(), as the next entry; returns the entry. @throws Error when the kind
    /// has no record table or the row does not exist.
    LedgerEntry append_record(const std::string& kind, const std::string& record_id, std::int64_t rowid);
    /// Records the chain head (ledger_count, ledger_head, ledger_version) in fuelmap_meta.
    void finish();

private:
    SQLite::Database& m_db;
    SQLite::Statement m_insert;
    std::map<std::string, SQLite::Statement> m_row_reads; // by kind: reads a record row back
    std::int64_t m_seq = 0;
    std::string m_head;
};

/// read_ledger() of a GeoPackage registry. @throws InputError as read_ledger().
[[nodiscard]] std::vector<LedgerEntry> read_gpkg_ledger(const std::filesystem::path& registry);

/// verify_ledger() of a GeoPackage registry. @throws InputError as verify_ledger().
[[nodiscard]] LedgerCheck verify_gpkg_ledger(const std::filesystem::path& registry);

/// The seq of the ledger entry of kind @p kind for @p record_id, if one was ever appended (a round
/// recorded once is known to the ledger even when its row is deleted).
[[nodiscard]] std::optional<std::int64_t> ledger_seq_of(SQLite::Database& db, const std::string& kind,
                                                        const std::string& record_id);

} // namespace fuelmap::detail
