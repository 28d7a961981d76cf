// SPDX-License-Identifier: MIT
/// @file design.hpp
/// @brief The design of a sampling round: a JSON file whose keys say what to draw. Parsed strictly:
/// an unknown key or a value of the wrong type or range is an InputError naming the file and key.
/// See docs/sampling.md, "Design file".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// One inspector of the inspectors list.
struct Inspector {
    std::string id;       ///< inspector id, unique
    std::string name;     ///< name, UTF-8
    std::string district; ///< county-level code of the inspector's own unit/district
    std::string role;     ///< role, matched against the design's team_roles
    std::string base_lon; ///< longitude of the inspector's base, decimal degrees as written ("" none)
    std::string base_lat; ///< latitude of the inspector's base, decimal degrees as written ("" none)
    std::vector<std::string> unavailable; ///< dates "YYYY-MM-DD" the inspector cannot be scheduled
};

/// One place every team starts its routes from and returns to (the office).
struct Depot {
    std::string lon; ///< decimal degrees as written, at most 6 decimals
    std::string lat; ///< decimal degrees as written, at most 6 decimals
};

/// The window in which visits are dated.
struct VisitWindow {
    std::string start;                 ///< first day, "YYYY-MM-DD"
    std::string end;                   ///< last day, "YYYY-MM-DD" (inclusive)
    std::vector<std::string> holidays; ///< days skipped, "YYYY-MM-DD"
    bool weekends = false;             ///< true: Saturdays and Sundays are working days
};

/// A parsed round design.
struct Design {
    std::string file;                              ///< where it was read from (for messages)
    std::string round;                             ///< round name, unique per registry
    std::string method = "tickets";                ///< "tickets" or "rfc3797"
    std::optional<std::int64_t> sample_size;       ///< stations drawn at random (besides certainty picks)
    std::optional<std::int64_t> budget;            ///< total money, in whole currency units
    std::optional<std::int64_t> cost_per_batch;    ///< cost of one batch (one grade at one station)
    std::vector<std::string> strata;               ///< station fields whose values form the stratum key
    std::string allocation = "proportional";       ///< "proportional", "volume" or "equal"
    std::string volume_field = "annual_volume_m3"; ///< measure of the "volume" allocation
    std::int64_t min_per_stratum = 0;              ///< least stations per stratum (capped at its size)
    std::string weight_field;                      ///< station field with integer risk weights ("" none)
    std::vector<std::string> certainty;            ///< station ids always selected
    std::string certainty_from_round; ///< stations that failed in this recorded round are certain
    std::string certainty_from_cases; ///< "YYYY-MM-DD": stations under a case, or whose re-check failed, then
    std::vector<std::string> exclude; ///< station ids never selected
    std::vector<std::string> grades;  ///< grade codes to sample (empty: every grade sold)
    std::vector<Inspector> inspectors;        ///< inspectors (empty: no teams)
    std::int64_t team_size = 2;               ///< inspectors per team (>= 2)
    std::optional<std::int64_t> workload_cap; ///< most stations per inspector
    std::optional<VisitWindow> window;        ///< dating window (none: no dates)
    std::vector<std::string> team_roles;      ///< roles every team needs at least one member of
    std::int64_t stations_per_day = 0;        ///< most stations of one team-day route (0: no schedule)
    std::optional<Depot> depot;               ///< base of every team (none: the members' bases)
    std::string canonical_json;               ///< the design as canonical JSON (inspectors inlined)
};

/// Parses a design from JSON text. Inspectors given as a CSV path are read relative to
/// @p base_dir. @p file names the design in messages. @throws InputError naming file and key.
[[nodiscard]] Design parse_design(std::string_view json_text, const std::string& file,
                                  const std::filesystem::path& base_dir);

/// Reads a design file. @throws InputError naming the file and key when it is malformed.
[[nodiscard]] Design read_design(const std::filesystem::path& path);

/// Reads an inspectors CSV (UTF-8, header "id,name,district,role", optionally followed by any of
/// "base_lon", "base_lat", "unavailable" (dates separated by spaces); "unit" is accepted for
/// "district"; fields may be double-quoted). @throws InputError naming the file, line and field.
[[nodiscard]] std::vector<Inspector> read_inspectors_csv(const std::filesystem::path& path);

/// True when @p date is a valid Gregorian date written "YYYY-MM-DD".
[[nodiscard]] bool is_iso_date(std::string_view date) noexcept;

} // namespace fuelmap
