// SPDX-License-Identifier: MIT
// fuelmap import: stations or full layouts from GDAL vector sources into a registry.
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>

#include <charconv>
#include <ostream>

namespace fuelmap::cli {

namespace {

// "500", "64K", "200M", "16G" → bytes.
std::uint64_t parse_size(const std::string& text) {
    std::uint64_t n = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc() || p == text.data())
        throw UsageError("--max-file-size: not a size: '" + text + "'");
    std::uint64_t unit = 1;
    if (p != end) {
        const std::string suffix(p, end);
        if (suffix == "K" || suffix == "k")
            unit = std::uint64_t{1} << 10;
        else if (suffix == "M" || suffix == "m")
            unit = std::uint64_t{1} << 20;
        else if (suffix == "G" || suffix == "g")
            unit = std::uint64_t{1} << 30;
        else
            throw UsageError("--max-file-size: unknown unit '" + suffix + "' (K, M or G)");
    }
    return n * unit;
}

} // namespace

int run_import(const ImportCliOptions& opt, std::ostream& out, std::ostream&) {
    detail::OutputGuard guard; // the registry written is never one of the files read
    for (const std::string& source : opt.sources)
        guard.input(source, "the source");
    guard.input(opt.mapping, "the mapping file").check_file(opt.registry);
    ImportOptions options;
    if (!opt.mapping.empty())
        options.mapping = load_mapping(opt.mapping);
    options.limits.max_features_per_layer = opt.max_features;
    if (!opt.max_file_size.empty())
        options.limits.max_file_bytes = parse_size(opt.max_file_size);
    std::vector<std::filesystem::path> sources(opt.sources.begin(), opt.sources.end());
    ImportSummary summary;
    {
        ProgressBar bar("import", progress_allowed(opt.quiet));
        options.progress = bar.callback();
        summary = import_to_registry(sources, opt.registry, opt.append, std::move(options));
    }
    if (!opt.quiet)
        out << "fuelmap import: " << summary.stations << " station(s), " << summary.tanks << " tank(s), "
            << summary.dispensers << " dispenser(s), " << summary.nozzles << " nozzle(s) "
            << (opt.append ? "appended to " : "written to ") << opt.registry << "\n";
    if (!opt.quiet && !summary.moved_records.empty()) {
        std::size_t entries = 0;
        std::string kinds;
        for (const auto& [kind, n] : summary.moved_records) {
            entries += n;
            kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
        }
        out << "fuelmap import: " << entries << " ledger entries moved verbatim with their records (" << kinds
            << ")\n";
    }
    return exit_ok;
}

Runner setup_import(CLI::App& app) {
    auto opt = std::make_shared<ImportCliOptions>();
    app.add_option("sources", opt->sources,
                   "GDAL vector sources: files (GeoJSON, GPKG, Shapefile, CSV, KML, XLSX …) or directories "
                   "with one file per layer")
        ->required();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage to create (or extend with --append)")
        ->required();
    app.add_option("--mapping", opt->mapping, "Mapping JSON for a station list (see docs/formats.md)");
    app.add_flag("--append", opt->append, "Add to an existing registry");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar or summary");
    app.add_option("--max-features", opt->max_features, "Refuse a source layer with more features than this")
        ->capture_default_str();
    app.add_option("--max-file-size", opt->max_file_size,
                   "Refuse a source file larger than this (bytes, or with K/M/G; default 16G)");
    return [opt](std::ostream& out, std::ostream& err) { return run_import(*opt, out, err); };
}

} // namespace fuelmap::cli
