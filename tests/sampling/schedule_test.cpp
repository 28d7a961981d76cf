// SPDX-License-Identifier: MIT
// The schedule (docs/sampling.md section 8): exact distances, visiting order, standing teams and
// team-day routes at prefecture and province scale, refusals naming the binding constraint.
#include <fuelmap/design.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/synth.hpp>

#include "sampling/route.hpp"
#include "testing/sampling_fixtures.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

using namespace fuelmap;
using fuelmap::testing::design;
using fuelmap::testing::draw_context;
using fuelmap::testing::input_error;

namespace {

// The counties of a registry, in byte order.
std::vector<std::string> counties(const Registry& reg) {
    std::set<std::string> out;
    for (const Site& s : reg.sites())
        out.insert(s.station.county);
    return {out.begin(), out.end()};
}

// An inspectors JSON array of n inspectors: districts dealt over @p districts, roles alternating
// enforcement/laboratory, a base near Yantai, and the given unavailable dates for inspector 1.
std::string inspectors_json(std::size_t n, const std::vector<std::string>& districts,
                            const std::string& unavailable_first = "") {
    std::string out = "[";
    for (std::size_t i = 0; i < n; ++i) {
        const std::string id = "I" +
                               std::string(i + 1 < 10    ? "00"
                                           : i + 1 < 100 ? "0"
                                                         : "") +
                               std::to_string(i + 1);
        out +=
            std::string(i ? "," : "") + R"({"id":")" + id + R"(","name":"n","district":")" +
            districts[(i * 7) % districts.size()] + R"(","role":")" + (i % 2 ? "laboratory" : "enforcement") +
            R"(","base_lon":"121.)" + std::to_string(100 + i % 50) + R"(","base_lat":"37.45")" +
            (i == 0 && !unavailable_first.empty() ? R"(,"unavailable":[")" + unavailable_first + "\"]" : "") +
            "}";
    }
    return out + "]";
}

// Every rule of section 8 that a scheduled plan must meet; returns the number of stations in routes.
std::size_t check_schedule(const Plan& plan, const Registry& reg, const Design& d) {
    std::map<std::string, const Inspector*> inspector;
    for (const Inspector& i : d.inspectors)
        inspector[i.id] = &i;
    std::map<std::string, const Team*> team;
    std::set<std::string> in_a_team;
    for (const Team& t : plan.teams) {
        team[t.name] = &t;
        EXPECT_EQ(t.members.size(), static_cast<std::size_t>(d.team_size)) << t.name;
        std::set<std::string> roles;
        for (const std::string& m : t.members) {
            EXPECT_TRUE(in_a_team.insert(m).second) << m << " is in two teams";
            roles.insert(inspector.at(m)->role);
        }
        for (const std::string& r : d.team_roles)
            EXPECT_TRUE(roles.count(r)) << t.name << " has no " << r;
    }
    std::map<std::pair<std::string, std::string>, int> inspector_days; // (inspector, date) -> routes
    std::map<std::string, std::int64_t> load;
    std::map<std::string, int> visits;
    std::size_t stations = 0;
    for (const Route& r : plan.routes) {
        const Team& t = *team.at(r.team);
        EXPECT_LE(r.stations.size(), static_cast<std::size_t>(d.stations_per_day));
        EXPECT_FALSE(r.stations.empty());
        std::vector<detail::MicroPoint> stops;
        for (const std::string& sid : r.stations) {
            ++visits[sid];
            ++stations;
            const Station& st = reg.find(sid)->station;
            stops.push_back(detail::micro_point(*st.location));
            for (const std::string& m : t.members) {
                EXPECT_NE(inspector.at(m)->district, st.county) << sid << " visited by " << m;
                ++load[m];
            }
        }
        for (const std::string& m : t.members) {
            ++inspector_days[{m, r.date}];
            const auto& off = inspector.at(m)->unavailable;
            EXPECT_EQ(std::count(off.begin(), off.end(), r.date), 0) << m << " on leave " << r.date;
        }
        std::vector<std::size_t> order(stops.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        EXPECT_EQ(r.straight_m, detail::tour_metres({t.base_lon_e6, t.base_lat_e6}, stops, order));
        EXPECT_EQ(r.distance_m, r.straight_m * 13 / 10);
    }
    for (const auto& [key, n] : inspector_days)
        EXPECT_EQ(n, 1) << key.first << " has " << n << " routes on " << key.second;
    if (d.workload_cap) {
        for (const auto& [m, n] : load)
            EXPECT_LE(n, *d.workload_cap) << m;
    }
    EXPECT_EQ(visits.size(), plan.selections.size());
    for (const Selection& s : plan.selections) {
        EXPECT_EQ(visits[s.station_id], 1) << s.station_id;
        EXPECT_FALSE(s.team.empty()) << s.station_id;
        EXPECT_FALSE(s.date.empty()) << s.station_id;
    }
    return stations;
}

std::set<std::string> selected(const Plan& p) {
    std::set<std::string> ids;
    for (const Selection& s : p.selections)
        ids.insert(s.station_id);
    return ids;
}

const Registry& prefecture() {
    static const Registry reg = synthesize({.stations = 150, .seed = 11, .scope = SynthScope::yantai});
    return reg;
}

const Registry& province() {
    static const Registry reg = synthesize({.stations = 3000, .seed = 5, .scope = SynthScope::national});
    return reg;
}

std::string prefecture_design(const std::string& extra, std::size_t inspectors = 12) {
    return R"({"round":"P","sample_size":60,"strata":["county"],"team_roles":["enforcement","laboratory"],
        "stations_per_day":4,"workload_cap":20,"depot":{"lon":"121.447","lat":"37.463"},
        "window":{"start":"2026-12-01","end":"2026-12-14"},"inspectors":)" +
           inspectors_json(inspectors, counties(prefecture()), "2026-12-02") + extra + "}";
}

} // namespace

TEST(RouteGeometry, ExactIntegerDistances) {
    using detail::straight_metres;
    // One degree of latitude is 111,195 m; one of longitude at 60° is half of it.
    EXPECT_EQ(straight_metres({0, 0}, {0, 1'000'000}), 111195);
    EXPECT_EQ(straight_metres({0, 60'000'000}, {1'000'000, 60'000'000}), 55597);
    EXPECT_EQ(straight_metres({121'000'000, 37'000'000}, {121'000'000, 37'000'000}), 0);
    // Symmetric, and 3-4-5 in projected units at the equator.
    EXPECT_EQ(straight_metres({0, 0}, {3000, 4000}), straight_metres({3000, 4000}, {0, 0}));
    EXPECT_EQ(straight_metres({0, 0}, {300'000, 400'000}), 55597);
    EXPECT_EQ(detail::cos_e6(60), 500000);
    EXPECT_EQ(detail::parse_micro_degrees("121.447"), 121'447'000);
    EXPECT_EQ(detail::parse_micro_degrees("-3.5"), -3'500'000);
    EXPECT_EQ(detail::parse_micro_degrees("37"), 37'000'000);
    EXPECT_FALSE(detail::parse_micro_degrees("37.1234567"));
    EXPECT_FALSE(detail::parse_micro_degrees("181"));
    EXPECT_FALSE(detail::parse_micro_degrees("1e2"));
    EXPECT_FALSE(detail::parse_micro_degrees("37."));
}

TEST(RouteGeometry, VisitingOrderIsNearestNeighbourThenTwoOpt) {
    // Four corners of a square around the base: the tour goes round, never across.
    const detail::MicroPoint base{0, 0};
    const std::vector<detail::MicroPoint> stops = {
        {10000, 10000}, {-10000, -10000}, {10000, -10000}, {-10000, 10000}};
    const std::vector<std::string> ids = {"a", "b", "c", "d"};
    const std::vector<std::size_t> order = detail::visiting_order(base, stops, ids);
    ASSERT_EQ(order.size(), 4u);
    // All four are equally near the base: the smallest id starts; then the nearer neighbours.
    EXPECT_EQ(order.front(), 0u);
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
        const auto a = stops[order[i]], b = stops[order[i + 1]];
        EXPECT_TRUE(a.lon == b.lon || a.lat == b.lat) << "diagonal leg " << i;
    }
}

TEST(Schedule, PrefectureScaleMeetsEveryRule) {
    const Design d = design(prefecture_design(""));
    const Plan p = draw_plan(prefecture(), d, "yq-seed", draw_context());
    ASSERT_EQ(p.selections.size(), 60u);
    EXPECT_EQ(p.teams.size(), 6u);
    EXPECT_EQ(check_schedule(p, prefecture(), d), 60u);
    // Real routes: several stations a day (15 routes of at most 4 for 60 stations in 11 counties).
    EXPECT_LE(p.routes.size(), 30u);
    std::size_t multi = 0;
    for (const Route& r : p.routes)
        multi += r.stations.size() > 1;
    EXPECT_GT(multi, p.routes.size() / 2);
    // Scheduling never changes which stations are drawn.
    const Plan plain =
        draw_plan(prefecture(), design(R"({"round":"P","sample_size":60,"strata":["county"]})"), "yq-seed",
                  draw_context());
    EXPECT_EQ(selected(p), selected(plain));
    // Deterministic, and another seed gives another schedule.
    EXPECT_EQ(plan_to_json(draw_plan(prefecture(), d, "yq-seed", draw_context())), plan_to_json(p));
    EXPECT_NE(plan_to_json(draw_plan(prefecture(), d, "other", draw_context())), plan_to_json(p));
    EXPECT_EQ(plan_to_json(parse_plan(plan_to_json(p), "p.json")), plan_to_json(p));
}

TEST(Schedule, ProvinceScaleMeetsEveryRule) {
    const Registry& reg = province();
    const std::vector<std::string> codes = counties(reg);
    std::string inspectors = "[";
    // 100 inspectors based at the centres of 50 regions, from 50 of the registry's counties.
    const auto regions = synth_regions(SynthScope::national);
    for (std::size_t i = 0; i < 100; ++i) {
        const SynthRegion& at = regions[(i * 13) % regions.size()];
        auto deg = [](std::int64_t e6) {
            return std::to_string(e6 / 1'000'000) + "." +
                   std::to_string(1'000'000 + e6 % 1'000'000).substr(1);
        };
        inspectors += std::string(i ? "," : "") + R"({"id":"P)" + std::to_string(1000 + i) +
                      R"(","name":"n","district":")" + codes[(i * 17) % codes.size()] + R"(","role":")" +
                      (i % 2 ? "enforcement" : "laboratory") + R"(","base_lon":")" + deg(at.lon_e6) +
                      R"(","base_lat":")" + deg(at.lat_e6) + R"("})";
    }
    inspectors += "]";
    const Design d = design(R"({"round":"S","sample_size":300,"strata":["province"],"stations_per_day":5,
        "team_roles":["laboratory","enforcement"],"workload_cap":40,
        "window":{"start":"2026-11-02","end":"2026-11-27"},"inspectors":)" +
                            inspectors + "}");
    const Plan p = draw_plan(reg, d, "province-seed", draw_context());
    EXPECT_EQ(p.teams.size(), 50u);
    EXPECT_EQ(check_schedule(p, reg, d), 300u);
    const Plan plain = draw_plan(reg, design(R"({"round":"S","sample_size":300,"strata":["province"]})"),
                                 "province-seed", draw_context());
    EXPECT_EQ(selected(p), selected(plain));
}

TEST(Schedule, RefusesNamingTheBindingConstraint) {
    const Registry& reg = prefecture();
    // Team-days: 6 teams × 2 days (one of them short of a member on the 2nd) for 15+ routes.
    {
        const std::string m = input_error([&] {
            (void)draw_plan(reg,
                            design(prefecture_design("").replace(prefecture_design("").find("2026-12-14"), 10,
                                                                 "2026-12-02")),
                            "s", draw_context());
        });
        EXPECT_NE(m.find("window"), std::string::npos) << m;
        EXPECT_NE(m.find("too few team-days"), std::string::npos) << m;
        EXPECT_NE(m.find("of 60 selected stations"), std::string::npos) << m;
        EXPECT_NE(m.find("6 teams have 11 team-days"), std::string::npos) << m;
    }
    // Workload cap: 6 teams × 3 stations cannot take 60.
    {
        std::string text = prefecture_design("");
        text.replace(text.find("\"workload_cap\":20"), 17, "\"workload_cap\":3");
        const std::string m = input_error([&] { (void)draw_plan(reg, design(text), "s", draw_context()); });
        EXPECT_NE(m.find("workload_cap"), std::string::npos) << m;
        EXPECT_NE(m.find("every team allowed to drive a route is full"), std::string::npos) << m;
    }
    // Conflict rules: every inspector from the one county of a registry.
    {
        Registry one;
        for (Site s : prefecture().sites()) {
            s.station.county = "370602";
            one.add(std::move(s));
        }
        const std::string text = R"({"round":"C","sample_size":10,"stations_per_day":4,
            "depot":{"lon":"121.4","lat":"37.4"},"window":{"start":"2026-12-01","end":"2026-12-14"},
            "inspectors":)" + inspectors_json(4, {"370602"}) +
                                 "}";
        const std::string m = input_error([&] { (void)draw_plan(one, design(text), "s", draw_context()); });
        EXPECT_NE(m.find("inspectors"), std::string::npos) << m;
        EXPECT_NE(m.find("cannot schedule 10 of 10 selected stations"), std::string::npos) << m;
        EXPECT_NE(m.find("conflict rules"), std::string::npos) << m;
    }
    // Roles: 5 inspectors make 2 teams, but only 2 have the laboratory role... and none "chemist".
    {
        std::string text = prefecture_design("", 5);
        text.replace(text.find("\"laboratory\"]"), 13, "\"chemist\"]");
        const std::string m = input_error([&] { (void)draw_plan(reg, design(text), "s", draw_context()); });
        EXPECT_NE(m.find("team_roles"), std::string::npos) << m;
        EXPECT_NE(m.find("role 'chemist'"), std::string::npos) << m;
        EXPECT_NE(m.find("all 60 selected stations are left over"), std::string::npos) << m;
    }
}

TEST(Schedule, LastVisitTeamIsNeverSentAgain) {
    const Design d = design(prefecture_design(""));
    const Plan first = draw_plan(prefecture(), d, "yq-seed", draw_context());
    DrawContext ctx = draw_context();
    for (const Selection& s : first.selections)
        ctx.last_teams[s.station_id] = s.team;
    const Plan again = draw_plan(prefecture(), d, "yq-seed", ctx);
    ASSERT_EQ(selected(again), selected(first));
    for (const Selection& s : again.selections)
        EXPECT_NE(s.team, ctx.last_teams.at(s.station_id)) << s.station_id;
    check_schedule(again, prefecture(), d);
}

TEST(Schedule, DesignKeysOfASchedule) {
    auto message = [](const std::string& json) { return input_error([&] { (void)design(json); }); };
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"window":{"start":"2026-01-05","end":"2026-01-09"}})")
                  .find("'window': needs an inspectors list"),
              std::string::npos);
    const std::string ins = R"("inspectors":[{"id":"A","name":"","district":"1","role":""},
        {"id":"B","name":"","district":"2","role":""}])";
    EXPECT_NE(message(R"({"round":"R","sample_size":2,)" + ins + "}").find("'window': missing"),
              std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"window":{"start":"2026-01-05","end":"2026-01-09"},)" +
                      ins + "}")
                  .find("'stations_per_day': missing"),
              std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"stations_per_day":3,
                  "window":{"start":"2026-01-05","end":"2026-01-09"},)" +
                      ins + "}")
                  .find("inspector 'A' has no base"),
              std::string::npos);
    EXPECT_NE(
        message(R"({"round":"R","sample_size":2,"stations_per_day":3,"depot":{"lon":"121.4567891","lat":"37"},
                  "window":{"start":"2026-01-05","end":"2026-01-09"},)" +
                ins + "}")
            .find("at most 6 decimals"),
        std::string::npos);
    EXPECT_NE(message(R"({"round":"R","sample_size":2,"stations_per_day":3,"depot":{"lon":"121","lat":"37"},
                  "team_roles":["a","b","c"],"window":{"start":"2026-01-05","end":"2026-01-09"},)" +
                      ins + "}")
                  .find("only team_size 2"),
              std::string::npos);
}
