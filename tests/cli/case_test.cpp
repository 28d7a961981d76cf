// SPDX-License-Identifier: MIT
// End-to-end: follow-up cases (issue 14) on the bundled example. The example round (maps/rounds,
// its published seed) carried through lab results, observations, audit and case opening; every
// step to closure; each refusal with its message and nothing changed; the overdue report before
// and after each deadline; a failed re-check feeding the next round's certainty set; the ledger
// binding case rows.
#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

using fuelmap::testing::exec_sql;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::source_path;
using fuelmap::testing::TempDir;
using fuelmap::testing::write_file;

namespace {

const std::string round_name = "YT-2026-12";
const std::string c92 = "YT-2026-12/370602-0001/92#"; // non-conforming nozzle, mislabelled tank
const std::string c95 = "YT-2026-12/370602-0002/95#"; // different fuel, cross-connection
const std::string c0 = "YT-2026-12/370602-0002/0#";   // hidden tank

class CaseCli : public ::testing::Test {
protected:
    // The example registry with the example round drawn, observed and tested, once for the suite.
    static void SetUpTestSuite() {
        s_dir = std::make_unique<TempDir>();
        const std::string reg = (s_dir->path() / "base.gpkg").string();
        const auto ok = [](const RunResult& r) { ASSERT_EQ(r.exit_code, 0) << r.out << r.err; };
        ok(run_fuelmap({"import", source_path("maps/example").string(), "-r", reg, "--quiet"}));
        ok(run_fuelmap({"plan", "-r", reg, "--design",
                        source_path("maps/rounds/2026-12.design.json").string(), "--seed-file",
                        source_path("maps/rounds/2026-12.seed.txt").string(), "-o",
                        (s_dir->path() / "plan.json").string()}));
        ok(run_fuelmap({"lab", "-r", reg, source_path("maps/rounds/lab-2026-12.csv").string()}));
        ok(run_fuelmap(
            {"observe", "-r", reg, source_path("maps/rounds/observations.csv").string(), "--quiet"}));
    }
    static void TearDownTestSuite() { s_dir.reset(); }

    void SetUp() override {
        std::filesystem::copy_file(s_dir->path() / "base.gpkg", m_dir / "reg.gpkg");
        reg = (m_dir / "reg.gpkg").string();
    }

    RunResult fm(std::vector<std::string> args) {
        args.insert(args.end(), {"-r", reg});
        return run_fuelmap(args);
    }
    RunResult open(const std::string& date = "2026-12-20") {
        return fm({"case", "open", "--round", round_name, "--date", date, "--actor", "YT-AMR", "--doc",
                   "烟市监抽〔2026〕12号", "--actors", actors});
    }
    RunResult advance(const std::string& id, const std::string& step, const std::string& date,
                      const std::string& actor, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"case",        "advance",  id,        "--step", step,
                                         "--date",      date,       "--actor", actor,    "--doc",
                                         "DOC-" + step, "--actors", actors};
        args.insert(args.end(), extra.begin(), extra.end());
        return fm(args);
    }
    void step_ok(const std::string& id, const std::string& step, const std::string& date,
                 const std::string& actor, std::vector<std::string> extra = {}) {
        const RunResult r = advance(id, step, date, actor, std::move(extra));
        ASSERT_EQ(r.exit_code, 0) << step << ": " << r.out << r.err;
    }
    nlohmann::json show(const std::string& id) {
        const RunResult r = fm({"case", "show", id, "--format", "json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return nlohmann::json::parse(r.out);
    }
    // What must not change when a command is refused: the ledger head and the case rows.
    std::string state() {
        const RunResult head = fm({"ledger", "head"});
        SQLite::Database db(reg);
        std::string counts;
        for (const char* t : {"fuelmap_cases", "fuelmap_case_steps"})
            counts += std::string(" ") + t + "=" +
                      (db.tableExists(t) ? db.execAndGet(std::string("SELECT count(*) FROM ") + t).getString()
                                         : "-");
        return head.out + counts;
    }
    // Runs @p r's command; expects exit 2 naming @p message and nothing changed.
    void refused(const std::function<RunResult()>& run, const std::string& message) {
        const std::string before = state();
        const RunResult r = run();
        EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
        EXPECT_EQ(state(), before);
    }
    // Opens the cases and takes c92 through delivery, objection, a non-conforming retest, disposal
    // and rectification (deadline 2027-02-14).
    void to_rectification() {
        ASSERT_EQ(open().exit_code, 0);
        step_ok(c92, "delivered", "2026-12-21", "YT-07");
        step_ok(c92, "objection", "2027-01-04", "YT-AMR");
        step_ok(c92, "retest", "2027-01-08", "YT-LAB",
                {"--property", "RON", "--method", "GB/T 5487", "--value", "91.1"});
        step_ok(c92, "disposal", "2027-01-09", "YT-07");
        step_ok(c92, "rectification", "2027-01-10", "YT-AMR", {"--deadline", "2027-02-14"});
    }
    nlohmann::json overdue(const std::string& on, int expected_exit) {
        const RunResult r = fm({"case", "overdue", "--on", on, "--format", "json"});
        EXPECT_EQ(r.exit_code, expected_exit) << on << ": " << r.out << r.err;
        return nlohmann::json::parse(r.out);
    }
    static std::vector<std::string> kinds(const nlohmann::json& report, const std::string& id) {
        std::vector<std::string> out;
        for (const auto& i : report["overdue"])
            if (i["case_id"] == id)
                out.push_back(i["kind"]);
        return out;
    }

    static inline std::unique_ptr<TempDir> s_dir;
    TempDir m_dir;
    std::string reg;
    const std::string actors = source_path("maps/rounds/actors.csv").string();
};

TEST_F(CaseCli, OpensOneCasePerFailedBatchOnceWithItsEvidence) {
    const RunResult first = open();
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.out.find("round YT-2026-12: 3 case(s) opened, 0 already open"), std::string::npos)
        << first.out;
    const RunResult again = open("2026-12-22");
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("0 case(s) opened, 3 already open"), std::string::npos) << again.out;

    const nlohmann::json c = show(c92);
    EXPECT_EQ(c["station_id"], "370602-0001");
    EXPECT_EQ(c["findings"], nlohmann::json::array({"mislabelled-tank", "non-conforming"}));
    EXPECT_EQ(c["sample_ids"],
              nlohmann::json::array({"YT-2026-12/370602-0001/N13", "YT-2026-12/370602-0001/T1"}));
    EXPECT_EQ(c["stage"], "opened");
    EXPECT_EQ(c["opened_on"], "2026-12-20");
    EXPECT_EQ(c["next_steps"], nlohmann::json::array({"delivered"}));
    EXPECT_EQ(show(c95)["findings"], nlohmann::json::array({"cross-connection", "different-fuel"}));
    EXPECT_EQ(show(c0)["findings"], nlohmann::json::array({"hidden-tank"}));

    const RunResult list = fm({"case", "list"});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_NE(
        list.out.find(c92 + "  opened on 2026-12-20, next: delivered; mislabelled-tank, non-conforming"),
        std::string::npos)
        << list.out;
    EXPECT_NE(list.out.find("3 case(s)"), std::string::npos);
}

TEST_F(CaseCli, TheExampleRoundIsCarriedToClosureAndTheLedgerBindsEveryStep) {
    to_rectification();
    step_ok(c92, "recheck", "2027-02-10", "YT-03", {"--outcome", "pass"});
    step_ok(c92, "penalty", "2027-02-20", "YT-AMR-LEGAL");
    step_ok(c92, "reported", "2027-02-25", "YT-AMR");
    step_ok(c92, "published", "2027-03-01", "YT-AMR");
    step_ok(c92, "closed", "2027-03-02", "YT-AMR");
    const nlohmann::json c = show(c92);
    EXPECT_EQ(c["closed"], true);
    EXPECT_EQ(c["outcome"], "rectified");
    ASSERT_EQ(c["steps"].size(), 10u);
    EXPECT_EQ(c["steps"][2]["step"], "retest");
    EXPECT_EQ(c["steps"][2]["outcome"], "non-conforming");
    EXPECT_EQ(c["steps"][2]["detail"], "RON 91.1 by GB/T 5487 against min 92 (non-conforming beyond 91.587)");
    EXPECT_EQ(c["steps"][4]["deadline"], "2027-02-14");

    // The retest of the reserve sample conforms: the different-fuel finding is withdrawn, but the
    // cross-connection seen on site stands, so the case goes on to rectification and a re-check.
    step_ok(c95, "delivered", "2026-12-21", "YT-07");
    step_ok(c95, "objection", "2026-12-28", "YT-AMR");
    step_ok(c95, "retest", "2027-01-05", "YT-LAB",
            {"--property", "RON", "--method", "GB/T 5487", "--value", "95.2"});
    EXPECT_EQ(show(c95)["next_steps"], nlohmann::json::array({"disposal"}));
    EXPECT_EQ(show(c95)["withdrawn"], nlohmann::json::array({"different-fuel"}));
    step_ok(c95, "disposal", "2027-01-06", "YT-07");
    step_ok(c95, "rectification", "2027-01-06", "YT-AMR", {"--deadline", "2027-01-20"});
    step_ok(c95, "recheck", "2027-01-19", "YT-03", {"--outcome", "pass"});
    step_ok(c95, "reported", "2027-01-21", "YT-AMR");
    step_ok(c95, "published", "2027-01-22", "YT-AMR");
    step_ok(c95, "closed", "2027-01-23", "YT-AMR");
    EXPECT_EQ(show(c95)["outcome"], "rectified");

    // Referred: a re-check fails, the case goes to the police.
    step_ok(c0, "delivered", "2026-12-21", "YT-07");
    step_ok(c0, "disposal", "2027-01-06", "YT-07");
    step_ok(c0, "rectification", "2027-01-07", "YT-AMR", {"--deadline", "2027-01-31"});
    step_ok(c0, "recheck", "2027-02-01", "YT-03", {"--outcome", "fail"});
    EXPECT_EQ(show(c0)["next_steps"], nlohmann::json::array({"rectification", "penalty", "referral"}));
    step_ok(c0, "referral", "2027-02-03", "YT-PSB");
    step_ok(c0, "reported", "2027-02-04", "YT-AMR");
    step_ok(c0, "published", "2027-02-05", "YT-AMR");
    step_ok(c0, "closed", "2027-02-06", "YT-AMR");
    EXPECT_EQ(show(c0)["outcome"], "referred");

    const RunResult verify = fm({"ledger", "verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    EXPECT_NE(verify.out.find("every record bound"), std::string::npos) << verify.out;
    SQLite::Database db(reg);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM fuelmap_ledger WHERE kind = 'case'").getInt(), 3);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM fuelmap_ledger WHERE kind = 'case_step'").getInt(), 27);

    const RunResult stats = fm({"stats", "--round", round_name, "--format", "json"});
    ASSERT_EQ(stats.exit_code, 0) << stats.err;
    const nlohmann::json s = nlohmann::json::parse(stats.out)["cases"];
    EXPECT_EQ(s["overall"]["opened"], 3);
    EXPECT_EQ(s["overall"]["open"], 0);
    EXPECT_EQ(s["overall"]["rectified"], 2);
    EXPECT_EQ(s["overall"]["not_confirmed"], 0);
    EXPECT_EQ(s["overall"]["referred"], 1);
    EXPECT_EQ(s["overall"]["penalties"], 1);
    ASSERT_EQ(s["strata"].size(), 2u);
    EXPECT_EQ(s["strata"][0]["key"], "independent");
    EXPECT_EQ(s["strata"][0]["rectified"], 1);
    EXPECT_EQ(s["strata"][1]["key"], "other");
    EXPECT_EQ(s["strata"][1]["opened"], 2);
    EXPECT_EQ(s["strata"][1]["rectified"], 1);
    EXPECT_EQ(s["strata"][1]["referred"], 1);
    const RunResult text = fm({"stats", "--round", round_name});
    EXPECT_NE(
        text.out.find("  all: 3 opened, 0 open; closed 0 not confirmed, 2 rectified, 1 referred, 0 failed "
                      "re-check; 1 with a penalty"),
        std::string::npos)
        << text.out;

    // The published site shows each case's outcome and the withdrawn lab finding.
    const std::filesystem::path site = m_dir / "site";
    const RunResult pub = fm({"publish", "--round", round_name, "-o", site.string()});
    ASSERT_EQ(pub.exit_code, 0) << pub.err;
    const std::string html = fuelmap::testing::read_file(site / "index.html");
    EXPECT_NE(html.find("data-cases=\"3\" data-open=\"0\""), std::string::npos);
    EXPECT_NE(html.find("<tr data-case=\"" + c95 + "\" data-stage=\"closed\" data-outcome=\"rectified\""),
              std::string::npos);
    EXPECT_NE(html.find("<tr data-case=\"" + c0 + "\" data-stage=\"closed\" data-outcome=\"referred\""),
              std::string::npos);
    EXPECT_EQ(html.find("data-outcome=\"not-confirmed\""), std::string::npos);
    const std::size_t row = html.find("<tr data-case=\"" + c95 + "\"");
    ASSERT_NE(row, std::string::npos);
    const std::string c95_row = html.substr(row, html.find("</tr>", row) - row);
    EXPECT_NE(c95_row.find("data-withdrawn=\"different-fuel\""), std::string::npos) << c95_row;
    EXPECT_EQ(c95_row.find("data-withdrawn=\"cross-connection\""), std::string::npos) << c95_row;
    // The map draws each team in its diagram colour (T04 and T06: team_style(3) and (5)).
    EXPECT_NE(html.find("<polyline fill=\"none\" stroke=\"#56b4e9\""), std::string::npos);
    EXPECT_NE(html.find("<polyline fill=\"none\" stroke=\"#cc79a7\""), std::string::npos);
    // The site's default language is zh: so is its statistics plot.
    const std::string svg = fuelmap::testing::read_file(site / "stats.svg");
    EXPECT_NE(svg.find(">第 YT-2026-12 轮：各层问题发现率</text>"), std::string::npos) << svg.substr(0, 600);
    EXPECT_EQ(svg.find("failure discovery rate"), std::string::npos);
}

TEST_F(CaseCli, AConformingRetestCannotCloseACrossConnectionButClosesALabFinding) {
    ASSERT_EQ(open().exit_code, 0);
    step_ok(c95, "delivered", "2026-12-21", "YT-07");
    step_ok(c95, "objection", "2026-12-28", "YT-AMR");
    step_ok(c95, "retest", "2027-01-05", "YT-LAB",
            {"--property", "RON", "--method", "GB/T 5487", "--value", "95.2"});
    const std::string where = "layer 'fuelmap_case_steps', feature (" + c95 + "), field 'step': ";
    for (const std::string step : {"closed", "reported"})
        refused([&] { return advance(c95, step, "2027-01-06", "YT-AMR"); },
                where + "step '" + step +
                    "': the retest conformed, but a retest cannot refute the structural finding "
                    "cross-connection (seen on site, not a lab result): the case goes on; after 'retest' the "
                    "next step is disposal, then rectification and a re-check of the plumbing");
    const RunResult text = fm({"case", "show", c95});
    EXPECT_NE(
        text.out.find("  withdrawn by the conforming retest: different-fuel; standing (structural, seen "
                      "on site): cross-connection\n  next: disposal\n"),
        std::string::npos)
        << text.out;
    const RunResult list = fm({"case", "list"});
    EXPECT_NE(list.out.find(c95 + "  retest on 2027-01-05, next: disposal; cross-connection, different-fuel"),
              std::string::npos)
        << list.out;

    // c92 rests on lab results only (a non-conforming nozzle, a mislabelled tank): a conforming
    // retest closes it as not confirmed, with no disposal.
    step_ok(c92, "delivered", "2026-12-21", "YT-07");
    step_ok(c92, "objection", "2027-01-04", "YT-AMR");
    step_ok(c92, "retest", "2027-01-08", "YT-LAB",
            {"--property", "RON", "--method", "GB/T 5487", "--value", "92.3"});
    const nlohmann::json before = show(c92);
    EXPECT_EQ(before["next_steps"], nlohmann::json::array({"reported", "closed"}));
    EXPECT_EQ(before["withdrawn"], nlohmann::json::array({"mislabelled-tank", "non-conforming"}));
    step_ok(c92, "closed", "2027-01-09", "YT-AMR");
    EXPECT_EQ(show(c92)["outcome"], "not-confirmed");
    const nlohmann::json stats = nlohmann::json::parse(
        fm({"stats", "--round", round_name, "--format", "json"}).out)["cases"]["overall"];
    EXPECT_EQ(stats["not_confirmed"], 1);
    EXPECT_EQ(stats["open"], 2);
}

TEST_F(CaseCli, RefusesEveryBrokenRuleNamingCaseStepAndFieldAndChangesNothing) {
    ASSERT_EQ(open().exit_code, 0);
    const std::string where = "layer 'fuelmap_case_steps', feature (" + c92 + "), ";
    refused([&] { return advance(c92, "disposal", "2026-12-21", "YT-07"); },
            where + "field 'step': step 'disposal': out of order: after 'opened' the next step is delivered");
    refused([&] { return advance(c92, "delivered", "2026-12-19", "YT-07"); },
            where + "field 'date': step 'delivered': 2026-12-19 is before the previous step ('opened' on "
                    "2026-12-20)");
    refused([&] { return advance(c92, "delivered", "2026-12-21", "NOBODY"); },
            where + "field 'actor': step 'delivered': unknown actor 'NOBODY'");
    refused([&] { return advance(c92, "delivered", "2026-13-01", "YT-07"); },
            where + "field 'date': step 'delivered': '2026-13-01' is not a date written YYYY-MM-DD");
    refused([&] { return advance("R/none/92#", "delivered", "2026-12-21", "YT-07"); },
            "layer 'fuelmap_cases', feature (R/none/92#), field 'case_id': no such case (3 recorded");
    refused([&] { return advance(c92, "sealing", "2026-12-21", "YT-07"); },
            "field 'step': unknown step 'sealing'");
    step_ok(c92, "delivered", "2026-12-21", "YT-07");
    // The objection window: 15 days from delivery, the last day included.
    refused([&] { return advance(c92, "objection", "2027-01-06", "YT-AMR"); },
            where + "field 'date': step 'objection': the objection window (15 days from delivery) ended on "
                    "2027-01-05");
    refused([&] { return advance(c92, "retest", "2027-01-02", "YT-LAB"); },
            where + "field 'value': step 'retest': missing");
    refused(
        [&] {
            return advance(c92, "retest", "2027-01-02", "YT-LAB",
                           {"--property", "RON", "--method", "GB/T 5487", "--value", "91"});
        },
        where + "field 'step': step 'retest': out of order: after 'delivered' the next step is objection or "
                "disposal");
    step_ok(c92, "objection", "2027-01-05", "YT-AMR");
    refused(
        [&] {
            return advance(c92, "retest", "2027-01-06", "YT-LAB",
                           {"--property", "sulfur", "--method", "GB/T 5487", "--value", "3"});
        },
        where +
            "field 'method': step 'retest': no precision data for property 'sulfur' by method 'GB/T 5487'");
    step_ok(c92, "retest", "2027-01-06", "YT-LAB",
            {"--property", "RON", "--method", "GB/T 5487", "--value", "91.4"});
    step_ok(c92, "disposal", "2027-01-06", "YT-07");
    refused([&] { return advance(c92, "rectification", "2027-01-07", "YT-AMR"); },
            where + "field 'deadline': step 'rectification': missing: a rectification has a deadline");
    refused(
        [&] {
            return advance(c92, "rectification", "2027-01-07", "YT-AMR", {"--deadline", "2027-01-01"});
        },
        where + "field 'deadline': step 'rectification': 2027-01-01 is before the rectification's date "
                "2027-01-07");
    step_ok(c92, "rectification", "2027-01-07", "YT-AMR", {"--deadline", "2027-02-07"});
    refused([&] { return advance(c92, "recheck", "2027-02-01", "YT-03"); },
            where + "field 'outcome': step 'recheck': missing: a re-check passes or fails (pass or fail)");
    step_ok(c92, "recheck", "2027-02-01", "YT-03", {"--outcome", "pass"});
    step_ok(c92, "reported", "2027-02-02", "YT-AMR");
    step_ok(c92, "published", "2027-02-03", "YT-AMR");
    step_ok(c92, "closed", "2027-02-04", "YT-AMR");
    refused(
        [&] { return advance(c92, "published", "2027-02-05", "YT-AMR"); },
        where +
            "field 'step': step 'published': the case is closed (rectified, on 2027-02-04); no step follows");
    // Opening: an unknown round, an unknown actor.
    refused(
        [&] {
            return fm(
                {"case", "open", "--round", "R9", "--date", "2026-12-20", "--actor", "YT-AMR", "--doc", "D"});
        },
        "layer 'fuelmap_plans', feature (R9), field 'round': no plan recorded for round 'R9'");
    refused(
        [&] {
            return fm({"case", "open", "--round", round_name, "--date", "2026-12-20", "--actor", "YT-AMR",
                       "--doc", "D"});
        },
        "field 'actor': cannot open the cases of round 'YT-2026-12': unknown actor 'YT-AMR'");
}

TEST_F(CaseCli, OverdueReportsEachDeadlineOnlyOnceItHasPassed) {
    ASSERT_EQ(open().exit_code, 0);
    step_ok(c95, "delivered", "2026-12-21", "YT-07");
    // The objection window of c95 runs to 2027-01-05 inclusive.
    EXPECT_TRUE(kinds(overdue("2027-01-05", 0), c95).empty());
    const nlohmann::json after = overdue("2027-01-06", 1);
    EXPECT_EQ(kinds(after, c95), std::vector<std::string>{"objection-window-expired"});
    EXPECT_EQ(after["overdue"][0]["due"], "2027-01-05");
    step_ok(c95, "disposal", "2027-01-07", "YT-07");
    EXPECT_TRUE(kinds(overdue("2027-01-08", 0), c95).empty());

    step_ok(c95, "rectification", "2027-01-08", "YT-AMR", {"--deadline", "2027-02-08"});
    EXPECT_TRUE(kinds(overdue("2027-02-08", 0), c95).empty());
    EXPECT_EQ(kinds(overdue("2027-02-09", 1), c95),
              (std::vector<std::string>{"rectification-deadline-passed", "recheck-not-planned"}));
    const RunResult text = fm({"case", "overdue", "--on", "2027-02-09"});
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_NE(text.out.find(c95 +
                            ": rectification-deadline-passed (due 2027-02-08): the rectification deadline "
                            "2027-02-08 passed; no re-check recorded"),
              std::string::npos)
        << text.out;

    // A plan of the next round that visits the station plans the re-check.
    write_file(m_dir / "next.json",
               R"({"round": "YT-2027-02", "sample_size": 1, "certainty_from_cases": "2027-02-09"})");
    const RunResult plan = fm({"plan", "--design", (m_dir / "next.json").string(), "--seed", "ab", "-o",
                               (m_dir / "next-plan.json").string()});
    ASSERT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_EQ(kinds(overdue("2027-02-09", 1), c95),
              std::vector<std::string>{"rectification-deadline-passed"});
    step_ok(c95, "recheck", "2027-02-15", "YT-03", {"--outcome", "pass"});
    EXPECT_TRUE(kinds(overdue("2027-02-16", 0), c95).empty());
}

TEST_F(CaseCli, AFailedRecheckFeedsTheNextRoundsCertaintySetAndTwoEscalate) {
    ASSERT_EQ(open().exit_code, 0);
    step_ok(c92, "delivered", "2026-12-21", "YT-07");
    step_ok(c92, "disposal", "2027-01-06", "YT-07");
    step_ok(c92, "rectification", "2027-01-07", "YT-AMR", {"--deadline", "2027-01-31"});
    step_ok(c92, "recheck", "2027-02-01", "YT-03", {"--outcome", "fail"});
    step_ok(c92, "penalty", "2027-02-02", "YT-AMR-LEGAL");
    step_ok(c92, "reported", "2027-02-03", "YT-AMR");
    step_ok(c92, "published", "2027-02-04", "YT-AMR");
    step_ok(c92, "closed", "2027-02-05", "YT-AMR");
    EXPECT_EQ(show(c92)["outcome"], "failed-recheck");

    auto picks = [&](const std::string& round, const std::string& as_of) {
        write_file(m_dir / (round + ".json"), R"({"round": ")" + round +
                                                  R"(", "sample_size": 0, "certainty_from_cases": ")" +
                                                  as_of + "\"}");
        const RunResult r = fm({"plan", "--design", (m_dir / (round + ".json")).string(), "--seed", "ab",
                                "-o", (m_dir / (round + ".plan.json")).string()});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const nlohmann::json p =
            nlohmann::json::parse(fuelmap::testing::read_file(m_dir / (round + ".plan.json")));
        std::vector<std::string> out;
        for (const auto& s : p["selections"]) {
            EXPECT_EQ(s["reason"], "certainty");
            out.push_back(s["station_id"]);
        }
        const RunResult verify =
            run_fuelmap({"verify", (m_dir / (round + ".plan.json")).string(), "-r", reg});
        EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
        return out;
    };
    // Before the opening no case counts; while open both stations; after c92 closed with its failed
    // re-check, 370602-0001 stays certain.
    EXPECT_EQ(picks("N1", "2026-12-19"), std::vector<std::string>{});
    EXPECT_EQ(picks("N2", "2027-01-10"), (std::vector<std::string>{"370602-0001", "370602-0002"}));
    step_ok(c95, "delivered", "2026-12-21", "YT-07");
    step_ok(c95, "objection", "2026-12-28", "YT-AMR");
    step_ok(c95, "retest", "2027-01-05", "YT-LAB",
            {"--property", "RON", "--method", "GB/T 5487", "--value", "95.2"}); // conforms; c95 stays open
    EXPECT_EQ(picks("N3", "2027-02-10"), (std::vector<std::string>{"370602-0001", "370602-0002"})); // c0 open
    const std::string frame = fuelmap::testing::read_file(m_dir / "N3.plan.json");
    EXPECT_NE(frame.find("\"certainty_from_cases\": \"2027-02-10\""), std::string::npos);

    // Two failed re-checks of one station (c0: rectified twice, failed twice) flag it for escalation.
    step_ok(c0, "delivered", "2026-12-21", "YT-07");
    step_ok(c0, "disposal", "2027-01-06", "YT-07");
    step_ok(c0, "rectification", "2027-01-07", "YT-AMR", {"--deadline", "2027-01-31"});
    step_ok(c0, "recheck", "2027-02-01", "YT-03", {"--outcome", "fail"});
    EXPECT_EQ(overdue("2027-02-01", 0)["escalate"], nlohmann::json::array());
    step_ok(c0, "rectification", "2027-02-02", "YT-AMR", {"--deadline", "2027-02-20"});
    step_ok(c0, "recheck", "2027-02-21", "YT-03", {"--outcome", "fail"});
    EXPECT_EQ(overdue("2027-02-21", 1)["escalate"], nlohmann::json::array({"370602-0002"}));
    const RunResult list = fm({"case", "list"});
    EXPECT_NE(list.out.find(c0 +
                            "  recheck on 2027-02-21, next: rectification|penalty|referral; hidden-tank; "
                            "ESCALATE: station 370602-0002 failed its re-check twice"),
              std::string::npos)
        << list.out;
}

TEST_F(CaseCli, LedgerVerifyDetectsAnEditedCaseRowAndCommandsRefuseIt) {
    ASSERT_EQ(open().exit_code, 0);
    step_ok(c92, "delivered", "2026-12-21", "YT-07");
    exec_sql(reg, "UPDATE fuelmap_case_steps SET date = '2026-12-30' WHERE step = 'delivered'");
    const RunResult verify = fm({"ledger", "verify"});
    EXPECT_EQ(verify.exit_code, 1);
    EXPECT_NE(verify.out.find("table fuelmap_case_steps, fid 1 (case_id '" + c92 +
                              "', step_no 1): field 'date' was edited: the ledger records '2026-12-21', the "
                              "table holds '2026-12-30'"),
              std::string::npos)
        << verify.out << verify.err;
    const RunResult list = fm({"case", "list"});
    EXPECT_EQ(list.exit_code, 2);
    EXPECT_NE(list.err.find("the ledger check failed, so its records are not used"), std::string::npos)
        << list.err;

    exec_sql(reg, "UPDATE fuelmap_case_steps SET date = '2026-12-21' WHERE step = 'delivered'");
    exec_sql(reg, "UPDATE fuelmap_cases SET findings = 'consistent' WHERE case_id = '" + c0 + "'");
    const RunResult again = fm({"ledger", "verify"});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(
        again.out.find("table fuelmap_cases, fid 2 (case_id '" + c0 + "'): field 'findings' was edited"),
        std::string::npos)
        << again.out;
}

TEST_F(CaseCli, BadUsageIsExitTwo) {
    const RunResult on = fm({"case", "overdue", "--on", "tomorrow"});
    EXPECT_EQ(on.exit_code, 2);
    EXPECT_NE(on.err.find("field 'on': 'tomorrow' is not a date written YYYY-MM-DD"), std::string::npos)
        << on.err;
    EXPECT_EQ(run_fuelmap({"case", "advance", "-r", reg, c92}).exit_code, 2); // --step etc. missing
    const RunResult none = fm({"case", "list"});
    EXPECT_EQ(none.exit_code, 0);
    EXPECT_NE(none.out.find("0 case(s)"), std::string::npos);
    const RunResult help = run_fuelmap({"case", "--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("overdue"), std::string::npos);
}

} // namespace
