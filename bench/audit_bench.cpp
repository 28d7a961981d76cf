// SPDX-License-Identifier: MIT
// Audit benchmark: one observation per nozzle (its declared supply) over a whole registry, timed.
//   fuelmap_audit_bench [REG.gpkg]
// Without an argument: the 120,000-station synthetic registry, synthesized in memory. With one: the
// registry file is read as `fuelmap audit` reads it (registry, then its recorded observations); when
// it records none, one observation per nozzle is built in memory. Only audit() is the timed target;
// the other steps are printed so that the whole of `fuelmap audit -r REG` can be accounted for (its
// output, text or JSON, comes on top: time the CLI for that). With a registry that records its
// observations, audit_registry() is then timed as a whole too: it reads the registry and the
// recorded observations at the same time, as `fuelmap audit` does, and its findings are counted as they
// come (audit_registry() with an AuditSink, as the CLI writes them) or kept (the AuditReport). Exit 0 when it
// ran, 2 on an error: the figures are for a person to read, not a pass/fail check.
#include <fuelmap/audit.hpp>
#include <fuelmap/audit_results.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/synth.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <span>
#include <string>

int main(int argc, char** argv) {
    using clock = std::chrono::steady_clock;
    auto seconds = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    try {
        const auto t0 = clock::now();
        fuelmap::Registry registry;
        std::vector<fuelmap::Observation> observations;
        if (argc > 1) {
            registry = fuelmap::read_registry(argv[1]);
        } else {
            fuelmap::SynthOptions options;
            options.stations = 120000;
            registry = fuelmap::synthesize(options);
        }
        const auto t1 = clock::now();
        if (argc > 1)
            observations = fuelmap::read_recorded_observations(argv[1]);
        const auto t1b = clock::now();
        const bool built = observations.empty();
        if (built)
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
        const auto critical = static_cast<std::size_t>(
            std::count_if(report.findings.begin(), report.findings.end(),
                          [](const fuelmap::AuditFinding& f) { return fuelmap::is_critical(f.cls); }));
        std::printf("registry: %zu stations, %zu observations (%s)\n", registry.size(), observations.size(),
                    built ? "one per nozzle, built in memory" : "recorded in the registry");
        if (argc > 1)
            std::printf("read registry: %.2f s, read recorded observations: %.2f s\n", seconds(t0, t1),
                        seconds(t1, t1b));
        else
            std::printf("synthesize: %.2f s\n", seconds(t0, t1));
        if (built)
            std::printf("building observations: %.2f s\n", seconds(t1b, t2));
        std::printf("audit: %.3f s wall, %.3f s CPU, for %zu findings on %zu stations: "
                    "%zu consistent, %zu unverified, %zu other, %zu critical\n",
                    seconds(t2, t3), static_cast<double>(cpu1 - cpu0) / CLOCKS_PER_SEC,
                    report.findings.size(), report.stations, report.count(fuelmap::AuditClass::consistent),
                    report.count(fuelmap::AuditClass::unverified),
                    report.findings.size() - report.count(fuelmap::AuditClass::consistent) -
                        report.count(fuelmap::AuditClass::unverified),
                    critical);
        if (argc > 1 && !built) {
            registry = {};
            observations = {};
            fuelmap::AuditRequest request;
            request.registry = argv[1];
            struct Counter final : fuelmap::AuditSink {
                std::size_t findings = 0;
                void begin(std::size_t, std::size_t) override {}
                void station(std::span<fuelmap::AuditFinding> f) override { findings += f.size(); }
            } counter;
            const auto t4 = clock::now();
            const std::clock_t cpu4 = std::clock();
            fuelmap::audit_registry(request, counter);
            const std::clock_t cpu5 = std::clock();
            const auto t5 = clock::now();
            std::printf("audit_registry, streamed (reads overlapped, then audit): %.2f s wall, %.2f s CPU, "
                        "%zu findings\n",
                        seconds(t4, t5), static_cast<double>(cpu5 - cpu4) / CLOCKS_PER_SEC, counter.findings);
            const fuelmap::AuditReport whole = fuelmap::audit_registry(request);
            const auto t6 = clock::now();
            std::printf("audit_registry, kept in a report: %.2f s wall, %zu findings\n", seconds(t5, t6),
                        whole.findings.size());
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuelmap_audit_bench: %s\n", e.what());
        return 2;
    }
}
