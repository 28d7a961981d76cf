// SPDX-License-Identifier: MIT
/// @file case_stats.hpp
/// @brief Case outcomes of a round, overall and per stratum of its plan (`fuelmap stats`, the
/// published site). Definitions: docs/cases.md, "Statistics".
#pragma once

#include <fuelmap/case.hpp>
#include <fuelmap/plan.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace fuelmap {

/// Case counts of one group of a round's cases.
struct CaseCounts {
    std::string key;                ///< "all" or a stratum key
    std::size_t opened = 0;         ///< cases opened
    std::size_t open = 0;           ///< of those, not closed
    std::size_t not_confirmed = 0;  ///< closed: the retest of the reserve sample conformed
    std::size_t rectified = 0;      ///< closed: the last re-check passed
    std::size_t referred = 0;       ///< closed: referred
    std::size_t failed_recheck = 0; ///< closed: the last re-check failed, not referred
    std::size_t penalties = 0;      ///< cases with a penalty step
};

/// Case outcomes of one round.
struct RoundCaseStats {
    std::string round;              ///< the round
    CaseCounts overall;             ///< every case of the round
    std::vector<CaseCounts> strata; ///< per stratum of the plan's selections with cases, by key
};

/// Counts the cases of @p plan's round by their outcome (case_status()), overall and per stratum
/// (the stratum of the case's station in @p plan; a station the plan does not select counts under
/// "(not selected)"). Pure.
[[nodiscard]] RoundCaseStats case_statistics(const Plan& plan, std::span<const Case> cases);

} // namespace fuelmap
