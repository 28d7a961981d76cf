// SPDX-License-Identifier: MIT
/// @file ledger_db.hpp
/// @brief Private: appending to the ledger inside a caller's SQLite transaction, so that a record
/// and its ledger entry are written together or not at all.
#pragma once

#include <fuelmap/ledger.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

namespace fuelmap::detail {

class RegistryDb;

/// Appends entries to the ledger inside the caller's SQLite transaction: creates the ledger table if
/// needed, prepares its statements once and keeps the chain head in memory, so a batch of a million
/// records costs one insert each. finish() writes the new head into fuelmap_meta; call it before the
/// transaction commits (the destructor does not).
class LedgerAppender {
public:
    explicit LedgerAppender(RegistryDb& db);
    LedgerAppender(const LedgerAppender&) = delete;
    LedgerAppender& operator=(const LedgerAppender&) = delete;

    /// Chains and inserts one entry; returns it with its seq, prev_hash and hash.
    LedgerEntry append(const std::string& kind, const std::string& record_id, const std::string& payload);
    /// Records the chain head (ledger_count, ledger_head) in fuelmap_meta.
    void finish();

private:
    SQLite::Database& m_db;
    SQLite::Statement m_insert;
    std::int64_t m_seq = 0;
    std::string m_head;
};

/// Creates the ledger table if needed, appends one entry and updates the ledger head in
/// fuelmap_meta (a LedgerAppender for one entry). Call inside a SQLite::Transaction on @p db.
LedgerEntry append_ledger_entry(RegistryDb& db, const std::string& kind, const std::string& record_id,
                                const std::string& payload);

} // namespace fuelmap::detail
