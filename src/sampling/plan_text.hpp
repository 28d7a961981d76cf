// SPDX-License-Identifier: MIT
/// @file plan_text.hpp
/// @brief Private: the canonical text of a plan and its digest from one serialisation (a national
/// plan's JSON tree is the larger part of `plan` and `verify`; docs/plan-file.md).
#pragma once

#include <fuelmap/plan.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

/// What a plan file gives its own recomputation: the algorithm, the design, the seed and the ledger
/// checkpoint.
struct PlanHead {
    std::string algorithm_version;    ///< as in the file
    std::string design_json;          ///< the design object as Plan::design_json holds it
    std::string seed;                 ///< the revealed seed
    std::int64_t ledger_entries = -1; ///< the checkpoint's entry count (-1: none in the file)
    std::string ledger_head;          ///< the checkpoint's head
};

/// The head of the plan text @p text, found by skimming its top-level keys without reading the
/// rest (a national plan's selections and routes are megabytes): for a verification that then
/// compares the whole text byte for byte with the plan it recomputes from these. nullopt when the
/// text does not hold them as a plan file does; nothing is checked beyond that, so a text that does
/// not match its recomputation must be read whole (parse_plan()) before anything else is said of it.
[[nodiscard]] std::optional<PlanHead> read_plan_head(std::string_view text);

} // namespace fuelmap::detail
