// SPDX-License-Identifier: MIT
/// @file synth.hpp
/// @brief Synthetic registries: plausible stations with full site layouts spread over real
/// county-level regions of China, deterministic for a given seed. See docs/synth.md.
#pragma once

#include <fuelmap/progress.hpp>
#include <fuelmap/registry.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fuelmap {

/// A real county-level region (district, county or county-level city) that synthetic stations
/// are placed in, with its GB/T 2260 codes and an approximate centre.
struct SynthRegion {
    std::string county;        ///< county-level code, e.g. "370602"
    std::string county_name;   ///< e.g. "芝罘区"
    std::string city;          ///< prefecture-level code, e.g. "370600"
    std::string city_name;     ///< e.g. "烟台市"
    std::string province;      ///< province-level code, e.g. "370000"
    std::string province_name; ///< e.g. "山东省"
    std::int64_t lon_e6 = 0;   ///< approximate centre, micro-degrees east
    std::int64_t lat_e6 = 0;   ///< approximate centre, micro-degrees north
    int west_km = 6;           ///< stations lie up to this far west of the centre (keeps them ashore)
    int east_km = 6;           ///< … east
    int south_km = 6;          ///< … south
    int north_km = 6;          ///< … north
    int weight = 3;            ///< relative share of the stations
};

/// Which regions stations are spread over.
enum class SynthScope {
    automatic, ///< Yantai up to `yantai_capacity` stations, national above
    yantai,    ///< the 11 county-level regions of 烟台市 (370600) only
    national,  ///< every region of synth_regions(SynthScope::national)
};

/// What to synthesize.
struct SynthOptions {
    std::size_t stations = 30;                ///< number of stations (>= 1)
    std::uint64_t seed = 1;                   ///< same seed, same registry, on every machine
    SynthScope scope = SynthScope::automatic; ///< regions to use
};

/// Largest station count that SynthScope::automatic keeps in Yantai.
inline constexpr std::size_t yantai_capacity = 1100;

/// Most stations one region can hold (station ids are "CCCCCC-NNNN").
inline constexpr std::size_t max_stations_per_region = 9999;

/// The regions of a scope (automatic means national here), in a fixed order.
[[nodiscard]] std::span<const SynthRegion> synth_regions(SynthScope scope);

/// Parses "auto", "yantai" or "national"; std::nullopt otherwise.
[[nodiscard]] std::optional<SynthScope> parse_synth_scope(std::string_view s) noexcept;

/// Builds a registry of @p options.stations plausible stations with full layouts (2–8 tanks,
/// 2–8 dispensers, 4–32 nozzles, blends and manifold groups, site outlines), every one of which
/// validates without any finding. A pure function of @p options: identical on every machine.
/// @p progress is called with (stations done, total).
/// @throws UsageError when the count is 0 or too large for the regions of the scope.
[[nodiscard]] Registry synthesize(const SynthOptions& options, const ProgressFn& progress = {});

} // namespace fuelmap
