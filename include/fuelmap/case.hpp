// SPDX-License-Identifier: MIT
/// @file case.hpp
/// @brief A follow-up case (后处理): one failed batch of a round (a station and a grade), the
/// findings and samples it rests on, and the dated, attributed steps it went through. The steps and
/// their rules are in case_rules.hpp; docs/cases.md describes both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// The steps of a case after its opening, in their order (docs/cases.md, "Steps").
enum class CaseStepKind {
    delivered,     ///< the result was delivered to the station
    objection,     ///< the station objected, inside the objection window
    retest,        ///< the reserve sample was tested again (its own verdict)
    disposal,      ///< stop sale, seal
    rectification, ///< rectification ordered, with a deadline
    recheck,       ///< the station was checked again (pass or fail)
    penalty,       ///< an administrative penalty was decided
    referral,      ///< the case was referred (e.g. to the police)
    reported,      ///< reported upward
    published,     ///< published
    closed,        ///< closed (no step after it)
};

/// "delivered", "objection", "retest", "disposal", "rectification", "recheck", "penalty",
/// "referral", "reported", "published" or "closed".
[[nodiscard]] std::string_view to_string(CaseStepKind kind) noexcept;

/// The step named @p name, or nothing.
[[nodiscard]] std::optional<CaseStepKind> parse_case_step(std::string_view name) noexcept;

/// Every step kind, in order.
[[nodiscard]] const std::vector<CaseStepKind>& all_case_steps() noexcept;

/// One recorded step of a case.
struct CaseStep {
    std::string case_id;                         ///< the case
    std::int64_t number = 0;                     ///< 1, 2, 3 … within the case
    CaseStepKind kind = CaseStepKind::delivered; ///< which step
    std::string date;                            ///< "YYYY-MM-DD"
    std::string actor;                           ///< a known actor id (case_actors.hpp)
    std::string document;                        ///< document reference (decision, notice number …)
    std::string outcome;  ///< retest: conforming, inconclusive or non-conforming; recheck: pass or fail;
                          ///< closed: not-confirmed, rectified or referred; otherwise empty
    std::string deadline; ///< rectification: the deadline "YYYY-MM-DD"; otherwise empty
    std::string detail;   ///< retest: the result and how it was judged; otherwise empty
};

/// A case: one failed batch (station × grade) of a round.
struct Case {
    std::string case_id;                 ///< "ROUND/STATION/GRADE"
    std::string round;                   ///< the round whose plan sampled the batch
    std::string station_id;              ///< the station
    std::string grade;                   ///< the grade of the batch
    std::vector<std::string> sample_ids; ///< the batch's planned sample ids (nozzle, then tanks)
    std::vector<std::string> findings;   ///< failing finding classes, sorted ("non-conforming" …)
    std::vector<std::string> evidence;   ///< one line per finding: element, class, message
    std::int64_t objection_days = 15;    ///< objection window, days from delivery
    std::string opened_on;               ///< "YYYY-MM-DD"
    std::string opened_by;               ///< the actor who opened it
    std::string document;                ///< document reference of the opening
    std::vector<CaseStep> steps;         ///< its steps, in order
};

/// The id of the case of a batch: "ROUND/STATION/GRADE".
[[nodiscard]] std::string case_id_of(std::string_view round, std::string_view station_id,
                                     std::string_view grade);

} // namespace fuelmap
