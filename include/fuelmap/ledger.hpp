// SPDX-License-Identifier: MIT
/// @file ledger.hpp
/// @brief The registry's hash-chained ledger: every plan, observation, lab result, case and case step written
/// to a registry is appended as an entry that commits to the record's full content, its time of recording and
/// the previous entry. See docs/ledger.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// One ledger entry.
struct LedgerEntry {
    std::int64_t seq = 0;    ///< 1, 2, 3 … without gaps
    std::string kind;        ///< "plan", "observation", "lab_result", "case", "case_step"
    std::string record_id;   ///< the record's key (plan round, station/nozzle@time, sample/property/…)
    std::string recorded_at; ///< UTC time of recording, "YYYY-MM-DDTHH:MM:SSZ"
    std::string payload;     ///< canonical text of the record's row (docs/ledger.md)
    std::string prev_hash;   ///< hash of entry seq-1 (64 zeros for the first)
    std::string hash;        ///< entry_hash() of this entry
};

/// The ledger format this version writes ("2"; kept in fuelmap_meta as ledger_version).
inline constexpr const char* ledger_format_version = "2";

/// SHA-256 hex of "fuelmap-ledger-v2\n" seq "\n" kind "\n" record_id "\n" recorded_at "\n"
/// SHA-256(payload) "\n" prev_hash.
[[nodiscard]] std::string entry_hash(const LedgerEntry& entry);

/// The result of checking a ledger and the records it binds.
struct LedgerCheck {
    std::int64_t entries = 0; ///< entries read
    std::string head;         ///< hash of the last entry read (64 zeros when none)
    /// Hash of each entry whose link and content verify, in ledger order (all of them when ok()).
    std::vector<std::string> hashes;
    std::optional<std::int64_t> broken_seq;   ///< first entry of the chain that does not verify
    std::string reason;                       ///< why it does not verify
    std::vector<std::string> record_problems; ///< record rows that differ from the ledger
    /// True when the chain, its head and every record table verify.
    [[nodiscard]] bool ok() const noexcept { return !broken_seq && record_problems.empty(); }
    /// The first problem as one sentence (empty when ok()).
    [[nodiscard]] std::string first_problem() const;
};

/// Reads the ledger of a registry (empty when there is none). @throws InputError when the file is
/// not a registry.
[[nodiscard]] std::vector<LedgerEntry> read_ledger(const std::filesystem::path& registry);

/// Checks, in one read transaction: the chain (sequence without gaps, each prev_hash equal to the
/// previous hash, each hash recomputed), the head kept in fuelmap_meta (so that removing the last
/// entries shows), the ledger format, and every record table against the ledger both ways (an
/// edited, inserted or deleted row). @throws InputError when the file is not a registry.
[[nodiscard]] LedgerCheck verify_ledger(const std::filesystem::path& registry);

/// verify_ledger(), for commands about to use a registry's records; returns the check that passed.
/// @throws InputError naming the registry and the first problem when the check fails.
LedgerCheck require_intact_ledger(const std::filesystem::path& registry);

/// Rewrites a ledger written by fuelmap before ledger format 2 (which bound no record content) as
/// format 2: checks the old chain and head, then seals each entry's record as it stands now, in one
/// transaction under the write lock. Returns the number of entries re-sealed (0 when the ledger is
/// already format 2). @throws InputError when the old chain does not verify or a record is missing.
std::int64_t migrate_ledger(const std::filesystem::path& registry);

} // namespace fuelmap
