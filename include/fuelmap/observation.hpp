// SPDX-License-Identifier: MIT
/// @file observation.hpp
/// @brief On-site checks of nozzle→tank links ("verified links"): which tank(s) inspectors saw a
/// nozzle draw from, how, who and when. Import format and rules: docs/audit.md.
#pragma once

#include <fuelmap/error.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

class Registry;

/// How a link was checked on site.
enum class LinkMethod { dispense_and_watch_gauge, valve_isolation, pipe_tracing, sample_match };

/// "dispense_and_watch_gauge", "valve_isolation", "pipe_tracing" or "sample_match".
[[nodiscard]] std::string_view to_string(LinkMethod m) noexcept;
/// Parses a method name; std::nullopt when unknown.
[[nodiscard]] std::optional<LinkMethod> parse_link_method(std::string_view s) noexcept;

/// One observed link: nozzle @c nozzle_no of station @c station_id was seen drawing from
/// @c observed_tanks (one tank, or several: a blend or a manifold).
struct Observation {
    std::string station_id;                       ///< registry code
    std::string nozzle_no;                        ///< painted nozzle number
    std::vector<std::string> observed_tanks;      ///< tank numbers, as written ("T1+T2")
    LinkMethod method = LinkMethod::pipe_tracing; ///< how it was checked
    std::vector<std::string> inspectors;          ///< inspector ids ("I01;I07")
    std::string observed_at;                      ///< ISO 8601 date or date-time
    Location origin{};                            ///< where it was read (file, line or fid)
};

/// True for "YYYY-MM-DD" naming a real day of the Gregorian calendar (2026-02-30 is none; leap
/// years count), optionally followed by "Thh:mm[:ss[.fff]]" and "Z" or "±hh:mm".
[[nodiscard]] bool is_iso8601(std::string_view s) noexcept;

/// Checks observations against the registry: known station, known nozzle, non-empty distinct
/// tank numbers (a tank the station never declared is allowed: that is a hidden-tank finding),
/// at least one inspector, an ISO 8601 time. @throws InputError at the observation's origin naming
/// the feature and the field.
void check_observations(const std::vector<Observation>& observations, const Registry& registry);

/// Reads observations from a CSV file or any GDAL vector source with the columns station_id,
/// nozzle_no, observed_tanks, method, inspectors, observed_at. @throws InputError naming the
/// file, the line (CSV) or feature id, and the field of the first malformed row.
[[nodiscard]] std::vector<Observation> read_observation_file(const std::filesystem::path& path);

/// Checks @p observations against the registry and stores them in table fuelmap_observations with
/// one ledger entry each, in one transaction: all or nothing. Returns the number stored.
/// @throws InputError on any bad row, or when an observation is already recorded; the registry
/// is then unchanged (byte for byte).
std::size_t record_observations(const std::filesystem::path& registry,
                                const std::vector<Observation>& observations);

/// The observations recorded in a registry, in the order they were stored (empty when none).
/// @throws InputError when the file is not a registry.
[[nodiscard]] std::vector<Observation> read_recorded_observations(const std::filesystem::path& registry);

} // namespace fuelmap
