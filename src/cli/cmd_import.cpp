// SPDX-License-Identifier: MIT
// Placeholder until the command lands.
#include "cli/command.hpp"

#include <iostream>

namespace fuelmap::cli {

Runner setup_import(CLI::App& app) {
    app.allow_extras();
    return [] {
        std::cerr << "fuelmap import: not implemented yet\n";
        return exit_bad_input;
    };
}

} // namespace fuelmap::cli
