// SPDX-License-Identifier: MIT
/// @file import_fields.hpp
/// @brief Names shared by the import reader and the mapping loader.
#pragma once

#include <string>
#include <vector>

namespace fuelmap::detail {

/// The station fields a mapping may fill, in registry order.
[[nodiscard]] inline const std::vector<std::string>& station_fields() {
    static const std::vector<std::string> fields = {
        "station_id", "name",   "operator", "brand",  "ownership",        "province",
        "city",       "county", "address",  "status", "annual_volume_m3", "risk_weight"};
    return fields;
}

} // namespace fuelmap::detail
