// SPDX-License-Identifier: MIT
/// @file site.hpp
/// @brief A filling station and what stands on its site: tanks, dispensers, nozzles, outline.
#pragma once

#include <fuelmap/geo.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// Ownership type of a station (the EN 14274 subdivision of retail sites, plus "other").
enum class Ownership { major, independent, hypermarket, other };

/// "major", "independent", "hypermarket" or "other".
[[nodiscard]] std::string_view to_string(Ownership o) noexcept;
/// Parses an ownership type; std::nullopt when unknown.
[[nodiscard]] std::optional<Ownership> parse_ownership(std::string_view s) noexcept;

/// Registry record of one station.
struct Station {
    std::string station_id;                        ///< registry code, unique across the registry
    std::string name;                              ///< UTF-8, often Chinese
    std::string operator_name;                     ///< operating company
    std::string brand;                             ///< brand shown on the canopy
    Ownership ownership = Ownership::other;        ///< ownership type
    std::string province;                          ///< province code (GB/T 2260), e.g. "370000"
    std::string city;                              ///< prefecture code, e.g. "370600"
    std::string county;                            ///< county-level code, e.g. "370602"
    std::string address;                           ///< postal address, UTF-8
    std::string status = "open";                   ///< "open", "closed", "suspended"
    std::optional<GeoPoint> location;              ///< WGS84 position of the station (its site origin)
    std::int64_t annual_volume_m3 = 0;             ///< annual sales volume, all grades, cubic metres
    std::int64_t risk_weight = 1;                  ///< risk weight for risk-targeted sampling (>= 1)
    std::map<std::string, std::string> attributes; ///< further fields from the source, by name
    /// Built-in fields whose value is missing (SQL NULL in the registry), by name, sorted: field()
    /// reports them as missing rather than as "" or 0.
    std::vector<std::string> missing;

    /// The value of a station field as text: a built-in field name ("county", "ownership", …)
    /// or an attribute; std::nullopt when there is no such field or its value is missing.
    [[nodiscard]] std::optional<std::string> field(std::string_view name) const;
    /// field() appended to @p out, without a copy of its own; false (and @p out unchanged) when
    /// there is no such field or its value is missing.
    bool append_field(std::string_view name, std::string& out) const;
};

/// A storage tank. `tank_no` is the number painted at the fill point, unique per station.
struct Tank {
    std::string tank_no;               ///< painted number, e.g. "T1"
    std::string grade;                 ///< declared grade code
    std::int64_t capacity_l = 0;       ///< nominal capacity, litres
    std::string manifold_group;        ///< tanks piped together share a non-empty group name
    std::string status = "in_service"; ///< "in_service", "out_of_service", "empty"
    std::optional<GeoPoint> position;  ///< WGS84 position (fill point or tank centre)
};

/// A dispenser (fuel pump) with up to four fuelling points (sides).
struct Dispenser {
    std::string dispenser_no;         ///< painted number, unique per station
    std::string island;               ///< island name or number
    int fuelling_points = 2;          ///< number of fuelling points (sides)
    std::optional<GeoPoint> position; ///< WGS84 position
};

/// One leg of a nozzle's supply: the tank it draws from and the share of the blend.
struct SupplyLeg {
    std::string tank_no;   ///< the tank drawn from
    double fraction = 1.0; ///< share of the nozzle's product, (0, 1]
};

/// A dispensing nozzle. `nozzle_no` is the painted number, unique per station.
struct Nozzle {
    std::string nozzle_no;             ///< painted number, e.g. "N7"
    std::string dispenser_no;          ///< dispenser it hangs on
    int fuelling_point = 1;            ///< fuelling point (side) of that dispenser, 1-based
    std::string grade;                 ///< labelled grade code
    std::string status = "in_service"; ///< "in_service", "out_of_service"
    std::vector<SupplyLeg> supply;     ///< declared supply: one tank, or two for a blend
    std::optional<GeoPoint> position;  ///< WGS84 position
};

/// A station with everything on its site.
struct Site {
    Station station;                   ///< the station record
    std::vector<Tank> tanks;           ///< storage tanks, in registry order
    std::vector<Dispenser> dispensers; ///< dispensers, in registry order
    std::vector<Nozzle> nozzles;       ///< nozzles, in registry order
    std::vector<GeoPoint> outline;     ///< site boundary ring (WGS84), empty when not recorded

    /// The tank with this number, or nullptr.
    [[nodiscard]] const Tank* find_tank(std::string_view tank_no) const noexcept;
    /// The dispenser with this number, or nullptr.
    [[nodiscard]] const Dispenser* find_dispenser(std::string_view dispenser_no) const noexcept;
    /// The nozzle with this number, or nullptr.
    [[nodiscard]] const Nozzle* find_nozzle(std::string_view nozzle_no) const noexcept;
};

/// The real-world id of a tank or nozzle: "STATION/NUMBER".
[[nodiscard]] std::string element_id(std::string_view station_id, std::string_view number);

} // namespace fuelmap
