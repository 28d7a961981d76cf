// SPDX-License-Identifier: MIT
// The audit rules of docs/audit.md, on in-memory data: the general path, which applies every rule
// to any station (audit_fast.cpp has the common case, audit_each.cpp the loop over the stations).
#include <fuelmap/audit.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/site.hpp>

#include "audit/audit_site.hpp"
#include "audit/audit_views.hpp"
#include "audit/observation_table.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

namespace fuelmap {

namespace {

constexpr std::array<AuditClass, 9> classes = {
    AuditClass::consistent,     AuditClass::cross_connection, AuditClass::transposition,
    AuditClass::hidden_tank,    AuditClass::mislabelled_tank, AuditClass::different_fuel,
    AuditClass::non_conforming, AuditClass::inconclusive,     AuditClass::unverified};

// Up to four decimals, trailing zeros dropped, locale-independent.
std::string num(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 4);
    std::string s = ec == std::errc() ? std::string(buf, end) : std::string("?");
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0')
            s.pop_back();
        if (s.back() == '.')
            s.pop_back();
    }
    return s == "-0" ? "0" : s;
}

using detail::join;

// A site's tanks with their manifold groups.
class TankIndex {
public:
    explicit TankIndex(const Site& site) : m_site(site) {
        for (const Tank& t : site.tanks)
            m_has_manifold = m_has_manifold || !t.manifold_group.empty();
    }

    const Tank* find(const std::string& no) const { return m_site.find_tank(no); }
    bool has_manifold() const { return m_has_manifold; }

    // The tanks piped together with @p no (itself included), as a set of numbers.
    std::set<std::string> group(const std::string& no) const {
        std::set<std::string> g{no};
        if (!m_has_manifold)
            return g;
        const Tank* t = find(no);
        if (t && !t->manifold_group.empty())
            for (const Tank& other : m_site.tanks)
                if (other.manifold_group == t->manifold_group)
                    g.insert(other.tank_no);
        return g;
    }

    // Declared supply legs expanded to their manifold groups.
    std::set<std::string> expanded(const std::vector<std::string>& legs) const {
        std::set<std::string> all;
        for (const std::string& l : legs) {
            auto g = group(l);
            all.insert(g.begin(), g.end());
        }
        return all;
    }

private:
    const Site& m_site;
    bool m_has_manifold = false;
};

std::vector<std::string> legs_of(const Nozzle& n) {
    std::vector<std::string> legs;
    legs.reserve(n.supply.size());
    for (const SupplyLeg& l : n.supply)
        legs.push_back(l.tank_no);
    return legs;
}

// The observed set (sorted, distinct) agrees with the declaration: every observed tank is a
// declared leg or piped to one, and every declared leg (or its manifold) was seen.
bool agrees(const std::vector<std::string>& observed, const std::vector<std::string>& legs,
            const TankIndex& tanks) {
    if (legs.empty())
        return false;
    // Fast path, the common case: exactly the declared legs.
    if (observed.size() == legs.size()) {
        std::vector<std::string> sorted = legs;
        std::sort(sorted.begin(), sorted.end());
        if (sorted == observed)
            return true;
    }
    if (!tanks.has_manifold())
        return false;
    const std::set<std::string> allowed = tanks.expanded(legs);
    for (const std::string& t : observed)
        if (!allowed.count(t))
            return false;
    for (const std::string& leg : legs) {
        const auto g = tanks.group(leg);
        if (std::none_of(g.begin(), g.end(), [&](const std::string& t) {
                return std::binary_search(observed.begin(), observed.end(), t);
            }))
            return false;
    }
    return true;
}

struct Sample {
    std::string sample_id;
    SampleSource source = SampleSource::nozzle;
    std::string element_no;
    std::string depth;
    std::vector<const LabResult*> results;
};

struct ElementFindings {
    std::map<AuditClass, std::vector<std::string>> by_class; // evidence per class
    std::map<AuditClass, std::string> message;
    std::vector<std::string> supporting; // evidence of agreement
    bool has_evidence = false;

    void add(AuditClass c, const std::string& msg, std::string evidence) {
        if (!message.count(c))
            message[c] = msg;
        by_class[c].push_back(std::move(evidence));
    }
};

std::string result_text(const LabResult& r) {
    return r.property + " " + num(r.value) + (r.unit == "-" ? "" : " " + r.unit) + " (" + r.method +
           ", lab " + r.lab + ", sample " + r.sample_id + ")";
}

// Judges every result of a sample against the limits of @p grade; adds non-conforming (or
// @p failing for tanks) and inconclusive findings; returns true when some limit applied.
void judge_sample(const Sample& s, const std::string& grade, const PrecisionTable& precision,
                  const GradeLimits& limits, AuditClass failing, ElementFindings& out) {
    const std::vector<const GradeLimit*> grade_limits = limits.of_grade(grade);
    for (const LabResult* r : s.results) {
        const PrecisionEntry* p = precision.find(r->property, r->method);
        bool any_limit = false;
        for (const GradeLimit* l : grade_limits) {
            if (l->property != r->property)
                continue;
            any_limit = true;
            if (!p) {
                out.supporting.push_back(result_text(*r) + ": no precision data for this method, not judged");
                continue;
            }
            const LimitJudgement j = judge_limit(r->value, *l, *p);
            const std::string side = l->kind == LimitKind::min ? "min" : "max";
            const std::string text = result_text(*r) + " against " + grade + " " + side + " " +
                                     num(l->value) + ": guard band 0.59·R = 0.59·" + num(j.reproducibility) +
                                     " = " + num(j.guard_band) + ", threshold " + num(j.threshold);
            if (j.verdict == Conformity::non_conforming)
                out.add(failing,
                        failing == AuditClass::mislabelled_tank
                            ? "tank sample does not fit its declared grade " + grade + " (" + r->property +
                                  ")"
                            : r->property + " beyond the " + grade + " limit by more than the guard band",
                        text + " → " + std::string(to_string(j.verdict)));
            else if (j.verdict == Conformity::inconclusive)
                out.add(AuditClass::inconclusive,
                        r->property + " beyond the " + grade + " limit but within the guard band: resample",
                        text + " → inconclusive");
            else
                out.supporting.push_back(text + " → conforming");
        }
        if (!any_limit)
            out.supporting.push_back(result_text(*r) + ": no " + grade + " limit for " + r->property);
    }
}

struct PairOutcome {
    bool compared = false;
    bool same = true;
    std::vector<std::string> lines;
};

// Nozzle sample vs one tank sample, property by property on the results of the same method.
PairOutcome compare_samples(const Sample& nozzle, const Sample& tank, const PrecisionTable& precision) {
    PairOutcome out;
    for (const LabResult* a : nozzle.results)
        for (const LabResult* b : tank.results) {
            if (a->property != b->property || a->method != b->method)
                continue;
            const PrecisionEntry* p = precision.find(a->property, a->method);
            if (!p)
                continue;
            const PairJudgement j = judge_pair(a->value, b->value, *p, a->lab != b->lab);
            out.compared = true;
            out.same = out.same && j.same;
            out.lines.push_back(a->property + " nozzle " + num(a->value) + " (sample " + nozzle.sample_id +
                                ") vs tank " + tank.element_no + " " + num(b->value) + " (sample " +
                                tank.sample_id + "): |Δ| = " + num(j.difference) + (j.same ? " ≤ " : " > ") +
                                (j.two_labs ? "R" : "r") + " = " + num(j.critical_difference) +
                                (j.two_labs ? " (two labs)" : " (one lab)"));
        }
    return out;
}

// Blend: the nozzle result must lie between the leg tanks' results, widened by the critical
// difference, on every property both legs were tested for.
PairOutcome compare_blend(const Sample& nozzle, const std::vector<const Sample*>& legs,
                          const PrecisionTable& precision) {
    PairOutcome out;
    for (const LabResult* a : nozzle.results) {
        std::vector<const LabResult*> matching;
        for (const Sample* leg : legs) {
            const LabResult* found = nullptr;
            for (const LabResult* b : leg->results)
                if (b->property == a->property && b->method == a->method)
                    found = b;
            if (!found)
                break;
            matching.push_back(found);
        }
        const PrecisionEntry* p = precision.find(a->property, a->method);
        if (matching.size() != legs.size() || !p)
            continue;
        double lo = matching.front()->value, hi = lo;
        bool two_labs = false;
        for (const LabResult* b : matching) {
            lo = std::min(lo, b->value);
            hi = std::max(hi, b->value);
            two_labs = two_labs || b->lab != a->lab;
        }
        const double level = (lo + hi) / 2.0;
        const double cd = two_labs ? p->R.at(level) : p->r.at(level);
        // Reuse judge_pair's rounding rule: distance to the nearer end of [lo, hi].
        const double nearest = a->value < lo ? lo : (a->value > hi ? hi : a->value);
        const PairJudgement j = judge_pair(a->value, nearest, *p, two_labs);
        const bool same = j.difference == 0.0 || !(j.difference > cd + 1e-9 * std::max(1.0, cd));
        out.compared = true;
        out.same = out.same && same;
        out.lines.push_back(a->property + " nozzle " + num(a->value) + " (sample " + nozzle.sample_id +
                            ") vs blend legs " + num(lo) + "…" + num(hi) + ": outside by " +
                            num(j.difference) + (same ? " ≤ " : " > ") + (two_labs ? "R" : "r") + " = " +
                            num(cd));
    }
    return out;
}

std::string describe(const detail::ObservationView& o) {
    std::string out;
    out.reserve(64);
    append_description(out, o);
    return out;
}

} // namespace

std::string_view to_string(AuditClass c) noexcept {
    switch (c) {
    case AuditClass::consistent:
        return "consistent";
    case AuditClass::cross_connection:
        return "cross-connection";
    case AuditClass::transposition:
        return "transposition";
    case AuditClass::hidden_tank:
        return "hidden-tank";
    case AuditClass::mislabelled_tank:
        return "mislabelled-tank";
    case AuditClass::different_fuel:
        return "different-fuel";
    case AuditClass::non_conforming:
        return "non-conforming";
    case AuditClass::inconclusive:
        return "inconclusive";
    case AuditClass::unverified:
        return "unverified";
    }
    return "unverified";
}

std::span<const AuditClass> all_audit_classes() noexcept {
    return classes;
}

bool is_critical(AuditClass c) noexcept {
    return is_failure(c) || c == AuditClass::different_fuel;
}

bool is_failure(AuditClass c) noexcept {
    return c == AuditClass::cross_connection || c == AuditClass::transposition ||
           c == AuditClass::hidden_tank || c == AuditClass::mislabelled_tank ||
           c == AuditClass::non_conforming;
}

bool is_structural(AuditClass c) noexcept {
    return c == AuditClass::cross_connection || c == AuditClass::transposition ||
           c == AuditClass::hidden_tank;
}

std::size_t AuditReport::count(AuditClass c) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [c](const AuditFinding& f) { return f.cls == c; }));
}

bool AuditReport::has_critical() const noexcept {
    return std::any_of(findings.begin(), findings.end(),
                       [](const AuditFinding& f) { return is_critical(f.cls); });
}

namespace detail {

std::optional<GeoPoint> position_or(const std::optional<GeoPoint>& p, const Site& site) {
    return p ? p : site.station.location;
}

void append_description(std::string& out, const detail::ObservationView& o) {
    out += "observed ";
    detail::append_joined(out, o.observed_tanks, "+");
    out += " by ";
    out += to_string(o.method);
    out += " (";
    detail::append_joined(out, o.inspectors, ";");
    out += ", ";
    out += o.observed_at;
    out += ')';
}

void audit_site_general(const Site& site, const GradeTable& grades,
                        std::span<const detail::ObservationView* const> observations,
                        std::span<const LabResult* const> results, const PrecisionTable& precision,
                        const GradeLimits& limits, FindingSlots& out) {
    const std::string& sid = site.station.station_id;
    const TankIndex tanks(site);
    const std::size_t n_nozzles = site.nozzles.size();
    std::vector<ElementFindings> nozzle_findings(n_nozzles);
    std::vector<ElementFindings> tank_findings(site.tanks.size());

    // ---- observations: observed set per nozzle ----
    std::vector<std::vector<std::string>> observed(n_nozzles);
    std::vector<std::vector<const detail::ObservationView*>> obs_of(n_nozzles);
    for (const detail::ObservationView* o : observations) {
        if (o->station_id != sid)
            continue;
        for (std::size_t i = 0; i < n_nozzles; ++i)
            if (site.nozzles[i].nozzle_no == o->nozzle_no) {
                observed[i].insert(observed[i].end(), o->observed_tanks.begin(), o->observed_tanks.end());
                obs_of[i].push_back(o);
                break;
            }
    }
    for (auto& v : observed) {
        if (v.size() > 1) {
            std::sort(v.begin(), v.end());
            v.erase(std::unique(v.begin(), v.end()), v.end());
        }
    }
    auto seen_text = [&](std::size_t i) {
        std::string out;
        for (const detail::ObservationView* o : obs_of[i])
            out += (out.empty() ? "" : "; ") + describe(*o);
        return out;
    };
    std::vector<bool> mismatch(n_nozzles, false);
    for (std::size_t i = 0; i < n_nozzles; ++i) {
        if (observed[i].empty())
            continue;
        ElementFindings& f = nozzle_findings[i];
        f.has_evidence = true;
        std::vector<std::string> hidden;
        for (const std::string& t : observed[i])
            if (!tanks.find(t))
                hidden.push_back(t);
        const std::string seen = seen_text(i);
        if (!hidden.empty()) {
            f.add(AuditClass::hidden_tank,
                  "draws from tank " + join(hidden, "+") + ", which the station never declared", seen);
            continue;
        }
        if (agrees(observed[i], legs_of(site.nozzles[i]), tanks))
            f.supporting.push_back(seen + ": agrees with the declared supply " +
                                   join(legs_of(site.nozzles[i]), "+"));
        else
            mismatch[i] = true;
    }
    // Transpositions: nozzle A seen on B's declared tanks and B on A's.
    std::vector<bool> done(n_nozzles, false);
    for (std::size_t a = 0; a < n_nozzles; ++a) {
        if (!mismatch[a] || done[a])
            continue;
        for (std::size_t b = a + 1; b < n_nozzles; ++b) {
            if (!mismatch[b] || done[b])
                continue;
            const auto la = legs_of(site.nozzles[a]), lb = legs_of(site.nozzles[b]);
            if (tanks.expanded(la) == tanks.expanded(lb))
                continue;
            if (agrees(observed[a], lb, tanks) && agrees(observed[b], la, tanks)) {
                const Nozzle& na = site.nozzles[a];
                const Nozzle& nb = site.nozzles[b];
                nozzle_findings[a].add(AuditClass::transposition,
                                       "tanks swapped with nozzle " + nb.nozzle_no + ": declared " +
                                           join(la, "+") + ", draws from " + join(lb, "+"),
                                       seen_text(a) + "; nozzle " + nb.nozzle_no + " " + seen_text(b));
                nozzle_findings[b].add(AuditClass::transposition,
                                       "tanks swapped with nozzle " + na.nozzle_no + ": declared " +
                                           join(lb, "+") + ", draws from " + join(la, "+"),
                                       seen_text(b) + "; nozzle " + na.nozzle_no + " " + seen_text(a));
                done[a] = done[b] = true;
                break;
            }
        }
    }
    // Other mismatches: does what it really draws from fit its label?
    for (std::size_t i = 0; i < n_nozzles; ++i) {
        if (!mismatch[i] || done[i])
            continue;
        const Nozzle& n = site.nozzles[i];
        const Grade* label = grades.find(n.grade);
        std::vector<std::string> tank_grades;
        bool fits = true;
        std::optional<int> lo, hi;
        for (const std::string& t : observed[i]) {
            const Tank* tank = tanks.find(t);
            tank_grades.push_back(t + " " + tank->grade);
            const Grade* g = grades.find(tank->grade);
            if (observed[i].size() == 1) {
                fits = tank->grade == n.grade;
                continue;
            }
            if (!g || !label || g->family != label->family || !blend_rank(*g)) {
                fits = false;
                continue;
            }
            const int rank = *blend_rank(*g);
            lo = lo ? std::min(*lo, rank) : rank;
            hi = hi ? std::max(*hi, rank) : rank;
        }
        if (fits && observed[i].size() > 1)
            fits =
                label && blend_rank(*label) && lo && *lo <= *blend_rank(*label) && *blend_rank(*label) <= *hi;
        const std::string seen = seen_text(i);
        if (fits)
            nozzle_findings[i].supporting.push_back(seen + ": differs from the declared supply " +
                                                    join(legs_of(n), "+") + " but draws " + n.grade + " (" +
                                                    join(tank_grades, ", ") + "); correct the registry");
        else
            nozzle_findings[i].add(AuditClass::cross_connection,
                                   "labelled " + n.grade + " but draws from " + join(tank_grades, ", ") +
                                       " (declared " + join(legs_of(n), "+") + ")",
                                   seen);
    }

    // ---- lab results: samples of this station ----
    std::map<std::string, Sample> samples;
    for (const LabResult* r : results) {
        if (r->station_id != sid)
            continue;
        Sample& s = samples[r->sample_id];
        s.sample_id = r->sample_id;
        s.source = r->source;
        s.element_no = r->element_no;
        s.depth = r->depth;
        s.results.push_back(r);
    }
    for (const auto& [id, s] : samples) {
        if (s.source == SampleSource::tank) {
            for (std::size_t t = 0; t < site.tanks.size(); ++t)
                if (site.tanks[t].tank_no == s.element_no) {
                    tank_findings[t].has_evidence = true;
                    judge_sample(s, site.tanks[t].grade, precision, limits, AuditClass::mislabelled_tank,
                                 tank_findings[t]);
                }
            continue;
        }
        for (std::size_t i = 0; i < n_nozzles; ++i) {
            const Nozzle& n = site.nozzles[i];
            if (n.nozzle_no != s.element_no)
                continue;
            ElementFindings& f = nozzle_findings[i];
            f.has_evidence = true;
            judge_sample(s, n.grade, precision, limits, AuditClass::non_conforming, f);
            // Pair with the samples of its claimed tank(s).
            const std::vector<std::string> legs = legs_of(n);
            std::vector<std::vector<const Sample*>> per_leg(legs.size());
            for (const auto& [tid, ts] : samples)
                if (ts.source == SampleSource::tank)
                    for (std::size_t l = 0; l < legs.size(); ++l)
                        if (tanks.group(legs[l]).count(ts.element_no))
                            per_leg[l].push_back(&ts);
            if (legs.size() == 1) {
                bool any_compared = false, any_same = false;
                std::vector<std::string> lines;
                for (const Sample* ts : per_leg[0]) {
                    PairOutcome p = compare_samples(s, *ts, precision);
                    if (!p.compared)
                        continue;
                    any_compared = true;
                    any_same = any_same || p.same;
                    lines.insert(lines.end(), p.lines.begin(), p.lines.end());
                }
                if (any_compared && any_same)
                    f.supporting.push_back("same fuel as its claimed tank: " + join(lines, "; "));
                else if (any_compared)
                    f.add(AuditClass::different_fuel,
                          "nozzle sample differs from its claimed tank " + legs[0] +
                              " beyond the method precision",
                          join(lines, "; "));
            } else if (!legs.empty() && std::all_of(per_leg.begin(), per_leg.end(),
                                                    [](const auto& v) { return !v.empty(); })) {
                std::vector<const Sample*> chosen;
                for (const auto& v : per_leg)
                    chosen.push_back(v.front());
                PairOutcome p = compare_blend(s, chosen, precision);
                if (p.compared && p.same)
                    f.supporting.push_back("consistent with the blend of " + join(legs, "+") + ": " +
                                           join(p.lines, "; "));
                else if (p.compared)
                    f.add(AuditClass::different_fuel,
                          "nozzle sample lies outside the range of its blend tanks " + join(legs, "+"),
                          join(p.lines, "; "));
            }
        }
    }

    // ---- assemble ----
    auto emit = [&](const std::string& kind, const std::string& no, const std::string& grade,
                    const std::optional<GeoPoint>& pos, ElementFindings& f, bool report_unverified) {
        AuditFinding base;
        base.station_id = sid;
        base.element_kind = kind;
        base.element_no = no;
        base.grade = grade;
        base.position = position_or(pos, site);
        if (!f.has_evidence) {
            if (!report_unverified)
                return;
            base.cls = AuditClass::unverified;
            base.message = "no observation and no sample";
            out.push(std::move(base));
            return;
        }
        if (f.by_class.empty()) {
            base.cls = AuditClass::consistent;
            base.message = "evidence agrees with the declaration";
            base.evidence = std::move(f.supporting);
            out.push(std::move(base));
            return;
        }
        for (AuditClass c : classes) {
            auto it = f.by_class.find(c);
            if (it == f.by_class.end())
                continue;
            AuditFinding x = base;
            x.cls = c;
            x.message = f.message[c];
            x.evidence = it->second;
            x.evidence.insert(x.evidence.end(), f.supporting.begin(), f.supporting.end());
            out.push(std::move(x));
        }
    };
    for (std::size_t i = 0; i < n_nozzles; ++i) {
        const Nozzle& n = site.nozzles[i];
        emit("nozzle", n.nozzle_no, n.grade, n.position, nozzle_findings[i], true);
    }
    for (std::size_t t = 0; t < site.tanks.size(); ++t) {
        const Tank& tank = site.tanks[t];
        emit("tank", tank.tank_no, tank.grade, tank.position, tank_findings[t], false);
    }
}

} // namespace detail

} // namespace fuelmap
