// SPDX-License-Identifier: MIT
/// @file iso_day.hpp
/// @brief Private: calendar days written "YYYY-MM-DD" as std::chrono days and back (the schedule's
/// working days, the deadlines of follow-up cases).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// The day written @p text, which must be a valid "YYYY-MM-DD" (check with is_iso_date() first).
[[nodiscard]] std::chrono::sys_days parse_iso_day(std::string_view text);

/// @p day written "YYYY-MM-DD".
[[nodiscard]] std::string format_iso_day(std::chrono::sys_days day);

} // namespace fuelmap::detail
