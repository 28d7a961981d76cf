// SPDX-License-Identifier: MIT
#include "util/utf8.hpp"

namespace fuelmap::detail {

std::size_t find_invalid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0; // no overlong forms
            else if (c == 0xED)
                hi = 0x9F; // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F; // at most U+10FFFF
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string describe_invalid_utf8(std::string_view s, std::size_t at) {
    static const char hex[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(s[at]);
    return std::string("is not valid UTF-8 (byte 0x") + hex[b >> 4] + hex[b & 15] + " at offset " +
           std::to_string(at) + "); convert the source to UTF-8 or declare its encoding (.cpg, ENCODING)";
}

} // namespace fuelmap::detail
