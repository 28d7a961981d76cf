// SPDX-License-Identifier: MIT
/// @file verify.hpp
/// @brief Verifying a published plan: recompute it from the registry, its design and its seed and
/// name every difference. See docs/sampling.md, "Verification".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// One difference between a plan and what its inputs give.
struct PlanDifference {
    /// "format" (file not canonical), "digest", "seed", "design", "registry", "recorded",
    /// "field", "selection_added", "selection_removed", "selection_edited", "team", "route",
    /// "algorithm" (the plan used another algorithm version: nothing else is compared).
    std::string kind;
    std::string station_id; ///< station concerned (selection differences), team name (team and
                            ///< route differences), else empty
    std::string detail;     ///< plain-words explanation with the plan's and the recomputed values
};

/// What else a plan is checked against.
struct VerifyOptions {
    std::optional<std::filesystem::path> design; ///< the design file published before the round
    std::optional<std::string> commitment;       ///< the seed commitment published before the round
    /// false: recompute the registry digest from the stations, nozzles and supplies tables only,
    /// ignoring the registry's layout cache even when it looks intact (`verify --no-cache`).
    bool use_layout_cache = true;
};

/// Verifies the plan file against the registry. Empty result: the plan is exactly what its inputs
/// give. @throws InputError when the plan, the design or the registry cannot be read.
[[nodiscard]] std::vector<PlanDifference> verify_plan(const std::filesystem::path& plan_file,
                                                      const std::filesystem::path& registry,
                                                      const VerifyOptions& options = {});

} // namespace fuelmap
