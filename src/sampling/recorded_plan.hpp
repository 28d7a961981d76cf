// SPDX-License-Identifier: MIT
/// @file recorded_plan.hpp
/// @brief Private: a plan recorded in a registry, parsed only when its content is needed (a national
/// plan's text is megabytes; most readers need only its round and digest).
#pragma once

#include <fuelmap/plan.hpp>

#include "store/registry_store.hpp"

#include <filesystem>

namespace fuelmap::detail {

/// The plan of the recorded row @p record of @p registry. @throws InputError naming the registry,
/// the table and the round when its text is not a plan.
[[nodiscard]] Plan parse_recorded_plan(const std::filesystem::path& registry, const PlanRecord& record);

} // namespace fuelmap::detail
