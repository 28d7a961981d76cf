// SPDX-License-Identifier: MIT
#include <fuelmap/checkpoint.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_lock.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/seed.hpp>
#include <fuelmap/verify.hpp>

#include "sampling/draw.hpp"
#include "sampling/plan_text.hpp"
#include "sampling/recorded_plan.hpp"
#include "store/registry_store.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

#include <future>
#include <map>
#include <optional>
#include <thread>

namespace fuelmap {

namespace {

using detail::join;

std::string samples_text(const Selection& s) {
    std::string out;
    for (const PlannedSample& p : s.samples) {
        // Appended piece by piece (GCC 12 warns falsely about "x" + std::string temporaries at -O3).
        out.append(p.grade).append(":").append(p.nozzle_no).append("(").append(p.nozzle_ticket).append(")");
        out.append(p.nozzle_sample_id).append("<-");
        for (std::size_t i = 0; i < p.claimed_tanks.size(); ++i) {
            out.append(i ? "+" : "").append(p.claimed_tanks[i].tank_no).append("=");
            out.append(std::to_string(p.claimed_tanks[i].fraction));
        }
        out.append("[")
            .append(join(p.tank_sample_ids, ","))
            .append("]alt[")
            .append(join(p.alternates, ","))
            .append("];");
    }
    return out;
}

void compare_selection(const Selection& plan, const Selection& redo, std::vector<PlanDifference>& diffs) {
    auto field = [&](const char* name, const std::string& a, const std::string& b) {
        if (a != b)
            diffs.push_back({"selection_edited", plan.station_id,
                             std::string("selection ") + plan.station_id + ": " + name + " is '" + a +
                                 "' in the plan but '" + b + "' when recomputed"});
    };
    field("stratum", plan.stratum, redo.stratum);
    field("reason", plan.reason, redo.reason);
    field("inclusion_probability", plan.inclusion_probability, redo.inclusion_probability);
    field("ticket", plan.ticket, redo.ticket);
    field("team", join(plan.team, ","), join(redo.team, ","));
    field("date", plan.date, redo.date);
    if (samples_text(plan) != samples_text(redo)) {
        std::string detail = "selection " + plan.station_id + ": samples differ:";
        std::map<std::string, const PlannedSample*> a, b;
        for (const PlannedSample& p : plan.samples)
            a[p.grade] = &p;
        for (const PlannedSample& p : redo.samples)
            b[p.grade] = &p;
        for (const auto& [g, p] : a) {
            auto it = b.find(g);
            if (it == b.end())
                detail += " grade " + g + " is not to be sampled;";
            else if (p->nozzle_no != it->second->nozzle_no)
                detail += " grade " + g + " nozzle is " + p->nozzle_no + " in the plan but " +
                          it->second->nozzle_no + " when recomputed;";
        }
        for (const auto& [g, p] : b)
            if (!a.count(g))
                detail += " grade " + g + " (nozzle " + p->nozzle_no + ") is missing from the plan;";
        if (detail.back() == ':')
            detail += " nozzle tickets, sample ids, claimed tanks or alternates were edited";
        diffs.push_back({"selection_edited", plan.station_id, detail});
    }
}

std::string team_text(const Team& t) {
    return t.name + "(" + join(t.members, ",") + ")@" + std::to_string(t.base_lon_e6) + "," +
           std::to_string(t.base_lat_e6);
}

std::string route_text(const Route& r) {
    return "stations " + join(r.stations, ",") + ", straight_m " + std::to_string(r.straight_m) +
           ", distance_m " + std::to_string(r.distance_m);
}

// Teams by name, routes by (date, team): every added, missing or edited one named.
void compare_schedule(const Plan& plan, const Plan& redo, std::vector<PlanDifference>& diffs) {
    std::map<std::string, const Team*> teams_plan, teams_redo;
    for (const Team& t : plan.teams)
        teams_plan.emplace(t.name, &t);
    for (const Team& t : redo.teams)
        teams_redo.emplace(t.name, &t);
    for (const auto& [name, t] : teams_plan) {
        auto it = teams_redo.find(name);
        if (it == teams_redo.end())
            diffs.push_back(
                {"team", name, "team " + name + " is in the plan but not formed when recomputed"});
        else if (team_text(*t) != team_text(*it->second))
            diffs.push_back({"team", name,
                             "team " + name + " is " + team_text(*t) + " in the plan but " +
                                 team_text(*it->second) + " when recomputed"});
    }
    for (const auto& [name, t] : teams_redo)
        if (!teams_plan.count(name))
            diffs.push_back(
                {"team", name, "team " + name + " is formed when recomputed but missing from the plan"});
    using Key = std::pair<std::string, std::string>;
    std::map<Key, const Route*> routes_plan, routes_redo;
    for (const Route& r : plan.routes)
        if (!routes_plan.emplace(Key{r.date, r.team}, &r).second)
            diffs.push_back({"route", r.team,
                             "route of team " + r.team + " on " + r.date + " appears twice in the plan"});
    for (const Route& r : redo.routes)
        routes_redo.emplace(Key{r.date, r.team}, &r);
    for (const auto& [key, r] : routes_plan) {
        const std::string name = "route of team " + key.second + " on " + key.first;
        auto it = routes_redo.find(key);
        if (it == routes_redo.end())
            diffs.push_back(
                {"route", key.second, name + " is in the plan but not scheduled when recomputed"});
        else if (route_text(*r) != route_text(*it->second))
            diffs.push_back({"route", key.second,
                             name + ": " + route_text(*r) + " in the plan but " + route_text(*it->second) +
                                 " when recomputed"});
    }
    for (const auto& [key, r] : routes_redo)
        if (!routes_plan.count(key))
            diffs.push_back({"route", key.second,
                             "route of team " + key.second + " on " + key.first +
                                 " is scheduled when recomputed but missing from the plan"});
}

} // namespace

std::vector<PlanDifference> verify_plan(const std::filesystem::path& plan_file,
                                        const std::filesystem::path& registry, const VerifyOptions& options) {
    // One snapshot of the registry for the whole check.
    const RegistryLock snapshot(registry, LockMode::read);
    // The frame is read (the larger part of the work) while the ledger is checked and the plan parsed.
    std::future<std::unique_ptr<detail::FrameSource>> frame = std::async(std::launch::async, [&] {
        // With the stations' details: the design is not known yet.
        return detail::open_store(registry)->open_frame(options.use_layout_cache, true);
    });
    // The registry's record of the round is evidence too.
    const LedgerCheck ledger = require_intact_ledger(registry);
    std::vector<PlanDifference> diffs;
    const std::string text = detail::read_whole_file(plan_file, "the plan file");
    // The whole plan is read only when its text is not the one recomputed: the draw's inputs come
    // from a skim of the file's head (a national plan is megabytes of selections and routes), and
    // a text that is byte for byte the recomputed plan is proven, inputs and all.
    std::optional<Plan> parsed;
    const auto whole_plan = [&]() -> const Plan& {
        if (!parsed)
            parsed = parse_plan(text, plan_file.string());
        return *parsed;
    };
    std::optional<detail::PlanHead> head = detail::read_plan_head(text);
    if (!head) {
        const Plan& p = whole_plan();
        head = detail::PlanHead{p.algorithm_version, p.design_json, p.seed, p.ledger_entries, p.ledger_head};
    }
    // Recompute first: when the file is byte for byte the sealed text of the plan recomputed from
    // the registry (with the plan's ledger checkpoint), its form, digest, seed commitment and every
    // field are proven at once, and only what lies outside the plan is left to check.
    std::optional<Plan> redo;
    std::optional<Design> design;
    bool identical = false;
    std::jthread free_frame; // the frame's stations are freed beside the comparison
    if (head->algorithm_version == sampling_algorithm_version) {
        try {
            design =
                parse_design(head->design_json, plan_file.string() + " (design)", plan_file.parent_path());
            detail::FileDraw drawn =
                detail::draw_unsealed(registry, frame.get(), *design, head->seed,
                                      detail::LedgerChecked::yes); // at the top, in this snapshot
            free_frame = std::jthread([source = std::move(drawn.frame)]() mutable { source.reset(); });
            redo = std::move(drawn.plan);
            redo->ledger_entries = head->ledger_entries;
            redo->ledger_head = head->ledger_head;
            identical = detail::seal_plan(*redo) == text;
        } catch (...) {
            (void)whole_plan(); // a plan file that cannot be read is the error to report, as it always was
            throw;
        }
    }
    const Plan& plan = identical ? *redo : whole_plan();
    if (!identical) {
        const detail::PlanText canonical = detail::plan_text(plan);
        if (canonical.text != text)
            diffs.push_back({"format", "",
                             "the file is not byte-identical to the canonical form of its content "
                             "(reformatted or edited by hand)"});
        if (plan.digest != canonical.digest)
            diffs.push_back({"digest", "",
                             "digest wrong: the plan says " + plan.digest + " but its content hashes to " +
                                 canonical.digest});
        if (seed_commitment(plan.seed) != plan.seed_commitment)
            diffs.push_back(
                {"seed", "",
                 "seed altered: the seed does not match the plan's seed_commitment " + plan.seed_commitment});
    }
    if (options.commitment && *options.commitment != plan.seed_commitment)
        diffs.push_back({"seed", "",
                         "seed altered: the published commitment is " + *options.commitment +
                             " but the plan's is " + plan.seed_commitment});
    if (options.commitment && *options.commitment != seed_commitment(plan.seed))
        diffs.push_back(
            {"seed", "", "seed altered: the plan's seed does not match the published commitment"});
    if (!redo) {
        // The plan's inputs may not even be a valid design of this algorithm: say which algorithm it
        // used and stop, rather than report the differences of a different draw.
        diffs.push_back({"algorithm", "",
                         "the plan was drawn with algorithm " + plan.algorithm_version +
                             " but this fuelmap implements " + sampling_algorithm_version +
                             ": it cannot recompute the plan; verify it with a fuelmap release that "
                             "implements " +
                             plan.algorithm_version + " (docs/sampling.md, the standard of that version)"});
        return diffs;
    }
    if (options.design) {
        const Design published = read_design(*options.design);
        if (published.canonical_json != design->canonical_json)
            diffs.push_back(
                {"design", "", "design altered: the plan's design differs from " + options.design->string()});
    }
    // The registry's own record of this round (parsed only when its text differs from the file's).
    for (const detail::PlanRecord& record : detail::open_store(registry)->recorded_plans()) {
        if (record.round != plan.round || record.json == text)
            continue;
        const Plan recorded = detail::parse_recorded_plan(registry, record);
        if (recorded.design_json != plan.design_json)
            diffs.push_back({"design", "",
                             "design altered: the plan's design differs from the one recorded in the "
                             "registry for round '" +
                                 plan.round + "'"});
        if (recorded.seed_commitment != plan.seed_commitment || recorded.seed != plan.seed)
            diffs.push_back({"seed", "",
                             "seed altered: the plan's seed differs from the one recorded in the "
                             "registry for round '" +
                                 plan.round + "'"});
        if (recorded.digest != plan.digest)
            diffs.push_back({"recorded", "",
                             "the plan's digest " + plan.digest + " differs from the digest " +
                                 recorded.digest + " recorded in the registry for round '" + plan.round +
                                 "'"});
    }
    // The ledger the plan was drawn against must still be there, under today's ledger.
    if (plan.ledger_entries >= 0)
        if (const auto problem = checkpoint_problem(ledger, LedgerCheckpoint{.entries = plan.ledger_entries,
                                                                             .head = plan.ledger_head,
                                                                             .public_key = {},
                                                                             .signature = {}}))
            diffs.push_back(
                {"ledger", "",
                 "the registry's ledger does not extend the plan's ledger_checkpoint: " + *problem});
    if (identical)
        return diffs;
    if (redo->registry_digest != plan.registry_digest)
        diffs.push_back({"registry", "",
                         "registry changed since the plan: the frame the draw reads hashes to " +
                             redo->registry_digest + " now but " + plan.registry_digest + " in the plan"});
    auto top = [&](const char* name, const std::string& a, const std::string& b) {
        if (a != b)
            diffs.push_back(
                {"field", "",
                 std::string(name) + " is '" + a + "' in the plan but '" + b + "' when recomputed"});
    };
    top("format_version", plan.format_version, redo->format_version);
    top("algorithm_version", plan.algorithm_version, redo->algorithm_version);
    top("round", plan.round, redo->round);
    top("method", plan.method, redo->method);
    {
        std::string a, b;
        for (const StratumSummary& s : plan.strata)
            a += s.stratum + ":" + std::to_string(s.population) + "/" + std::to_string(s.certainty) + "/" +
                 std::to_string(s.allocated) + ";";
        for (const StratumSummary& s : redo->strata)
            b += s.stratum + ":" + std::to_string(s.population) + "/" + std::to_string(s.certainty) + "/" +
                 std::to_string(s.allocated) + ";";
        if (a != b)
            diffs.push_back({"field", "", "the strata summary differs from the recomputed one"});
    }
    compare_schedule(plan, *redo, diffs);
    std::map<std::string, const Selection*> in_plan, in_redo;
    for (const Selection& s : plan.selections)
        if (!in_plan.emplace(s.station_id, &s).second)
            diffs.push_back({"selection_added", s.station_id,
                             "selection added: station " + s.station_id + " appears twice in the plan"});
    for (const Selection& s : redo->selections)
        in_redo.emplace(s.station_id, &s);
    for (const auto& [id, s] : in_plan)
        if (!in_redo.count(id))
            diffs.push_back(
                {"selection_added", id,
                 "selection added: station " + id + " is in the plan but not drawn when recomputed"});
    for (const auto& [id, s] : in_redo)
        if (!in_plan.count(id))
            diffs.push_back(
                {"selection_removed", id,
                 "selection removed: station " + id + " is drawn when recomputed but missing from the plan"});
    for (const auto& [id, s] : in_plan) {
        auto it = in_redo.find(id);
        if (it != in_redo.end())
            compare_selection(*s, *it->second, diffs);
    }
    // No difference so far, yet the recomputed text differs: the order differs.
    if (diffs.empty())
        diffs.push_back({"field", "", "the selections are in a different order than recomputed"});
    return diffs;
}

} // namespace fuelmap
