// SPDX-License-Identifier: MIT
// The fuelmap command-line tool: registers the commands of command.hpp, parses and dispatches; what
// a command throws becomes an exit code in run_guarded(). Nothing else happens here.
#include "cli/command.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

int main(int argc, char** argv) {
    using namespace fuelmap::cli;
    CLI::App app{"fuelmap: filling-station registry, site diagrams, verifiable sampling rounds and audits",
                 "fuelmap"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("fuelmap ") + FUELMAP_VERSION_STRING);
    app.footer("Exit status: 0 success, 1 the check ran and found problems, 2 bad usage or bad input,\n"
               "3 an internal error (a bug in fuelmap).");
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
    const Runner& runner = runners.at(chosen);
    return run_guarded(
        chosen->get_name(), [&] { return runner(std::cout, std::cerr); }, std::cerr);
}
