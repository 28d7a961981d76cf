// SPDX-License-Identifier: MIT
// fuelmap ledger verify: checks the registry's hash-chained ledger.
#include "cli/command.hpp"

#include <fuelmap/ledger.hpp>

#include <iostream>

namespace fuelmap::cli {

namespace {
struct LedgerOptions {
    std::string registry;
};

int run_ledger_verify(const LedgerOptions& opt) {
    const LedgerCheck check = verify_ledger(opt.registry);
    if (!check.ok()) {
        std::cout << opt.registry << ": ledger broken at entry " << *check.broken_seq << ": " << check.reason
                  << "\n";
        return exit_findings;
    }
    std::cout << opt.registry << ": ledger intact, " << check.entries << " entries\n";
    return exit_ok;
}
} // namespace

Runner setup_ledger(CLI::App& app) {
    auto opt = std::make_shared<LedgerOptions>();
    app.require_subcommand(1);
    CLI::App* verify =
        app.add_subcommand("verify", "Check the hash chain; exit 1 naming the first broken entry");
    verify->add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    return [opt] { return run_ledger_verify(*opt); };
}

} // namespace fuelmap::cli
