// SPDX-License-Identifier: MIT
/// @file plan_outputs.hpp
/// @brief The working files written beside a plan: a field list (CSV) per team and a GeoJSON of the
/// selected stations (docs/plan-file.md). The canonical plan itself is plan_to_json() (plan.hpp).
#pragma once

#include <fuelmap/plan.hpp>
#include <fuelmap/registry.hpp>

#include <map>
#include <string>

namespace fuelmap {

/// The field lists of @p plan, one per team-day: file name ("T01_2026-12-01.csv", "unassigned.csv"
/// for stations on no route) → CSV text (header, then one row per planned sample in plan order, i.e.
/// visiting order, with the station's `stop` number on its route; one row for a station with no
/// sample). Station names and addresses come from @p registry ("" for a station not in it).
/// Throws nothing but std::bad_alloc.
[[nodiscard]] std::map<std::string, std::string> plan_field_lists(const Plan& plan, const Registry& registry);

/// The selected stations of @p plan as a GeoJSON FeatureCollection of points (WGS84; null geometry for
/// a station without a location or not in @p registry), one feature per selection in plan order, with
/// a trailing newline. Throws nothing but std::bad_alloc.
[[nodiscard]] std::string plan_geojson(const Plan& plan, const Registry& registry);

} // namespace fuelmap
