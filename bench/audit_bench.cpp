// SPDX-License-Identifier: MIT
// Audit benchmark: one observation per nozzle (its declared supply) over a whole registry, timed.
//   fuelmap_audit_bench [REG.gpkg]      (default: the 120,000-station synthetic registry, in memory)
#include <fuelmap/audit.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/synth.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

int main(int argc, char** argv) {
    using clock = std::chrono::steady_clock;
    auto seconds = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    try {
        const auto t0 = clock::now();
        fuelmap::Registry registry;
        if (argc > 1) {
            registry = fuelmap::read_registry(argv[1]);
        } else {
            fuelmap::SynthOptions options;
            options.stations = 120000;
            registry = fuelmap::synthesize(options);
        }
        const auto t1 = clock::now();
        std::vector<fuelmap::Observation> observations;
        for (const fuelmap::Site& site : registry.sites())
            for (const fuelmap::Nozzle& n : site.nozzles) {
                fuelmap::Observation o;
                o.station_id = site.station.station_id;
                o.nozzle_no = n.nozzle_no;
                for (const fuelmap::SupplyLeg& leg : n.supply)
                    o.observed_tanks.push_back(leg.tank_no);
                o.method = fuelmap::LinkMethod::pipe_tracing;
                o.inspectors = {"I01", "I02"};
                o.observed_at = "2024-05-17";
                observations.push_back(std::move(o));
            }
        const fuelmap::PrecisionTable precision = fuelmap::PrecisionTable::shipped();
        const fuelmap::GradeLimits limits = fuelmap::GradeLimits::shipped();
        const auto t2 = clock::now();
        const std::clock_t cpu0 = std::clock();
        const fuelmap::AuditReport report = fuelmap::audit(registry, observations, {}, precision, limits);
        const std::clock_t cpu1 = std::clock();
        const auto t3 = clock::now();
        std::printf("registry: %zu stations, %zu observations (one per nozzle)\n", registry.size(),
                    observations.size());
        std::printf("%s: %.2f s, building observations: %.2f s\n", argc > 1 ? "read registry" : "synthesize",
                    seconds(t0, t1), seconds(t1, t2));
        std::printf("audit: %.3f s wall, %.3f s CPU, for %zu findings (%zu consistent, %zu critical: %s)\n",
                    seconds(t2, t3), static_cast<double>(cpu1 - cpu0) / CLOCKS_PER_SEC,
                    report.findings.size(), report.count(fuelmap::AuditClass::consistent),
                    report.findings.size() - report.count(fuelmap::AuditClass::consistent),
                    report.has_critical() ? "yes" : "no");
        return seconds(t2, t3) < 3.0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuelmap_audit_bench: %s\n", e.what());
        return 2;
    }
}
