// SPDX-License-Identifier: MIT
// fuelmap export: registry layers to any GDAL vector format.
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/export.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_export(const ExportCliOptions& opt, std::ostream& out, std::ostream&) {
    ExportOptions options;
    options.format = opt.format;
    options.layers = opt.layers;
    options.counties = opt.counties;
    const bool to_stdout = opt.out.rfind("/vsistdout", 0) == 0;
    ProgressBar bar("export", progress_allowed(opt.quiet));
    options.progress = bar.callback();
    ExportResult result = export_registry(opt.registry, opt.out, options);
    if (!opt.quiet && !to_stdout) {
        out << "fuelmap export: " << result.features << " feature(s) written as " << result.format << " to";
        for (const auto& f : result.files)
            out << " " << f.string();
        out << "\n";
    }
    return exit_ok;
}

Runner setup_export(CLI::App& app) {
    auto opt = std::make_shared<ExportCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("-o,--output", opt->out,
                   "Output file, directory (one file per layer for single-layer formats) or /vsistdout/")
        ->required();
    app.add_option("-f,--format", opt->format,
                   "GDAL vector driver (GeoJSON, GPKG, KML, CSV, XLSX, \"ESRI Shapefile\" …); default: from "
                   "the output's extension");
    app.add_option("--layer", opt->layers,
                   "Layer to export (stations, tanks, dispensers, nozzles, sites, supplies, grades); "
                   "repeatable; default: all");
    app.add_option("--county", opt->counties,
                   "Only the stations of this county (GB/T 2260 code, the stations' county field) with "
                   "their sites, tanks, dispensers, nozzles and supplies, and every grade; repeatable; "
                   "default: the whole registry");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar or summary");
    return [opt](std::ostream& out, std::ostream& err) { return run_export(*opt, out, err); };
}

} // namespace fuelmap::cli
