// SPDX-License-Identifier: MIT
/// @file csv_cell.hpp
/// @brief Private: text cells of the CSV files fuelmap writes for people, made safe to open in a
/// spreadsheet (no cell runs as a formula), and the exact inverse for reading them back. The rule is
/// documented in docs/formats.md ("CSV cells and spreadsheets").
#pragma once

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// True when @p text starts with a byte a spreadsheet may take as the start of a formula (`=`, `+`,
/// `-`, `@`, TAB, CR) or with the escape mark `'` itself.
[[nodiscard]] bool needs_csv_escape(std::string_view text) noexcept;

/// @p text with a `'` put in front when needs_csv_escape(); unchanged otherwise. Text cells only:
/// numbers are written as numbers.
[[nodiscard]] std::string neutralise_csv_text(std::string_view text);

/// The inverse of neutralise_csv_text(): removes the leading `'` when what follows it needs the
/// escape; any other text is returned unchanged.
[[nodiscard]] std::string restore_csv_text(std::string_view text);

/// One RFC 4180 CSV field of text: neutralised, then quoted when it holds `,`, `"`, CR or LF.
[[nodiscard]] std::string csv_text_field(std::string_view text);

/// csv_text_field() of @p text appended to @p out.
void append_csv_text_field(std::string& out, std::string_view text);

} // namespace fuelmap::detail
