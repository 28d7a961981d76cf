// SPDX-License-Identifier: MIT
#include "util/json_document.hpp"

#include <fuelmap/error.hpp>

#include <set>
#include <vector>

namespace fuelmap::detail {

nlohmann::json parse_json_object(std::string_view text, const std::string& file, const std::string& what) {
    // Two things the parser would otherwise take quietly: a key twice in one object (the last would
    // win unseen) and nesting so deep that a document costs seconds and gigabytes.
    std::vector<std::set<std::string>> keys; // of the objects open at each level
    const nlohmann::json::parser_callback_t check = [&](int depth, nlohmann::json::parse_event_t event,
                                                        nlohmann::json& parsed) {
        using event_t = nlohmann::json::parse_event_t;
        if ((event == event_t::object_start || event == event_t::array_start) && depth >= max_json_depth)
            throw InputError({.file = file}, "JSON nested more than " + std::to_string(max_json_depth) +
                                                 " levels deep: not a " + what);
        if (event == event_t::object_start)
            keys.emplace_back();
        else if (event == event_t::object_end)
            keys.pop_back();
        else if (event == event_t::key && !keys.back().insert(parsed.get<std::string>()).second)
            throw InputError({.file = file, .field = parsed.get<std::string>()},
                             "the key appears twice in one object (which one counts would be a guess)");
        return true;
    };
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text, check);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError({.file = file}, std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        throw InputError({.file = file}, "a " + what + " must be a JSON object");
    return doc;
}

} // namespace fuelmap::detail
