// SPDX-License-Identifier: MIT
// The audit rules of docs/audit.md, on in-memory data.
#include <fuelmap/audit.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/site.hpp>

#include "audit/audit_views.hpp"
#include "audit/observation_table.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

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

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? sep : "") + v[i];
    return out;
}

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

std::optional<GeoPoint> position_or(const std::optional<GeoPoint>& p, const Site& site) {
    return p ? p : site.station.location;
}

// Appends @p parts to @p out with @p sep between them.
void append_joined(std::string& out, std::span<const std::string_view> parts, char sep) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
}

void append_description(std::string& out, const detail::ObservationView& o) {
    out += "observed ";
    append_joined(out, o.observed_tanks, '+');
    out += " by ";
    out += to_string(o.method);
    out += " (";
    append_joined(out, o.inspectors, ';');
    out += ", ";
    out += o.observed_at;
    out += ')';
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

std::size_t AuditReport::count(AuditClass c) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [c](const AuditFinding& f) { return f.cls == c; }));
}

bool AuditReport::has_critical() const noexcept {
    return std::any_of(findings.begin(), findings.end(),
                       [](const AuditFinding& f) { return is_critical(f.cls); });
}

namespace {

// The findings of one station, in slots reused from one station to the next: their strings keep
// their capacity, so that the common case allocates next to nothing.
class FindingSlots {
public:
    // A slot to fill: every field but evidence is to be assigned by the caller.
    AuditFinding& add() {
        if (m_size == m_items.size())
            m_items.emplace_back();
        return m_items[m_size++];
    }
    void push(AuditFinding&& finding) { add() = std::move(finding); }
    std::size_t size() const noexcept { return m_size; }
    void truncate(std::size_t size) noexcept { m_size = size; }
    std::span<AuditFinding> items() noexcept { return {m_items.data(), m_size}; }

private:
    std::vector<AuditFinding> m_items;
    std::size_t m_size = 0;
};

// The rules of docs/audit.md §6 for any station; appends its findings to @p out.
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

// Buffers reused from one station to the next, so that the common case allocates nothing but the
// findings themselves.
struct Scratch {
    std::vector<std::uint32_t> nozzle_of;                  // per observation: index of its nozzle, or `none`
    std::vector<std::uint32_t> begin;                      // per nozzle: its first entry in `by_nozzle`
    std::vector<std::uint32_t> cursor;                     // fill positions while grouping
    std::vector<const detail::ObservationView*> by_nozzle; // the station's observations grouped by nozzle
    std::vector<std::string_view> seen;                    // observed set of one nozzle
    std::vector<std::string_view> legs;                    // declared legs of one nozzle, sorted
};

constexpr std::uint32_t none = UINT32_MAX;

// A worker thread audits blocks of this many stations ahead, from this many stations up.
constexpr std::size_t audit_block_stations = 256;
constexpr std::size_t parallel_audit_min_stations = 2 * audit_block_stations;

// Equality of short numbers and ids ("N12", "370602-0001") that mostly differ in their last
// character: checked first, inline, before a memcmp call (the audit compares millions of them).
inline bool same(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.empty() || (a.back() == b.back() && a.compare(b) == 0));
}

// The common case, in one pass and without the general rules' intermediate sets and strings: a
// station without lab results whose every observed nozzle was seen on exactly its declared legs,
// all of them tanks of the station. Emits what audit_site_general() would emit (consistent or
// unverified nozzles, no tank findings) and returns true; otherwise emits nothing and returns false.
// With @p of_station, every observation and result is known to be of this station.
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
        std::uint32_t idx = none;
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
        if (s.nozzle_of[k] != none)
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

void audit_site_into(const Site& site, const GradeTable& grades,
                     std::span<const detail::ObservationView* const> observations,
                     std::span<const LabResult* const> results, bool of_station,
                     const PrecisionTable& precision, const GradeLimits& limits, Scratch& scratch,
                     FindingSlots& out) {
    if (!audit_agreeing_site(site, observations, results, of_station, scratch, out))
        audit_site_general(site, grades, observations, results, precision, limits, out);
}

// Evidence items (observations or lab results) grouped by registry site, each group in input
// order; items of stations that are not in the registry are left out.
template <class T> class BySite {
public:
    BySite(const Registry& registry, std::span<const T> items) : m_begin(registry.size() + 1, 0) {
        const std::vector<Site>& sites = registry.sites();
        std::vector<std::uint32_t> site_of(items.size(), none);
        std::string_view last_id;
        std::uint32_t last = none;
        for (std::size_t k = 0; k < items.size(); ++k) {
            // Evidence usually comes station by station: look a station up once per run.
            if (k == 0 || !same(items[k].station_id, last_id)) {
                last_id = items[k].station_id;
                const Site* site = registry.find(last_id);
                last = site ? static_cast<std::uint32_t>(site - sites.data()) : none;
            }
            site_of[k] = last;
            if (last != none)
                ++m_begin[last + 1];
        }
        for (std::size_t i = 0; i < sites.size(); ++i)
            m_begin[i + 1] += m_begin[i];
        std::vector<std::uint32_t> cursor(m_begin.begin(), m_begin.end() - 1);
        m_items.resize(m_begin.back());
        for (std::size_t k = 0; k < items.size(); ++k)
            if (site_of[k] != none)
                m_items[cursor[site_of[k]]++] = &items[k];
    }

    // The items of the site at @p index in registry.sites().
    std::span<const T* const> of(std::size_t index) const {
        return std::span<const T* const>(m_items).subspan(m_begin[index],
                                                          m_begin[index + 1] - m_begin[index]);
    }

private:
    std::vector<std::uint32_t> m_begin;
    std::vector<const T*> m_items;
};

detail::ObservationTable view_of(std::span<const Observation> observations) {
    detail::ObservationTable table;
    table.reserve(observations.size());
    for (const Observation& o : observations)
        table.add(o);
    table.finish();
    return table;
}

} // namespace

std::vector<AuditFinding> audit_site(const Site& site, const GradeTable& grades,
                                     std::span<const Observation* const> observations,
                                     std::span<const LabResult* const> results,
                                     const PrecisionTable& precision, const GradeLimits& limits) {
    detail::ObservationTable table;
    for (const Observation* o : observations)
        table.add(*o);
    table.finish();
    std::vector<const detail::ObservationView*> views;
    for (const detail::ObservationView& v : table.rows())
        views.push_back(&v);
    FindingSlots out;
    Scratch scratch;
    audit_site_into(site, grades, views, results, false, precision, limits, scratch, out);
    return {std::make_move_iterator(out.items().begin()), std::make_move_iterator(out.items().end())};
}

namespace detail {

void audit_each(const Registry& registry, std::span<const ObservationView> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink,
                Threading threading) {
    const BySite<ObservationView> obs_by_site(registry, observations);
    const BySite<LabResult> res_by_site(registry, results);
    const std::vector<Site>& all = registry.sites();

    std::vector<std::size_t> sites; // indices into registry.sites(), in output order
    if (!options.stations.empty()) {
        std::set<std::string> wanted(options.stations.begin(), options.stations.end());
        for (const std::string& id : wanted) {
            const Site* s = registry.find(id);
            if (!s)
                throw InputError({.layer = "stations", .feature = id, .field = "station_id"},
                                 "no station '" + id + "' in the registry");
            sites.push_back(static_cast<std::size_t>(s - all.data()));
        }
    } else {
        for (std::size_t i = 0; i < all.size(); ++i)
            if (options.all_stations || !obs_by_site.of(i).empty() || !res_by_site.of(i).empty())
                sites.push_back(i);
    }
    std::size_t nozzles = 0;
    for (std::size_t i : sites)
        nozzles += all[i].nozzles.size();
    sink.begin(sites.size(), nozzles);
    auto audit_one = [&](std::size_t i, Scratch& scratch, FindingSlots& out) {
        audit_site_into(all[i], registry.grades(), obs_by_site.of(i), res_by_site.of(i), true, precision,
                        limits, scratch, out);
    };
    const bool parallel = threading == Threading::always ||
                          (threading == Threading::automatic && sites.size() >= parallel_audit_min_stations &&
                           std::thread::hardware_concurrency() > 1);
    if (!parallel) {
        FindingSlots out;
        Scratch scratch;
        for (std::size_t i : sites) {
            out.truncate(0);
            audit_one(i, scratch, out);
            sink.station(out.items());
        }
        return;
    }
    // Blocks of stations: the even ones audited on this thread and handed to the sink at once, the
    // odd ones audited ahead by a worker into two buffers that this thread hands over in turn. The
    // sink sees the sequential order; each station's findings do not depend on the thread.
    struct Block {
        FindingSlots findings;
        std::vector<std::size_t> ends; // per station of the block: end of its findings
        bool ready = false;
        std::exception_ptr error;
    };
    const std::size_t blocks = (sites.size() + audit_block_stations - 1) / audit_block_stations;
    auto block_sites = [&](std::size_t k) {
        const std::size_t first = k * audit_block_stations;
        return std::span(sites).subspan(first, std::min(audit_block_stations, sites.size() - first));
    };
    std::array<Block, 2> ahead;
    std::mutex mutex;
    std::condition_variable changed;
    bool stop = false;
    std::jthread worker([&] {
        Scratch scratch;
        for (std::size_t k = 1; k < blocks; k += 2) {
            Block& b = ahead[(k / 2) % 2];
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return stop || !b.ready; });
                if (stop)
                    return;
            }
            try {
                b.findings.truncate(0);
                b.ends.clear();
                for (std::size_t i : block_sites(k)) {
                    audit_one(i, scratch, b.findings);
                    b.ends.push_back(b.findings.size());
                }
            } catch (...) {
                b.error = std::current_exception();
            }
            {
                std::lock_guard lock(mutex);
                b.ready = true;
            }
            changed.notify_all();
            if (b.error)
                return;
        }
    });
    struct StopWorker {
        std::mutex& mutex;
        std::condition_variable& changed;
        bool& stop;
        ~StopWorker() {
            {
                std::lock_guard lock(mutex);
                stop = true;
            }
            changed.notify_all();
        }
    } stop_worker{mutex, changed, stop}; // also when the sink throws; the worker is joined after
    FindingSlots out;
    Scratch scratch;
    for (std::size_t k = 0; k < blocks; ++k) {
        if (k % 2 == 0) {
            for (std::size_t i : block_sites(k)) {
                out.truncate(0);
                audit_one(i, scratch, out);
                sink.station(out.items());
            }
            continue;
        }
        Block& b = ahead[(k / 2) % 2];
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return b.ready; });
        }
        if (b.error)
            std::rethrow_exception(b.error);
        const std::span<AuditFinding> items = b.findings.items();
        std::size_t begin = 0;
        for (std::size_t end : b.ends) {
            sink.station(items.subspan(begin, end - begin));
            begin = end;
        }
        {
            std::lock_guard lock(mutex);
            b.ready = false;
        }
        changed.notify_all();
    }
}

} // namespace detail

void audit_each(const Registry& registry, std::span<const Observation> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink) {
    const detail::ObservationTable table = view_of(observations);
    detail::audit_each(registry, table.rows(), results, precision, limits, options, sink,
                       detail::Threading::automatic);
}

AuditReport audit(const Registry& registry, std::span<const Observation> observations,
                  std::span<const LabResult> results, const PrecisionTable& precision,
                  const GradeLimits& limits, const AuditOptions& options) {
    AuditReport report;
    detail::ReportSink sink(report);
    audit_each(registry, observations, results, precision, limits, options, sink);
    return report;
}

} // namespace fuelmap
