// SPDX-License-Identifier: MIT
#include "util/csv_cell.hpp"

namespace fuelmap::detail {

bool needs_csv_escape(std::string_view text) noexcept {
    if (text.empty())
        return false;
    switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\'':
        return true;
    default:
        return false;
    }
}

std::string neutralise_csv_text(std::string_view text) {
    return needs_csv_escape(text) ? "'" + std::string(text) : std::string(text);
}

std::string restore_csv_text(std::string_view text) {
    if (text.size() >= 2 && text.front() == '\'' && needs_csv_escape(text.substr(1)))
        return std::string(text.substr(1));
    return std::string(text);
}

void append_csv_text_field(std::string& out, std::string_view text) {
    const bool mark = needs_csv_escape(text);
    if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
        if (mark)
            out += '\'';
        out += text;
        return;
    }
    out += '"';
    if (mark)
        out += '\'';
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

std::string csv_text_field(std::string_view text) {
    std::string out;
    append_csv_text_field(out, text);
    return out;
}

} // namespace fuelmap::detail
