// SPDX-License-Identifier: MIT
/// @file plan.hpp
/// @brief A sampling plan as published: which stations, and at each which grade, nozzle and
/// claimed tank(s) to sample, by which team, on which day. The canonical JSON form and the draw
/// that produces it are specified in docs/sampling.md.
#pragma once

#include <fuelmap/site.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// One grade to sample at a selected station: the nozzle drawn and the tank(s) it claims to draw
/// from, so that a paired tank sample can be taken.
struct PlannedSample {
    std::string grade;                        ///< grade code, e.g. "95#"
    std::string nozzle_no;                    ///< nozzle drawn (lowest ticket among those labelled)
    std::string nozzle_ticket;                ///< that nozzle's full-precision ticket
    std::string nozzle_sample_id;             ///< id written on the nozzle-outlet sample can
    std::vector<SupplyLeg> claimed_tanks;     ///< declared supply of that nozzle
    std::vector<std::string> tank_sample_ids; ///< one id per claimed tank, same order
    std::vector<std::string> alternates;      ///< further nozzles of the grade, in ticket order
};

/// One selected station.
struct Selection {
    std::string station_id;             ///< registry code
    std::string stratum;                ///< stratum key, e.g. "370602|major"
    std::string reason;                 ///< "certainty" or "random"
    std::string inclusion_probability;  ///< exact rational "p/q" (1 for certainty picks)
    std::string ticket;                 ///< full-precision station ticket
    std::vector<PlannedSample> samples; ///< grades to sample, in grade-code order
    std::vector<std::string> team;      ///< inspector ids, sorted
    std::string date;                   ///< visit date, ISO 8601 "YYYY-MM-DD"
};

/// A standing team of the round: drawn once, drives all its routes together.
struct Team {
    std::string name;                 ///< "T01", "T02", … in the order the teams were formed
    std::vector<std::string> members; ///< inspector ids, sorted (byte order)
    std::int64_t base_lon_e6 = 0;     ///< longitude of the team's base, microdegrees
    std::int64_t base_lat_e6 = 0;     ///< latitude of the team's base, microdegrees
};

/// One team-day: the stations a team visits on one date, in visiting order, from its base and back.
struct Route {
    std::string date;                  ///< "YYYY-MM-DD"
    std::string team;                  ///< team name
    std::vector<std::string> stations; ///< station ids in visiting order
    std::int64_t straight_m = 0;       ///< straight-line length of the closed tour, metres
    std::int64_t distance_m = 0;       ///< estimated road distance: straight_m × 13 / 10, floored
};

/// How one stratum fared in the draw.
struct StratumSummary {
    std::string stratum;         ///< stratum key
    std::int64_t population = 0; ///< stations of the random frame in the stratum
    std::int64_t certainty = 0;  ///< certainty picks in the stratum (outside the random frame)
    std::int64_t allocated = 0;  ///< stations drawn at random from it
};

/// A whole plan.
struct Plan {
    std::string format_version;         ///< plan format version
    std::string algorithm_version;      ///< draw algorithm version
    std::string round;                  ///< round name from the design
    std::string method;                 ///< "tickets" or "rfc3797"
    std::string registry_digest;        ///< SHA-256 of the canonical frame the draw read
    std::string seed;                   ///< revealed seed (empty when only the commitment is published)
    std::string seed_commitment;        ///< SHA-256 commitment of the seed
    std::int64_t ledger_entries = -1;   ///< ledger checkpoint when drawn: entry count (-1: none recorded)
    std::string ledger_head;            ///< ledger checkpoint when drawn: hash of that entry
    std::string design_json;            ///< the design as canonical JSON
    std::vector<StratumSummary> strata; ///< per stratum: population and allocation, by key
    std::vector<Team> teams;            ///< standing teams (empty without a schedule)
    std::vector<Route> routes;          ///< team-days by date, then team name
    std::vector<Selection> selections;  ///< selected stations, in route order
    std::string digest;                 ///< SHA-256 of the canonical plan without this field
};

/// Reads a plan JSON file. @throws InputError naming the file and the key when it is malformed.
[[nodiscard]] Plan read_plan(const std::filesystem::path& path);

/// The canonical JSON text of a plan (stable key order, UTF-8, LF, trailing newline).
[[nodiscard]] std::string plan_to_json(const Plan& plan);

/// Parses a plan from JSON text; @p file names it in messages. @throws InputError naming the key.
[[nodiscard]] Plan parse_plan(std::string_view json_text, const std::string& file);

/// The plan's digest: lowercase hex SHA-256 of plan_to_json() of the plan with an empty digest
/// (the "digest" key is then left out).
[[nodiscard]] std::string plan_digest(const Plan& plan);

/// Records a plan in a registry: a row of table fuelmap_plans and a ledger entry of kind "plan",
/// in one transaction. @throws InputError when the round is already recorded or the file is not a
/// registry.
void record_plan(const std::filesystem::path& registry, const Plan& plan);

/// record_plan() with the plan's canonical text already made: @p plan_json must be plan_to_json(plan).
/// @p before_commit, when given, runs inside the transaction once everything is written, just before
/// it is committed; what it throws leaves nothing recorded. @throws as record_plan(), and what
/// @p before_commit throws.
void record_plan(const std::filesystem::path& registry, const Plan& plan, const std::string& plan_json,
                 const std::function<void()>& before_commit = {});

/// Plans recorded in a registry (by `fuelmap plan -r`), oldest first. @throws InputError when the
/// file is not a registry.
[[nodiscard]] std::vector<Plan> read_recorded_plans(const std::filesystem::path& registry);

/// A recorded plan's round and digest, without its content.
struct RecordedRound {
    std::string round;  ///< the round
    std::string digest; ///< the digest of its recorded plan
};

/// The rounds recorded in a registry, oldest first: read_recorded_plans() without parsing every
/// plan. @throws InputError when the file is not a registry.
[[nodiscard]] std::vector<RecordedRound> read_recorded_rounds(const std::filesystem::path& registry);

} // namespace fuelmap
