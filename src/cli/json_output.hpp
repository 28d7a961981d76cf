// SPDX-License-Identifier: MIT
/// @file json_output.hpp
/// @brief JSON forms of registry objects for the CLI's --format json outputs.
#pragma once

#include <fuelmap/site.hpp>
#include <fuelmap/validation.hpp>

#include <nlohmann/json.hpp>

namespace fuelmap::cli {

/// A site with every tank, dispenser, nozzle and supply; positions as [lon, lat] or null.
[[nodiscard]] nlohmann::ordered_json site_to_json(const Site& site);
/// A validation finding.
[[nodiscard]] nlohmann::ordered_json finding_to_json(const Finding& finding);

} // namespace fuelmap::cli
