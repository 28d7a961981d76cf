// SPDX-License-Identifier: MIT
// fuelmap lab: imports laboratory results of plan samples into the registry and its ledger, all or
// nothing. Columns and rules: docs/formats.md, docs/audit.md.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/lab_result.hpp>
#include <fuelmap/precision.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_lab(const LabCliOptions& opt, std::ostream& out, std::ostream&) {
    const PrecisionTable precision =
        opt.precision.empty() ? PrecisionTable::shipped() : PrecisionTable::read(opt.precision);
    const std::vector<LabResult> results = read_lab_file(opt.file);
    const std::size_t n = record_lab_results(opt.registry, results, precision);
    if (!opt.quiet)
        out << "recorded " << n << " lab result(s) from " << opt.file << " in " << opt.registry
            << " (one ledger entry each)\n";
    return exit_ok;
}

Runner setup_lab(CLI::App& app) {
    auto opt = std::make_shared<LabCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("file", opt->file,
                   "Lab results: CSV or any GDAL vector source with columns sample_id, station_id, source "
                   "(nozzle|tank), nozzle_no, tank_no, depth, property, value, unit, method, lab")
        ->required();
    app.add_option("--precision", opt->precision,
                   "Precision table CSV (default: the shipped data/precision.csv)");
    app.add_flag("-q,--quiet", opt->quiet, "Print nothing on success");
    app.footer("Every sample id must be in a plan recorded in the registry; the unit must be the precision\n"
               "table's unit for the property and method. All rows are recorded in one transaction with one\n"
               "ledger entry each, or none is. Exit status: 0 recorded, 2 bad input (nothing recorded).");
    return [opt](std::ostream& out, std::ostream& err) { return run_lab(*opt, out, err); };
}

} // namespace fuelmap::cli
