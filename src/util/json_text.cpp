// SPDX-License-Identifier: MIT
#include "util/json_text.hpp"

#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

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

constexpr std::uint64_t every_byte(std::uint8_t b) {
    return 0x0101010101010101ULL * b;
}

// Eight bytes of @p p as one word (any byte order: only "is there such a byte" is asked of it).
std::uint64_t word_at(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// True when one of the eight bytes of @p w is below 0x20 (the high bit of every byte below 0x80
// survives the subtraction only for those; a borrow can flag a byte above one that is flagged
// already, never one alone).
bool has_control(std::uint64_t w) {
    return ((w - every_byte(0x20)) & ~w & every_byte(0x80)) != 0;
}

// True when one of the eight bytes of @p w is @p b.
bool has_byte(std::uint64_t w, std::uint8_t b) {
    const std::uint64_t x = w ^ every_byte(b);
    return ((x - every_byte(0x01)) & ~x & every_byte(0x80)) != 0;
}

// True when every byte of @p s is below 0x80, eight at a time.
bool is_ascii(std::string_view s) {
    std::uint64_t any = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8)
        any |= word_at(s.data() + i);
    for (; i < s.size(); ++i)
        any |= static_cast<unsigned char>(s[i]);
    return (any & every_byte(0x80)) == 0;
}

// Writes the escape of the byte @p c (one whose width is not 1) at the end of @p out.
void append_escape(std::string& out, unsigned char c) {
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default: {
        static constexpr std::string_view hex = "0123456789abcdef";
        const char code[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(code, sizeof code);
    }
    }
}

} // namespace

void append_json_string(std::string& out, std::string_view s) {
    if (!is_ascii(s) && find_invalid_utf8(s) != std::string_view::npos) {
        // Rare (a registry edited by hand): nlohmann decides how many bytes each U+FFFD replaces.
        out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    // Runs of bytes that need no escape are copied whole, found eight bytes at a time: a plan's
    // ledger payload is one string of 6 MB with a quote every few bytes.
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    const char* p = s.data();
    const char* const end = p + s.size();
    while (p < end) {
        const char* const run = p;
        while (end - p >= 8) {
            const std::uint64_t w = word_at(p);
            if (has_control(w) || has_byte(w, '"') || has_byte(w, '\\'))
                break;
            p += 8;
        }
        while (p < end && escaped_width[static_cast<unsigned char>(*p)] == 1)
            ++p;
        out.append(run, p);
        if (p < end)
            append_escape(out, static_cast<unsigned char>(*p++));
    }
    out += '"';
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
