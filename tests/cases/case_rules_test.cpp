// SPDX-License-Identifier: MIT
// The step rules of a case, its status, the overdue report, escalation and the certainty set of
// certainty_from_cases, on cases built in memory.
#include <fuelmap/audit.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/case_stats.hpp>

#include "testing/expect_throw.hpp"

#include <gtest/gtest.h>

using namespace fuelmap;

namespace {

const std::function<bool(std::string_view)> anyone = [](std::string_view a) { return a != "NOBODY"; };

Case opened(const std::string& station = "S1", const std::string& on = "2027-01-01") {
    Case c;
    c.round = "R1";
    c.station_id = station;
    c.grade = "92#";
    c.case_id = case_id_of(c.round, station, c.grade);
    c.opened_on = on;
    c.opened_by = "OFFICE";
    c.document = "D0";
    return c;
}

// Checks and appends a step; returns the appended step.
const CaseStep& add(Case& c, CaseStepKind kind, const std::string& date, const std::string& outcome = {},
                    const std::string& deadline = {}) {
    CaseStep s{.case_id = {},
               .number = 0,
               .kind = kind,
               .date = date,
               .actor = "A1",
               .document = "D",
               .outcome = outcome,
               .deadline = deadline,
               .detail = {}};
    check_case_step(c, s, anyone, Location{.file = "reg.gpkg", .layer = "fuelmap_case_steps"});
    c.steps.push_back(s);
    return c.steps.back();
}

std::string refusal(Case c, CaseStepKind kind, const std::string& date, const std::string& actor = "A1",
                    const std::string& outcome = {}, const std::string& deadline = {}) {
    CaseStep s{.case_id = {},
               .number = 0,
               .kind = kind,
               .date = date,
               .actor = actor,
               .document = "D",
               .outcome = outcome,
               .deadline = deadline,
               .detail = {}};
    try {
        check_case_step(c, s, anyone, Location{.file = "reg.gpkg", .layer = "fuelmap_case_steps"});
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

std::vector<CaseStepKind> next(const Case& c) {
    return case_status(c).next_steps;
}

using K = CaseStepKind;

} // namespace

TEST(CaseStep, NamesRoundTrip) {
    for (CaseStepKind k : all_case_steps())
        EXPECT_EQ(parse_case_step(to_string(k)), k);
    EXPECT_FALSE(parse_case_step("sealing"));
    EXPECT_EQ(all_case_steps().size(), 11u);
    EXPECT_EQ(case_id_of("R1", "370602-0001", "95#"), "R1/370602-0001/95#");
}

TEST(CaseRules, AddDaysCrossesMonthsYearsAndLeapDays) {
    EXPECT_EQ(add_days("2026-12-21", 15), "2027-01-05");
    EXPECT_EQ(add_days("2028-02-20", 10), "2028-03-01");
    EXPECT_EQ(add_days("2027-02-20", 10), "2027-03-02");
    EXPECT_THROW((void)add_days("2027-02-30", 1), InputError);
}

TEST(CaseRules, TheFullPathAndItsNextSteps) {
    Case c = opened();
    EXPECT_EQ(next(c), std::vector<K>{K::delivered});
    EXPECT_EQ(add(c, K::delivered, "2027-01-02").number, 1);
    EXPECT_EQ(next(c), (std::vector<K>{K::objection, K::disposal}));
    EXPECT_EQ(case_status(c).objection_until, "2027-01-17");
    add(c, K::objection, "2027-01-17"); // the last day of the window
    EXPECT_EQ(next(c), std::vector<K>{K::retest});
    add(c, K::retest, "2027-01-20", "inconclusive");
    EXPECT_EQ(next(c), std::vector<K>{K::disposal});
    add(c, K::disposal, "2027-01-20");
    EXPECT_EQ(next(c), std::vector<K>{K::rectification});
    add(c, K::rectification, "2027-01-21", {}, "2027-02-21");
    EXPECT_EQ(case_status(c).rectify_by, "2027-02-21");
    EXPECT_EQ(next(c), std::vector<K>{K::recheck});
    add(c, K::recheck, "2027-02-22", "pass");
    EXPECT_EQ(next(c), (std::vector<K>{K::penalty, K::referral, K::reported}));
    add(c, K::penalty, "2027-02-23");
    EXPECT_EQ(next(c), (std::vector<K>{K::referral, K::reported}));
    add(c, K::reported, "2027-02-24");
    EXPECT_EQ(next(c), std::vector<K>{K::published});
    add(c, K::published, "2027-02-25");
    EXPECT_EQ(next(c), std::vector<K>{K::closed});
    const CaseStep& closing = add(c, K::closed, "2027-02-25");
    EXPECT_EQ(closing.outcome, "rectified");
    EXPECT_EQ(closing.number, 10);
    const CaseStatus st = case_status(c);
    EXPECT_TRUE(st.closed);
    EXPECT_TRUE(st.next_steps.empty());
    EXPECT_EQ(st.stage, "closed");
}

TEST(CaseRules, OutcomesOfClosing) {
    Case a = opened();
    add(a, K::delivered, "2027-01-02");
    add(a, K::objection, "2027-01-03");
    add(a, K::retest, "2027-01-04", "conforming");
    EXPECT_EQ(next(a), (std::vector<K>{K::reported, K::closed}));
    EXPECT_EQ(add(a, K::closed, "2027-01-05").outcome, "not-confirmed");

    // A re-check that fails, then a penalty (b) or a referral (d), reported, published, closed.
    for (const auto& [decision, outcome] :
         {std::pair{K::penalty, "failed-recheck"}, std::pair{K::referral, "referred"}}) {
        Case b = opened();
        add(b, K::delivered, "2027-01-02");
        add(b, K::disposal, "2027-01-03");
        add(b, K::rectification, "2027-01-03", {}, "2027-01-10");
        add(b, K::recheck, "2027-01-11", "fail");
        EXPECT_EQ(next(b), (std::vector<K>{K::rectification, K::penalty, K::referral}));
        add(b, decision, "2027-01-12");
        add(b, K::reported, "2027-01-13");
        add(b, K::published, "2027-01-13");
        EXPECT_EQ(add(b, K::closed, "2027-01-14").outcome, outcome);
    }
}

TEST(CaseRules, OnlyObservationFindingsAreStructural) {
    EXPECT_TRUE(is_structural(AuditClass::cross_connection));
    EXPECT_TRUE(is_structural(AuditClass::transposition));
    EXPECT_TRUE(is_structural(AuditClass::hidden_tank));
    for (AuditClass lab :
         {AuditClass::mislabelled_tank, AuditClass::different_fuel, AuditClass::non_conforming,
          AuditClass::inconclusive, AuditClass::consistent, AuditClass::unverified})
        EXPECT_FALSE(is_structural(lab)) << to_string(lab);
    Case c = opened();
    c.findings = {"cross-connection", "different-fuel", "hidden-tank",
                  "mislabelled-tank", "non-conforming", "transposition"};
    EXPECT_EQ(structural_findings(c),
              (std::vector<std::string>{"cross-connection", "hidden-tank", "transposition"}));
    c.findings = {"different-fuel", "mislabelled-tank", "non-conforming"};
    EXPECT_TRUE(structural_findings(c).empty());
}

TEST(CaseRules, AConformingRetestDoesNotCloseAStructuralFinding) {
    // A case with these findings, delivered, objected to and retested with this verdict.
    auto retested = [](std::vector<std::string> findings, const std::string& verdict) {
        Case r = opened();
        r.findings = std::move(findings);
        add(r, K::delivered, "2027-01-02");
        add(r, K::objection, "2027-01-03");
        add(r, K::retest, "2027-01-04", verdict);
        return r;
    };
    // A cross-connection with a different-fuel finding: the retest withdraws the lab part only.
    Case c = retested({"cross-connection", "different-fuel"}, "conforming");
    EXPECT_EQ(next(c), std::vector<K>{K::disposal});
    EXPECT_EQ(case_status(c).withdrawn, std::vector<std::string>{"different-fuel"});
    const std::string at = "reg.gpkg: layer 'fuelmap_case_steps', feature (R1/S1/92#), field 'step': ";
    for (K k : {K::closed, K::reported})
        EXPECT_EQ(
            refusal(c, k, "2027-01-05"),
            at + "step '" + std::string(to_string(k)) +
                "': the retest conformed, but a retest cannot refute the structural finding "
                "cross-connection (seen on site, not a lab result): the case goes on; after 'retest' the "
                "next step is disposal, then rectification and a re-check of the plumbing");
    // The allowed path: disposal, rectification, a re-check of the plumbing, reported, published, closed.
    add(c, K::disposal, "2027-01-05");
    add(c, K::rectification, "2027-01-05", {}, "2027-01-20");
    add(c, K::recheck, "2027-01-19", "pass");
    add(c, K::reported, "2027-01-20");
    add(c, K::published, "2027-01-21");
    EXPECT_EQ(add(c, K::closed, "2027-01-22").outcome, "rectified");
    EXPECT_EQ(case_status(c).withdrawn, std::vector<std::string>{"different-fuel"});

    // Structural only (a hidden tank): the same; a failed re-check still ends in failed-recheck.
    Case h = retested({"hidden-tank"}, "conforming");
    EXPECT_EQ(next(h), std::vector<K>{K::disposal});
    EXPECT_TRUE(case_status(h).withdrawn.empty());
    add(h, K::disposal, "2027-01-05");
    add(h, K::rectification, "2027-01-05", {}, "2027-01-20");
    add(h, K::recheck, "2027-01-21", "fail");
    add(h, K::penalty, "2027-01-22");
    add(h, K::reported, "2027-01-22");
    add(h, K::published, "2027-01-22");
    EXPECT_EQ(add(h, K::closed, "2027-01-23").outcome, "failed-recheck");

    // Lab findings only (a mislabelled tank and a non-conforming nozzle): the retest may close it.
    Case l = retested({"mislabelled-tank", "non-conforming"}, "conforming");
    EXPECT_EQ(next(l), (std::vector<K>{K::reported, K::closed}));
    EXPECT_EQ(case_status(l).withdrawn, (std::vector<std::string>{"mislabelled-tank", "non-conforming"}));
    EXPECT_EQ(add(l, K::closed, "2027-01-05").outcome, "not-confirmed");

    // A structural case whose retest did not conform goes to disposal as before, nothing withdrawn.
    Case n = retested({"transposition"}, "non-conforming");
    EXPECT_EQ(next(n), std::vector<K>{K::disposal});
    EXPECT_TRUE(case_status(n).withdrawn.empty());

    // The statistics count the structural cases by how they ended, not as not confirmed.
    Plan plan;
    plan.round = "R1";
    const std::vector<Case> cases{c, h, l, n};
    const RoundCaseStats stats = case_statistics(plan, cases);
    EXPECT_EQ(stats.overall.opened, 4u);
    EXPECT_EQ(stats.overall.open, 1u);
    EXPECT_EQ(stats.overall.not_confirmed, 1u);
    EXPECT_EQ(stats.overall.rectified, 1u);
    EXPECT_EQ(stats.overall.failed_recheck, 1u);
    EXPECT_EQ(stats.overall.penalties, 1u);
}

TEST(CaseRules, RefusalsNameCaseStepAndField) {
    Case c = opened();
    const std::string at = "reg.gpkg: layer 'fuelmap_case_steps', feature (R1/S1/92#), ";
    EXPECT_EQ(refusal(c, K::disposal, "2027-01-02"),
              at + "field 'step': step 'disposal': out of order: after 'opened' the next step is delivered");
    EXPECT_EQ(refusal(c, K::delivered, "2026-12-31"),
              at + "field 'date': step 'delivered': 2026-12-31 is before the previous step ('opened' on "
                   "2027-01-01)");
    EXPECT_EQ(refusal(c, K::delivered, "2027-01-02", "NOBODY"),
              at + "field 'actor': step 'delivered': unknown actor 'NOBODY' (not an inspector of the round, "
                   "a lab of "
                   "its results, nor in the actors list)");
    EXPECT_EQ(refusal(c, K::delivered, "2027-01-02", ""),
              at + "field 'actor': step 'delivered': missing: every step names its actor");
    EXPECT_EQ(refusal(c, K::delivered, "2027-01-02", "A1", "pass"),
              at +
                  "field 'outcome': step 'delivered': only a retest, a re-check or a closing has an outcome");
    EXPECT_EQ(refusal(c, K::delivered, "2027-01-02", "A1", {}, "2027-02-01"),
              at + "field 'deadline': step 'delivered': only a rectification has a deadline");
    add(c, K::delivered, "2027-01-02");
    EXPECT_EQ(refusal(c, K::objection, "2027-01-18"),
              at + "field 'date': step 'objection': the objection window (15 days from delivery) ended on "
                   "2027-01-17");
    c.objection_days = 20;
    EXPECT_EQ(refusal(c, K::objection, "2027-01-22"), "(accepted)");
    add(c, K::objection, "2027-01-03");
    EXPECT_EQ(refusal(c, K::retest, "2027-01-04"),
              at + "field 'outcome': step 'retest': a retest needs its verdict (conforming, inconclusive or "
                   "non-conforming)");
    add(c, K::retest, "2027-01-04", "non-conforming");
    add(c, K::disposal, "2027-01-04");
    EXPECT_EQ(refusal(c, K::rectification, "2027-01-05", "A1", {}, "soon"),
              at + "field 'deadline': step 'rectification': 'soon' is not a date written YYYY-MM-DD");
    add(c, K::rectification, "2027-01-05", {}, "2027-01-05");
    EXPECT_EQ(refusal(c, K::recheck, "2027-01-06", "A1", "maybe"),
              at + "field 'outcome': step 'recheck': 'maybe' is not pass or fail");
    add(c, K::recheck, "2027-01-06", "pass");
    add(c, K::reported, "2027-01-06");
    add(c, K::published, "2027-01-06");
    add(c, K::closed, "2027-01-06");
    EXPECT_EQ(
        refusal(c, K::closed, "2027-01-07"),
        at + "field 'step': step 'closed': the case is closed (rectified, on 2027-01-06); no step follows");
}

TEST(CaseRules, OverdueBeforeAndAfterEachDeadline) {
    Case a = opened("S1");
    add(a, K::delivered, "2027-01-02");
    std::vector<Case> cases{a};
    EXPECT_TRUE(overdue_items(cases, "2027-01-17", {}).empty());
    auto items = overdue_items(cases, "2027-01-18", {});
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].kind, "objection-window-expired");
    EXPECT_EQ(items[0].due, "2027-01-17");
    EXPECT_EQ(items[0].station_id, "S1");

    add(a, K::disposal, "2027-01-18");
    add(a, K::rectification, "2027-01-19", {}, "2027-02-19");
    cases = {a};
    EXPECT_TRUE(overdue_items(cases, "2027-02-19", {}).empty());
    items = overdue_items(cases, "2027-02-20", {});
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].kind, "rectification-deadline-passed");
    EXPECT_EQ(items[1].kind, "recheck-not-planned");
    // A visit of another round on or after the order plans the re-check; one before it, or of the
    // case's own round, does not.
    EXPECT_EQ(overdue_items(cases, "2027-02-20", {{"S1", {{"R2", "2027-03-01"}}}}).size(), 1u);
    EXPECT_EQ(overdue_items(cases, "2027-02-20", {{"S1", {{"R2", ""}}}}).size(), 1u);
    EXPECT_EQ(overdue_items(cases, "2027-02-20", {{"S1", {{"R2", "2027-01-18"}}}}).size(), 2u);
    EXPECT_EQ(overdue_items(cases, "2027-02-20", {{"S1", {{"R1", "2027-03-01"}}}}).size(), 2u);
    add(a, K::recheck, "2027-02-25", "pass");
    cases = {a};
    EXPECT_TRUE(overdue_items(cases, "2027-03-01", {}).empty());
}

TEST(CaseRules, CertaintySetAndEscalation) {
    Case a = opened("S1", "2027-01-01");
    Case b = opened("S2", "2027-01-05");
    Case c = opened("S3", "2027-01-01");
    for (Case* x : {&a, &c}) {
        add(*x, K::delivered, "2027-01-02");
        add(*x, K::disposal, "2027-01-03");
        add(*x, K::rectification, "2027-01-03", {}, "2027-01-10");
    }
    add(a, K::recheck, "2027-01-11", "fail");
    add(a, K::rectification, "2027-01-12", {}, "2027-01-20");
    add(a, K::recheck, "2027-01-21", "fail");
    add(c, K::recheck, "2027-01-11", "pass");
    add(c, K::reported, "2027-01-12");
    add(c, K::published, "2027-01-12");
    add(c, K::closed, "2027-01-13");
    const std::vector<Case> cases{a, b, c};
    EXPECT_EQ(case_certainty_stations(cases, "2026-12-31"), std::vector<std::string>{});
    EXPECT_EQ(case_certainty_stations(cases, "2027-01-04"), (std::vector<std::string>{"S1", "S3"}));
    EXPECT_EQ(case_certainty_stations(cases, "2027-01-13"), (std::vector<std::string>{"S1", "S2"}));
    EXPECT_EQ(escalated_stations(cases), std::set<std::string>{"S1"});
    EXPECT_EQ(case_status(a, "2027-01-11").failed_rechecks, 1);

    Plan plan;
    plan.round = "R1";
    for (const char* id : {"S1", "S3"}) {
        Selection& sel = plan.selections.emplace_back();
        sel.station_id = id;
        sel.stratum = "major";
    }
    const RoundCaseStats stats = case_statistics(plan, cases);
    EXPECT_EQ(stats.overall.opened, 3u);
    EXPECT_EQ(stats.overall.open, 2u);
    EXPECT_EQ(stats.overall.rectified, 1u);
    ASSERT_EQ(stats.strata.size(), 2u);
    EXPECT_EQ(stats.strata[0].key, "(not selected)");
    EXPECT_EQ(stats.strata[1].key, "major");
    EXPECT_EQ(stats.strata[1].opened, 2u);
}
