// SPDX-License-Identifier: MIT
/// @file rfc3797.hpp
/// @brief RFC 3797 ("Publicly Verifiable Nominations Committee Random Selection"): the key string
/// built from publicly announced random numbers, and the ranking of a numbered pool by
/// MD5(counter ‖ key ‖ counter). See docs/sampling.md, "RFC 3797 mode".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// The key string of RFC 3797 §4: per source (in the given order) its numbers sorted ascending,
/// each in decimal without leading zeros followed by ".", the source closed by "/".
/// @throws InputError when a source is empty.
[[nodiscard]] std::string rfc3797_key(const std::vector<std::vector<std::uint64_t>>& sources);

/// Parses one announced source written as integers separated by spaces or commas ("2 5 12 8 10").
/// @throws InputError (naming @p label) on anything but non-negative decimal integers.
[[nodiscard]] std::vector<std::uint64_t> parse_rfc3797_source(std::string_view text,
                                                              const std::string& label);

/// MD5(BE16(i) ‖ key ‖ BE16(i)), the i-th (0-based) digest of the selection.
[[nodiscard]] std::string rfc3797_digest_hex(std::string_view key, std::uint16_t i);

/// The 128-bit big-endian value of the i-th digest modulo @p divisor (> 0), computed exactly.
[[nodiscard]] std::uint64_t rfc3797_remainder(std::string_view key, std::uint16_t i, std::uint64_t divisor);

/// The first @p count picks of the RFC 3797 selection from a pool of @p pool_size items (0-based
/// positions in the announced pool order): pick i takes the item at position
/// remainder(i, items left) among the items not yet taken, in pool order.
/// @throws InputError when @p count exceeds the pool or 65536 (the 16-bit counter).
[[nodiscard]] std::vector<std::size_t> rfc3797_select(std::string_view key, std::size_t pool_size,
                                                      std::size_t count);

} // namespace fuelmap
