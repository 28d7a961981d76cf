// SPDX-License-Identifier: MIT
// Round statistics checked against values computed by hand (docs/audit.md §7).
#include <fuelmap/round_stats.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace fuelmap;

namespace {

Selection pick(const std::string& id, const std::string& stratum, const std::string& reason,
               const std::string& p) {
    Selection s;
    s.station_id = id;
    s.stratum = stratum;
    s.reason = reason;
    s.inclusion_probability = p;
    PlannedSample ps;
    ps.grade = "95#";
    ps.nozzle_no = "N2";
    ps.nozzle_sample_id = id + "-N";
    s.samples.push_back(ps);
    return s;
}

AuditFinding finding(const std::string& station, AuditClass c) {
    AuditFinding f;
    f.station_id = station;
    f.element_kind = "nozzle";
    f.element_no = "N2";
    f.cls = c;
    return f;
}

LabResult nozzle_result(const std::string& station) {
    LabResult r;
    r.sample_id = station + "-N";
    r.station_id = station;
    r.source = SampleSource::nozzle;
    r.element_no = "N2";
    return r;
}

// Stratum A: population 10, two random picks with π = 1/5 (A1 fails, A2 passes).
// Stratum B: population 20, two random picks with π = 1/10 (both pass; B2 audited by observation
// only, no sample). C1: a certainty pick that fails (cross-connection).
struct HandPlan {
    Plan plan;
    AuditReport report;
    std::vector<LabResult> results;
    HandPlan() {
        plan.round = "R1";
        plan.strata = {{"A", 10, 0, 2}, {"B", 20, 0, 2}, {"C", 0, 1, 0}};
        plan.selections = {pick("A1", "A", "random", "1/5"), pick("A2", "A", "random", "1/5"),
                           pick("B1", "B", "random", "1/10"), pick("B2", "B", "random", "1/10"),
                           pick("C1", "C", "certainty", "1")};
        report.findings = {finding("A1", AuditClass::non_conforming), finding("A2", AuditClass::consistent),
                           finding("B1", AuditClass::consistent), finding("B2", AuditClass::consistent),
                           finding("C1", AuditClass::cross_connection)};
        report.stations = 5;
        results = {nozzle_result("A1"), nozzle_result("A2"), nozzle_result("B1")};
    }
};

} // namespace

TEST(RoundStats, RatesByHand) {
    HandPlan h;
    const RoundStats s = round_statistics(h.plan, h.report, h.results);
    EXPECT_EQ(s.overall.stations_selected, 5u);
    EXPECT_EQ(s.overall.stations_audited, 5u);
    EXPECT_EQ(s.overall.stations_failed, 2u);
    EXPECT_DOUBLE_EQ(s.overall.failure_discovery_rate(), 0.4);
    EXPECT_EQ(s.overall.batches_planned, 5u);
    EXPECT_EQ(s.overall.batches_sampled, 3u);
    EXPECT_EQ(s.overall.batches_failed, 1u);
    EXPECT_EQ(s.overall.batches_passed, 2u);
    EXPECT_DOUBLE_EQ(s.overall.pass_rate(), 2.0 / 3.0);
    ASSERT_EQ(s.strata.size(), 3u);
    EXPECT_EQ(s.strata[0].key, "A");
    EXPECT_DOUBLE_EQ(s.strata[0].failure_discovery_rate(), 0.5);
    EXPECT_DOUBLE_EQ(s.strata[1].failure_discovery_rate(), 0.0);
    EXPECT_EQ(s.random_part.stations_failed, 1u);
    EXPECT_EQ(s.certainty_part.stations_selected, 1u);
    EXPECT_EQ(s.certainty_part.stations_failed, 1u);
}

TEST(RoundStats, HorvitzThompsonByHand) {
    HandPlan h;
    const RoundStats s = round_statistics(h.plan, h.report, h.results);
    ASSERT_TRUE(s.estimate);
    const HtEstimate& e = *s.estimate;
    // Ŷ = 1·5 + 0·5 + 0·10 + 0·10 = 5; N = 10 + 20 = 30; share = 1/6. The certainty pick is left out.
    EXPECT_EQ(e.total, "5/1");
    EXPECT_EQ(e.frame, 30);
    EXPECT_FALSE(e.frame_estimated);
    EXPECT_DOUBLE_EQ(e.share, 1.0 / 6.0);
    // Stratum A: z = (5, 0), z̄ = 2.5, n/(n−1)·Σ(z−z̄)² = 2·12.5 = 25; stratum B: 0. se = √25/30.
    EXPECT_NEAR(e.standard_error, 5.0 / 30.0, 1e-12);
    EXPECT_DOUBLE_EQ(e.ci_low, 0.0);
    EXPECT_NEAR(e.ci_high, 1.0 / 6.0 + 1.96 * 5.0 / 30.0, 1e-12);
    EXPECT_EQ(e.picks, 4u);
    EXPECT_EQ(e.missing, 0u);
}

TEST(RoundStats, ExactRationalWeightsAndMissingPicks) {
    HandPlan h;
    h.plan.selections[1].inclusion_probability = "3/7"; // A2 now fails too, with weight 7/3
    h.report.findings[1].cls = AuditClass::hidden_tank;
    h.report.findings[3].cls = AuditClass::unverified; // B2 never visited
    const RoundStats s = round_statistics(h.plan, h.report, h.results);
    ASSERT_TRUE(s.estimate);
    EXPECT_EQ(s.estimate->total, "22/3"); // 5 + 7/3
    EXPECT_EQ(s.estimate->missing, 1u);
    EXPECT_EQ(s.estimate->picks, 3u);
    EXPECT_EQ(s.estimate->single_pick_strata, 1u);
    EXPECT_DOUBLE_EQ(s.estimate->share, 22.0 / 3.0 / 30.0);
}

TEST(RoundStats, BadProbabilityIsRefused) {
    HandPlan h;
    h.plan.selections[0].inclusion_probability = "6/5";
    EXPECT_THROW((void)round_statistics(h.plan, h.report, h.results), InputError);
}

TEST(RoundStats, SvgHasABarPerStratumAndAPointPerRound) {
    HandPlan h;
    const RoundStats s = round_statistics(h.plan, h.report, h.results);
    RoundStats earlier = s;
    earlier.round = "R0";
    const std::string svg = stats_svg(s, {earlier, s});
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("data-stratum=\"A\""), std::string::npos);
    EXPECT_NE(svg.find("data-stratum=\"C\""), std::string::npos);
    EXPECT_NE(svg.find("data-round=\"R0\""), std::string::npos);
    EXPECT_NE(svg.find("data-round=\"R1\""), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find(">Round R1: failure discovery rate per stratum</text>"), std::string::npos);
    EXPECT_NE(svg.find(">stations failed / audited</text>"), std::string::npos);
    EXPECT_EQ(svg.find("各层"), std::string::npos);

    // Under zh every title and axis label is Chinese; the data are the same.
    const std::string zh = stats_svg(s, {earlier, s}, "zh");
    EXPECT_NE(zh.find(">第 R1 轮：各层问题发现率</text>"), std::string::npos);
    EXPECT_NE(zh.find(">不合格站点 / 已核查站点</text>"), std::string::npos);
    EXPECT_NE(zh.find(">历轮走势：问题发现率（红）与 HT 估计及 95% 置信区间（蓝）</text>"),
              std::string::npos);
    EXPECT_NE(zh.find(">站点占比</text>"), std::string::npos);
    for (const char* english : {"Round ", "failure discovery", "stations failed", "Over rounds", "share of"})
        EXPECT_EQ(zh.find(english), std::string::npos) << english;
    EXPECT_NE(zh.find("data-stratum=\"C\""), std::string::npos);
    EXPECT_EQ(stats_svg(s, {earlier, s}, "en"), svg);
}
