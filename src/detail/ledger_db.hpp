// SPDX-License-Identifier: MIT
/// @file ledger_db.hpp
/// @brief Private: appending to the ledger inside a caller's SQLite transaction, so that a record
/// and its ledger entry are written together or not at all.
#pragma once

#include <fuelmap/ledger.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

namespace fuelmap::detail {

class RegistryDb;

/// Creates the ledger table if needed, appends an entry and updates the ledger head in
/// fuelmap_meta. Call inside a SQLite::Transaction on @p db.
LedgerEntry append_ledger_entry(RegistryDb& db, const std::string& kind, const std::string& record_id,
                                const std::string& payload);

} // namespace fuelmap::detail
