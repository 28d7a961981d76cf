// SPDX-License-Identifier: MIT
/// @file utf8.hpp
/// @brief A strict UTF-8 validator (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Offset of the first byte that does not start a valid UTF-8 sequence, or npos when @p s is valid.
[[nodiscard]] std::size_t find_invalid_utf8(std::string_view s) noexcept;

/// "is not valid UTF-8 (byte 0xFF at offset 3); convert the source to UTF-8 or declare its
/// encoding (.cpg, ENCODING)": what to tell the user about the invalid byte at @p at of @p s.
[[nodiscard]] std::string describe_invalid_utf8(std::string_view s, std::size_t at);

/// True when @p s is valid UTF-8.
[[nodiscard]] inline bool is_valid_utf8(std::string_view s) noexcept {
    return find_invalid_utf8(s) == std::string_view::npos;
}

} // namespace fuelmap::detail
