// SPDX-License-Identifier: MIT
#include "util/json_text.hpp"

#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace fuelmap::detail {

void append_json_string(std::string& out, std::string_view s) {
    const std::size_t start = out.size();
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    bool checked = false; // the bytes from the first non-ASCII one on are known to be valid UTF-8
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x80 || checked))
            continue;
        if (c >= 0x80) {
            if (find_invalid_utf8(s.substr(i)) != std::string_view::npos) {
                // Rare (a registry edited by hand): nlohmann decides how many bytes each U+FFFD replaces.
                out.resize(start);
                out += nlohmann::json(std::string(s))
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            checked = true;
            continue;
        }
        out.append(s, run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            static constexpr std::string_view hex = "0123456789abcdef";
            out.append("\\u00").append(1, hex[c >> 4]).append(1, hex[c & 15]);
        }
        }
    }
    out.append(s, run).append(1, '"');
}

void append_json_number(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += "null";
        return;
    }
    // nlohmann's own formatter (what dump() calls): its Grisu2 digits are not always the shortest
    // (26.436389900000002 where std::to_chars gives 26.4363899), so no other formatter matches it.
    std::array<char, 64> buf;
    char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), x);
    out.append(buf.data(), end);
}

} // namespace fuelmap::detail
