// SPDX-License-Identifier: MIT
#include "util/table_csv.hpp"
#include "util/text.hpp"

#include <fuelmap/error.hpp>

#include <charconv>
#include <cmath>

namespace fuelmap::detail {

namespace {} // namespace

std::size_t CsvTable::column(const std::string& name, const std::string& file) const {
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name)
            return i;
    throw InputError({.file = file, .line = 1, .field = name}, "missing column '" + name + "'");
}

std::string CsvTable::get(const CsvRow& row, std::size_t col) {
    return col < row.fields.size() ? trim(row.fields[col]) : std::string();
}

CsvTable parse_csv_table(std::string_view text, const std::string& file) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    CsvTable table;
    std::size_t i = 0;
    std::int64_t line = 1;
    bool have_header = false;
    while (i < text.size()) {
        // Skip blank lines and comment lines.
        const std::size_t eol = text.find('\n', i);
        const std::string_view raw =
            text.substr(i, eol == std::string_view::npos ? text.size() - i : eol - i);
        const std::string trimmed = trim(raw);
        if (trimmed.empty() || trimmed.front() == '#') {
            i = eol == std::string_view::npos ? text.size() : eol + 1;
            ++line;
            continue;
        }
        CsvRow row;
        row.line = line;
        std::string field;
        bool quoted = false;
        bool done = false;
        while (!done) {
            if (i >= text.size()) {
                if (quoted)
                    throw InputError({.file = file, .line = row.line}, "unterminated quoted field");
                row.fields.push_back(field);
                done = true;
                break;
            }
            const char c = text[i++];
            if (quoted) {
                if (c == '"') {
                    if (i < text.size() && text[i] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n')
                        ++line;
                    field += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.fields.push_back(field);
                field.clear();
            } else if (c == '\n') {
                row.fields.push_back(field);
                ++line;
                done = true;
            } else if (c != '\r') {
                field += c;
            }
        }
        if (!have_header) {
            for (const std::string& f : row.fields)
                table.header.push_back(trim(f));
            have_header = true;
        } else {
            table.rows.push_back(std::move(row));
        }
    }
    if (!have_header)
        throw InputError({.file = file}, "empty table: no header line");
    return table;
}

bool parse_number(std::string_view text, double& out) noexcept {
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    if (text.empty())
        return false;
    double value = 0.0;
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return false;
    out = value;
    return true;
}

std::string format_number(double value) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

} // namespace fuelmap::detail
