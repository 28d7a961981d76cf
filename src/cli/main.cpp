// SPDX-License-Identifier: MIT
// The fuelmap command-line tool: registers the commands of command.hpp, parses, dispatches and maps
// exceptions to exit codes. Nothing else happens here.
#include "cli/command.hpp"

#include <fuelmap/error.hpp>

#include <iostream>
#include <map>
#include <unistd.h>

namespace fuelmap::cli {

bool progress_allowed(bool quiet) {
    return !quiet && ::isatty(STDERR_FILENO);
}

} // namespace fuelmap::cli

int main(int argc, char** argv) {
    using namespace fuelmap::cli;
    CLI::App app{"fuelmap: filling-station registry, site diagrams, verifiable sampling rounds and audits",
                 "fuelmap"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("fuelmap ") + FUELMAP_VERSION_STRING);
    std::map<CLI::App*, Runner> runners;
#define FUELMAP_REGISTER(name, description)                                                                  \
    {                                                                                                        \
        CLI::App* sub = app.add_subcommand(#name, description);                                              \
        runners[sub] = setup_##name(*sub);                                                                   \
    }
    FUELMAP_COMMANDS(FUELMAP_REGISTER)
#undef FUELMAP_REGISTER
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_bad_input;
    }
    CLI::App* chosen = app.get_subcommands().front();
    try {
        return runners.at(chosen)();
    } catch (const fuelmap::Error& e) {
        std::cerr << "fuelmap " << chosen->get_name() << ": error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception& e) {
        std::cerr << "fuelmap " << chosen->get_name() << ": error: " << e.what() << "\n";
        return exit_bad_input;
    }
}
