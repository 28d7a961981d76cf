// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/validation.hpp>

#include "model/validate_all.hpp"
#include "util/parallel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string_view>
#include <thread>

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

// A short string as its first 8 bytes in one number plus its length. Painted numbers and grade
// codes are short, so keys mostly compare as integers instead of through memcmp (a registry has
// millions of nozzles, each looked up a few times). The order is not the alphabetical one.
class ShortKey {
public:
    explicit ShortKey(std::string_view text) : m_text(text) {
        const std::size_t n = std::min<std::size_t>(text.size(), 8);
        for (std::size_t i = 0; i < n; ++i)
            m_head |= std::uint64_t{static_cast<unsigned char>(text[i])} << (56 - 8 * i);
    }
    friend bool operator==(const ShortKey& a, const ShortKey& b) {
        return a.m_head == b.m_head && a.m_text.size() == b.m_text.size() &&
               (a.m_text.size() <= 8 || a.m_text.substr(8) == b.m_text.substr(8));
    }
    friend bool operator<(const ShortKey& a, const ShortKey& b) {
        if (a.m_head != b.m_head)
            return a.m_head < b.m_head;
        if (a.m_text.size() != b.m_text.size())
            return a.m_text.size() < b.m_text.size();
        return a.m_text.size() > 8 && a.m_text.substr(8) < b.m_text.substr(8);
    }

private:
    std::string_view m_text;
    std::uint64_t m_head = 0;
};

// The elements of one kind of a site by their painted number, for lookups without a node per
// element. A number used twice keeps its first element, and the later ones are marked as
// duplicates.
template <class T> class ByNumber {
public:
    ByNumber(const std::vector<T>& items, std::string T::*number) : m_duplicate(items.size(), false) {
        m_entries.reserve(items.size());
        for (const T& item : items)
            m_entries.push_back({ShortKey(item.*number), &item});
        // Of equal numbers, the first element comes first (a stable sort without its buffer).
        std::sort(m_entries.begin(), m_entries.end(), [](const Entry& a, const Entry& b) {
            return a.key < b.key || (a.key == b.key && a.element < b.element);
        });
        auto kept = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (kept != m_entries.begin() && std::prev(kept)->key == it->key)
                m_duplicate[static_cast<std::size_t>(it->element - items.data())] = true;
            else
                *kept++ = *it;
        }
        m_entries.erase(kept, m_entries.end());
    }

    // Position of the element with this number among the distinct numbers, or npos.
    [[nodiscard]] std::size_t position(std::string_view number) const {
        const ShortKey key(number);
        auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                                   [](const Entry& e, const ShortKey& k) { return e.key < k; });
        if (it == m_entries.end() || !(it->key == key))
            return npos;
        return static_cast<std::size_t>(it - m_entries.begin());
    }
    [[nodiscard]] const T* find(std::string_view number) const {
        const std::size_t p = position(number);
        return p == npos ? nullptr : m_entries[p].element;
    }
    // Number of distinct numbers.
    [[nodiscard]] std::size_t size() const noexcept { return m_entries.size(); }
    // True when the element at @p index of the site's vector repeats an earlier number.
    [[nodiscard]] bool duplicate(std::size_t index) const { return m_duplicate[index]; }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

private:
    struct Entry {
        ShortKey key;
        const T* element;
    };
    std::vector<Entry> m_entries;
    std::vector<bool> m_duplicate;
};

// GradeTable::find for the few codes of one site, remembered.
class GradeCache {
public:
    explicit GradeCache(const GradeTable& grades) : m_grades(grades) {}

    const Grade* find(std::string_view code) {
        const ShortKey key(code);
        for (std::size_t i = 0; i < m_size; ++i)
            if (m_entries[i].key == key)
                return m_entries[i].grade;
        const Grade* grade = m_grades.find(code);
        if (m_size < m_entries.size())
            m_entries[m_size++] = {key, grade};
        return grade;
    }

private:
    struct Entry {
        ShortKey key{std::string_view()};
        const Grade* grade = nullptr;
    };
    const GradeTable& m_grades;
    std::array<Entry, 8> m_entries;
    std::size_t m_size = 0;
};

// The name of a tank, dispenser or nozzle in a finding ("tank T1"), built only for a finding:
// most elements have none.
struct ElementName {
    std::string_view kind;
    const std::string& number;
    [[nodiscard]] std::string str() const { return std::string(kind) + " " + number; }
};

class SiteChecker {
public:
    SiteChecker(const Site& site, const GradeTable& grades)
        : m_site(site), m_grade_cache(grades), m_tanks(site.tanks, &Tank::tank_no),
          m_dispensers(site.dispensers, &Dispenser::dispenser_no) {}

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

    void add(const char* code, Severity severity, const ElementName& element, std::string message) {
        add(code, severity, element.str(), std::move(message));
    }

    const Grade* grade(const ElementName& element, const std::string& code) {
        const Grade* g = m_grade_cache.find(code);
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
        for (std::size_t i = 0; i < m_site.tanks.size(); ++i) {
            const Tank& t = m_site.tanks[i];
            const ElementName element{"tank", t.tank_no};
            if (m_tanks.duplicate(i))
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
        for (std::size_t i = 0; i < m_site.dispensers.size(); ++i) {
            const Dispenser& d = m_site.dispensers[i];
            const ElementName element{"dispenser", d.dispenser_no};
            if (m_dispensers.duplicate(i))
                add("FM-DISPENSER-DUPLICATE", Severity::error, element,
                    "dispenser number '" + d.dispenser_no + "' is used twice");
            if (d.fuelling_points < 1 || d.fuelling_points > 4)
                add("FM-DISPENSER-FUELLING-POINTS", Severity::error, element,
                    std::to_string(d.fuelling_points) + " fuelling points (a dispenser has 1 to 4)");
        }
    }

    void check_nozzles() {
        const ByNumber<Nozzle> nozzle_numbers(m_site.nozzles, &Nozzle::nozzle_no);
        // Which tank numbers (by their position in m_tanks) some supply leg names.
        std::vector<bool> feeding(m_tanks.size(), false);
        for (std::size_t i = 0; i < m_site.nozzles.size(); ++i) {
            const Nozzle& n = m_site.nozzles[i];
            const ElementName element{"nozzle", n.nozzle_no};
            if (nozzle_numbers.duplicate(i))
                add("FM-NOZZLE-DUPLICATE", Severity::error, element,
                    "nozzle number '" + n.nozzle_no + "' is used twice");
            const Dispenser* d = m_dispensers.find(n.dispenser_no);
            if (!d) {
                if (!m_site.dispensers.empty() || !n.dispenser_no.empty())
                    add("FM-NOZZLE-DISPENSER-UNKNOWN", Severity::error, element,
                        "dispenser '" + n.dispenser_no + "' is not recorded");
            } else if (n.fuelling_point < 1 || n.fuelling_point > d->fuelling_points) {
                add("FM-NOZZLE-FUELLING-POINT", Severity::error, element,
                    "fuelling point " + std::to_string(n.fuelling_point) + " does not exist on dispenser " +
                        n.dispenser_no + " (it has " + std::to_string(d->fuelling_points) + ")");
            }
            const Grade* label = grade(element, n.grade);
            for (const SupplyLeg& leg : n.supply)
                if (const std::size_t p = m_tanks.position(leg.tank_no); p != ByNumber<Tank>::npos)
                    feeding[p] = true;
            check_supply(n, element, label);
        }
        for (const Tank& t : m_site.tanks)
            if (t.status == "in_service" && !feeding[m_tanks.position(t.tank_no)])
                add("FM-TANK-FEEDS-NOTHING", Severity::warning, "tank " + t.tank_no,
                    "in-service tank feeds no nozzle (hidden, idle or undeclared links?)");
    }

    void check_supply(const Nozzle& n, const ElementName& element, const Grade* label) {
        if (n.supply.empty()) {
            add("FM-NOZZLE-NO-SUPPLY", Severity::error, element, "no supply tank is declared");
            return;
        }
        if (n.supply.size() > 2) {
            add("FM-SUPPLY-TOO-MANY-TANKS", Severity::error, element,
                std::to_string(n.supply.size()) + " supply tanks (one, or two for a blend)");
            return;
        }
        // One or two legs here: their tanks without allocating.
        std::array<const Tank*, 2> tanks{};
        for (std::size_t i = 0; i < n.supply.size(); ++i) {
            const SupplyLeg& leg = n.supply[i];
            tanks[i] = m_tanks.find(leg.tank_no);
            if (!tanks[i]) {
                add("FM-SUPPLY-UNKNOWN-TANK", Severity::error, element,
                    "supply names tank '" + leg.tank_no + "', which is not declared");
                return;
            }
        }
        // A gasoline nozzle on a diesel tank (or the reverse) is the dangerous case.
        for (std::size_t i = 0; i < n.supply.size(); ++i) {
            const Tank* t = tanks[i];
            const Grade* tank_grade = m_grade_cache.find(t->grade);
            if (label && tank_grade && label->family != tank_grade->family &&
                label->family != GradeFamily::other && tank_grade->family != GradeFamily::other)
                add("FM-SUPPLY-FAMILY-MISMATCH", Severity::critical, element,
                    std::string(to_string(label->family)) + " nozzle labelled " + n.grade + " draws from " +
                        std::string(to_string(tank_grade->family)) + " tank " + t->tank_no + " (" + t->grade +
                        ")");
        }
        if (n.supply.size() == 1) {
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
        const Grade* ga = m_grade_cache.find(tanks[0]->grade);
        const Grade* gb = m_grade_cache.find(tanks[1]->grade);
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

    void check_position(const ElementName& element, const std::optional<GeoPoint>& p,
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
            check_position({"tank", t.tank_no}, t.position, ring, f);
        for (const Dispenser& d : m_site.dispensers)
            check_position({"dispenser", d.dispenser_no}, d.position, ring, f);
        for (const Nozzle& n : m_site.nozzles)
            check_position({"nozzle", n.nozzle_no}, n.position, ring, f);
    }

    const Site& m_site;
    GradeCache m_grade_cache;
    std::vector<Finding> m_findings;
    const ByNumber<Tank> m_tanks;
    const ByNumber<Dispenser> m_dispensers;
};

} // namespace

std::vector<Finding> validate_site(const Site& site, const GradeTable& grades) {
    return SiteChecker(site, grades).run();
}

namespace {

// Below this many stations per thread, a thread costs more than it saves.
constexpr std::size_t parallel_validation_min_stations = 1024;

void append_findings(std::vector<Finding>& all, std::vector<Finding> more) {
    if (all.empty())
        all = std::move(more);
    else
        all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

std::vector<Finding> validate_sites(std::span<const Site> sites, const GradeTable& grades) {
    std::vector<Finding> all;
    for (const Site& site : sites)
        append_findings(all, validate_site(site, grades));
    return all;
}

} // namespace

// The sites are cut into one contiguous slice per thread and the slices' findings joined in
// slice order, which is the order of a sequential run.
std::vector<Finding> detail::validate_all(const Registry& registry, Threading threading) {
    const std::span<const Site> sites = registry.sites();
    std::size_t threads = 1;
    if (threading != Threading::never) {
        const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
        threads = std::min(cores, sites.size() / parallel_validation_min_stations);
        if (threading == Threading::always)
            threads = std::clamp<std::size_t>(cores, 2, std::max<std::size_t>(sites.size(), 2));
    }
    if (threads < 2)
        return validate_sites(sites, registry.grades());
    std::vector<std::vector<Finding>> slices(threads);
    detail::run_slices(threads, [&](std::size_t i) {
        const std::size_t begin = sites.size() * i / threads;
        const std::size_t end = sites.size() * (i + 1) / threads;
        slices[i] = validate_sites(sites.subspan(begin, end - begin), registry.grades());
    });
    std::size_t total = 0;
    for (const std::vector<Finding>& s : slices)
        total += s.size();
    std::vector<Finding> all;
    all.reserve(total);
    for (std::vector<Finding>& s : slices)
        all.insert(all.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
    return all;
}

std::vector<Finding> validate_registry(const Registry& registry,
                                       const std::vector<std::string>& station_ids) {
    if (station_ids.empty())
        return detail::validate_all(registry, detail::Threading::automatic);
    std::vector<Finding> all;
    auto append = [&](const Site& site) { append_findings(all, validate_site(site, registry.grades())); };
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
