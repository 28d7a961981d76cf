// SPDX-License-Identifier: MIT
// fuelmap verify: recomputes a published plan from the registry, its design and its seed.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/verify.hpp>

#include <nlohmann/json.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_verify(const VerifyCliOptions& opt, std::ostream& out, std::ostream&) {
    VerifyOptions options;
    if (!opt.design.empty())
        options.design = opt.design;
    if (!opt.commitment.empty())
        options.commitment = opt.commitment;
    options.use_layout_cache = !opt.no_cache;
    const std::vector<PlanDifference> diffs = verify_plan(opt.plan, opt.registry, options);
    if (opt.format == "json") {
        nlohmann::ordered_json j;
        j["plan"] = opt.plan;
        j["identical"] = diffs.empty();
        j["differences"] = nlohmann::ordered_json::array();
        for (const PlanDifference& d : diffs)
            j["differences"].push_back(
                {{"kind", d.kind}, {"station_id", d.station_id}, {"detail", d.detail}});
        out << j.dump(2) << "\n";
    } else if (diffs.empty()) {
        out << opt.plan << ": verified: identical to the plan recomputed from " << opt.registry << "\n";
    } else {
        out << opt.plan << ": " << diffs.size() << " difference(s):\n";
        for (const PlanDifference& d : diffs)
            out << "  " << d.kind << ": " << d.detail << "\n";
    }
    return diffs.empty() ? exit_ok : exit_findings;
}

Runner setup_verify(CLI::App& app) {
    auto opt = std::make_shared<VerifyCliOptions>();
    app.add_option("plan", opt->plan, "Plan JSON file")->required();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("--design", opt->design, "The design file published before the round (checked too)");
    app.add_option("--commitment", opt->commitment, "The seed commitment published before the round");
    app.add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_flag(
        "--no-cache", opt->no_cache,
        "Recompute the registry digest from the stations, nozzles and supplies tables only, "
        "ignoring the registry's layout cache (for an auditor who does not trust the file's writer)");
    return [opt](std::ostream& out, std::ostream& err) { return run_verify(*opt, out, err); };
}

} // namespace fuelmap::cli
