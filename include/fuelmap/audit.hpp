// SPDX-License-Identifier: MIT
/// @file audit.hpp
/// @brief The audit: a station's declared nozzle→tank links against on-site observations and lab
/// results of paired nozzle/tank samples; every nozzle (and every sampled tank) gets classified
/// findings with their evidence. Pure functions on in-memory data; the rules are in docs/audit.md.
#pragma once

#include <fuelmap/geo.hpp>
#include <fuelmap/lab_result.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/precision.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

class Registry;
class GradeTable;
struct Site;

/// What a finding says about an element.
enum class AuditClass {
    consistent,       ///< evidence agrees with the declaration
    cross_connection, ///< the nozzle draws from a tank of another grade than its label
    transposition,    ///< two nozzles' tanks are swapped
    hidden_tank,      ///< the nozzle was seen drawing from a tank the station never declared
    mislabelled_tank, ///< a tank sample does not fit the tank's declared grade (beyond the guard band)
    different_fuel,   ///< nozzle and claimed-tank samples differ by more than r (R for two labs)
    non_conforming,   ///< a nozzle result is beyond its grade's limit by more than 0.59·R
    inconclusive,     ///< a result is beyond a limit but within the guard band: resample
    unverified,       ///< no observation and no sample
};

/// "consistent", "cross-connection", "transposition", "hidden-tank", "mislabelled-tank",
/// "different-fuel", "non-conforming", "inconclusive" or "unverified".
[[nodiscard]] std::string_view to_string(AuditClass c) noexcept;

/// All classes, in declaration order.
[[nodiscard]] std::span<const AuditClass> all_audit_classes() noexcept;

/// Critical classes make `fuelmap audit` exit 1: cross-connection, transposition, hidden tank,
/// mislabelled tank, different fuel and non-conforming.
[[nodiscard]] bool is_critical(AuditClass c) noexcept;

/// Classes that make a station "failed" in a round (and so a certainty pick of the next round):
/// non-conforming, cross-connection, hidden tank, transposition and mislabelled tank.
[[nodiscard]] bool is_failure(AuditClass c) noexcept;

/// Structural classes rest on what was seen on site of the plumbing (which tank a nozzle draws
/// from), not on a lab result: cross-connection, transposition and hidden tank. A retest of a
/// reserve sample cannot refute them (docs/cases.md).
[[nodiscard]] bool is_structural(AuditClass c) noexcept;

/// One classified finding about one nozzle or tank.
struct AuditFinding {
    std::string station_id;                  ///< the station
    std::string element_kind;                ///< "nozzle" or "tank"
    std::string element_no;                  ///< painted number
    std::string grade;                       ///< labelled (nozzle) or declared (tank) grade
    AuditClass cls = AuditClass::unverified; ///< the classification
    std::string message;                     ///< one line in plain words
    std::vector<std::string> evidence;       ///< the observations and results it rests on
    std::optional<GeoPoint> position;        ///< where to draw it (element, else station)
};

/// Which stations to audit.
struct AuditOptions {
    std::vector<std::string> stations; ///< these (in this order: sorted by id); empty: see below
    bool all_stations = false;         ///< every registry station; otherwise those with evidence
};

/// Findings of a whole audit.
struct AuditReport {
    std::size_t stations = 0;           ///< stations audited
    std::vector<AuditFinding> findings; ///< by station id, then nozzles and tanks in registry order
    /// Number of findings of a class.
    [[nodiscard]] std::size_t count(AuditClass c) const noexcept;
    /// True when a critical finding exists.
    [[nodiscard]] bool has_critical() const noexcept;
};

/// Receives an audit's findings station by station, as they are made: a national audit has
/// millions of findings, which a sink can write out instead of keeping.
class AuditSink {
public:
    virtual ~AuditSink() = default;
    /// Called once, before any findings, with the number of stations that will be audited and
    /// of their nozzles (each nozzle gets at least one finding).
    virtual void begin(std::size_t stations, std::size_t nozzles) = 0;
    /// The findings of one station, in report order (see AuditReport::findings). They are valid
    /// during the call only; the sink may move them out.
    virtual void station(std::span<AuditFinding> findings) = 0;
};

/// Audits one site with its observations and lab results (those of other stations are ignored).
/// Never throws on evidence it cannot use: a result without precision data or limits becomes a
/// line of evidence saying so.
[[nodiscard]] std::vector<AuditFinding> audit_site(const Site& site, const GradeTable& grades,
                                                   std::span<const Observation* const> observations,
                                                   std::span<const LabResult* const> results,
                                                   const PrecisionTable& precision,
                                                   const GradeLimits& limits);

/// Audits the stations chosen by @p options. @throws InputError when a station of
/// @p options.stations is not in the registry.
[[nodiscard]] AuditReport audit(const Registry& registry, std::span<const Observation> observations,
                                std::span<const LabResult> results, const PrecisionTable& precision,
                                const GradeLimits& limits, const AuditOptions& options = {});

/// audit() without keeping the findings: they go to @p sink station by station.
/// @throws InputError as audit(), before anything reaches the sink.
void audit_each(const Registry& registry, std::span<const Observation> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink);

} // namespace fuelmap
