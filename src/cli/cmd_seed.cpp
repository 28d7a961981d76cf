// SPDX-License-Identifier: MIT
// fuelmap seed new | from-sources: fresh seeds with their commitment, and RFC 3797 key strings from
// publicly announced numbers.
#include "cli/command.hpp"
#include "util/output_file.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/error.hpp>
#include <fuelmap/rfc3797.hpp>
#include <fuelmap/seed.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <ostream>
#include <sys/stat.h>

namespace fuelmap::cli {

namespace {

void print(const SeedCliOptions& opt, std::ostream& out, const std::string& seed_key, const std::string& seed,
           bool show_seed) {
    const std::string commitment = seed_commitment(seed);
    if (opt.json) {
        nlohmann::ordered_json j;
        if (show_seed)
            j[seed_key] = seed;
        j["commitment"] = commitment;
        out << j.dump(2) << "\n";
    } else {
        if (show_seed)
            out << seed_key << " " << seed << "\n";
        out << "commitment " << commitment << "\n";
    }
}

int run_new(const SeedCliOptions& opt, std::ostream& out) {
    const std::string seed = new_seed();
    if (!opt.output.empty()) {
        // A seed file is never replaced: the seed of a published commitment would be lost (and a
        // registry or any other file named by mistake with it).
        detail::OutputGuard().check_file(opt.output);
        std::error_code ec;
        if (std::filesystem::symlink_status(opt.output, ec).type() != std::filesystem::file_type::not_found)
            throw InputError({.file = opt.output},
                             "the file exists; `seed new` never replaces a file (it may hold the seed of a "
                             "published commitment): choose a new name");
        const mode_t old = ::umask(077); // the seed stays secret until the reveal
        try {
            detail::write_output(opt.output, seed + "\n");
        } catch (...) {
            ::umask(old);
            throw;
        }
        ::umask(old);
    }
    print(opt, out, "seed", seed, opt.output.empty());
    return exit_ok;
}

int run_from_sources(const SeedCliOptions& opt, std::ostream& out) {
    std::vector<std::vector<std::uint64_t>> sources;
    for (std::size_t i = 0; i < opt.sources.size(); ++i)
        sources.push_back(parse_rfc3797_source(opt.sources[i], "--source " + std::to_string(i + 1)));
    print(opt, out, "key", rfc3797_key(sources), true);
    return exit_ok;
}

} // namespace

int run_seed(const SeedCliOptions& opt, std::ostream& out, std::ostream&) {
    return opt.action == SeedCliOptions::Action::fresh ? run_new(opt, out) : run_from_sources(opt, out);
}

Runner setup_seed(CLI::App& app) {
    auto opt = std::make_shared<SeedCliOptions>();
    app.require_subcommand(1);
    CLI::App* fresh = app.add_subcommand("new", "Print a fresh 256-bit seed from the OS and its commitment");
    fresh->add_flag("--json", opt->json, "Print JSON");
    fresh->add_option("-o,--output", opt->output,
                      "Write the seed to this file (mode 0600) and print only the commitment");
    CLI::App* from = app.add_subcommand(
        "from-sources",
        "Turn publicly announced numbers into an RFC 3797 key string (the seed of method rfc3797)");
    from->add_option(
            "--source", opt->sources,
            "One announced source: its numbers separated by spaces or commas; repeat in the announced order")
        ->required();
    from->add_flag("--json", opt->json, "Print JSON");
    return [opt, fresh](std::ostream& out, std::ostream& err) {
        opt->action = fresh->parsed() ? SeedCliOptions::Action::fresh : SeedCliOptions::Action::from_sources;
        return run_seed(*opt, out, err);
    };
}

} // namespace fuelmap::cli
