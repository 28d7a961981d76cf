// SPDX-License-Identifier: MIT
/// @file json_document.hpp
/// @brief Private: parsing a JSON input document (design, plan, mapping) that must be an object.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Parses @p text as a JSON object. @throws InputError naming @p file when the text is not JSON
/// ("not valid JSON: …") or not an object ("a @p what must be a JSON object").
[[nodiscard]] nlohmann::json parse_json_object(std::string_view text, const std::string& file,
                                               const std::string& what);

} // namespace fuelmap::detail
