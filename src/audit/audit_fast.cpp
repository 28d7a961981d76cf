// SPDX-License-Identifier: MIT
// The audit's common case (audit_site.hpp): a station whose every observation agrees with its
// declaration, in one pass. It must give exactly what the general rules of audit.cpp give.
#include "audit/audit_site.hpp"

#include <algorithm>

namespace fuelmap::detail {

bool audit_agreeing_site(const Site& site, std::span<const detail::ObservationView* const> observations,
                         std::span<const LabResult* const> results, bool of_station, Scratch& s,
                         FindingSlots& out) {
    const std::string& sid = site.station.station_id;
    for (const LabResult* r : results)
        if (of_station || r->station_id == sid)
            return false;
    const std::size_t n = site.nozzles.size();
    // Group the observations by nozzle (the first nozzle with the number, in observation order).
    s.begin.assign(n + 1, 0);
    s.nozzle_of.clear();
    for (const detail::ObservationView* o : observations) {
        std::uint32_t idx = no_index;
        if (of_station || o->station_id == sid)
            for (std::size_t i = 0; i < n; ++i)
                if (same(site.nozzles[i].nozzle_no, o->nozzle_no)) {
                    idx = static_cast<std::uint32_t>(i);
                    ++s.begin[i + 1];
                    break;
                }
        s.nozzle_of.push_back(idx);
    }
    for (std::size_t i = 0; i < n; ++i)
        s.begin[i + 1] += s.begin[i];
    s.cursor.assign(s.begin.begin(), s.begin.end() - 1);
    s.by_nozzle.resize(s.begin[n]);
    for (std::size_t k = 0; k < observations.size(); ++k)
        if (s.nozzle_of[k] != no_index)
            s.by_nozzle[s.cursor[s.nozzle_of[k]]++] = observations[k];

    static const std::string agrees_message = "evidence agrees with the declaration";
    static const std::string unverified_message = "no observation and no sample";
    const std::size_t first = out.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Nozzle& nz = site.nozzles[i];
        const auto obs = std::span(s.by_nozzle).subspan(s.begin[i], s.begin[i + 1] - s.begin[i]);
        s.seen.clear();
        for (const detail::ObservationView* o : obs)
            s.seen.insert(s.seen.end(), o->observed_tanks.begin(), o->observed_tanks.end());
        AuditFinding& f = out.add();
        f.station_id = sid;
        f.element_kind = "nozzle";
        f.element_no = nz.nozzle_no;
        f.grade = nz.grade;
        f.position = position_or(nz.position, site);
        if (s.seen.empty()) {
            f.cls = AuditClass::unverified;
            f.message = unverified_message;
            f.evidence.clear();
            continue;
        }
        if (s.seen.size() > 1) {
            std::sort(s.seen.begin(), s.seen.end());
            s.seen.erase(std::unique(s.seen.begin(), s.seen.end()), s.seen.end());
        }
        bool agrees = s.seen.size() == nz.supply.size();
        if (agrees) {
            s.legs.clear();
            for (const SupplyLeg& l : nz.supply)
                s.legs.emplace_back(l.tank_no);
            std::sort(s.legs.begin(), s.legs.end());
            agrees = s.legs == s.seen;
        }
        for (std::size_t t = 0; agrees && t < s.seen.size(); ++t)
            agrees = std::any_of(site.tanks.begin(), site.tanks.end(),
                                 [&](const Tank& tank) { return same(tank.tank_no, s.seen[t]); });
        if (!agrees) {
            out.truncate(first);
            return false;
        }
        f.cls = AuditClass::consistent;
        f.message = agrees_message;
        f.evidence.resize(1); // keeps the capacity of a reused slot's first line
        std::string& e = f.evidence.front();
        e.clear();
        e.reserve(96 * obs.size());
        for (std::size_t k = 0; k < obs.size(); ++k) {
            if (k)
                e += "; ";
            append_description(e, *obs[k]);
        }
        e += ": agrees with the declared supply ";
        for (std::size_t l = 0; l < nz.supply.size(); ++l) {
            if (l)
                e += '+';
            e += nz.supply[l].tank_no;
        }
    }
    return true;
}

} // namespace fuelmap::detail
