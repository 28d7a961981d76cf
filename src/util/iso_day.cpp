// SPDX-License-Identifier: MIT
#include "util/iso_day.hpp"

#include <cstdio>

namespace fuelmap::detail {

std::chrono::sys_days parse_iso_day(std::string_view text) {
    const std::string s(text);
    const int y = std::stoi(s.substr(0, 4));
    const auto m = static_cast<unsigned>(std::stoi(s.substr(5, 2)));
    const auto d = static_cast<unsigned>(std::stoi(s.substr(8, 2)));
    return std::chrono::sys_days(
        std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)));
}

std::string format_iso_day(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd(day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

} // namespace fuelmap::detail
