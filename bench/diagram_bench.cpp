// SPDX-License-Identifier: MIT
// Site diagram benchmarks (Google Benchmark): station SVGs per second on one core (layout + SVG
// text, the whole per-station work of `fuelmap diagram`), the same for the busiest synthetic
// stations only, and one 100-station route written as a single PDF.
#include <fuelmap/diagram.hpp>
#include <fuelmap/synth.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

namespace {

const fuelmap::Registry& registry() {
    static const fuelmap::Registry r = fuelmap::synthesize({.stations = 1000, .seed = 11});
    return r;
}

// The synthetic stations with the most nozzles (up to 8 tanks and 32 nozzles).
const std::vector<const fuelmap::Site*>& busiest() {
    static const std::vector<const fuelmap::Site*> sites = [] {
        std::vector<const fuelmap::Site*> v;
        for (const fuelmap::Site& s : registry().sites())
            v.push_back(&s);
        std::stable_sort(v.begin(), v.end(), [](const fuelmap::Site* a, const fuelmap::Site* b) {
            return a->nozzles.size() > b->nozzles.size();
        });
        v.resize(50);
        return v;
    }();
    return sites;
}

void station_svg(benchmark::State& state) {
    const auto& sites = registry().sites();
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const fuelmap::Site& site = sites[i++ % sites.size()];
        const std::string svg = fuelmap::to_svg(fuelmap::layout_station(site, registry().grades(), {}));
        bytes += svg.size();
        benchmark::DoNotOptimize(svg.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(station_svg)->Unit(benchmark::kMicrosecond);

void busiest_station_svg(benchmark::State& state) {
    const auto& sites = busiest();
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string svg =
            fuelmap::to_svg(fuelmap::layout_station(*sites[i++ % sites.size()], registry().grades(), {}));
        benchmark::DoNotOptimize(svg.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["nozzles"] = static_cast<double>(sites.front()->nozzles.size());
}
BENCHMARK(busiest_station_svg)->Unit(benchmark::kMicrosecond);

void route_pdf_100(benchmark::State& state) {
    const auto& sites = registry().sites();
    const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                      ("fuelmap-bench-route-" + std::to_string(::getpid()) + ".pdf");
    for (auto _ : state) {
        std::vector<fuelmap::DiagramPage> pages;
        for (std::size_t i = 0; i < 100; ++i) {
            fuelmap::DiagramPlanOverlay overlay;
            overlay.selection.station_id = sites[i].station.station_id;
            overlay.selection.team = {"INS-001", "INS-002"};
            overlay.selection.date = "2026-11-24";
            overlay.stop = static_cast<int>(i + 1);
            overlay.stops = 100;
            pages.push_back(fuelmap::layout_station(sites[i], registry().grades(), {}, &overlay));
        }
        fuelmap::write_pdf(pages, out);
    }
    state.counters["pages"] = 100;
    std::filesystem::remove(out);
}
BENCHMARK(route_pdf_100)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
