// SPDX-License-Identifier: MIT
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/ticket.hpp>

#include "sampling/draw.hpp"
#include "sampling/plan_text.hpp"
#include "sampling/schedule.hpp"
#include "testing/sampling_fixtures.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

using namespace fuelmap;
using fuelmap::testing::design;
using fuelmap::testing::draw_context;

namespace {

// A registry of n stations over 3 counties and 2 ownership types, weights 1..4, volumes 1000·k.
Registry varied_registry(int n) {
    Registry r = fuelmap::testing::sample_registry(n);
    Registry out;
    int i = 0;
    for (Site site : r.sites()) {
        static const char* counties[] = {"370602", "370611", "370612"};
        site.station.county = counties[i % 3];
        site.station.ownership = i % 2 ? Ownership::independent : Ownership::major;
        site.station.risk_weight = 1 + (i % 4);
        site.station.annual_volume_m3 = 1000 * (1 + i % 5);
        out.add(std::move(site));
        ++i;
    }
    return out;
}

std::set<std::string> selected(const Plan& p) {
    std::set<std::string> ids;
    for (const Selection& s : p.selections)
        ids.insert(s.station_id);
    return ids;
}

double fraction(const std::string& r) {
    const auto slash = r.find('/');
    if (slash == std::string::npos)
        return std::stod(r);
    return std::stod(r.substr(0, slash)) / std::stod(r.substr(slash + 1));
}

} // namespace

TEST(Allocate, ProportionalLargestRemainderWithKeyTieRule) {
    // 10 over sizes 5,5,5 (measure = size): quotas 3.33 each; remainders tie -> ascending key gets the extra.
    auto a = allocate(10, {{"a", 5, 5}, {"b", 5, 5}, {"c", 5, 5}}, 0);
    EXPECT_EQ(a, (std::vector<std::int64_t>{4, 3, 3}));
    a = allocate(10, {{"c", 5, 5}, {"b", 5, 5}, {"a", 5, 5}}, 0);
    EXPECT_EQ(a, (std::vector<std::int64_t>{3, 3, 4}));
    // Largest remainder wins before the key: 7 over 6,3,1 -> 4.2, 2.1, 0.7 -> 4,2,1.
    a = allocate(7, {{"a", 6, 6}, {"b", 3, 3}, {"c", 1, 1}}, 0);
    EXPECT_EQ(a, (std::vector<std::int64_t>{4, 2, 1}));
}

TEST(Allocate, MinimumFirstAndCapsAtPopulation) {
    // min 2 each, then 6 more by measure 100:1:1, capped at 5 in stratum a.
    auto a = allocate(12, {{"a", 5, 100}, {"b", 10, 1}, {"c", 10, 1}}, 2);
    EXPECT_EQ(a, (std::vector<std::int64_t>{5, 4, 3}));
    // a stratum smaller than the minimum gives all it has
    a = allocate(3, {{"a", 1, 1}, {"b", 10, 10}}, 2);
    EXPECT_EQ(a, (std::vector<std::int64_t>{1, 2}));
    EXPECT_THROW((void)allocate(3, {{"a", 5, 5}, {"b", 5, 5}}, 2), InputError);
    EXPECT_THROW((void)allocate(11, {{"a", 5, 5}, {"b", 5, 5}}, 0), Error);
    // equal measure
    a = allocate(4, {{"a", 100, 1}, {"b", 2, 1}}, 0);
    EXPECT_EQ(a, (std::vector<std::int64_t>{2, 2}));
}

TEST(Sampler, SampleSizeOnlyIsAscendingTicketOrder) {
    Registry reg = varied_registry(30);
    const std::string seed = "314159";
    Plan p = draw_plan(reg, design(R"({"round":"R1","sample_size":7})"), seed, draw_context());
    TicketMaker t(seed);
    std::vector<std::pair<std::string, std::string>> all;
    for (const Site& s : reg.sites())
        all.emplace_back(t.ticket(s.station.station_id), s.station.station_id);
    std::sort(all.begin(), all.end());
    std::set<std::string> expected;
    for (int i = 0; i < 7; ++i)
        expected.insert(all[static_cast<std::size_t>(i)].second);
    EXPECT_EQ(selected(p), expected);
    for (const Selection& s : p.selections) {
        EXPECT_EQ(s.reason, "random");
        EXPECT_EQ(s.inclusion_probability, "7/30");
        EXPECT_EQ(s.ticket, t.ticket(s.station_id));
        EXPECT_EQ(s.stratum, "all");
    }
    EXPECT_EQ(p.digest, plan_digest(p));
}

TEST(Sampler, SameInputsGiveByteIdenticalPlans) {
    Registry reg = varied_registry(40);
    const Design d = design(R"({"round":"R1","sample_size":9,"strata":["county"],"weight_field":"risk_weight",
        "certainty":["370602-0003"],"grades":["92#","95#"],
        "inspectors":[{"id":"I1","name":"a","district":"370602","role":"lead"},
                      {"id":"I2","name":"b","district":"370611","role":"member"},
                      {"id":"I3","name":"c","district":"370612","role":"member"},
                      {"id":"I4","name":"d","district":"370699","role":"member"}],
        "stations_per_day":3,"depot":{"lon":"121.4","lat":"37.5"},
        "window":{"start":"2026-03-02","end":"2026-03-13","holidays":["2026-03-04"]}})");
    const std::string a = plan_to_json(draw_plan(reg, d, "seed-a", draw_context()));
    const std::string b = plan_to_json(draw_plan(reg, d, "seed-a", draw_context()));
    EXPECT_EQ(a, b);
    EXPECT_NE(a, plan_to_json(draw_plan(reg, d, "seed-b", draw_context())));
    // parse → write is the identity on canonical plans
    EXPECT_EQ(plan_to_json(parse_plan(a, "plan.json")), a);
}

namespace {

// A scheduled design of 9 stations by county with four inspectors; @p round, @p first_name and
// @p second_name are JSON string texts (the round and the first two inspectors' names).
Design four_inspector_design(const std::string& round, const std::string& first_name,
                             const std::string& second_name) {
    return design(R"({"round":)" + round + R"(,"sample_size":9,"strata":["county"],"grades":["92#","95#"],
        "inspectors":[{"id":"I1","name":)" +
                  first_name + R"(,"district":"370602","role":"lead"},
                      {"id":"I2","name":)" +
                  second_name + R"(,"district":"370611","role":"member"},
                      {"id":"I3","name":"c","district":"370612","role":"member"},
                      {"id":"I4","name":"d","district":"370699","role":"member"}],
        "stations_per_day":3,"depot":{"lon":"121.4","lat":"37.5"},
        "window":{"start":"2026-03-02","end":"2026-03-13"}})");
}

} // namespace

// The plan text is written straight from the plan; it must be the canonical JSON form (keys in byte
// order, two spaces per level, strings escaped as nlohmann escapes them) of its own content, for
// every kind of value: empty lists, no schedule (format 1), non-ASCII and control characters.
TEST(PlanText, IsTheCanonicalJsonOfItsContent) {
    Registry reg = varied_registry(40);
    const Design d = four_inspector_design(R"("R \"quoted\" 第一轮")", R"("a")", R"("b")");
    Plan plan = draw_plan(reg, d, "seed-\x01\t\x7f-种子", draw_context());
    plan.ledger_entries = 3;
    plan.ledger_head = "h";
    plan.selections.front().stratum = "县\\区\n\x1f";
    plan.selections.front().samples.front().alternates.clear();
    plan.selections.back().team.clear();
    auto canonical = [](const std::string& text) { return nlohmann::json::parse(text).dump(2) + "\n"; };
    const std::string text = plan_to_json(plan);
    EXPECT_EQ(text, canonical(text));
    EXPECT_NE(text.find("\"alternates\": []"), std::string::npos);
    EXPECT_NE(text.find("\\u0001\\t\x7f"), std::string::npos);
    EXPECT_EQ(plan_to_json(parse_plan(text, "plan.json")), text);
    plan.format_version = "1"; // no schedule keys
    plan.teams.clear();
    plan.routes.clear();
    const std::string old = plan_to_json(plan);
    EXPECT_EQ(old, canonical(old));
    EXPECT_EQ(old.find("\"routes\""), std::string::npos);
    plan.selections.front().stratum = "\xff"; // not UTF-8
    EXPECT_THROW((void)plan_to_json(plan), Error);
}

TEST(PlanText, TheHeadSkimmedIsTheHeadOfTheWholePlan) {
    Registry reg = varied_registry(40);
    // Text the skim must step over: brackets, braces, quotes and backslashes inside strings.
    const Design d = four_inspector_design(R"("R \"}]{[\" 第一轮\\")", R"("a]}")", R"("b\\\"")");
    Plan plan = draw_plan(reg, d, "seed-\"{[-种子", draw_context());
    plan.ledger_entries = 3;
    plan.ledger_head = "h\"}";
    std::string text = detail::seal_plan(plan);
    auto expect_head_of = [](const std::string& text) {
        const Plan whole = parse_plan(text, "plan.json");
        const std::optional<detail::PlanHead> head = detail::read_plan_head(text);
        ASSERT_TRUE(head);
        EXPECT_EQ(head->algorithm_version, whole.algorithm_version);
        EXPECT_EQ(head->design_json, whole.design_json);
        EXPECT_EQ(head->seed, whole.seed);
        EXPECT_EQ(head->ledger_entries, whole.ledger_entries);
        EXPECT_EQ(head->ledger_head, whole.ledger_head);
    };
    expect_head_of(text);
    // Another layout of the same document (one line, keys reordered) skims the same.
    expect_head_of(nlohmann::ordered_json::parse(text).dump());
    plan.ledger_entries = -1; // no checkpoint
    expect_head_of(detail::seal_plan(plan));

    // Texts that do not hold a head: refused, never read out of bounds (every prefix is tried).
    for (const char* bad :
         {"", "[]", "{", "{\"design\": {}}", "{\"algorithm_version\": \"x\", \"seed\": \"s\"}",
          "{\"algorithm_version\": \"x\", \"design\": [], \"seed\": \"s\"}",
          "{\"algorithm_version\": \"x\", \"design\": {}, \"seed\": \"s\", \"ledger_checkpoint\": 1}",
          "{\"algorithm_version\": \"x\" \"design\": {}, \"seed\": \"s\"}"})
        EXPECT_FALSE(detail::read_plan_head(bad)) << bad;
    EXPECT_TRUE(detail::read_plan_head("{\"algorithm_version\": \"x\", \"design\": {}, \"seed\": \"s\"}"));
    for (std::size_t n = 0; n + 1 < text.size(); n += 7)
        EXPECT_FALSE(detail::read_plan_head(std::string_view(text).substr(0, n))) << n;
}

TEST(Sampler, TwoThreadDrawGivesTheSequentialPlan) {
    // The station and team tickets are hashed on two threads only from 4,096 tickets up: force both
    // paths on a small registry and compare the plans byte for byte.
    using detail::Threading;
    const Registry reg = varied_registry(300);
    const std::string inspectors = R"("inspectors":[{"id":"A","name":"a","district":"370602","role":"lead"},
        {"id":"B","name":"b","district":"370611","role":"member"},
        {"id":"C","name":"c","district":"370612","role":"member"},
        {"id":"D","name":"d","district":"999999","role":"member"},
        {"id":"E","name":"e","district":"999999","role":"member"}],"stations_per_day":6,
        "depot":{"lon":"121.4","lat":"37.5"},"window":{"start":"2026-03-02","end":"2026-03-13"})";
    DrawContext ctx = draw_context();
    ctx.failed_stations = {"370602-0011", "370602-0250"};
    ctx.last_teams["370602-0003"] = {"A", "B"};
    const std::vector<Design> designs = {
        design(R"({"round":"R1","sample_size":30})"),
        design(R"({"round":"R1","sample_size":40,"strata":["county","ownership"],"min_per_stratum":2,
            "weight_field":"risk_weight","certainty":["370602-0003","370602-0120"],"exclude":["370602-0007"],
            "grades":["92#","95#"],"workload_cap":44,)" +
               inspectors + "}"),
        design(R"({"round":"R1","sample_size":25,"allocation":"volume","strata":["county"],)" + inspectors +
               "}"),
        design(R"({"round":"R1","method":"rfc3797","sample_size":12,)" + inspectors + "}"),
    };
    const std::vector<std::string> seeds = {"seed-a", "seed-a", "seed-b",
                                            "9319./2.5.8.10.12./9.18.26.34.41.45./"};
    for (std::size_t i = 0; i < designs.size(); ++i) {
        const Plan sequential = detail::draw_plan(reg, designs[i], seeds[i], ctx, Threading::never);
        const Plan parallel = detail::draw_plan(reg, designs[i], seeds[i], ctx, Threading::always);
        ASSERT_FALSE(sequential.selections.empty()) << i;
        if (!designs[i].inspectors.empty()) {
            EXPECT_FALSE(sequential.selections.front().team.empty()) << i;
        }
        EXPECT_EQ(plan_to_json(parallel), plan_to_json(sequential)) << i;
        EXPECT_EQ(plan_to_json(draw_plan(reg, designs[i], seeds[i], ctx)), plan_to_json(sequential)) << i;
    }
    // The weighted design with certainty picks draws both kinds of selection.
    std::set<std::string> reasons;
    for (const Selection& s : detail::draw_plan(reg, designs[1], seeds[1], ctx, Threading::always).selections)
        reasons.insert(s.reason);
    EXPECT_TRUE(reasons.count("certainty"));
    EXPECT_GT(reasons.size(), 1u);
}

TEST(Sampler, AScheduleRefusalIsTheSameWhenTheSamplesAreMadeBesideIt) {
    // The samples are made on a second thread beside the schedule (Threading::always): a schedule
    // that cannot be made still refuses with the sequential draw's message.
    using detail::Threading;
    const Registry reg = varied_registry(300);
    const Design d = design(R"({"round":"R1","sample_size":40,"stations_per_day":1,
        "inspectors":[{"id":"A","name":"a","district":"999999","role":"lead"},
                      {"id":"B","name":"b","district":"999999","role":"member"}],
        "depot":{"lon":"121.4","lat":"37.5"},"window":{"start":"2026-03-02","end":"2026-03-04"}})");
    const std::string sequential = fuelmap::testing::input_error(
        [&] { (void)detail::draw_plan(reg, d, "s", draw_context(), Threading::never); });
    EXPECT_NE(sequential.find("left over"), std::string::npos) << sequential;
    EXPECT_EQ(fuelmap::testing::input_error(
                  [&] { (void)detail::draw_plan(reg, d, "s", draw_context(), Threading::always); }),
              sequential);
}

TEST(Sampler, AddingAStationChangesNoOtherTicket) {
    Registry small = varied_registry(20);
    Registry big = varied_registry(20);
    big.add(fuelmap::testing::sample_site("370602-9999"));
    const Design d = design(R"({"round":"R1","sample_size":20})");
    Plan a = draw_plan(small, d, "s", draw_context());
    Plan b = draw_plan(big, design(R"({"round":"R1","sample_size":21})"), "s", draw_context());
    std::map<std::string, std::string> ta;
    for (const Selection& s : a.selections)
        ta[s.station_id] = s.ticket;
    int compared = 0;
    for (const Selection& s : b.selections)
        if (ta.count(s.station_id)) {
            EXPECT_EQ(ta[s.station_id], s.ticket);
            ++compared;
        }
    EXPECT_EQ(compared, 20);
}

TEST(Sampler, NozzleIsLowestTicketOfTheGradeWithClaimedTankAndAlternates) {
    Registry reg = varied_registry(5);
    Plan p = draw_plan(reg, design(R"({"round":"R9","sample_size":2,"grades":["95#","92#"]})"), "x",
                       draw_context());
    TicketMaker t("x");
    for (const Selection& s : p.selections) {
        ASSERT_EQ(s.samples.size(), 2u);
        EXPECT_EQ(s.samples[0].grade, "92#"); // grade-code order
        for (const PlannedSample& ps : s.samples) {
            const std::string n2 = ps.grade == "92#" ? "N1" : "N2";
            const std::string n5 = ps.grade == "92#" ? "N4" : "N5";
            const std::string t2 = t.ticket(s.station_id + "/" + n2), t5 = t.ticket(s.station_id + "/" + n5);
            const bool first = ticket_less(t2, n2, t5, n5);
            EXPECT_EQ(ps.nozzle_no, first ? n2 : n5);
            EXPECT_EQ(ps.alternates, std::vector<std::string>{first ? n5 : n2});
            ASSERT_EQ(ps.claimed_tanks.size(), 1u);
            EXPECT_EQ(ps.claimed_tanks[0].tank_no, ps.grade == "92#" ? "T1" : "T2");
            EXPECT_EQ(ps.nozzle_sample_id, "R9/" + s.station_id + "/" + ps.nozzle_no);
            EXPECT_EQ(ps.tank_sample_ids,
                      std::vector<std::string>{"R9/" + s.station_id + "/" + ps.claimed_tanks[0].tank_no});
        }
    }
}

TEST(Sampler, CertaintyAndExclusionsAndStrata) {
    Registry reg = varied_registry(30);
    Plan p = draw_plan(
        reg, design(R"({"round":"R","sample_size":6,"strata":["county","ownership"],"min_per_stratum":1,
                                  "certainty":["370602-0001","370602-0002"],"exclude":["370602-0005"]})"),
        "seed", draw_context());
    std::map<std::string, int> reasons;
    for (const Selection& s : p.selections) {
        ++reasons[s.reason];
        EXPECT_NE(s.station_id, "370602-0005");
        if (s.station_id == "370602-0001" || s.station_id == "370602-0002") {
            EXPECT_EQ(s.reason, "certainty");
            EXPECT_EQ(s.inclusion_probability, "1");
        }
    }
    EXPECT_EQ(reasons["certainty"], 2);
    EXPECT_EQ(reasons["random"], 6);
    ASSERT_EQ(p.strata.size(), 6u); // 3 counties x 2 ownership types
    for (const StratumSummary& s : p.strata)
        EXPECT_EQ(s.allocated, 1);
}

TEST(Sampler, BudgetBuysBatchesOfOneGradeAtOneStation) {
    Registry reg = varied_registry(30);
    // 1000 / 30 = 33 batches; certainty station sells both grades: 2 batches; (33-2)/2 = 15 stations.
    Plan p = draw_plan(reg, design(R"({"round":"R","budget":1000,"cost_per_batch":30,"grades":["92#","0#"],
                                       "certainty":["370602-0010"]})"),
                       "seed", draw_context());
    EXPECT_EQ(p.selections.size(), 16u);
}

TEST(Sampler, BadDesignsNameTheKey) {
    Registry reg = varied_registry(10);
    auto message = [&](const std::string& json) -> std::string {
        try {
            (void)draw_plan(reg, design(json), "s", draw_context());
        } catch (const InputError& e) {
            return e.what();
        }
        return "(no error)";
    };
    EXPECT_NE(message(R"({"round":"R","sample_size":11})").find("sample_size"), std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"strata":["colour"]})").find("colour"),
              std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"grades":["100#"]})").find("100#"), std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"certainty":["nope"]})").find("certainty"),
              std::string::npos);
    EXPECT_THROW((void)design(R"({"round":"R","sample_size":2,"colour":1})"), InputError);
    EXPECT_THROW((void)design(R"({"round":"R","budget":-5,"cost_per_batch":1,"grades":["92#"]})"),
                 InputError);
    EXPECT_THROW((void)design(R"({"round":"R","budget":5.5,"cost_per_batch":1,"grades":["92#"]})"),
                 InputError);
}

TEST(Sampler, TeamsRespectDistrictLastVisitAndWorkload) {
    Registry reg = varied_registry(30);
    const std::string inspectors = R"("inspectors":[{"id":"A","name":"","district":"370602","role":""},
        {"id":"B","name":"","district":"370611","role":""},{"id":"C","name":"","district":"370612","role":""},
        {"id":"D","name":"","district":"999999","role":""},{"id":"E","name":"","district":"999999","role":""},
        {"id":"F","name":"","district":"999999","role":""},{"id":"G","name":"","district":"999999","role":""},
        {"id":"H","name":"","district":"999999","role":""}],"stations_per_day":2,
        "depot":{"lon":"121.4","lat":"37.5"},"window":{"start":"2026-03-02","end":"2026-03-13"})";
    const Design d = design(R"({"round":"R","sample_size":12,"workload_cap":6,)" + inspectors + "}");
    Plan p = draw_plan(reg, d, "teams", draw_context());
    ASSERT_EQ(p.teams.size(), 4u);
    std::map<std::string, int> load;
    for (const Selection& s : p.selections) {
        ASSERT_EQ(s.team.size(), 2u);
        EXPECT_TRUE(std::is_sorted(s.team.begin(), s.team.end()));
        const std::string county = reg.find(s.station_id)->station.county;
        for (const std::string& id : s.team) {
            ++load[id];
            if (id == "A") {
                EXPECT_NE(county, "370602");
            }
            if (id == "B") {
                EXPECT_NE(county, "370611");
            }
            if (id == "C") {
                EXPECT_NE(county, "370612");
            }
        }
    }
    for (const auto& [id, n] : load)
        EXPECT_LE(n, 6) << id;
    // The same draw with each station's team recorded as its last visit gives every station another team.
    DrawContext ctx = draw_context();
    for (const Selection& s : p.selections)
        ctx.last_teams[s.station_id] = s.team;
    const Design d2 = design(R"({"round":"R2","sample_size":12,)" + inspectors + "}");
    Plan again = draw_plan(reg, d2, "teams", ctx);
    for (const Selection& s : again.selections)
        if (ctx.last_teams.count(s.station_id)) {
            EXPECT_NE(s.team, ctx.last_teams[s.station_id]) << s.station_id;
        }
}

TEST(Sampler, DatesAreWorkingDaysInsideTheWindow) {
    Registry reg = varied_registry(30);
    const std::string window = R"({"start":"2026-03-06","end":"2026-03-11","holidays":["2026-03-09"]})";
    // 6 Fri, 7 Sat, 8 Sun, 9 holiday, 10 Tue, 11 Wed -> 3 working days.
    const Design d =
        design(R"({"round":"R","sample_size":20,"stations_per_day":4,"depot":{"lon":"121","lat":"37"},
        "inspectors":[{"id":"A","name":"","district":"x","role":""},{"id":"B","name":"","district":"y","role":""},
        {"id":"C","name":"","district":"x","role":""},{"id":"D","name":"","district":"y","role":""}],
        "window":)" +
               window + "}");
    EXPECT_EQ(detail::working_days(*d.window),
              (std::vector<std::string>{"2026-03-06", "2026-03-10", "2026-03-11"}));
    Plan p = draw_plan(reg, d, "d", draw_context());
    std::set<std::string> days;
    for (const Selection& s : p.selections)
        days.insert(s.date);
    for (const std::string& day : days)
        EXPECT_TRUE(day == "2026-03-06" || day == "2026-03-10" || day == "2026-03-11") << day;
    EXPECT_TRUE(std::is_sorted(p.selections.begin(), p.selections.end(),
                               [](const Selection& a, const Selection& b) { return a.date < b.date; }));
    // Weekend days count with "weekends": true.
    const Design w =
        design(R"({"round":"R","sample_size":2,"stations_per_day":4,"depot":{"lon":"121","lat":"37"},
        "inspectors":[{"id":"A","name":"","district":"x","role":""},{"id":"B","name":"","district":"y","role":""}],
        "window":{"start":"2026-03-06","end":"2026-03-08","weekends":true}})");
    EXPECT_EQ(detail::working_days(*w.window).size(), 3u);
}

TEST(Sampler, RealisedInclusionFrequenciesMatchRecordedProbabilities) {
    // 30 stations in 2 strata, weights 1..4 plus one heavy station (take-all); 400 seeds.
    Registry reg = varied_registry(30);
    {
        Registry copy;
        for (Site s : reg.sites()) {
            if (s.station.station_id == "370602-0007")
                s.station.risk_weight = 40;
            copy.add(std::move(s));
        }
        reg = std::move(copy);
    }
    const Design d =
        design(R"({"round":"R","sample_size":8,"strata":["ownership"],"weight_field":"risk_weight"})");
    const int runs = 400;
    std::map<std::string, int> hits;
    std::map<std::string, std::set<std::string>> recorded;
    for (int r = 0; r < runs; ++r) {
        Plan p = draw_plan(reg, d, "stat-" + std::to_string(r), draw_context());
        ASSERT_EQ(p.selections.size(), 8u);
        for (const Selection& s : p.selections) {
            ++hits[s.station_id];
            recorded[s.station_id].insert(s.inclusion_probability);
        }
    }
    double expected_total = 0;
    for (const auto& [id, probs] : recorded) {
        ASSERT_EQ(probs.size(), 1u) << id << ": the recorded probability must not depend on the seed";
        const double pi = fraction(*probs.begin());
        expected_total += pi;
        const double freq = static_cast<double>(hits[id]) / runs;
        const double sd = std::sqrt(pi * (1 - pi) / runs);
        // Pareto sampling meets its target probabilities up to a small bias; allow 4.5 sd + 0.03.
        EXPECT_NEAR(freq, pi, 4.5 * sd + 0.03) << id << " recorded " << *probs.begin();
    }
    EXPECT_EQ(recorded["370602-0007"], std::set<std::string>{"1"});
    // Stations never drawn must have a small probability: every drawn station's π sums to n.
    EXPECT_NEAR(expected_total, 8.0, 0.35);
}

TEST(Sampler, SimpleRandomFrequenciesMatch) {
    Registry reg = varied_registry(12);
    const Design d = design(R"({"round":"R","sample_size":3})");
    std::map<std::string, int> hits;
    const int runs = 600;
    for (int r = 0; r < runs; ++r)
        for (const Selection& s : draw_plan(reg, d, std::to_string(r), draw_context()).selections)
            ++hits[s.station_id];
    for (const auto& [id, h] : hits)
        EXPECT_NEAR(static_cast<double>(h) / runs, 0.25, 4.5 * std::sqrt(0.25 * 0.75 / runs)) << id;
    EXPECT_EQ(hits.size(), 12u);
}

TEST(Sampler, Rfc3797ModeRanksThePoolInStationIdOrder) {
    // 25 stations, key of RFC 3797 §6: the picks are positions 17 7 2 16 25 (1-based) of the id-ordered pool.
    Registry reg = varied_registry(25);
    Plan p = draw_plan(reg, design(R"({"round":"R","method":"rfc3797","sample_size":5})"),
                       "9319./2.5.8.10.12./9.18.26.34.41.45./", draw_context());
    EXPECT_EQ(selected(p), (std::set<std::string>{"370602-0017", "370602-0007", "370602-0002", "370602-0016",
                                                  "370602-0025"}));
    for (const Selection& s : p.selections)
        EXPECT_EQ(s.inclusion_probability, "1/5");
}

TEST(Sampler, FrameDigestCoversWhatTheDrawReads) {
    Registry reg = varied_registry(10);
    const Design d = design(R"({"round":"R","sample_size":2,"strata":["county"]})");
    const std::string base = frame_digest(reg, d, draw_context());
    Registry changed;
    for (Site s : reg.sites()) {
        if (s.station.station_id == "370602-0004")
            s.nozzles[0].grade = "95#";
        changed.add(std::move(s));
    }
    EXPECT_NE(frame_digest(changed, d, draw_context()), base);
    Registry renamed;
    for (Site s : reg.sites()) {
        s.station.name = "other name"; // not read by this design
        renamed.add(std::move(s));
    }
    EXPECT_EQ(frame_digest(renamed, d, draw_context()), base);
    EXPECT_EQ(frame_text(reg, d, draw_context())
                  .rfind("fuelmap-frame-v1\nfields\tcounty\nS\t370602-0001\topen\t370602\t370602\n"
                         "N\tN1\t92#\tin_service\tT1=1\n",
                         0),
              0u);
}

TEST(Sampler, DrawFromFileEqualsDrawInMemory) {
    fuelmap::testing::TempDir dir;
    Registry reg = varied_registry(25);
    {
        // a two-tank blend and nozzle numbers whose byte order differs from their registry order
        Registry copy;
        for (Site s : reg.sites()) {
            s.nozzles[1].supply = {{"T2", 0.6}, {"T1", 0.4}};
            s.nozzles[5].nozzle_no = "N10";
            s.station.attributes["brand_group"] = s.station.county == "370611" ? "A" : "B";
            copy.add(std::move(s));
        }
        reg = std::move(copy);
    }
    const auto path = dir / "r.gpkg";
    create_registry(path, reg);
    const Design d =
        design(R"({"round":"R","sample_size":7,"strata":["brand_group"],"weight_field":"risk_weight",
        "certainty":["370602-0004"],"allocation":"volume"})");
    DrawContext ctx = draw_context();
    ctx.registry_file = path.string();
    const Registry back = read_registry(path);
    EXPECT_EQ(frame_digest(path, d), frame_digest(back, d, ctx));
    EXPECT_EQ(frame_digest(path, d), frame_digest(reg, d, ctx));
    EXPECT_EQ(plan_to_json(draw_plan(path, d, "file")), plan_to_json(draw_plan(back, d, "file", ctx)));
}

// A station's rows stored after those of later stations: the frame is then read through the
// indexes (or the cache, whose triggers mark the station), and the drawn stations' layouts by
// station id rather than by rowid range. The plan is the one drawn in memory either way.
TEST(Sampler, DrawFromAFileWithRowsOutOfStationOrderEqualsDrawInMemory) {
    fuelmap::testing::TempDir dir;
    const Registry reg = varied_registry(25);
    const auto path = dir / "r.gpkg";
    create_registry(path, reg);
    fuelmap::testing::exec_sql(path,
                               "UPDATE nozzles SET fid = fid + 1000000 WHERE station_id = '370602-0001'; "
                               "UPDATE supplies SET fid = fid + 1000000 WHERE station_id = '370602-0001'");
    const Design d = design(R"({"round":"R","sample_size":25,"grades":["92#","0#"]})");
    DrawContext ctx = draw_context();
    ctx.registry_file = path.string();
    const std::string memory = plan_to_json(draw_plan(reg, d, "rows", ctx));
    EXPECT_NE(memory.find("\"nozzle_no\""), std::string::npos);
    EXPECT_EQ(plan_to_json(draw_plan(path, d, "rows", {.use_layout_cache = false})), memory);
    EXPECT_EQ(plan_to_json(draw_plan(path, d, "rows")), memory);
}
