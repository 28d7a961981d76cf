// SPDX-License-Identifier: MIT
/// @file validation.hpp
/// @brief Checks of a site against the invariants of docs/validation.md; each finding has a
/// stable code.
#pragma once

#include <fuelmap/grade.hpp>
#include <fuelmap/site.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

class Registry;

/// How bad a finding is. Ordered: warning < error < critical.
enum class Severity { warning, error, critical };

/// "warning", "error" or "critical".
[[nodiscard]] std::string_view to_string(Severity s) noexcept;

/// One broken invariant.
struct Finding {
    std::string code;                      ///< stable code, e.g. "FM-NOZZLE-NO-SUPPLY"
    Severity severity = Severity::warning; ///< how bad
    std::string station_id;                ///< the station
    std::string element;                   ///< "tank T1", "nozzle N3", "dispenser D2" or "station"
    std::string message;                   ///< plain-words explanation

    friend bool operator==(const Finding&, const Finding&) = default;
};

/// Every finding for one site, in a stable order: station, tanks, dispensers, nozzles, positions.
[[nodiscard]] std::vector<Finding> validate_site(const Site& site, const GradeTable& grades);

/// Every finding for the given sites of a registry (all when @p station_ids is empty).
/// @throws InputError when a station id is not in the registry.
[[nodiscard]] std::vector<Finding> validate_registry(const Registry& registry,
                                                     const std::vector<std::string>& station_ids = {});

} // namespace fuelmap
