// SPDX-License-Identifier: MIT
// The follow-up cases of a registry: opening, advancing, reading (docs/cases.md). Each write takes
// the registry's write lock, uses only records the ledger binds, and is one transaction.
#include <fuelmap/audit_results.hpp>
#include <fuelmap/case_actors.hpp>
#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/precision.hpp>
#include <fuelmap/registry_lock.hpp>

#include "store/registry_store.hpp"
#include "util/table_csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace fuelmap {

namespace {

constexpr const char* cases_layer = "fuelmap_cases";
constexpr const char* steps_layer = "fuelmap_case_steps";

std::string joined(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? sep : "") + items[i];
    return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    if (text.empty())
        return out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(sep, start);
        out.push_back(text.substr(start, end - start));
        if (end == std::string::npos)
            return out;
        start = end + 1;
    }
}

const Plan& plan_of(const std::vector<Plan>& plans, const std::string& round, const std::string& registry) {
    for (const Plan& p : plans)
        if (p.round == round)
            return p;
    throw InputError({.file = registry, .layer = "fuelmap_plans", .feature = round, .field = "round"},
                     "no plan recorded for round '" + round + "'");
}

// The inspectors of the round's plan, the labs of the recorded lab results of its samples, and
// the actors list.
CaseActors known_actors(const std::filesystem::path& registry, const Plan& plan, const CaseTables& tables) {
    CaseActors actors;
    const auto design = nlohmann::json::parse(plan.design_json, nullptr, false);
    if (design.is_object() && design.contains("inspectors") && design["inspectors"].is_array())
        for (const auto& i : design["inspectors"])
            if (i.is_object() && i.contains("id") && i["id"].is_string())
                actors.add(i["id"].get<std::string>());
    std::set<std::string> samples;
    for (const Selection& s : plan.selections)
        for (const PlannedSample& ps : s.samples) {
            samples.insert(ps.nozzle_sample_id);
            samples.insert(ps.tank_sample_ids.begin(), ps.tank_sample_ids.end());
        }
    for (const LabResult& r : read_recorded_lab_results(registry))
        if (samples.count(r.sample_id))
            actors.add(r.lab);
    if (tables.actors)
        for (CaseActor& a : read_case_actors(*tables.actors))
            actors.add(std::move(a.id));
    return actors;
}

std::string fixed3(double v) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 3);
    return ec == std::errc() ? std::string(buf, end) : "?";
}

// Judges a retest result against every limit of the case's grade on its property; the worst
// verdict wins. Sets the step's outcome and detail.
void judge_retest(const Case& c, CaseStep& step, const RetestResult& r, const CaseTables& tables,
                  const std::string& registry) {
    auto fail = [&](const char* field, const std::string& what) {
        throw InputError({.file = registry, .layer = steps_layer, .feature = c.case_id, .field = field},
                         "step 'retest': " + what);
    };
    const PrecisionTable precision =
        tables.precision ? PrecisionTable::read(*tables.precision) : PrecisionTable::shipped();
    const GradeLimits limits = tables.limits ? GradeLimits::read(*tables.limits) : GradeLimits::shipped();
    const PrecisionEntry* entry = precision.find(r.property, r.method);
    if (!entry)
        fail("method", "no precision data for property '" + r.property + "' by method '" + r.method +
                           "' in the precision table");
    Conformity worst = Conformity::conforming;
    std::string judged;
    for (const GradeLimit* l : limits.of_grade(c.grade)) {
        if (l->property != r.property)
            continue;
        const LimitJudgement j = judge_limit(r.value, *l, *entry);
        if (static_cast<int>(j.verdict) > static_cast<int>(worst))
            worst = j.verdict;
        judged += (judged.empty() ? "" : "; ") + std::string(to_string(l->kind)) + " " +
                  detail::format_number(l->value) + " (non-conforming beyond " + fixed3(j.threshold) + ")";
    }
    if (judged.empty())
        fail("property",
             "grade " + c.grade + " has no limit for property '" + r.property + "' in the grade limits");
    step.outcome = std::string(to_string(worst));
    step.detail = r.property + " " + detail::format_number(r.value) +
                  (entry->unit == "-" ? "" : " " + entry->unit) + " by " + r.method + " against " + judged;
}

detail::CaseStepRecord step_record(const CaseStep& s) {
    return {.fid = 0,
            .case_id = s.case_id,
            .step_no = s.number,
            .step = std::string(to_string(s.kind)),
            .date = s.date,
            .actor = s.actor,
            .document = s.document,
            .outcome = s.outcome,
            .deadline = s.deadline,
            .detail = s.detail,
            .record_id = s.case_id + "#" + std::to_string(s.number)};
}

std::vector<Case> read_cases_unlocked(const std::filesystem::path& registry) {
    const std::unique_ptr<detail::RegistryStore> store = detail::open_store(registry);
    std::vector<Case> cases;
    std::map<std::string, std::size_t> index;
    for (detail::CaseRecord& r : store->recorded_cases()) {
        index[r.case_id] = cases.size();
        Case& c = cases.emplace_back();
        c.case_id = std::move(r.case_id);
        c.round = std::move(r.round);
        c.station_id = std::move(r.station_id);
        c.grade = std::move(r.grade);
        c.sample_ids = split(r.sample_ids, ';');
        c.findings = split(r.findings, ';');
        c.evidence = split(r.evidence, '\n');
        c.objection_days = r.objection_days;
        c.opened_on = std::move(r.opened_on);
        c.opened_by = std::move(r.opened_by);
        c.document = std::move(r.document);
    }
    std::vector<detail::CaseStepRecord> steps = store->recorded_case_steps();
    std::stable_sort(steps.begin(), steps.end(),
                     [](const auto& a, const auto& b) { return a.step_no < b.step_no; });
    for (detail::CaseStepRecord& r : steps) {
        const auto it = index.find(r.case_id);
        const std::optional<CaseStepKind> kind = parse_case_step(r.step);
        if (it == index.end() || !kind)
            throw InputError({.file = registry.string(),
                              .layer = steps_layer,
                              .fid = r.fid,
                              .feature = r.case_id,
                              .field = it == index.end() ? "case_id" : "step"},
                             it == index.end() ? "a step of an unknown case"
                                               : "unknown step '" + r.step + "'");
        cases[it->second].steps.push_back({.case_id = std::move(r.case_id),
                                           .number = r.step_no,
                                           .kind = *kind,
                                           .date = std::move(r.date),
                                           .actor = std::move(r.actor),
                                           .document = std::move(r.document),
                                           .outcome = std::move(r.outcome),
                                           .deadline = std::move(r.deadline),
                                           .detail = std::move(r.detail)});
    }
    return cases;
}

} // namespace

CaseOpenResult open_cases(const CaseOpenRequest& request) {
    const std::string reg = request.registry.string();
    const RegistryLock lock(request.registry, LockMode::write);
    require_intact_ledger(request.registry);
    const std::vector<Plan> plans = read_recorded_plans(request.registry);
    const Plan& plan = plan_of(plans, request.round, reg);
    auto fail = [&](const char* field, const std::string& what) {
        throw InputError({.file = reg, .layer = cases_layer, .feature = request.round, .field = field},
                         "cannot open the cases of round '" + request.round + "': " + what);
    };
    if (!is_iso_date(request.date))
        fail("date", "'" + request.date + "' is not a date written YYYY-MM-DD");
    if (request.objection_days < 1)
        fail("objection_days", "the objection window must be at least 1 day");
    if (request.document.empty())
        fail("document", "missing: the opening names its document");
    if (!known_actors(request.registry, plan, request.tables).knows(request.actor))
        fail("actor", "unknown actor '" + request.actor +
                          "' (not an inspector of the round, a lab of its results, nor in the actors list)");

    AuditRequest audit;
    audit.registry = request.registry;
    audit.round = request.round;
    audit.precision = request.tables.precision;
    audit.limits = request.tables.limits;
    const AuditReport report = audit_registry(audit);
    // Failed batches: (station, grade) with a critical finding, in id order.
    std::map<std::pair<std::string, std::string>, std::vector<const AuditFinding*>> failed;
    for (const AuditFinding& f : report.findings)
        if (is_critical(f.cls))
            failed[{f.station_id, f.grade}].push_back(&f);

    std::set<std::string> existing;
    for (const Case& c : read_cases_unlocked(request.registry))
        existing.insert(c.case_id);
    CaseOpenResult result;
    std::vector<detail::CaseRecord> records;
    for (const auto& [batch, findings] : failed) {
        const auto& [station, grade] = batch;
        const std::string id = case_id_of(request.round, station, grade);
        if (existing.count(id)) {
            ++result.already_open;
            continue;
        }
        Case c;
        c.case_id = id;
        c.round = request.round;
        c.station_id = station;
        c.grade = grade;
        for (const Selection& s : plan.selections)
            if (s.station_id == station)
                for (const PlannedSample& ps : s.samples)
                    if (ps.grade == grade) {
                        c.sample_ids.push_back(ps.nozzle_sample_id);
                        c.sample_ids.insert(c.sample_ids.end(), ps.tank_sample_ids.begin(),
                                            ps.tank_sample_ids.end());
                    }
        std::set<std::string> classes;
        for (const AuditFinding* f : findings) {
            classes.insert(std::string(to_string(f->cls)));
            c.evidence.push_back(f->element_kind + " " + f->element_no + ": " +
                                 std::string(to_string(f->cls)) + ": " + f->message);
        }
        c.findings.assign(classes.begin(), classes.end());
        c.objection_days = request.objection_days;
        c.opened_on = request.date;
        c.opened_by = request.actor;
        c.document = request.document;
        records.push_back({.fid = 0,
                           .case_id = c.case_id,
                           .round = c.round,
                           .station_id = c.station_id,
                           .grade = c.grade,
                           .sample_ids = joined(c.sample_ids, ";"),
                           .findings = joined(c.findings, ";"),
                           .evidence = joined(c.evidence, "\n"),
                           .objection_days = c.objection_days,
                           .opened_on = c.opened_on,
                           .opened_by = c.opened_by,
                           .document = c.document,
                           .record_id = c.case_id});
        result.opened.push_back(std::move(c));
    }
    if (!records.empty())
        detail::open_store(request.registry)->record_cases(records, {});
    return result;
}

Case advance_case(const std::filesystem::path& registry, const std::string& case_id, CaseStep step,
                  const std::optional<RetestResult>& retest, const CaseTables& tables) {
    const std::string reg = registry.string();
    const RegistryLock lock(registry, LockMode::write);
    require_intact_ledger(registry);
    std::vector<Case> cases = read_cases_unlocked(registry);
    Case* found = nullptr;
    for (Case& c : cases)
        if (c.case_id == case_id)
            found = &c;
    if (!found)
        throw InputError({.file = reg, .layer = cases_layer, .feature = case_id, .field = "case_id"},
                         "no such case (" + std::to_string(cases.size()) +
                             " recorded; fuelmap case list lists them)");
    Case& c = *found;
    const std::string name(to_string(step.kind));
    if (step.kind == CaseStepKind::retest) {
        if (!retest)
            throw InputError(
                {.file = reg, .layer = steps_layer, .feature = case_id, .field = "value"},
                "step 'retest': missing: a retest records the reserve sample's result (--property, "
                "--method, --value)");
        // The order is checked before the result is judged, so that an out-of-order retest says so.
        const CaseStatus st = case_status(c);
        if (!st.closed &&
            std::find(st.next_steps.begin(), st.next_steps.end(), step.kind) != st.next_steps.end())
            judge_retest(c, step, *retest, tables, reg);
    } else if (retest) {
        throw InputError({.file = reg, .layer = steps_layer, .feature = case_id, .field = "value"},
                         "step '" + name + "': only a retest records a lab result");
    }
    const std::vector<Plan> plans = read_recorded_plans(registry);
    const CaseActors actors = known_actors(registry, plan_of(plans, c.round, reg), tables);
    check_case_step(
        c, step, [&](std::string_view a) { return actors.knows(a); },
        Location{.file = reg, .layer = steps_layer});
    const detail::CaseStepRecord record = step_record(step);
    detail::open_store(registry)->record_cases({}, std::span(&record, 1));
    c.steps.push_back(std::move(step));
    return c;
}

std::vector<Case> read_cases(const std::filesystem::path& registry) {
    const RegistryLock snapshot(registry, LockMode::read);
    require_intact_ledger(registry);
    return read_cases_unlocked(registry);
}

} // namespace fuelmap
