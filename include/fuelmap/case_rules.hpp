// SPDX-License-Identifier: MIT
/// @file case_rules.hpp
/// @brief The rules a case's steps follow: which step may come next, on which dates, by whom, and
/// what is overdue on a given day. Pure functions of a case and its steps; docs/cases.md states
/// every rule.
#pragma once

#include <fuelmap/case.hpp>
#include <fuelmap/error.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// Where a case stands after its steps (or after those dated on or before a day).
struct CaseStatus {
    std::string stage = "opened";         ///< the last step's name, "opened" before any
    std::string last_date;                ///< the date of the last step (the opening date before any)
    bool closed = false;                  ///< a closed step was recorded
    std::string outcome;                  ///< the closing outcome (empty while open)
    std::string objection_until;          ///< last day of the objection window ("" before delivery)
    std::string rectify_by;               ///< deadline of an open rectification (no re-check after it)
    std::int64_t failed_rechecks = 0;     ///< re-checks that failed
    std::vector<std::string> withdrawn;   ///< findings a conforming retest withdrew: the case's
                                          ///< lab findings (not its structural ones), sorted
    std::vector<CaseStepKind> next_steps; ///< the steps allowed now, in order (empty when closed)
};

/// The structural findings of @p c (is_structural(): cross-connection, transposition, hidden
/// tank), sorted. A retest cannot refute them, so a case carrying one is not closed "not
/// confirmed" by a conforming retest: it goes on to disposal and rectification (docs/cases.md).
[[nodiscard]] std::vector<std::string> structural_findings(const Case& c);

/// The status of @p c from all its steps, or only from those dated on or before @p as_of when it
/// is not empty.
[[nodiscard]] CaseStatus case_status(const Case& c, std::string_view as_of = {});

/// Checks that @p step may be the next step of @p c: the case is not closed; the step is one of
/// case_status().next_steps; its date is a valid date not before the previous step's (or the
/// opening's); an objection is dated inside the window; @p known_actor accepts the actor; the
/// document reference is not empty; a rectification has a deadline not before its date; a retest
/// carries its verdict, a re-check "pass" or "fail"; after a conforming retest, a case with a
/// structural finding goes on to disposal only (it is neither reported nor closed). Sets step.number and, for
/// a closing step, its outcome. @throws InputError at @p where (its feature set to the case id) naming the
/// step and the field.
void check_case_step(const Case& c, CaseStep& step, const std::function<bool(std::string_view)>& known_actor,
                     Location where);

/// One overdue item of a case on a day.
struct OverdueItem {
    std::string case_id;    ///< the case
    std::string station_id; ///< its station
    std::string kind; ///< "objection-window-expired", "rectification-deadline-passed", "recheck-not-planned"
    std::string due;  ///< the day that passed
    std::string message; ///< one line in plain words
};

/// Where a station's next visit is planned: round and date (date empty without a schedule).
struct PlannedVisit {
    std::string round; ///< the round of the recorded plan
    std::string date;  ///< the visit date, or ""
};

/// What is overdue on @p on (docs/cases.md, "Overdue"): objection windows that ended before @p on
/// with no objection and no later step; rectification deadlines before @p on with no re-check;
/// and of those, re-checks no recorded plan visits (@p visits: per station, the visits of plans
/// of rounds other than the case's, dated on or after the rectification, or undated). Ordered by
/// case id, then kind.
[[nodiscard]] std::vector<OverdueItem>
overdue_items(std::span<const Case> cases, std::string_view on,
              const std::map<std::string, std::vector<PlannedVisit>>& visits);

/// Stations whose re-checks failed at least twice, over all their cases (flagged for escalation).
[[nodiscard]] std::set<std::string> escalated_stations(std::span<const Case> cases);

/// The certainty set of certainty_from_cases (docs/sampling.md): stations with a case opened on or
/// before @p as_of that is not closed by then, or with a re-check dated on or before @p as_of that
/// failed. Sorted.
[[nodiscard]] std::vector<std::string> case_certainty_stations(std::span<const Case> cases,
                                                               std::string_view as_of);

/// The day @p days after the date @p date ("YYYY-MM-DD"). @throws InputError when @p date is not a date.
[[nodiscard]] std::string add_days(std::string_view date, std::int64_t days);

} // namespace fuelmap
