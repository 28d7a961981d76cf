// SPDX-License-Identifier: MIT
/// @file json_text.hpp
/// @brief Private: JSON scalars appended straight to a string, byte for byte as nlohmann's
/// dump(…, ensure_ascii = false, error_handler_t::replace) writes them, without building a json value.
#pragma once

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Appends @p s as a JSON string: `"` and `\` escaped, control characters as \b \f \n \r \t or
/// \u00xx, other UTF-8 copied as it is; invalid UTF-8 becomes U+FFFD (as nlohmann replaces it).
void append_json_string(std::string& out, std::string_view s);

/// Appends @p x as nlohmann prints a double (e.g. 117.0, -0.5, 1e-07, 1.5e+20); `null` when not finite.
void append_json_number(std::string& out, double x);

} // namespace fuelmap::detail
