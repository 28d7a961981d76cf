// SPDX-License-Identifier: MIT
/// @file pg_move.hpp
/// @brief Private: a registry's records and ledger moved verbatim into a new PostgreSQL registry
/// (docs/registry.md, "Moving a registry in"): every ledger entry as it is, and each record row
/// rebuilt from its entry's payload (which is the row's canonical text), so that the database's
/// ledger verifies with the same entries, head and digests as the file's.
#pragma once

#include <fuelmap/ledger.hpp>

#include <pqxx/pqxx>

#include <cstdint>
#include <span>
#include <string>

namespace fuelmap::detail {

/// Appends @p entries to fuelmap_ledger with COPY, verbatim, and records the head (@p count entries,
/// the last one's hash @p head, this ledger format) in fuelmap_meta. @throws pqxx exceptions.
void pg_write_ledger(pqxx::transaction_base& tx, std::span<const LedgerEntry> entries, std::int64_t count,
                     const std::string& head);

/// Writes @p ledger (a whole ledger that verifies, in seq order) and the record rows its entries
/// seal into the record tables of the registry @p name, in @p tx: rows with their fids and
/// ledger_seq as sealed, the entries verbatim, the head in fuelmap_meta, each table's fid sequence
/// moved past its rows. Every row is then read back and must give its entry's payload.
/// @throws InputError naming @p name when the database already holds ledger entries, or when a row
/// as the database stores it differs from its entry (naming table, fid and entry); pqxx
/// exceptions when the database refuses a write.
void pg_move_records(pqxx::transaction_base& tx, const std::string& name,
                     std::span<const LedgerEntry> ledger);

} // namespace fuelmap::detail
