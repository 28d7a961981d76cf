// SPDX-License-Identifier: MIT
// Micro-benchmarks (Google Benchmark) of the per-station work: synthesizing, building the station
// graph, validating, and reading a registry file. The national-scale workload is bench/national.sh.
#include <fuelmap/registry_file.hpp>
#include <fuelmap/station_graph.hpp>
#include <fuelmap/synth.hpp>
#include <fuelmap/validation.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

namespace {

const fuelmap::Registry& sample() {
    static const fuelmap::Registry registry = fuelmap::synthesize({.stations = 2000, .seed = 1});
    return registry;
}

void synthesize_stations(benchmark::State& state) {
    for (auto _ : state) {
        fuelmap::Registry r =
            fuelmap::synthesize({.stations = static_cast<std::size_t>(state.range(0)), .seed = 7});
        benchmark::DoNotOptimize(r.size());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(synthesize_stations)->Arg(1000);

void build_station_graph(benchmark::State& state) {
    const auto& sites = sample().sites();
    std::size_t i = 0;
    for (auto _ : state) {
        fuelmap::StationGraph g(sites[i++ % sites.size()]);
        benchmark::DoNotOptimize(g.graph().m_vertices.size());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(build_station_graph);

void validate_site(benchmark::State& state) {
    const auto& registry = sample();
    std::size_t i = 0;
    for (auto _ : state) {
        auto findings = fuelmap::validate_site(registry.sites()[i++ % registry.size()], registry.grades());
        benchmark::DoNotOptimize(findings.data());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(validate_site);

void read_registry_file(benchmark::State& state) {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("fuelmap-bench-" + std::to_string(::getpid()) + ".gpkg");
    fuelmap::create_registry(path, sample());
    for (auto _ : state) {
        fuelmap::Registry r = fuelmap::read_registry(path);
        benchmark::DoNotOptimize(r.size());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sample().size()));
    std::filesystem::remove(path);
}
BENCHMARK(read_registry_file)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
