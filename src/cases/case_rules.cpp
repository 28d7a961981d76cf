// SPDX-License-Identifier: MIT
// The step rules of a case, its status, and what is overdue (docs/cases.md).
#include <fuelmap/audit.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/design.hpp>

#include "util/iso_day.hpp"

#include <algorithm>

namespace fuelmap {

namespace {

using K = CaseStepKind;

// The steps allowed after @p last (the opening when empty), given the outcome of the last step
// and, after a conforming retest, whether the case carries a structural finding.
std::vector<K> allowed_after(const Case& c, const CaseStep* last) {
    if (!last)
        return {K::delivered};
    switch (last->kind) {
    case K::delivered:
        return {K::objection, K::disposal};
    case K::objection:
        return {K::retest};
    case K::retest:
        return last->outcome == "conforming" && structural_findings(c).empty()
                   ? std::vector<K>{K::reported, K::closed}
                   : std::vector<K>{K::disposal};
    case K::disposal:
        return {K::rectification};
    case K::rectification:
        return {K::recheck};
    case K::recheck:
        return last->outcome == "pass" ? std::vector<K>{K::penalty, K::referral, K::reported}
                                       : std::vector<K>{K::rectification, K::penalty, K::referral};
    case K::penalty:
        return {K::referral, K::reported};
    case K::referral:
        return {K::reported};
    case K::reported:
        return {K::published};
    case K::published:
        return {K::closed};
    case K::closed:
        return {};
    }
    return {};
}

std::string names(const std::vector<K>& kinds) {
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        out += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + std::string(to_string(kinds[i]));
    return out;
}

// How a case that is being closed ends.
std::string closing_outcome(const Case& c) {
    bool referred = false, not_confirmed = false;
    std::string last_recheck;
    for (const CaseStep& s : c.steps) {
        referred = referred || s.kind == K::referral;
        if (s.kind == K::retest)
            not_confirmed = s.outcome == "conforming";
        if (s.kind == K::recheck)
            last_recheck = s.outcome;
    }
    if (not_confirmed && structural_findings(c).empty())
        return "not-confirmed";
    if (referred)
        return "referred";
    return last_recheck == "pass" ? "rectified" : "failed-recheck";
}

} // namespace

std::vector<std::string> structural_findings(const Case& c) {
    std::vector<std::string> out;
    for (AuditClass cls : all_audit_classes())
        if (is_structural(cls) &&
            std::find(c.findings.begin(), c.findings.end(), to_string(cls)) != c.findings.end())
            out.emplace_back(to_string(cls));
    std::sort(out.begin(), out.end());
    return out;
}

std::string add_days(std::string_view date, std::int64_t days) {
    if (!is_iso_date(date))
        throw InputError({.field = "date"}, "'" + std::string(date) + "' is not a date written YYYY-MM-DD");
    return detail::format_iso_day(detail::parse_iso_day(date) + std::chrono::days{days});
}

CaseStatus case_status(const Case& c, std::string_view as_of) {
    CaseStatus st;
    st.last_date = c.opened_on;
    const CaseStep* last = nullptr;
    const std::vector<std::string> structural = structural_findings(c);
    for (const CaseStep& s : c.steps) {
        if (!as_of.empty() && s.date > as_of)
            break; // steps are in date order (check_case_step)
        last = &s;
        st.stage = std::string(to_string(s.kind));
        st.last_date = s.date;
        if (s.kind == K::delivered && is_iso_date(s.date))
            st.objection_until = add_days(s.date, c.objection_days);
        if (s.kind == K::rectification)
            st.rectify_by = s.deadline;
        if (s.kind == K::recheck) {
            st.rectify_by.clear();
            st.failed_rechecks += s.outcome == "fail" ? 1 : 0;
        }
        if (s.kind == K::retest) {
            st.withdrawn.clear();
            if (s.outcome == "conforming")
                for (const std::string& f : c.findings)
                    if (!std::binary_search(structural.begin(), structural.end(), f))
                        st.withdrawn.push_back(f);
        }
        if (s.kind == K::closed) {
            st.closed = true;
            st.outcome = s.outcome;
        }
    }
    st.next_steps = allowed_after(c, last);
    return st;
}

void check_case_step(const Case& c, CaseStep& step, const std::function<bool(std::string_view)>& known_actor,
                     Location where) {
    const std::string name(to_string(step.kind));
    where.feature = c.case_id;
    auto fail = [&](const std::string& field, const std::string& what) {
        where.field = field;
        throw InputError(where, "step '" + name + "': " + what);
    };
    const CaseStatus st = case_status(c);
    if (st.closed)
        fail("step", "the case is closed (" + st.outcome + ", on " + st.last_date + "); no step follows");
    const bool allowed =
        std::find(st.next_steps.begin(), st.next_steps.end(), step.kind) != st.next_steps.end();
    if (!allowed && st.stage == "retest" && c.steps.back().outcome == "conforming" &&
        (step.kind == K::closed || step.kind == K::reported)) {
        std::string kept;
        for (const std::string& f : structural_findings(c))
            kept += (kept.empty() ? "" : ", ") + f;
        fail("step", "the retest conformed, but a retest cannot refute the structural finding " + kept +
                         " (seen on site, not a lab result): the case goes on; after 'retest' the next "
                         "step is " +
                         names(st.next_steps) + ", then rectification and a re-check of the plumbing");
    }
    if (!allowed)
        fail("step", "out of order: after '" + st.stage + "' the next step is " + names(st.next_steps));
    if (!is_iso_date(step.date))
        fail("date", "'" + step.date + "' is not a date written YYYY-MM-DD");
    if (step.date < st.last_date)
        fail("date", step.date + " is before the previous step ('" + st.stage + "' on " + st.last_date + ")");
    if (step.kind == K::objection && step.date > st.objection_until)
        fail("date", "the objection window (" + std::to_string(c.objection_days) +
                         " days from delivery) ended on " + st.objection_until);
    if (step.actor.empty())
        fail("actor", "missing: every step names its actor");
    if (!known_actor(step.actor))
        fail("actor", "unknown actor '" + step.actor +
                          "' (not an inspector of the round, a lab of its results, "
                          "nor in the actors list)");
    if (step.document.empty())
        fail("document", "missing: every step names its document");
    if (step.kind == K::rectification) {
        if (!is_iso_date(step.deadline))
            fail("deadline", step.deadline.empty()
                                 ? "missing: a rectification has a deadline"
                                 : "'" + step.deadline + "' is not a date written YYYY-MM-DD");
        if (step.deadline < step.date)
            fail("deadline", step.deadline + " is before the rectification's date " + step.date);
    } else if (!step.deadline.empty()) {
        fail("deadline", "only a rectification has a deadline");
    }
    if (step.kind == K::retest) {
        if (step.outcome != "conforming" && step.outcome != "inconclusive" &&
            step.outcome != "non-conforming")
            fail("outcome", "a retest needs its verdict (conforming, inconclusive or non-conforming)");
    } else if (step.kind == K::recheck) {
        if (step.outcome != "pass" && step.outcome != "fail")
            fail("outcome", step.outcome.empty() ? "missing: a re-check passes or fails (pass or fail)"
                                                 : "'" + step.outcome + "' is not pass or fail");
    } else if (step.kind == K::closed) {
        step.outcome = closing_outcome(c);
    } else if (!step.outcome.empty()) {
        fail("outcome", "only a retest, a re-check or a closing has an outcome");
    }
    step.case_id = c.case_id;
    step.number = static_cast<std::int64_t>(c.steps.size()) + 1;
}

std::vector<OverdueItem> overdue_items(std::span<const Case> cases, std::string_view on,
                                       const std::map<std::string, std::vector<PlannedVisit>>& visits) {
    std::vector<OverdueItem> out;
    for (const Case& c : cases) {
        const CaseStatus st = case_status(c);
        if (st.closed)
            continue;
        if (st.stage == "delivered" && !st.objection_until.empty() && st.objection_until < on)
            out.push_back({c.case_id, c.station_id, "objection-window-expired", st.objection_until,
                           "the objection window ended on " + st.objection_until +
                               " without an objection; disposal not yet recorded"});
        if (st.stage == "rectification" && st.rectify_by < on) {
            out.push_back({c.case_id, c.station_id, "rectification-deadline-passed", st.rectify_by,
                           "the rectification deadline " + st.rectify_by + " passed; no re-check recorded"});
            const std::string ordered = c.steps.back().date;
            bool planned = false;
            if (const auto it = visits.find(c.station_id); it != visits.end())
                for (const PlannedVisit& v : it->second)
                    planned = planned || (v.round != c.round && (v.date.empty() || v.date >= ordered));
            if (!planned)
                out.push_back({c.case_id, c.station_id, "recheck-not-planned", st.rectify_by,
                               "no recorded plan visits the station on or after the rectification order of " +
                                   ordered});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const OverdueItem& a, const OverdueItem& b) { return a.case_id < b.case_id; });
    return out;
}

std::set<std::string> escalated_stations(std::span<const Case> cases) {
    std::map<std::string, std::int64_t> failed;
    for (const Case& c : cases)
        failed[c.station_id] += case_status(c).failed_rechecks;
    std::set<std::string> out;
    for (const auto& [station, n] : failed)
        if (n >= 2)
            out.insert(station);
    return out;
}

std::vector<std::string> case_certainty_stations(std::span<const Case> cases, std::string_view as_of) {
    std::set<std::string> out;
    for (const Case& c : cases) {
        if (c.opened_on > as_of)
            continue;
        const CaseStatus st = case_status(c, as_of);
        if (!st.closed || st.failed_rechecks > 0)
            out.insert(c.station_id);
    }
    return {out.begin(), out.end()};
}

} // namespace fuelmap
