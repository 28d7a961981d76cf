// SPDX-License-Identifier: MIT
// fuelmap synth: writes a synthetic registry of plausible stations (docs/synth.md).
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/synth.hpp>

#include <filesystem>
#include <ostream>

namespace fuelmap::cli {

int run_synth(const SynthCliOptions& opt, std::ostream& out, std::ostream&) {
    if (opt.stations < 1)
        throw UsageError("--stations: must be at least 1 (got " + std::to_string(opt.stations) + ")");
    const std::filesystem::path path(opt.output);
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !opt.force)
        throw UsageError("-o " + opt.output + ": file exists (use --force to replace it)");
    if (std::filesystem::is_directory(path, ec))
        throw UsageError("-o " + opt.output + ": is a directory");
    detail::OutputGuard().check_file(path); // even with --force, never a device node or a FIFO
    const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
    if (!std::filesystem::is_directory(parent, ec))
        throw UsageError("-o " + opt.output + ": directory " + parent.string() + " does not exist");

    SynthOptions options;
    options.stations = static_cast<std::size_t>(opt.stations);
    options.seed = opt.seed;
    const std::optional<SynthScope> scope = parse_synth_scope(opt.scope);
    if (!scope)
        throw UsageError("--regions: must be auto, yantai or national (got '" + opt.scope + "')");
    options.scope = *scope;
    Registry registry;
    {
        ProgressBar bar("synthesizing", progress_allowed(opt.quiet));
        registry = synthesize(options, bar.callback());
    }
    {
        ProgressBar bar("writing " + opt.output, progress_allowed(opt.quiet));
        bar.update(0, 0);
        try {
            create_registry(path, registry);
        } catch (const Error& e) {
            throw Error("-o " + opt.output + ": cannot write the registry: " + e.what());
        }
    }
    std::size_t tanks = 0, dispensers = 0, nozzles = 0;
    for (const Site& s : registry.sites()) {
        tanks += s.tanks.size();
        dispensers += s.dispensers.size();
        nozzles += s.nozzles.size();
    }
    if (!opt.quiet)
        out << "wrote " << opt.output << ": " << registry.size() << " stations, " << tanks << " tanks, "
            << dispensers << " dispensers, " << nozzles << " nozzles (seed " << opt.seed << ")\n";
    return exit_ok;
}

Runner setup_synth(CLI::App& app) {
    auto opt = std::make_shared<SynthCliOptions>();
    app.add_option("--stations", opt->stations, "Number of stations (at least 1)")->required();
    app.add_option("-o,--output", opt->output, "Registry GeoPackage to write")->required();
    app.add_option("--seed", opt->seed, "Seed (unsigned 64-bit); same seed, same registry")
        ->capture_default_str();
    app.add_option("--regions", opt->scope,
                   "auto (Yantai up to " + std::to_string(yantai_capacity) +
                       " stations, else national), "
                       "yantai or national")
        ->check(CLI::IsMember({"auto", "yantai", "national"}))
        ->capture_default_str();
    app.add_flag("--force", opt->force, "Replace the output file if it exists");
    app.add_flag("-q,--quiet", opt->quiet, "No progress bar and no summary line");
    app.footer("Writes plausible, entirely synthetic stations over real county-level regions; see "
               "docs/synth.md.\nExit status: 0 written, 2 bad usage or the file cannot be written.");
    return [opt](std::ostream& out, std::ostream& err) { return run_synth(*opt, out, err); };
}

} // namespace fuelmap::cli
