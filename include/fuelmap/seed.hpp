// SPDX-License-Identifier: MIT
/// @file seed.hpp
/// @brief Seeds of sampling rounds: fresh seeds from the operating system and the commitment that
/// is published before the round. See docs/seeds.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace fuelmap {

/// A fresh seed: 32 bytes from the operating system's CSPRNG (OpenSSL RAND_bytes, which draws on
/// getrandom), as 64 lowercase hex digits. @throws Error when no randomness is available.
[[nodiscard]] std::string new_seed();

/// The commitment to a seed: lowercase hex of SHA-256 of the UTF-8 bytes
/// "fuelmap-seed-commitment-v1:" followed by the seed text. Domain-separated on purpose: the
/// plain SHA-256 of the seed is the hash every ticket is built from, so publishing it would reveal
/// the draw before the seed.
[[nodiscard]] std::string seed_commitment(std::string_view seed);

/// Reads a seed file: its content with trailing spaces, tabs, CR and LF removed.
/// @throws InputError when the file cannot be read or the seed is empty or spans several lines.
[[nodiscard]] std::string read_seed_file(const std::filesystem::path& path);

} // namespace fuelmap
