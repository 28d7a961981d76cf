// SPDX-License-Identifier: MIT
/// @file site_page.hpp
/// @brief Private: what the published round's page shows, and the writers of its HTML and map.
#pragma once

#include <fuelmap/audit.hpp>
#include <fuelmap/case.hpp>
#include <fuelmap/case_stats.hpp>
#include <fuelmap/lab_result.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/publish.hpp>
#include <fuelmap/round_stats.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// A selected station as the page shows it.
struct SiteStation {
    std::string name;               ///< the station's name
    std::string county;             ///< county-level code
    std::string address;            ///< postal address
    std::optional<double> lon, lat; ///< WGS84 position, when known
};

/// The result of one planned sample (station and grade) once lab results exist.
struct SiteSampleResult {
    std::vector<const LabResult*> results; ///< the nozzle sample's results
    std::string verdict;                   ///< the audit class of the sampled nozzle ("" = none)
};

/// Everything the page shows. Before the reveal only the committed part is set.
struct SiteContent {
    std::string lang = "zh";     ///< default language
    std::string round;           ///< round name
    bool revealed = false;       ///< false: the site before the reveal
    std::string design_json;     ///< canonical design
    std::string design_digest;   ///< SHA-256 of design_json
    std::string commitment;      ///< the seed commitment
    std::string registry_digest; ///< the frame digest
    // After the reveal:
    std::string seed;                                   ///< the revealed seed (or RFC 3797 key string)
    std::string frame_text;                             ///< the published frame text
    std::string plan_text;                              ///< the plan file, byte for byte
    Plan plan;                                          ///< the plan
    std::map<std::string, std::string> inspector_names; ///< inspector id -> name
    std::map<std::string, SiteStation> stations;        ///< selected stations by id
    std::map<std::string, SiteSampleResult> results;    ///< by nozzle sample id (when any)
    std::vector<LabResult> lab;                         ///< lab results of the round's samples
    std::optional<RoundStats> stats;                    ///< round statistics, once lab results exist
    std::string stats_svg;                              ///< their plot
    std::vector<Case> cases;                            ///< the round's follow-up cases, in recording order
    std::optional<RoundCaseStats> case_stats;           ///< their outcomes, once any case is open
    std::vector<PublishedFile> downloads;               ///< data files with their SHA-256
};

/// The page (index.html).
[[nodiscard]] std::string site_html(const SiteContent& content);

/// An inline SVG map of the plan: the selected stations and each team-day route from its base.
[[nodiscard]] std::string site_map_svg(const SiteContent& content);

/// @p s escaped for HTML text and attribute values.
[[nodiscard]] std::string html_escape(std::string_view s);

} // namespace fuelmap::detail
