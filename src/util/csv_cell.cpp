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

std::string csv_text_field(std::string_view text) {
    const std::string cell = neutralise_csv_text(text);
    if (cell.find_first_of(",\"\n\r") == std::string::npos)
        return cell;
    std::string out = "\"";
    for (char c : cell)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace fuelmap::detail
