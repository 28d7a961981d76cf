// SPDX-License-Identifier: MIT
// Loads a whole registry and validates every station, timing the two steps separately and
// reporting the peak resident memory of the process. Used by bench/national.sh. On a large
// registry the load uses two threads and the validation one per hardware thread: compare the
// wall seconds with the CPU seconds (all threads) and the hardware threads printed.
//
//   fuelmap_load_validate REG.gpkg
#include <fuelmap/registry_file.hpp>
#include <fuelmap/validation.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

namespace {
double cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}
} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s REG.gpkg\n", argv[0]);
        return 2;
    }
    using clock = std::chrono::steady_clock;
    try {
        const auto t0 = clock::now();
        const double c0 = cpu_seconds();
        const fuelmap::Registry registry = fuelmap::read_registry(argv[1]);
        const auto t1 = clock::now();
        const double c1 = cpu_seconds();
        const std::vector<fuelmap::Finding> findings = fuelmap::validate_registry(registry);
        const auto t2 = clock::now();
        const double c2 = cpu_seconds();

        std::size_t tanks = 0, dispensers = 0, nozzles = 0;
        for (const fuelmap::Site& s : registry.sites()) {
            tanks += s.tanks.size();
            dispensers += s.dispensers.size();
            nozzles += s.nozzles.size();
        }
        rusage usage{};
        ::getrusage(RUSAGE_SELF, &usage);
        const double load = std::chrono::duration<double>(t1 - t0).count();
        const double validate = std::chrono::duration<double>(t2 - t1).count();
        std::printf("stations %zu tanks %zu dispensers %zu nozzles %zu\n", registry.size(), tanks, dispensers,
                    nozzles);
        std::printf("findings %zu\n", findings.size());
        std::printf("hardware_threads %u\n", std::thread::hardware_concurrency());
        std::printf("load_seconds %.3f\n", load);
        std::printf("validate_seconds %.3f\n", validate);
        std::printf("load_plus_validate_seconds %.3f\n", load + validate);
        // CPU time (user + system) tells the work apart from waiting on a busy machine.
        std::printf("load_cpu_seconds %.3f\n", c1 - c0);
        std::printf("validate_cpu_seconds %.3f\n", c2 - c1);
        std::printf("peak_rss_mib %.1f\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
        return 2;
    }
    return 0;
}
