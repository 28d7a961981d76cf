// SPDX-License-Identifier: MIT
// Round statistics: rates per group and the Horvitz–Thompson estimate (docs/audit.md §7).
#include <fuelmap/audit_results.hpp>
#include <fuelmap/round_stats.hpp>

#include "util/text.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <boost/rational.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <set>

namespace fuelmap {

namespace {

using detail::xml_escape;
using BigInt = boost::multiprecision::cpp_int;
using BigRational = boost::rational<BigInt>;

double to_double(const BigRational& r) {
    return static_cast<double>(r.numerator()) / static_cast<double>(r.denominator());
}

std::string to_text(const BigRational& r) {
    return r.numerator().str() + "/" + r.denominator().str();
}

struct StationFacts {
    bool audited = false;
    bool failed = false;
    std::set<std::string> nonconforming_nozzles;
    std::set<std::string> inconclusive_nozzles;
};

std::string fmt(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
    return ec == std::errc() ? std::string(buf, end) : "0";
}

} // namespace

double RateRow::pass_rate() const noexcept {
    return batches_sampled ? static_cast<double>(batches_passed) / static_cast<double>(batches_sampled) : 0.0;
}

double RateRow::failure_discovery_rate() const noexcept {
    return stations_audited ? static_cast<double>(stations_failed) / static_cast<double>(stations_audited)
                            : 0.0;
}

void parse_probability(const std::string& text, const std::string& station_id, std::int64_t& num,
                       std::int64_t& den) {
    auto fail = [&] {
        throw InputError({.layer = "plan", .feature = station_id, .field = "inclusion_probability"},
                         "'" + text + "' is not a probability p/q in (0, 1]");
    };
    const std::size_t slash = text.find('/');
    const std::string a = text.substr(0, slash);
    const std::string b = slash == std::string::npos ? "1" : text.substr(slash + 1);
    auto parse = [&](const std::string& s, std::int64_t& out) {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec != std::errc() || end != s.data() + s.size())
            fail();
    };
    parse(a, num);
    parse(b, den);
    if (num <= 0 || den <= 0 || num > den)
        fail();
}

RoundStats round_statistics(const Plan& plan, const AuditReport& audit, std::span<const LabResult> results) {
    std::map<std::string, StationFacts> facts;
    // Evidence of the planned samples: a nozzle finding that rests on a lab result of the nozzle.
    for (const AuditFinding& f : audit.findings) {
        StationFacts& s = facts[f.station_id];
        if (f.cls != AuditClass::unverified)
            s.audited = true;
        if (is_failure(f.cls))
            s.failed = true;
        if (f.element_kind != "nozzle")
            continue;
        if (f.cls == AuditClass::non_conforming)
            s.nonconforming_nozzles.insert(f.element_no);
        if (f.cls == AuditClass::inconclusive)
            s.inconclusive_nozzles.insert(f.element_no);
    }
    // Planned nozzle samples with at least one lab result.
    std::set<std::string> sampled;
    for (const LabResult& r : results)
        if (r.source == SampleSource::nozzle)
            sampled.insert(r.sample_id);

    RoundStats stats;
    stats.round = plan.round;
    stats.overall.key = "all";
    stats.random_part.key = "random";
    stats.certainty_part.key = "certainty";
    std::map<std::string, RateRow> strata;
    auto add = [&](RateRow& row, const Selection& sel) {
        const StationFacts& f = facts[sel.station_id];
        ++row.stations_selected;
        row.stations_audited += f.audited ? 1 : 0;
        row.stations_failed += f.audited && f.failed ? 1 : 0;
        for (const PlannedSample& ps : sel.samples) {
            ++row.batches_planned;
            if (!sampled.count(ps.nozzle_sample_id))
                continue;
            ++row.batches_sampled;
            std::vector<std::string> nozzles{ps.nozzle_no};
            nozzles.insert(nozzles.end(), ps.alternates.begin(), ps.alternates.end());
            bool failed = false, inconclusive = false;
            for (const std::string& n : nozzles) {
                failed = failed || f.nonconforming_nozzles.count(n);
                inconclusive = inconclusive || f.inconclusive_nozzles.count(n);
            }
            if (failed) {
                ++row.batches_failed;
            } else {
                ++row.batches_passed;
                row.batches_inconclusive += inconclusive ? 1 : 0;
            }
        }
    };
    // Horvitz–Thompson from the random picks: z = y/π per audited pick, stratified
    // with-replacement variance v = Σ_h n_h/(n_h−1) Σ_i (z_i − z̄_h)².
    BigRational total(0);
    BigRational inverse_sum(0);
    std::map<std::string, std::vector<double>> z_by_stratum;
    std::size_t picks = 0, missing = 0;
    for (const Selection& sel : plan.selections) {
        add(stats.overall, sel);
        RateRow& s = strata[sel.stratum];
        s.key = sel.stratum;
        add(s, sel);
        if (sel.reason != "random") {
            add(stats.certainty_part, sel);
            continue;
        }
        add(stats.random_part, sel);
        std::int64_t num = 0, den = 0;
        parse_probability(sel.inclusion_probability, sel.station_id, num, den);
        const StationFacts& f = facts[sel.station_id];
        if (!f.audited) {
            ++missing;
            continue;
        }
        ++picks;
        const BigRational weight{BigInt{den}, BigInt{num}};
        inverse_sum += weight;
        if (f.failed)
            total += weight;
        z_by_stratum[sel.stratum].push_back(f.failed ? to_double(weight) : 0.0);
    }
    for (auto& [key, row] : strata)
        stats.strata.push_back(row);
    if (picks > 0) {
        HtEstimate ht;
        ht.picks = picks;
        ht.missing = missing;
        ht.total = to_text(total);
        for (const StratumSummary& s : plan.strata)
            ht.frame += s.population;
        if (ht.frame <= 0) {
            ht.frame_estimated = true;
            ht.frame = static_cast<std::int64_t>(std::llround(to_double(inverse_sum)));
        }
        double v = 0.0;
        for (const auto& [key, z] : z_by_stratum) {
            const double n = static_cast<double>(z.size());
            if (z.size() < 2) {
                ++ht.single_pick_strata;
                continue;
            }
            double mean = 0.0;
            for (double x : z)
                mean += x;
            mean /= n;
            double ss = 0.0;
            for (double x : z)
                ss += (x - mean) * (x - mean);
            v += n / (n - 1.0) * ss;
        }
        const double N = static_cast<double>(ht.frame);
        ht.share = N > 0 ? to_double(total) / N : 0.0;
        ht.standard_error = N > 0 ? std::sqrt(v) / N : 0.0;
        ht.ci_low = std::max(0.0, ht.share - 1.96 * ht.standard_error);
        ht.ci_high = std::min(1.0, ht.share + 1.96 * ht.standard_error);
        stats.estimate = ht;
    }
    return stats;
}

RoundStats round_statistics(const std::filesystem::path& registry, const std::string& round) {
    AuditRequest request;
    request.registry = registry;
    request.round = round;
    const AuditReport report = audit_registry(request);
    const std::vector<LabResult> results = read_recorded_lab_results(registry);
    for (const Plan& p : read_recorded_plans(registry))
        if (p.round == round)
            return round_statistics(p, report, results);
    throw InputError(
        {.file = registry.string(), .layer = "fuelmap_plans", .feature = round, .field = "round"},
        "no plan recorded for round '" + round + "'");
}

std::string stats_svg(const RoundStats& current, const std::vector<RoundStats>& history,
                      std::string_view lang) {
    const bool zh = lang == "zh";
    const double width = 760, chart_h = 220, top1 = 60, top2 = 380, left = 70, right = 30;
    std::string s;
    s += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"680\" viewBox=\"0 0 760 680\" "
         "font-family=\"sans-serif\" font-size=\"12\">\n";
    s += "<rect width=\"760\" height=\"680\" fill=\"white\"/>\n";
    s += "<text x=\"" + fmt(left) + "\" y=\"30\" font-size=\"16\">" +
         (zh ? "第 " + xml_escape(current.round) + " 轮：各层问题发现率"
             : "Round " + xml_escape(current.round) + ": failure discovery rate per stratum") +
         "</text>\n";
    auto axis = [&](double top, const std::string& label) {
        s += "<line x1=\"" + fmt(left) + "\" y1=\"" + fmt(top + chart_h) + "\" x2=\"" + fmt(width - right) +
             "\" y2=\"" + fmt(top + chart_h) + "\" stroke=\"black\"/>\n";
        s += "<line x1=\"" + fmt(left) + "\" y1=\"" + fmt(top) + "\" x2=\"" + fmt(left) + "\" y2=\"" +
             fmt(top + chart_h) + "\" stroke=\"black\"/>\n";
        for (int pct = 0; pct <= 100; pct += 25) {
            const double y = top + chart_h - chart_h * pct / 100.0;
            s += "<line x1=\"" + fmt(left - 4) + "\" y1=\"" + fmt(y) + "\" x2=\"" + fmt(width - right) +
                 "\" y2=\"" + fmt(y) + "\" stroke=\"#ddd\"/>\n";
            s += "<text x=\"" + fmt(left - 8) + "\" y=\"" + fmt(y + 4) + "\" text-anchor=\"end\">" +
                 std::to_string(pct) + "%</text>\n";
        }
        s += "<text x=\"18\" y=\"" + fmt(top + chart_h / 2) + "\" transform=\"rotate(-90 18 " +
             fmt(top + chart_h / 2) + ")\" text-anchor=\"middle\">" + label + "</text>\n";
    };
    axis(top1, zh ? "不合格站点 / 已核查站点" : "stations failed / audited");
    const std::size_t n = current.strata.size();
    const double slot = n ? (width - left - right) / static_cast<double>(n) : 0;
    for (std::size_t i = 0; i < n; ++i) {
        const RateRow& r = current.strata[i];
        const double rate = r.failure_discovery_rate();
        const double h = chart_h * rate;
        const double x = left + slot * static_cast<double>(i) + slot * 0.15;
        s += "<rect class=\"stratum\" data-stratum=\"" + xml_escape(r.key) + "\" x=\"" + fmt(x) + "\" y=\"" +
             fmt(top1 + chart_h - h) + "\" width=\"" + fmt(slot * 0.7) + "\" height=\"" + fmt(h) +
             "\" fill=\"#c0392b\"><title>" + xml_escape(r.key) + ": " + std::to_string(r.stations_failed) +
             "/" + std::to_string(r.stations_audited) + "</title></rect>\n";
        s += "<text x=\"" + fmt(x + slot * 0.35) + "\" y=\"" + fmt(top1 + chart_h + 16) +
             "\" text-anchor=\"middle\" font-size=\"10\">" + xml_escape(r.key) + "</text>\n";
        s += "<text x=\"" + fmt(x + slot * 0.35) + "\" y=\"" + fmt(top1 + chart_h - h - 4) +
             "\" text-anchor=\"middle\" font-size=\"10\">" + std::to_string(r.stations_failed) + "/" +
             std::to_string(r.stations_audited) + "</text>\n";
    }
    s += "<text x=\"" + fmt(left) + "\" y=\"" + fmt(top2 - 30) + "\" font-size=\"16\">" +
         (zh ? "历轮走势：问题发现率（红）与 HT 估计及 95% 置信区间（蓝）"
             : "Over rounds: failure discovery rate (red) and HT estimate with 95 % CI (blue)") +
         "</text>\n";
    axis(top2, zh ? "站点占比" : "share of stations");
    const std::size_t m = history.size();
    const double step = m > 1 ? (width - left - right - 40) / static_cast<double>(m - 1) : 0;
    std::string line, ht_line;
    for (std::size_t i = 0; i < m; ++i) {
        const RoundStats& r = history[i];
        const double x = left + 20 + step * static_cast<double>(i);
        const double y = top2 + chart_h - chart_h * r.overall.failure_discovery_rate();
        line += (i ? " " : "") + fmt(x) + "," + fmt(y);
        s += "<circle class=\"round\" data-round=\"" + xml_escape(r.round) + "\" cx=\"" + fmt(x) +
             "\" cy=\"" + fmt(y) + "\" r=\"4\" fill=\"#c0392b\"/>\n";
        if (r.estimate) {
            const double yh = top2 + chart_h - chart_h * r.estimate->share;
            const double y0 = top2 + chart_h - chart_h * r.estimate->ci_low;
            const double y1 = top2 + chart_h - chart_h * r.estimate->ci_high;
            s += "<line x1=\"" + fmt(x + 6) + "\" y1=\"" + fmt(y0) + "\" x2=\"" + fmt(x + 6) + "\" y2=\"" +
                 fmt(y1) + "\" stroke=\"#2c6fbb\"/>\n";
            s += "<rect x=\"" + fmt(x + 3) + "\" y=\"" + fmt(yh - 3) +
                 "\" width=\"6\" height=\"6\" fill=\"#2c6fbb\"/>\n";
            ht_line += (ht_line.empty() ? "" : " ") + fmt(x + 6) + "," + fmt(yh);
        }
        s += "<text x=\"" + fmt(x) + "\" y=\"" + fmt(top2 + chart_h + 16) +
             "\" text-anchor=\"middle\" font-size=\"10\">" + xml_escape(r.round) + "</text>\n";
    }
    if (m > 1)
        s += "<polyline points=\"" + line + "\" fill=\"none\" stroke=\"#c0392b\"/>\n";
    if (!ht_line.empty() && ht_line.find(' ') != std::string::npos)
        s += "<polyline points=\"" + ht_line +
             "\" fill=\"none\" stroke=\"#2c6fbb\" stroke-dasharray=\"4 3\"/>\n";
    s += "</svg>\n";
    return s;
}

} // namespace fuelmap
