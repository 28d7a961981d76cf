// SPDX-License-Identifier: MIT
// Validates every station of a registry with fuelmap::validate_registry and prints the findings
// grouped by code, then one summary line. Exit 1 when a finding is at error level or above.
//
//   example_validate_registry REG.gpkg
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/validation.hpp>

#include <iostream>
#include <map>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " REG.gpkg\n";
        return 2;
    }
    try {
        const fuelmap::Registry registry = fuelmap::read_registry(argv[1]);
        const std::vector<fuelmap::Finding> findings = fuelmap::validate_registry(registry);

        std::map<std::string, std::size_t> by_code; // ordered: stable output
        std::map<fuelmap::Severity, std::size_t> by_severity;
        for (const fuelmap::Finding& f : findings) {
            ++by_code[f.code];
            ++by_severity[f.severity];
        }
        for (const auto& [code, n] : by_code)
            std::cout << code << ": " << n << "\n";
        std::size_t nozzles = 0;
        for (const fuelmap::Site& site : registry.sites())
            nozzles += site.nozzles.size();
        std::cout << "checked " << registry.size() << " stations (" << nozzles
                  << " nozzles): " << by_severity[fuelmap::Severity::critical] << " critical, "
                  << by_severity[fuelmap::Severity::error] << " error, "
                  << by_severity[fuelmap::Severity::warning] << " warning\n";
        return by_severity[fuelmap::Severity::critical] + by_severity[fuelmap::Severity::error] > 0 ? 1 : 0;
    } catch (const fuelmap::Error& e) {
        std::cerr << argv[0] << ": " << e.what() << "\n";
        return 2;
    }
}
