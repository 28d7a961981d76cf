// SPDX-License-Identifier: MIT
/// @file plan_text.hpp
/// @brief Private: the canonical text of a plan and its digest from one serialisation (a national
/// plan's JSON tree is the larger part of `plan` and `verify`; docs/plan-file.md).
#pragma once

#include <fuelmap/plan.hpp>

#include <string>

namespace fuelmap::detail {

/// A plan's canonical text and the digest its content hashes to.
struct PlanText {
    std::string text;   ///< plan_to_json(plan): with the plan's own `digest` (if any)
    std::string digest; ///< plan_digest(plan)
};

/// plan_to_json() and plan_digest() of @p plan, serialising it once. @throws Error as plan_to_json().
[[nodiscard]] PlanText plan_text(const Plan& plan);

/// Sets @p plan's digest to plan_digest() and returns plan_to_json() of the result, serialising once.
/// @throws Error as plan_to_json().
[[nodiscard]] std::string seal_plan(Plan& plan);

} // namespace fuelmap::detail
