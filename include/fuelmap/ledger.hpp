// SPDX-License-Identifier: MIT
/// @file ledger.hpp
/// @brief The registry's hash-chained ledger: every plan, observation and lab result written to a
/// registry is appended as an entry whose hash covers the previous entry's hash. See docs/ledger.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// One ledger entry.
struct LedgerEntry {
    std::int64_t seq = 0;  ///< 1, 2, 3 … without gaps
    std::string kind;      ///< "plan", "observation", "lab_result", …
    std::string record_id; ///< id of the record in its own table (plan round, sample id …)
    std::string payload;   ///< the record's canonical text (JSON)
    std::string prev_hash; ///< hash of entry seq-1 (64 zeros for the first)
    std::string hash;      ///< entry_hash() of this entry
};

/// SHA-256 hex of "fuelmap-ledger-v1\n" seq "\n" kind "\n" record_id "\n" SHA-256(payload) "\n"
/// prev_hash. The recorded time is deliberately not covered, so that the chain is reproducible.
[[nodiscard]] std::string entry_hash(const LedgerEntry& entry);

/// The result of checking a ledger.
struct LedgerCheck {
    std::int64_t entries = 0;               ///< entries read
    std::optional<std::int64_t> broken_seq; ///< first entry that does not verify
    std::string reason;                     ///< why it does not verify
    /// True when the whole chain verifies.
    [[nodiscard]] bool ok() const noexcept { return !broken_seq; }
};

/// Reads the ledger of a registry (empty when there is none). @throws InputError when the file is
/// not a registry.
[[nodiscard]] std::vector<LedgerEntry> read_ledger(const std::filesystem::path& registry);

/// Checks the chain: sequence without gaps, each prev_hash equal to the previous hash, each hash
/// recomputed, and the ledger's head (count and last hash in fuelmap_meta) matching, so that
/// removing the last entries is detected too. @throws InputError when the file is not a registry.
[[nodiscard]] LedgerCheck verify_ledger(const std::filesystem::path& registry);

/// Appends one entry in its own transaction and returns it. @throws InputError when the file is
/// not a registry.
LedgerEntry append_to_ledger(const std::filesystem::path& registry, const std::string& kind,
                             const std::string& record_id, const std::string& payload);

} // namespace fuelmap
