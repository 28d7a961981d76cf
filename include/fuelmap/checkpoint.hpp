// SPDX-License-Identifier: MIT
/// @file checkpoint.hpp
/// @brief Ledger checkpoints to publish: the entry count and head hash of a registry's ledger at
/// one moment, optionally signed with the office's Ed25519 key, and the proof that a ledger today
/// extends a published checkpoint. Forms and ceremony: docs/ledger.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace fuelmap {

struct LedgerCheck; // fuelmap/ledger.hpp

/// A published state of a ledger.
struct LedgerCheckpoint {
    std::int64_t entries = 0; ///< number of entries
    std::string head;         ///< hash of entry `entries` (64 zeros when there is none)
    std::string public_key;   ///< signer's Ed25519 public key, hex (empty when unsigned)
    std::string signature;    ///< Ed25519 signature of signed_text(), hex (empty when unsigned)

    /// The text a signature covers: "fuelmap ledger checkpoint v1\nentries N\nhead H\n".
    [[nodiscard]] std::string signed_text() const;
    /// The text form: signed_text(), then "key K\nsignature S\n" when signed.
    [[nodiscard]] std::string to_text() const;
    /// The JSON form (one object, keys checkpoint, entries, head[, key, signature]), with a newline.
    [[nodiscard]] std::string to_json() const;
    /// True when a signature is present and valid for public_key.
    [[nodiscard]] bool signature_valid() const;
};

/// The checkpoint of a registry's ledger now. @throws InputError when the ledger or its records do
/// not verify (a broken ledger is never published) or the file is not a registry.
[[nodiscard]] LedgerCheckpoint current_checkpoint(const std::filesystem::path& registry);

/// Parses a checkpoint in text or JSON form; @p file names it in messages.
/// @throws InputError naming the file and line or key when it is malformed.
[[nodiscard]] LedgerCheckpoint parse_checkpoint(std::string_view text, const std::string& file);

/// Reads a checkpoint file (text or JSON). @throws InputError naming the file.
[[nodiscard]] LedgerCheckpoint read_checkpoint(const std::filesystem::path& path);

/// Why the registry's ledger today does not extend @p checkpoint (it has fewer entries: truncated;
/// entry N has another hash: rewritten), or nothing when it does. Checks the hashes only; the
/// caller checks the chain with verify_ledger(). @throws InputError when the file is not a registry.
[[nodiscard]] std::optional<std::string> checkpoint_problem(const std::filesystem::path& registry,
                                                            const LedgerCheckpoint& checkpoint);
/// checkpoint_problem() of a ledger checked already (the hashes of @p ledger, a verify_ledger() that
/// passed), without reading it again.
[[nodiscard]] std::optional<std::string> checkpoint_problem(const LedgerCheck& ledger,
                                                            const LedgerCheckpoint& checkpoint);

/// Signs @p checkpoint with the Ed25519 private key in @p private_key_pem (sets public_key and
/// signature). @throws InputError naming the file when it holds no Ed25519 private key.
void sign_checkpoint(LedgerCheckpoint& checkpoint, const std::filesystem::path& private_key_pem);

/// The Ed25519 public key (hex) in a PEM file holding a private or public key.
/// @throws InputError naming the file when it holds no Ed25519 key.
[[nodiscard]] std::string office_public_key(const std::filesystem::path& pem);

/// Makes an office key pair: the private key to @p private_key_pem (mode 0600; refused when the
/// file exists), the public key to @p public_key_pem. Returns the public key (hex).
/// @throws InputError or Error when a file cannot be written.
std::string generate_office_key(const std::filesystem::path& private_key_pem,
                                const std::filesystem::path& public_key_pem);

} // namespace fuelmap
