// SPDX-License-Identifier: MIT
/// @file case_registry.hpp
/// @brief The follow-up cases recorded in a registry: opening one case per failed batch of a
/// round, recording a step, reading them back. Every case and every step is a ledger record
/// (docs/ledger.md); the rules are case_rules.hpp; docs/cases.md describes the whole.
#pragma once

#include <fuelmap/case.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// Where the actors and tables of a case command come from.
struct CaseTables {
    std::optional<std::filesystem::path> actors;    ///< actors list (case_actors.hpp), or none
    std::optional<std::filesystem::path> precision; ///< precision table (default: shipped)
    std::optional<std::filesystem::path> limits;    ///< grade limits (default: shipped)
};

/// What `fuelmap case open` is asked.
struct CaseOpenRequest {
    std::filesystem::path registry;   ///< the registry
    std::string round;                ///< the round whose failed batches to open
    std::string date;                 ///< opening date "YYYY-MM-DD"
    std::string actor;                ///< who opens them (a known actor)
    std::string document;             ///< document reference of the opening
    std::int64_t objection_days = 15; ///< the objection window of the cases opened, days from delivery
    CaseTables tables;                ///< actors, precision and limits
};

/// What opening did.
struct CaseOpenResult {
    std::vector<Case> opened;     ///< cases opened now, by case id
    std::size_t already_open = 0; ///< failed batches whose case was opened before
};

/// Opens one case per failed batch of the round (a station and grade of its plan with a finding
/// that is critical in the round's audit: non-conforming, different fuel, cross-connection,
/// transposition, hidden tank, mislabelled tank) that has no case yet, all in one transaction;
/// batches with a case already are counted, not opened again. @throws InputError (nothing
/// written) when the round has no recorded plan, the ledger does not verify, the date is not a
/// date, the actor is unknown, the document is empty or the window is not at least one day.
CaseOpenResult open_cases(const CaseOpenRequest& request);

/// A retest's lab result (of the reserve sample), judged against the case grade's limit.
struct RetestResult {
    std::string property; ///< e.g. "RON"
    std::string method;   ///< test method, as in the precision table
    double value = 0.0;   ///< the result
};

/// Records @p step (kind, date, actor, document; a rectification's deadline; a re-check's outcome)
/// as the next step of case @p case_id; a retest's verdict is judged from @p retest. Returns the
/// case with the new step. @throws InputError (nothing written) naming the case, the step and the
/// field when the case is unknown, a rule of check_case_step() refuses it, or the retest has no
/// result, no limit for its property or no precision data for its method.
Case advance_case(const std::filesystem::path& registry, const std::string& case_id, CaseStep step,
                  const std::optional<RetestResult>& retest, const CaseTables& tables);

/// The cases recorded in a registry with their steps, in opening order (empty when none).
/// @throws InputError when the file is not a registry.
[[nodiscard]] std::vector<Case> read_cases(const std::filesystem::path& registry);

} // namespace fuelmap
