// SPDX-License-Identifier: MIT
/// @file station_row.hpp
/// @brief Private: the one decoder of a stations row into a Station, for every backend's reader.
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/site.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace fuelmap::detail {

/// Decodes the stations row @p q (of the registry @p file) into @p s, all but the position: column
/// 0 is fid, columns @p at … @p at + 12 are station_id, name, operator, brand, ownership, province,
/// city, county, address, status, annual_volume_m3, risk_weight, attributes. @p q answers
/// `null(i)`, `view(i)` (text, "" for NULL) and `int64(i)`.
/// @throws InputError naming the row for an unknown ownership or attributes that are no JSON object.
template <class Row> void decode_station_row(const Row& q, int at, const std::string& file, Station& s) {
    const std::int64_t fid = q.int64(0);
    s.station_id = q.view(at);
    // SQL NULL in a built-in column is a missing value (docs/sampling.md section 3), not "" or 0:
    // a design that uses the field refuses the station.
    static constexpr std::array<std::pair<int, const char*>, 10> nullable = {{{1, "name"},
                                                                              {2, "operator"},
                                                                              {3, "brand"},
                                                                              {4, "ownership"},
                                                                              {5, "province"},
                                                                              {6, "city"},
                                                                              {7, "county"},
                                                                              {8, "address"},
                                                                              {10, "annual_volume_m3"},
                                                                              {11, "risk_weight"}}};
    for (const auto& [column, field] : nullable)
        if (q.null(at + column))
            s.missing.emplace_back(field);
    std::sort(s.missing.begin(), s.missing.end());
    s.name = q.view(at + 1);
    s.operator_name = q.view(at + 2);
    s.brand = q.view(at + 3);
    const std::string_view ownership = q.view(at + 4);
    auto parsed = q.null(at + 4) ? std::optional<Ownership>(Ownership::other) : parse_ownership(ownership);
    if (!parsed)
        throw InputError(
            {.file = file, .layer = "stations", .fid = fid, .feature = s.station_id, .field = "ownership"},
            "unknown ownership type '" + std::string(ownership) + "'");
    s.ownership = *parsed;
    s.province = q.view(at + 5);
    s.city = q.view(at + 6);
    s.county = q.view(at + 7);
    s.address = q.view(at + 8);
    s.status = q.view(at + 9);
    s.annual_volume_m3 = q.null(at + 10) ? 0 : q.int64(at + 10);
    s.risk_weight = q.null(at + 11) ? 1 : q.int64(at + 11);
    const std::string_view attributes = q.view(at + 12);
    if (!attributes.empty()) {
        auto json = nlohmann::json::parse(attributes, nullptr, false);
        if (!json.is_object())
            throw InputError({.file = file,
                              .layer = "stations",
                              .fid = fid,
                              .feature = s.station_id,
                              .field = "attributes"},
                             "not a JSON object");
        for (const auto& [k, v] : json.items())
            s.attributes[k] = v.is_string() ? v.template get<std::string>() : v.dump();
    }
}

} // namespace fuelmap::detail
