// SPDX-License-Identifier: MIT
/// @file station_row.hpp
/// @brief Private: the one decoder of a stations row into a Station, for every backend's reader.
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/site.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace fuelmap::detail {

/// Decodes the stations row @p q (of the registry @p file) into @p s, all but the position: column
/// 0 is fid, columns @p at … @p at + 12 are station_id, name, operator, brand, ownership, province,
/// city, county, address, status, annual_volume_m3, risk_weight, attributes. @p q answers
/// `null(i)`, `view(i)` (text, "" for NULL), `text_or_null(i)` (nullopt for NULL) and `int64(i)`.
/// @throws InputError naming the row for an unknown ownership or attributes that are no JSON object.
template <class Row> void decode_station_row(const Row& q, int at, const std::string& file, Station& s) {
    const std::int64_t fid = q.int64(0);
    s.station_id = q.view(at);
    // SQL NULL in a built-in column is a missing value (docs/sampling.md section 3), not "" or 0:
    // a design that uses the field refuses the station. Each text column is read once, its NULL
    // seen in the same call.
    auto text = [&](int column, const char* field, std::string& out) {
        const std::optional<std::string_view> value = q.text_or_null(at + column);
        if (!value)
            s.missing.emplace_back(field);
        out = value.value_or(std::string_view());
    };
    text(1, "name", s.name);
    text(2, "operator", s.operator_name);
    text(3, "brand", s.brand);
    const std::optional<std::string_view> ownership = q.text_or_null(at + 4);
    auto parsed = ownership ? parse_ownership(*ownership) : std::optional<Ownership>(Ownership::other);
    if (!parsed)
        throw InputError(
            {.file = file, .layer = "stations", .fid = fid, .feature = s.station_id, .field = "ownership"},
            "unknown ownership type '" + std::string(*ownership) + "'");
    if (!ownership)
        s.missing.emplace_back("ownership");
    s.ownership = *parsed;
    text(5, "province", s.province);
    text(6, "city", s.city);
    text(7, "county", s.county);
    text(8, "address", s.address);
    s.status = q.view(at + 9);
    s.annual_volume_m3 = q.null(at + 10) ? 0 : q.int64(at + 10);
    if (q.null(at + 10))
        s.missing.emplace_back("annual_volume_m3");
    s.risk_weight = q.null(at + 11) ? 1 : q.int64(at + 11);
    if (q.null(at + 11))
        s.missing.emplace_back("risk_weight");
    if (s.missing.size() > 1)
        std::sort(s.missing.begin(), s.missing.end());
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
