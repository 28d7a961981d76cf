// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/validation.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace fuelmap {

std::string_view to_string(Severity s) noexcept {
    switch (s) {
    case Severity::warning:
        return "warning";
    case Severity::error:
        return "error";
    case Severity::critical:
        return "critical";
    }
    return "warning";
}

namespace {

// Fractions are decimal numbers in the source files; this tolerance absorbs their binary rounding.
constexpr double fraction_tolerance = 1e-9;

std::string fraction_text(double f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", f);
    return buf;
}

bool inside(const std::vector<LocalPoint>& ring, LocalPoint p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const LocalPoint& a = ring[i];
        const LocalPoint& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            in = !in;
    }
    return in;
}

class SiteChecker {
public:
    SiteChecker(const Site& site, const GradeTable& grades) : m_site(site), m_grades(grades) {}

    std::vector<Finding> run() {
        check_station();
        check_tanks();
        check_dispensers();
        check_nozzles();
        check_positions();
        return std::move(m_findings);
    }

private:
    void add(const char* code, Severity severity, std::string element, std::string message) {
        m_findings.push_back(
            {code, severity, m_site.station.station_id, std::move(element), std::move(message)});
    }

    const Grade* grade(const std::string& element, const std::string& code) {
        const Grade* g = m_grades.find(code);
        if (!g)
            add("FM-GRADE-UNKNOWN", Severity::error, element,
                code.empty() ? "no grade given" : "grade '" + code + "' is not in the grade table");
        return g;
    }

    void check_station() {
        const Station& s = m_site.station;
        if (!s.location)
            add("FM-POSITION-MISSING", Severity::warning, "station", "the station has no location");
        if (s.risk_weight < 1)
            add("FM-STATION-RISK-WEIGHT", Severity::error, "station",
                "risk weight " + std::to_string(s.risk_weight) + " is below 1");
        if (s.annual_volume_m3 < 0)
            add("FM-STATION-VOLUME", Severity::error, "station", "annual volume is negative");
        if (m_site.tanks.empty() && m_site.nozzles.empty())
            add("FM-STATION-NO-LAYOUT", Severity::warning, "station", "no tanks or nozzles are recorded");
    }

    void check_tanks() {
        std::map<std::string, std::vector<const Tank*>> groups;
        for (const Tank& t : m_site.tanks) {
            const std::string element = "tank " + t.tank_no;
            if (!m_tanks.emplace(t.tank_no, &t).second)
                add("FM-TANK-DUPLICATE", Severity::error, element,
                    "tank number '" + t.tank_no + "' is used twice");
            grade(element, t.grade);
            if (t.capacity_l <= 0)
                add("FM-TANK-CAPACITY", Severity::warning, element, "capacity is not recorded");
            if (!t.manifold_group.empty())
                groups[t.manifold_group].push_back(&t);
        }
        for (const auto& [group, members] : groups) {
            std::set<std::string> grades;
            for (const Tank* t : members)
                grades.insert(t->grade);
            if (grades.size() > 1) {
                std::string list;
                for (const Tank* t : members)
                    list += (list.empty() ? "" : ", ") + t->tank_no + " " + t->grade;
                add("FM-MANIFOLD-GRADE-MISMATCH", Severity::error, "tank " + members.front()->tank_no,
                    "manifold group '" + group + "' joins tanks of different grades (" + list + ")");
            }
        }
    }

    void check_dispensers() {
        for (const Dispenser& d : m_site.dispensers) {
            const std::string element = "dispenser " + d.dispenser_no;
            if (!m_dispensers.emplace(d.dispenser_no, &d).second)
                add("FM-DISPENSER-DUPLICATE", Severity::error, element,
                    "dispenser number '" + d.dispenser_no + "' is used twice");
            if (d.fuelling_points < 1 || d.fuelling_points > 4)
                add("FM-DISPENSER-FUELLING-POINTS", Severity::error, element,
                    std::to_string(d.fuelling_points) + " fuelling points (a dispenser has 1 to 4)");
        }
    }

    void check_nozzles() {
        std::unordered_set<std::string> nozzle_numbers;
        std::unordered_set<std::string> feeding;
        std::map<std::pair<std::string, int>, int> per_point;
        for (const Nozzle& n : m_site.nozzles) {
            const std::string element = "nozzle " + n.nozzle_no;
            if (!nozzle_numbers.insert(n.nozzle_no).second)
                add("FM-NOZZLE-DUPLICATE", Severity::error, element,
                    "nozzle number '" + n.nozzle_no + "' is used twice");
            auto d = m_dispensers.find(n.dispenser_no);
            if (d == m_dispensers.end()) {
                if (!m_site.dispensers.empty() || !n.dispenser_no.empty())
                    add("FM-NOZZLE-DISPENSER-UNKNOWN", Severity::error, element,
                        "dispenser '" + n.dispenser_no + "' is not recorded");
            } else if (n.fuelling_point < 1 || n.fuelling_point > d->second->fuelling_points) {
                add("FM-NOZZLE-FUELLING-POINT", Severity::error, element,
                    "fuelling point " + std::to_string(n.fuelling_point) + " does not exist on dispenser " +
                        n.dispenser_no + " (it has " + std::to_string(d->second->fuelling_points) + ")");
            }
            const Grade* label = grade(element, n.grade);
            for (const SupplyLeg& leg : n.supply)
                feeding.insert(leg.tank_no);
            check_supply(n, element, label);
        }
        for (const Tank& t : m_site.tanks)
            if (t.status == "in_service" && !feeding.count(t.tank_no))
                add("FM-TANK-FEEDS-NOTHING", Severity::warning, "tank " + t.tank_no,
                    "in-service tank feeds no nozzle (hidden, idle or undeclared links?)");
    }

    void check_supply(const Nozzle& n, const std::string& element, const Grade* label) {
        if (n.supply.empty()) {
            add("FM-NOZZLE-NO-SUPPLY", Severity::error, element, "no supply tank is declared");
            return;
        }
        if (n.supply.size() > 2) {
            add("FM-SUPPLY-TOO-MANY-TANKS", Severity::error, element,
                std::to_string(n.supply.size()) + " supply tanks (one, or two for a blend)");
            return;
        }
        std::vector<const Tank*> tanks;
        for (const SupplyLeg& leg : n.supply) {
            auto it = m_tanks.find(leg.tank_no);
            if (it == m_tanks.end()) {
                add("FM-SUPPLY-UNKNOWN-TANK", Severity::error, element,
                    "supply names tank '" + leg.tank_no + "', which is not declared");
                return;
            }
            tanks.push_back(it->second);
        }
        // A gasoline nozzle on a diesel tank (or the reverse) is the dangerous case.
        for (const Tank* t : tanks) {
            const Grade* tank_grade = m_grades.find(t->grade);
            if (label && tank_grade && label->family != tank_grade->family &&
                label->family != GradeFamily::other && tank_grade->family != GradeFamily::other)
                add("FM-SUPPLY-FAMILY-MISMATCH", Severity::critical, element,
                    std::string(to_string(label->family)) + " nozzle labelled " + n.grade + " draws from " +
                        std::string(to_string(tank_grade->family)) + " tank " + t->tank_no + " (" + t->grade +
                        ")");
        }
        if (tanks.size() == 1) {
            if (std::fabs(n.supply[0].fraction - 1.0) > fraction_tolerance)
                add("FM-SUPPLY-FRACTION", Severity::error, element,
                    "a single-tank supply has fraction " + fraction_text(n.supply[0].fraction) +
                        " (must be 1)");
            if (tanks[0]->grade != n.grade)
                add("FM-SUPPLY-LABEL-MISMATCH", Severity::error, element,
                    "labelled " + n.grade + " but draws from tank " + tanks[0]->tank_no + " declared " +
                        tanks[0]->grade);
            return;
        }
        if (tanks[0]->tank_no == tanks[1]->tank_no) {
            add("FM-BLEND-SAME-TANK", Severity::error, element,
                "a blend names tank " + tanks[0]->tank_no + " twice");
            return;
        }
        const double a = n.supply[0].fraction;
        const double b = n.supply[1].fraction;
        if (!(a > 0.0 && a < 1.0 && b > 0.0 && b < 1.0) || std::fabs(a + b - 1.0) > fraction_tolerance)
            add("FM-BLEND-FRACTION", Severity::error, element,
                "blend fractions " + fraction_text(a) + " + " + fraction_text(b) +
                    " must each lie in (0, 1) and sum to 1");
        const Grade* ga = m_grades.find(tanks[0]->grade);
        const Grade* gb = m_grades.find(tanks[1]->grade);
        if (!label || !ga || !gb)
            return;
        auto rl = blend_rank(*label);
        auto ra = blend_rank(*ga);
        auto rb = blend_rank(*gb);
        if (ga->family != gb->family || !rl || !ra || !rb || *rl < std::min(*ra, *rb) ||
            *rl > std::max(*ra, *rb))
            add("FM-BLEND-LABEL-OUT-OF-RANGE", Severity::error, element,
                "blend label " + n.grade + " does not lie between its components " + tanks[0]->grade +
                    " (tank " + tanks[0]->tank_no + ") and " + tanks[1]->grade + " (tank " +
                    tanks[1]->tank_no + ")");
    }

    void check_position(const std::string& element, const std::optional<GeoPoint>& p,
                        const std::vector<LocalPoint>& ring, const LocalFrame* frame) {
        if (!p) {
            add("FM-POSITION-MISSING", Severity::warning, element, "no position recorded");
            return;
        }
        if (!is_valid_wgs84(*p)) {
            add("FM-POSITION-INVALID", Severity::error, element, "coordinates out of the WGS84 range");
            return;
        }
        if (frame && !ring.empty() && !inside(ring, frame->to_local(*p)))
            add("FM-POSITION-OUTSIDE-SITE", Severity::error, element,
                "position lies outside the site outline");
    }

    void check_positions() {
        const Station& s = m_site.station;
        if (s.location && !is_valid_wgs84(*s.location))
            add("FM-POSITION-INVALID", Severity::error, "station", "coordinates out of the WGS84 range");
        std::optional<LocalFrame> frame;
        std::vector<LocalPoint> ring;
        if (!m_site.outline.empty()) {
            frame.emplace(m_site.outline.front());
            if (m_site.outline.size() < 3)
                add("FM-SITE-OUTLINE", Severity::error, "station",
                    "the site outline has fewer than 3 corners");
            else
                for (const GeoPoint& p : m_site.outline)
                    ring.push_back(frame->to_local(p));
        }
        const LocalFrame* f = frame ? &*frame : nullptr;
        for (const Tank& t : m_site.tanks)
            check_position("tank " + t.tank_no, t.position, ring, f);
        for (const Dispenser& d : m_site.dispensers)
            check_position("dispenser " + d.dispenser_no, d.position, ring, f);
        for (const Nozzle& n : m_site.nozzles)
            check_position("nozzle " + n.nozzle_no, n.position, ring, f);
    }

    const Site& m_site;
    const GradeTable& m_grades;
    std::vector<Finding> m_findings;
    std::unordered_map<std::string, const Tank*> m_tanks;
    std::unordered_map<std::string, const Dispenser*> m_dispensers;
};

} // namespace

std::vector<Finding> validate_site(const Site& site, const GradeTable& grades) {
    return SiteChecker(site, grades).run();
}

std::vector<Finding> validate_registry(const Registry& registry,
                                       const std::vector<std::string>& station_ids) {
    std::vector<Finding> all;
    auto append = [&](const Site& site) {
        std::vector<Finding> f = validate_site(site, registry.grades());
        all.insert(all.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
    };
    if (station_ids.empty()) {
        for (const Site& site : registry.sites())
            append(site);
        return all;
    }
    for (const std::string& id : station_ids) {
        const Site* site = registry.find(id);
        if (!site)
            throw InputError({.layer = "stations", .feature = id, .field = "station_id"},
                             "no station '" + id + "' in the registry");
        append(*site);
    }
    return all;
}

} // namespace fuelmap
