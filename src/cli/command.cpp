// SPDX-License-Identifier: MIT
// What every command shares: the mapping of exceptions to exit codes, and when progress is drawn.
#include "cli/command.hpp"

#include <fuelmap/error.hpp>

#include <exception>
#include <ostream>
#include <unistd.h>

namespace fuelmap::cli {

bool progress_allowed(bool quiet) {
    return !quiet && ::isatty(STDERR_FILENO);
}

int run_guarded(std::string_view verb, const std::function<int()>& run, std::ostream& err) noexcept {
    // Writing the message may itself throw (a stream with exceptions enabled, std::bad_alloc): the
    // exit code is still the one the fault calls for.
    auto report = [&](std::string_view kind, const char* what, std::string_view after) {
        try {
            err << "fuelmap " << verb << ": " << kind << ": " << what << after << "\n" << std::flush;
        } catch (...) {
        }
    };
    try {
        return run();
    } catch (const Error& e) {
        report("error", e.what(), "");
        return exit_bad_input;
    } catch (const std::exception& e) {
        report("internal error", e.what(),
               " (this is a bug in fuelmap; please report it with the command line)");
        return exit_internal_error;
    } catch (...) {
        report("internal error", "an exception that is not a std::exception",
               " (this is a bug in fuelmap; please report it with the command line)");
        return exit_internal_error;
    }
}

} // namespace fuelmap::cli
