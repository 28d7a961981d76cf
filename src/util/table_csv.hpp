// SPDX-License-Identifier: MIT
/// @file table_csv.hpp
/// @brief Private: a small RFC 4180 reader for fuelmap's own data tables (precision, grade limits),
/// with line numbers for error messages and '#' comment lines.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// One data row and the line it starts on.
struct CsvRow {
    std::int64_t line = 0;           ///< 1-based line of the row's first character
    std::vector<std::string> fields; ///< unquoted fields
};

/// A parsed table: header names and rows.
struct CsvTable {
    std::vector<std::string> header; ///< column names, trimmed
    std::vector<CsvRow> rows;        ///< data rows (blank and '#' lines skipped)

    /// Index of a column; throws InputError naming @p file when it is missing.
    [[nodiscard]] std::size_t column(const std::string& name, const std::string& file) const;
    /// Field @p col of @p row, trimmed; "" when the row is short.
    [[nodiscard]] static std::string get(const CsvRow& row, std::size_t col);
};

/// Parses CSV text (UTF-8, optional BOM). @throws InputError naming @p file and the line on an
/// unterminated quote or an empty header.
[[nodiscard]] CsvTable parse_csv_table(std::string_view text, const std::string& file);

/// Parses a finite decimal number (C locale, no hex). Returns false when @p text is not one.
[[nodiscard]] bool parse_number(std::string_view text, double& out) noexcept;

/// Shortest text that reads back as @p value (locale-independent).
[[nodiscard]] std::string format_number(double value);

} // namespace fuelmap::detail
