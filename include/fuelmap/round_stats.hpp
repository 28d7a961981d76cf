// SPDX-License-Identifier: MIT
/// @file round_stats.hpp
/// @brief What a sampling round found: batches sampled, passed and failed, pass rate and failure
/// discovery rate overall and per stratum, and from the random part of the plan only a
/// Horvitz–Thompson estimate of the share of failing stations in the frame with a confidence
/// interval. Definitions and the variance estimator: docs/audit.md.
#pragma once

#include <fuelmap/audit.hpp>
#include <fuelmap/plan.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// Counts and rates of one group of selected stations (all, one stratum, the random or the
/// certainty picks).
struct RateRow {
    std::string key;                      ///< "all", a stratum key, "random" or "certainty"
    std::size_t stations_selected = 0;    ///< stations of the plan in the group
    std::size_t stations_audited = 0;     ///< of those, stations with any evidence
    std::size_t stations_failed = 0;      ///< audited stations with a failure (is_failure())
    std::size_t batches_planned = 0;      ///< planned samples (one per grade per station)
    std::size_t batches_sampled = 0;      ///< planned samples with a nozzle lab result
    std::size_t batches_passed = 0;       ///< sampled batches without a non-conforming finding
    std::size_t batches_failed = 0;       ///< sampled batches with a non-conforming nozzle finding
    std::size_t batches_inconclusive = 0; ///< passed batches with an inconclusive result (resample)
    /// batches_passed / batches_sampled (0 when nothing was sampled).
    [[nodiscard]] double pass_rate() const noexcept;
    /// stations_failed / stations_audited (0 when nothing was audited).
    [[nodiscard]] double failure_discovery_rate() const noexcept;
};

/// Horvitz–Thompson estimate of the share of failing stations in the random frame.
struct HtEstimate {
    std::size_t picks = 0;              ///< random picks audited (used)
    std::size_t missing = 0;            ///< random picks without evidence (left out, see docs)
    std::string total;                  ///< Σ y/π as an exact rational "p/q"
    std::int64_t frame = 0;             ///< N: stations of the random frame (Σ stratum populations)
    bool frame_estimated = false;       ///< true when N had to be estimated as Σ 1/π
    double share = 0.0;                 ///< total / N
    double standard_error = 0.0;        ///< √v / N
    double ci_low = 0.0;                ///< max(0, share − 1.96·se)
    double ci_high = 0.0;               ///< min(1, share + 1.96·se)
    std::size_t single_pick_strata = 0; ///< strata with one pick (no variance contribution)
};

/// Statistics of one round.
struct RoundStats {
    std::string round;                  ///< round name
    RateRow overall;                    ///< every selected station
    std::vector<RateRow> strata;        ///< per stratum, by key
    RateRow random_part;                ///< random picks
    RateRow certainty_part;             ///< certainty (and any non-random) picks, reported apart
    std::optional<HtEstimate> estimate; ///< from the random part; empty when it has no audited pick
};

/// Parses an inclusion probability "p/q" (or "1") into numerator and denominator.
/// @throws InputError naming the station when it is not a rational in (0, 1].
void parse_probability(const std::string& text, const std::string& station_id, std::int64_t& num,
                       std::int64_t& den);

/// The statistics of a round from its plan, the audit of its stations and the lab results (a
/// batch counts as sampled when its nozzle sample id has a result). Pure.
/// @throws InputError when an inclusion probability is malformed.
[[nodiscard]] RoundStats round_statistics(const Plan& plan, const AuditReport& audit,
                                          std::span<const LabResult> results);

/// The statistics of a round recorded in a registry (audited with the shipped tables).
/// @throws InputError when the round has no recorded plan.
[[nodiscard]] RoundStats round_statistics(const std::filesystem::path& registry, const std::string& round);

/// A hand-written SVG: failure discovery rate per stratum of @p current (bars), and over
/// @p history (overall rate and the HT estimate with its interval, one point per round). Titles
/// and axis labels in @p lang: "zh" gives Chinese, anything else English.
[[nodiscard]] std::string stats_svg(const RoundStats& current, const std::vector<RoundStats>& history,
                                    std::string_view lang = "en");

} // namespace fuelmap
