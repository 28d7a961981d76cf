// SPDX-License-Identifier: MIT
// fuelmap ledger verify: checks the registry's hash-chained ledger.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/ledger.hpp>

#include <ostream>

namespace fuelmap::cli {

int run_ledger(const LedgerCliOptions& opt, std::ostream& out, std::ostream&) {
    const LedgerCheck check = verify_ledger(opt.registry);
    if (!check.ok()) {
        out << opt.registry << ": ledger broken at entry " << *check.broken_seq << ": " << check.reason
            << "\n";
        return exit_findings;
    }
    out << opt.registry << ": ledger intact, " << check.entries << " entries\n";
    return exit_ok;
}

Runner setup_ledger(CLI::App& app) {
    auto opt = std::make_shared<LedgerCliOptions>();
    app.require_subcommand(1);
    CLI::App* verify =
        app.add_subcommand("verify", "Check the hash chain; exit 1 naming the first broken entry");
    verify->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    return [opt](std::ostream& out, std::ostream& err) { return run_ledger(*opt, out, err); };
}

} // namespace fuelmap::cli
