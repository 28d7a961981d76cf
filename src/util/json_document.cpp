// SPDX-License-Identifier: MIT
#include "util/json_document.hpp"

#include <fuelmap/error.hpp>

namespace fuelmap::detail {

nlohmann::json parse_json_object(std::string_view text, const std::string& file, const std::string& what) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError({.file = file}, std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        throw InputError({.file = file}, "a " + what + " must be a JSON object");
    return doc;
}

} // namespace fuelmap::detail
