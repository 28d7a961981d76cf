// SPDX-License-Identifier: MIT
/// @file text.hpp
/// @brief Private: small text helpers every module uses (join, trim, XML escapes, ASCII lower case).
#pragma once

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Appends the elements of @p parts (anything a std::string can append: std::string,
/// std::string_view, const char*) to @p out with @p sep between them. Throws nothing but
/// std::bad_alloc.
template <class Range> void append_joined(std::string& out, const Range& parts, std::string_view sep) {
    bool first = true;
    for (const auto& part : parts) {
        if (!first)
            out += sep;
        out += part;
        first = false;
    }
}

/// The elements of @p parts with @p sep between them ("" for none). Throws nothing but std::bad_alloc.
template <class Range> [[nodiscard]] std::string join(const Range& parts, std::string_view sep) {
    std::string out;
    append_joined(out, parts, sep);
    return out;
}

/// @p s without leading and trailing spaces, tabs, CR and LF. Throws nothing but std::bad_alloc.
[[nodiscard]] std::string trim(std::string_view s);

/// @p s with the XML special characters &, <, > and " written as entities, for element text and
/// double-quoted attribute values. Throws nothing but std::bad_alloc.
[[nodiscard]] std::string xml_escape(std::string_view s);

/// @p s with the ASCII letters A–Z in lower case; every other byte (UTF-8 included) unchanged, in
/// any locale. Throws nothing but std::bad_alloc.
[[nodiscard]] std::string ascii_lower(std::string s);

} // namespace fuelmap::detail
