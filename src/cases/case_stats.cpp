// SPDX-License-Identifier: MIT
// Case outcomes per round and stratum.
#include <fuelmap/case_rules.hpp>
#include <fuelmap/case_stats.hpp>

#include <algorithm>
#include <map>

namespace fuelmap {

namespace {

void count(CaseCounts& row, const Case& c) {
    const CaseStatus st = case_status(c);
    ++row.opened;
    row.open += st.closed ? 0 : 1;
    row.not_confirmed += st.outcome == "not-confirmed" ? 1 : 0;
    row.rectified += st.outcome == "rectified" ? 1 : 0;
    row.referred += st.outcome == "referred" ? 1 : 0;
    row.failed_recheck += st.outcome == "failed-recheck" ? 1 : 0;
    row.penalties += std::any_of(c.steps.begin(), c.steps.end(),
                                 [](const CaseStep& s) { return s.kind == CaseStepKind::penalty; })
                         ? 1
                         : 0;
}

} // namespace

RoundCaseStats case_statistics(const Plan& plan, std::span<const Case> cases) {
    RoundCaseStats stats;
    stats.round = plan.round;
    stats.overall.key = "all";
    std::map<std::string, std::string> stratum_of;
    for (const Selection& s : plan.selections)
        stratum_of[s.station_id] = s.stratum;
    std::map<std::string, CaseCounts> strata;
    for (const Case& c : cases) {
        if (c.round != plan.round)
            continue;
        const auto it = stratum_of.find(c.station_id);
        const std::string key = it == stratum_of.end() ? "(not selected)" : it->second;
        count(stats.overall, c);
        CaseCounts& row = strata[key];
        row.key = key;
        count(row, c);
    }
    for (auto& [key, row] : strata)
        stats.strata.push_back(row);
    return stats;
}

} // namespace fuelmap
