// SPDX-License-Identifier: MIT
/// @file command.hpp
/// @brief The command table of the fuelmap CLI. Each command lives in src/cli/cmd_<verb>.cpp and
/// provides setup_<verb>(): it declares the options on its CLI11 subcommand (no I/O) and returns
/// the function that runs it and gives the exit code (0 ok, 1 problems found, 2 bad input).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <iosfwd>

namespace fuelmap::cli {

/// Runs a parsed command; returns the process exit code.
using Runner = std::function<int()>;

/// The exit codes of every command.
enum ExitCode : int { exit_ok = 0, exit_findings = 1, exit_bad_input = 2 };

/// True when progress bars may be drawn: stderr is a terminal and --quiet was not given.
[[nodiscard]] bool progress_allowed(bool quiet);

// X-macro list of the commands: name, one-line description. Add a line and a cmd_<name>.cpp.
#define FUELMAP_COMMANDS(X)                                                                                  \
    X(import, "Import stations or full site layouts from any GDAL vector source into a registry")            \
    X(validate, "Check stations against the registry invariants")                                            \
    X(show, "Print one station with its tanks, dispensers, nozzles and supplies")                            \
    X(export, "Export registry layers to any GDAL vector format")                                            \
    X(synth, "Write a synthetic registry of plausible stations")                                             \
    X(diagram, "Draw numbered site diagrams (SVG or PDF), plan overlays and round overview maps")            \
    X(seed, "Make a fresh seed with its commitment, or an RFC 3797 key from announced numbers")              \
    X(plan, "Draw a verifiable sampling round: stations, grades, nozzles, tanks, teams and dates")           \
    X(verify, "Recompute a published plan and name every difference")                                        \
    X(ledger, "Check the ledger and the records it binds; print, sign and check checkpoints")                \
    X(observe, "Import on-site observations of nozzle-to-tank links into the registry and its ledger")       \
    X(lab, "Import laboratory results of plan samples into the registry and its ledger")                     \
    X(audit, "Classify declared nozzle-to-tank links against observations and paired lab samples")           \
    X(stats, "Round statistics: pass and failure discovery rates, Horvitz-Thompson estimate, SVG plot")

#define FUELMAP_DECLARE_SETUP(name, description) Runner setup_##name(CLI::App& app);
FUELMAP_COMMANDS(FUELMAP_DECLARE_SETUP)
#undef FUELMAP_DECLARE_SETUP

} // namespace fuelmap::cli
