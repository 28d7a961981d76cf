// SPDX-License-Identifier: MIT
// fuelmap case: follow-up cases of the failed batches of a round (后处理): open them, list and show
// them, record their steps one by one, and report what is overdue. Rules: docs/cases.md.
#include "cli/command.hpp"
#include "util/table_csv.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/plan.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <set>

namespace fuelmap::cli {

namespace {

using json = nlohmann::ordered_json;

CaseTables tables_of(const CaseCliOptions& opt) {
    CaseTables t;
    if (!opt.actors.empty())
        t.actors = opt.actors;
    if (!opt.precision.empty())
        t.precision = opt.precision;
    if (!opt.limits.empty())
        t.limits = opt.limits;
    return t;
}

json step_json(const CaseStep& s) {
    json j = {{"number", s.number},
              {"step", std::string(to_string(s.kind))},
              {"date", s.date},
              {"actor", s.actor},
              {"document", s.document}};
    if (!s.outcome.empty())
        j["outcome"] = s.outcome;
    if (!s.deadline.empty())
        j["deadline"] = s.deadline;
    if (!s.detail.empty())
        j["detail"] = s.detail;
    return j;
}

json case_json(const Case& c, const std::set<std::string>& escalated, bool with_steps) {
    const CaseStatus st = case_status(c);
    json next = json::array();
    for (CaseStepKind k : st.next_steps)
        next.push_back(std::string(to_string(k)));
    json j = {{"case_id", c.case_id},
              {"round", c.round},
              {"station_id", c.station_id},
              {"grade", c.grade},
              {"findings", c.findings},
              {"sample_ids", c.sample_ids},
              {"opened_on", c.opened_on},
              {"opened_by", c.opened_by},
              {"document", c.document},
              {"objection_days", c.objection_days},
              {"stage", st.stage},
              {"closed", st.closed},
              {"outcome", st.outcome.empty() ? json(nullptr) : json(st.outcome)},
              {"withdrawn", st.withdrawn},
              {"failed_rechecks", st.failed_rechecks},
              {"escalate", escalated.count(c.station_id) > 0},
              {"next_steps", next}};
    if (with_steps) {
        j["evidence"] = c.evidence;
        json steps = json::array();
        for (const CaseStep& s : c.steps)
            steps.push_back(step_json(s));
        j["steps"] = steps;
    }
    return j;
}

std::string next_text(const CaseStatus& st) {
    std::string out;
    for (CaseStepKind k : st.next_steps)
        out += (out.empty() ? "" : "|") + std::string(to_string(k));
    return out;
}

void case_line(std::ostream& out, const Case& c, const std::set<std::string>& escalated) {
    const CaseStatus st = case_status(c);
    out << c.case_id << "  " << (st.closed ? "closed (" + st.outcome + ")" : st.stage) << " on "
        << st.last_date;
    if (!st.closed)
        out << ", next: " << next_text(st);
    std::string findings;
    for (const std::string& f : c.findings)
        findings += (findings.empty() ? "" : ", ") + f;
    out << "; " << findings;
    if (escalated.count(c.station_id))
        out << "; ESCALATE: station " << c.station_id << " failed its re-check twice";
    out << "\n";
}

const Case& find_case(const std::vector<Case>& cases, const std::string& id, const std::string& registry) {
    for (const Case& c : cases)
        if (c.case_id == id)
            return c;
    throw InputError({.file = registry, .layer = "fuelmap_cases", .feature = id, .field = "case_id"},
                     "no such case (" + std::to_string(cases.size()) +
                         " recorded; fuelmap case list lists them)");
}

int run_open(const CaseCliOptions& opt, std::ostream& out) {
    CaseOpenRequest request;
    request.registry = opt.registry;
    request.round = opt.round;
    request.date = opt.date;
    request.actor = opt.actor;
    request.document = opt.document;
    request.objection_days = opt.objection_days;
    request.tables = tables_of(opt);
    const CaseOpenResult r = open_cases(request);
    if (opt.format == "json") {
        json j = {{"round", opt.round}, {"opened", json::array()}, {"already_open", r.already_open}};
        for (const Case& c : r.opened)
            j["opened"].push_back(case_json(c, {}, true));
        out << j.dump(2) << "\n";
        return exit_ok;
    }
    for (const Case& c : r.opened)
        out << "opened " << c.case_id << ": " << c.evidence.size() << " finding(s)\n";
    out << "round " << opt.round << ": " << r.opened.size() << " case(s) opened, " << r.already_open
        << " already open\n";
    return exit_ok;
}

int run_list(const CaseCliOptions& opt, std::ostream& out) {
    std::vector<Case> cases = read_cases(opt.registry);
    const std::set<std::string> escalated = escalated_stations(cases);
    if (!opt.round.empty())
        std::erase_if(cases, [&](const Case& c) { return c.round != opt.round; });
    if (opt.format == "json") {
        json j = json::array();
        for (const Case& c : cases)
            j.push_back(case_json(c, escalated, false));
        out << json{{"cases", j}, {"escalate", escalated}}.dump(2) << "\n";
        return exit_ok;
    }
    for (const Case& c : cases)
        case_line(out, c, escalated);
    out << cases.size() << " case(s)\n";
    return exit_ok;
}

int run_show(const CaseCliOptions& opt, std::ostream& out) {
    const std::vector<Case> cases = read_cases(opt.registry);
    const std::set<std::string> escalated = escalated_stations(cases);
    const Case& c = find_case(cases, opt.case_id, opt.registry);
    if (opt.format == "json") {
        out << case_json(c, escalated, true).dump(2) << "\n";
        return exit_ok;
    }
    const CaseStatus st = case_status(c);
    out << "case " << c.case_id << "\n"
        << "  station " << c.station_id << ", grade " << c.grade << ", round " << c.round << "\n";
    out << "  samples:";
    for (const std::string& s : c.sample_ids)
        out << " " << s;
    out << (c.sample_ids.empty() ? " (none: the grade was not sampled)\n" : "\n");
    for (const std::string& e : c.evidence)
        out << "  finding: " << e << "\n";
    out << "  opened on " << c.opened_on << " by " << c.opened_by << " (" << c.document
        << "); objection window " << c.objection_days << " days from delivery\n";
    for (const CaseStep& s : c.steps) {
        out << "  " << s.number << ". " << to_string(s.kind) << " on " << s.date << " by " << s.actor << " ("
            << s.document << ")";
        if (!s.outcome.empty())
            out << ": " << s.outcome;
        if (!s.deadline.empty())
            out << ", deadline " << s.deadline;
        if (!s.detail.empty())
            out << "; " << s.detail;
        out << "\n";
    }
    if (!st.withdrawn.empty()) {
        out << "  withdrawn by the conforming retest:";
        for (const std::string& f : st.withdrawn)
            out << " " << f;
        const std::vector<std::string> standing = structural_findings(c);
        if (!standing.empty()) {
            out << "; standing (structural, seen on site):";
            for (const std::string& f : standing)
                out << " " << f;
        }
        out << "\n";
    }
    if (st.closed)
        out << "  closed: " << st.outcome << "\n";
    else
        out << "  next: " << next_text(st) << "\n";
    if (escalated.count(c.station_id))
        out << "  ESCALATE: station " << c.station_id << " failed its re-check twice\n";
    return exit_ok;
}

int run_advance(const CaseCliOptions& opt, std::ostream& out) {
    const std::optional<CaseStepKind> kind = parse_case_step(opt.step);
    if (!kind)
        throw InputError(
            {.file = opt.registry, .layer = "fuelmap_case_steps", .feature = opt.case_id, .field = "step"},
            "unknown step '" + opt.step +
                "' (steps: delivered, objection, retest, disposal, "
                "rectification, recheck, penalty, referral, reported, published, closed)");
    CaseStep step;
    step.kind = *kind;
    step.date = opt.date;
    step.actor = opt.actor;
    step.document = opt.document;
    step.deadline = opt.deadline;
    step.outcome = opt.outcome;
    std::optional<RetestResult> retest;
    if (!opt.value.empty() || !opt.property.empty() || !opt.method.empty()) {
        RetestResult r{opt.property, opt.method, 0.0};
        if (!detail::parse_number(opt.value, r.value))
            throw InputError({.file = opt.registry,
                              .layer = "fuelmap_case_steps",
                              .feature = opt.case_id,
                              .field = "value"},
                             "step '" + opt.step + "': '" + opt.value + "' is not a number");
        retest = r;
    }
    const Case c = advance_case(opt.registry, opt.case_id, step, retest, tables_of(opt));
    const CaseStep& s = c.steps.back();
    if (opt.format == "json") {
        out << step_json(s).dump(2) << "\n";
        return exit_ok;
    }
    out << c.case_id << ": step " << s.number << " " << to_string(s.kind) << " recorded";
    if (!s.outcome.empty())
        out << " (" << s.outcome << ")";
    const CaseStatus st = case_status(c);
    out << "; " << (st.closed ? "case closed" : "next: " + next_text(st)) << "\n";
    return exit_ok;
}

int run_overdue(const CaseCliOptions& opt, std::ostream& out) {
    if (!is_iso_date(opt.on))
        throw InputError({.field = "on"}, "'" + opt.on + "' is not a date written YYYY-MM-DD");
    const std::vector<Case> cases = read_cases(opt.registry);
    std::map<std::string, std::vector<PlannedVisit>> visits;
    for (const Plan& p : read_recorded_plans(opt.registry))
        for (const Selection& s : p.selections)
            visits[s.station_id].push_back({p.round, s.date});
    const std::vector<OverdueItem> items = overdue_items(cases, opt.on, visits);
    const std::set<std::string> escalated = escalated_stations(cases);
    if (opt.format == "json") {
        json j = {{"on", opt.on}, {"overdue", json::array()}, {"escalate", escalated}};
        for (const OverdueItem& i : items)
            j["overdue"].push_back({{"case_id", i.case_id},
                                    {"station_id", i.station_id},
                                    {"kind", i.kind},
                                    {"due", i.due},
                                    {"message", i.message}});
        out << j.dump(2) << "\n";
    } else {
        for (const OverdueItem& i : items)
            out << i.case_id << ": " << i.kind << " (due " << i.due << "): " << i.message << "\n";
        for (const std::string& s : escalated)
            out << "ESCALATE: station " << s << " failed its re-check twice\n";
        out << "on " << opt.on << ": " << items.size() << " overdue item(s), " << escalated.size()
            << " station(s) to escalate\n";
    }
    return items.empty() && escalated.empty() ? exit_ok : exit_findings;
}

} // namespace

int run_case(const CaseCliOptions& opt, std::ostream& out, std::ostream&) {
    if (opt.action == "open")
        return run_open(opt, out);
    if (opt.action == "list")
        return run_list(opt, out);
    if (opt.action == "show")
        return run_show(opt, out);
    if (opt.action == "advance")
        return run_advance(opt, out);
    if (opt.action == "overdue")
        return run_overdue(opt, out);
    throw UsageError("unknown case action '" + opt.action + "' (open, list, show, advance, overdue)");
}

Runner setup_case(CLI::App& app) {
    auto opt = std::make_shared<CaseCliOptions>();
    app.require_subcommand(1, 1);
    auto common = [&](CLI::App* sub, const char* action) {
        sub->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
        sub->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
        sub->callback([opt, action] { opt->action = action; });
    };
    auto tables = [&](CLI::App* sub) {
        sub->add_option("--actors", opt->actors, "Actors list CSV (id,name,role): offices and officers");
        sub->add_option("--precision", opt->precision, "Precision table CSV (default: shipped)");
        sub->add_option("--limits", opt->limits, "Grade limits CSV (default: shipped)");
    };
    CLI::App* open = app.add_subcommand("open", "Open one case per failed batch of a round (idempotent)");
    common(open, "open");
    open->add_option("--round", opt->round, "Round whose failed batches to open")->required();
    open->add_option("--date", opt->date, "Opening date YYYY-MM-DD")->required();
    open->add_option("--actor", opt->actor, "Who opens the cases (a known actor)")->required();
    open->add_option("--doc", opt->document, "Document reference of the opening")->required();
    open->add_option("--objection-days", opt->objection_days,
                     "Objection window, days from delivery (default 15)");
    tables(open);

    CLI::App* list = app.add_subcommand("list", "List the cases with their stage");
    common(list, "list");
    list->add_option("--round", opt->round, "Only the cases of this round");

    CLI::App* show = app.add_subcommand("show", "Show one case with its findings and steps");
    common(show, "show");
    show->add_option("case", opt->case_id, "Case id ROUND/STATION/GRADE")->required();

    CLI::App* advance = app.add_subcommand("advance", "Record the next step of a case");
    common(advance, "advance");
    advance->add_option("case", opt->case_id, "Case id ROUND/STATION/GRADE")->required();
    advance->add_option("--step", opt->step, "The step (docs/cases.md)")->required();
    advance->add_option("--date", opt->date, "Date of the step YYYY-MM-DD")->required();
    advance->add_option("--actor", opt->actor, "Who took the step (a known actor)")->required();
    advance->add_option("--doc", opt->document, "Document reference")->required();
    advance->add_option("--deadline", opt->deadline, "rectification: the deadline YYYY-MM-DD");
    advance->add_option("--outcome", opt->outcome, "recheck: pass or fail");
    advance->add_option("--property", opt->property, "retest: property of the reserve sample's result");
    advance->add_option("--method", opt->method, "retest: test method");
    advance->add_option("--value", opt->value, "retest: the result");
    tables(advance);

    CLI::App* overdue = app.add_subcommand("overdue", "What is overdue on a day; stations to escalate");
    common(overdue, "overdue");
    overdue->add_option("--on", opt->on, "The day YYYY-MM-DD")->required();

    app.footer("Exit status: 0 done, 1 (overdue) something is overdue or a station is to be escalated,\n"
               "2 bad input (nothing recorded). Steps, rules and deadlines: docs/cases.md.");
    return [opt](std::ostream& out, std::ostream& err) { return run_case(*opt, out, err); };
}

} // namespace fuelmap::cli
