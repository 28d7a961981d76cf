// SPDX-License-Identifier: MIT
// fuelmap validate: checks stations against the invariants of docs/validation.md.
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "cli/progress_bar.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/registry_file.hpp>
#include <fuelmap/validation.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_validate(const ValidateCliOptions& opt, std::ostream& out, std::ostream&) {
    ReadOptions read;
    read.stations = opt.stations;
    Registry registry = read_registry(opt.registry, read);
    ProgressBar bar("validating", progress_allowed(opt.quiet));
    std::vector<Finding> findings;
    std::size_t done = 0;
    for (const Site& site : registry.sites()) {
        std::vector<Finding> f = validate_site(site, registry.grades());
        findings.insert(findings.end(), f.begin(), f.end());
        bar.update(++done, registry.size());
    }
    std::size_t counts[3] = {0, 0, 0};
    for (const Finding& f : findings)
        ++counts[static_cast<int>(f.severity)];
    const bool failed = counts[1] + counts[2] > 0;
    if (opt.format == "json") {
        nlohmann::ordered_json j;
        j["registry"] = opt.registry;
        j["stations"] = registry.size();
        j["summary"] = {{"critical", counts[2]}, {"error", counts[1]}, {"warning", counts[0]}};
        j["findings"] = nlohmann::ordered_json::array();
        for (const Finding& f : findings)
            j["findings"].push_back(finding_to_json(f));
        out << j.dump(2) << "\n";
    } else {
        for (const Finding& f : findings)
            out << f.station_id << "  " << to_string(f.severity) << "  " << f.code << "  " << f.element
                << ": " << f.message << "\n";
        out << registry.size() << " station(s) checked: " << counts[2] << " critical, " << counts[1]
            << " error(s), " << counts[0] << " warning(s)\n";
    }
    return failed ? exit_findings : exit_ok;
}

Runner setup_validate(CLI::App& app) {
    auto opt = std::make_shared<ValidateCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("stations", opt->stations, "Station ids to check (default: all)");
    app.add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar");
    app.footer("Exit status: 0 no finding at error level or above, 1 findings, 2 bad input.");
    return [opt](std::ostream& out, std::ostream& err) { return run_validate(*opt, out, err); };
}

} // namespace fuelmap::cli
