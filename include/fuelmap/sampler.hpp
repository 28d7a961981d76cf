// SPDX-License-Identifier: MIT
/// @file sampler.hpp
/// @brief The draw: a plan as a pure function of (registry, design, seed). Strata, allocation,
/// budget, risk weights (Pareto order sampling in exact arithmetic), certainty set, exclusions,
/// nozzle choice, teams and dates. Specified in docs/sampling.md.
#pragma once

#include <fuelmap/design.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fuelmap {

/// Version of the draw algorithm written into every plan.
inline constexpr const char* sampling_algorithm_version = "fuelmap-sampling-2";
/// Version of the plan file format.
inline constexpr const char* plan_format_version = "2";

/// What the draw reads from the registry besides stations and nozzles.
struct DrawContext {
    std::string registry_file; ///< registry path, for messages
    /// Per station: the team (sorted inspector ids) of its last visit in a plan recorded before
    /// this round.
    std::map<std::string, std::vector<std::string>> last_teams;
    /// Stations that failed in the design's certainty_from_round.
    std::vector<std::string> failed_stations;
    /// Stations under a follow-up case, or whose re-check failed, as of the design's
    /// certainty_from_cases date (case_certainty_stations(), ascending).
    std::vector<std::string> case_stations;
};

/// Reads the context of a draw from a registry: teams of plans recorded before @p design's round
/// (recorded order; plans from the round itself on are ignored) and the failures of
/// certainty_from_round. @throws InputError when the registry cannot be read or the failures are
/// not available.
[[nodiscard]] DrawContext load_draw_context(const std::filesystem::path& registry, const Design& design);

/// A stratum as the allocation sees it.
struct StratumMeasure {
    std::string key;             ///< stratum key (ties are broken by ascending key)
    std::int64_t population = 0; ///< stations available
    std::int64_t measure = 0;    ///< size measure (stations, 1, or volume)
};

/// Allocates @p n stations over strata: each first gets min(@p min_per_stratum, population); the
/// rest in proportion to the measure, capped at the population, rounded by largest remainder
/// (ties: ascending key). @throws InputError (field "min_per_stratum") when the minimums exceed
/// @p n, and Error when @p n exceeds the total population.
[[nodiscard]] std::vector<std::int64_t> allocate(std::int64_t n, const std::vector<StratumMeasure>& strata,
                                                 std::int64_t min_per_stratum);

/// SHA-256 hex of the canonical frame text: exactly the registry content the draw reads.
/// @throws InputError when the design names fields no station has.
[[nodiscard]] std::string frame_digest(const Registry& registry, const Design& design,
                                       const DrawContext& context);

/// The canonical frame text whose SHA-256 is frame_digest() (for auditors and tests).
[[nodiscard]] std::string frame_text(const Registry& registry, const Design& design,
                                     const DrawContext& context);

/// Draws the plan. @throws InputError naming the design file and key (or the registry, station and
/// field) when the design cannot be carried out on this registry.
[[nodiscard]] Plan draw_plan(const Registry& registry, const Design& design, const std::string& seed,
                             const DrawContext& context);

/// How the functions below read the frame of a registry file.
struct FrameReadOptions {
    /// true: use the registry's layout cache when it is intact (docs/registry.md, "Layout cache").
    /// false: build the frame from the stations, nozzles and supplies tables only and never read
    /// the cache, as an independent implementation would: for an auditor who does not trust
    /// whoever wrote the file (the cache guards against edits, not against forgery).
    bool use_layout_cache = true;
};

/// The registry digest of a registry file for @p design (what `plan --frame-digest` prints); equal
/// to frame_digest() of the registry read into memory, but streamed. @throws InputError.
[[nodiscard]] std::string frame_digest(const std::filesystem::path& registry, const Design& design,
                                       const FrameReadOptions& options = {});

/// Draws the plan straight from a registry file (reads only what the draw needs: station fields,
/// the nozzles and supplies streamed for the digest, and the layouts of the stations drawn).
/// Same result as draw_plan(read_registry(registry), design, seed, load_draw_context(...)).
/// @throws InputError as draw_plan().
[[nodiscard]] Plan draw_plan(const std::filesystem::path& registry, const Design& design,
                             const std::string& seed, const FrameReadOptions& options = {});

} // namespace fuelmap
