// SPDX-License-Identifier: MIT
// fuelmap observe: imports on-site observations of nozzle→tank links into the registry and its
// ledger, all or nothing. Columns and rules: docs/formats.md, docs/audit.md.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/observation.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_observe(const ObserveCliOptions& opt, std::ostream& out, std::ostream&) {
    const std::vector<Observation> observations = read_observation_file(opt.file);
    const std::size_t n = record_observations(opt.registry, observations);
    if (!opt.quiet)
        out << "recorded " << n << " observation(s) from " << opt.file << " in " << opt.registry
            << " (one ledger entry each)\n";
    return exit_ok;
}

Runner setup_observe(CLI::App& app) {
    auto opt = std::make_shared<ObserveCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("file", opt->file,
                   "Observations: CSV or any GDAL vector source with columns station_id, nozzle_no, "
                   "observed_tanks (T1 or T1+T2), method, inspectors (I01;I07), observed_at (ISO 8601)")
        ->required();
    app.add_flag("-q,--quiet", opt->quiet, "Print nothing on success");
    app.footer("All rows are recorded in one transaction with one ledger entry each, or none is.\n"
               "Exit status: 0 recorded, 2 bad input (nothing recorded).");
    return [opt](std::ostream& out, std::ostream& err) { return run_observe(*opt, out, err); };
}

} // namespace fuelmap::cli
