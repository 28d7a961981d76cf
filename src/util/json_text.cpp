// SPDX-License-Identifier: MIT
#include "util/json_text.hpp"

#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>

namespace fuelmap::detail {

namespace {

// Bytes each input byte takes in a JSON string as nlohmann writes it (valid UTF-8 kept as is).
constexpr std::array<std::uint8_t, 256> escaped_width = [] {
    std::array<std::uint8_t, 256> width{};
    for (std::size_t c = 0; c < 256; ++c)
        width[c] = c < 0x20 ? 6 : 1; // \u00XX
    for (const unsigned char c : {'\b', '\f', '\n', '\r', '\t', '"', '\\'})
        width[c] = 2;
    return width;
}();

} // namespace

void append_json_string(std::string& out, std::string_view s) {
    // Measured first, then written in place: a plan holds hundreds of thousands of quotes.
    std::size_t size = 2;
    unsigned char any = 0; // every byte or-ed: bit 7 set when one is not ASCII
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        size += escaped_width[c];
        any |= c;
    }
    if ((any & 0x80) && find_invalid_utf8(s) != std::string_view::npos) {
        // Rare (a registry edited by hand): nlohmann decides how many bytes each U+FFFD replaces.
        out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    const std::size_t start = out.size();
    out.resize(start + size);
    char* p = out.data() + start;
    *p++ = '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (escaped_width[c] == 1) {
            *p++ = ch;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '"':
            *p++ = '"';
            break;
        case '\\':
            *p++ = '\\';
            break;
        case '\b':
            *p++ = 'b';
            break;
        case '\f':
            *p++ = 'f';
            break;
        case '\n':
            *p++ = 'n';
            break;
        case '\r':
            *p++ = 'r';
            break;
        case '\t':
            *p++ = 't';
            break;
        default: {
            static constexpr std::string_view hex = "0123456789abcdef";
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
        }
    }
    *p = '"';
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
