// SPDX-License-Identifier: MIT
/// @file json_document.hpp
/// @brief Private: parsing a JSON input document (design, plan, mapping) that must be an object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// How deep a JSON input document may nest (objects and arrays); fuelmap's own documents use fewer
/// than ten levels.
inline constexpr int max_json_depth = 64;

/// Parses @p text as a JSON object. @throws InputError naming @p file when the text is not JSON
/// ("not valid JSON: …"), not an object ("a @p what must be a JSON object"), nests deeper than
/// max_json_depth, or holds a key twice in one object (naming the key as the field).
[[nodiscard]] nlohmann::json parse_json_object(std::string_view text, const std::string& file,
                                               const std::string& what);

} // namespace fuelmap::detail
