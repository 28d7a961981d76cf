// SPDX-License-Identifier: MIT
// Placeholder until the command lands.
#include "cli/command.hpp"

#include <iostream>

namespace fuelmap::cli {

Runner setup_synth(CLI::App& app) {
    app.allow_extras();
    return [] {
        std::cerr << "fuelmap synth: not implemented yet\n";
        return exit_bad_input;
    };
}

} // namespace fuelmap::cli
