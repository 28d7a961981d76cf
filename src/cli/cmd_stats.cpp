// SPDX-License-Identifier: MIT
// fuelmap stats: what a sampling round found, with the Horvitz–Thompson estimate from its random
// part and an SVG plot. Definitions: docs/audit.md.
#include "cli/command.hpp"
#include "util/output_file.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_stats.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/round_stats.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <ostream>

namespace fuelmap::cli {

namespace {

std::string pct(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v * 100.0, std::chars_format::fixed, 1);
    return (ec == std::errc() ? std::string(buf, end) : "?") + " %";
}

nlohmann::ordered_json row_json(const RateRow& r) {
    return {{"key", r.key},
            {"stations_selected", r.stations_selected},
            {"stations_audited", r.stations_audited},
            {"stations_failed", r.stations_failed},
            {"failure_discovery_rate", r.failure_discovery_rate()},
            {"batches_planned", r.batches_planned},
            {"batches_sampled", r.batches_sampled},
            {"batches_passed", r.batches_passed},
            {"batches_failed", r.batches_failed},
            {"batches_inconclusive", r.batches_inconclusive},
            {"pass_rate", r.pass_rate()}};
}

nlohmann::ordered_json cases_json(const CaseCounts& c) {
    return {{"key", c.key},
            {"opened", c.opened},
            {"open", c.open},
            {"not_confirmed", c.not_confirmed},
            {"rectified", c.rectified},
            {"referred", c.referred},
            {"failed_recheck", c.failed_recheck},
            {"penalties", c.penalties}};
}

void cases_text(std::ostream& out, const CaseCounts& c) {
    out << "  " << c.key << ": " << c.opened << " opened, " << c.open << " open; closed " << c.not_confirmed
        << " not confirmed, " << c.rectified << " rectified, " << c.referred << " referred, "
        << c.failed_recheck << " failed re-check; " << c.penalties << " with a penalty\n";
}

// The case outcomes of the round (docs/cases.md).
RoundCaseStats round_cases(const std::string& registry, const std::string& round) {
    for (const Plan& p : read_recorded_plans(registry))
        if (p.round == round)
            return case_statistics(p, read_cases(registry));
    return {};
}

void row_text(std::ostream& out, const RateRow& r) {
    out << "  " << r.key << ": " << r.batches_sampled << "/" << r.batches_planned << " batches sampled, "
        << r.batches_passed << " passed, " << r.batches_failed << " failed (pass rate " << pct(r.pass_rate())
        << "); stations " << r.stations_failed << " failed of " << r.stations_audited << " audited ("
        << r.stations_selected << " selected; failure discovery rate " << pct(r.failure_discovery_rate())
        << ")\n";
}

} // namespace

int run_stats(const StatsCliOptions& opt, std::ostream& out, std::ostream&) {
    if (!opt.plot.empty())
        detail::OutputGuard().input(opt.registry, "the registry").check_file(opt.plot);
    const RoundStats stats = round_statistics(opt.registry, opt.round);
    const RoundCaseStats cases = round_cases(opt.registry, opt.round);
    if (!opt.plot.empty()) {
        std::vector<RoundStats> history;
        for (const Plan& p : read_recorded_plans(opt.registry))
            history.push_back(p.round == opt.round ? stats : round_statistics(opt.registry, p.round));
        detail::write_output(opt.plot, stats_svg(stats, history));
    }
    if (opt.format == "json") {
        nlohmann::ordered_json j;
        j["round"] = stats.round;
        j["overall"] = row_json(stats.overall);
        j["random"] = row_json(stats.random_part);
        j["certainty"] = row_json(stats.certainty_part);
        j["strata"] = nlohmann::ordered_json::array();
        for (const RateRow& r : stats.strata)
            j["strata"].push_back(row_json(r));
        if (stats.estimate) {
            const HtEstimate& e = *stats.estimate;
            j["estimate"] = {{"estimator", "Horvitz-Thompson, random picks only"},
                             {"variance", "stratified with-replacement approximation"},
                             {"picks", e.picks},
                             {"missing", e.missing},
                             {"total", e.total},
                             {"frame", e.frame},
                             {"frame_estimated", e.frame_estimated},
                             {"share", e.share},
                             {"standard_error", e.standard_error},
                             {"ci95", {e.ci_low, e.ci_high}},
                             {"single_pick_strata", e.single_pick_strata}};
        } else {
            j["estimate"] = nullptr;
        }
        j["cases"] = {{"overall", cases_json(cases.overall)}, {"strata", nlohmann::ordered_json::array()}};
        for (const CaseCounts& c : cases.strata)
            j["cases"]["strata"].push_back(cases_json(c));
        out << j.dump(2) << "\n";
        return exit_ok;
    }
    out << "round " << stats.round << "\n";
    row_text(out, stats.overall);
    out << "random picks:\n";
    row_text(out, stats.random_part);
    out << "certainty and other non-random picks (not used in the estimate):\n";
    row_text(out, stats.certainty_part);
    out << "per stratum:\n";
    for (const RateRow& r : stats.strata)
        row_text(out, r);
    if (stats.estimate) {
        const HtEstimate& e = *stats.estimate;
        out << "estimated share of failing stations in the frame (Horvitz-Thompson, random picks only): "
            << pct(e.share) << ", 95 % CI " << pct(e.ci_low) << " to " << pct(e.ci_high)
            << " (Σ y/π = " << e.total << ", N = " << e.frame
            << (e.frame_estimated ? " estimated as Σ 1/π" : "") << ", " << e.picks << " picks";
        if (e.missing)
            out << ", " << e.missing << " random pick(s) without evidence left out";
        if (e.single_pick_strata)
            out << ", " << e.single_pick_strata << " stratum/strata with one pick add no variance";
        out << ")\n";
    } else {
        out << "no estimate: no random pick was audited\n";
    }
    out << "follow-up cases:\n";
    cases_text(out, cases.overall);
    for (const CaseCounts& c : cases.strata)
        cases_text(out, c);
    return exit_ok;
}

Runner setup_stats(CLI::App& app) {
    auto opt = std::make_shared<StatsCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("--round", opt->round, "Round whose recorded plan to evaluate")->required();
    app.add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_option("--plot", opt->plot, "Write an SVG of failure rates per stratum and over rounds");
    app.footer("Exit status: 0 statistics written, 2 bad input.");
    return [opt](std::ostream& out, std::ostream& err) { return run_stats(*opt, out, err); };
}

} // namespace fuelmap::cli
