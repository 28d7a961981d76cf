// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include "model/validate_all.hpp"

#include <fuelmap/validation.hpp>

#include <gtest/gtest.h>

#include <algorithm>

using namespace fuelmap;

namespace {

std::vector<std::string> codes(const Site& site) {
    std::vector<std::string> c;
    for (const Finding& f : validate_site(site, GradeTable::builtin()))
        c.push_back(f.code);
    return c;
}

const Finding* find_code(const std::vector<Finding>& findings, const std::string& code) {
    auto it =
        std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.code == code; });
    return it == findings.end() ? nullptr : &*it;
}

} // namespace

TEST(Validation, SampleSiteIsClean) {
    EXPECT_EQ(codes(fuelmap::testing::sample_site()), std::vector<std::string>{});
}

TEST(Validation, GasolineNozzleOnDieselTankIsCritical) {
    Site site = fuelmap::testing::sample_site();
    site.nozzles[0].supply = {{"T3", 1.0}};
    auto findings = validate_site(site, GradeTable::builtin());
    const Finding* f = find_code(findings, "FM-SUPPLY-FAMILY-MISMATCH");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::critical);
    EXPECT_EQ(f->element, "nozzle N1");
    EXPECT_EQ(f->station_id, "370602-0001");
    EXPECT_NE(find_code(findings, "FM-SUPPLY-LABEL-MISMATCH"), nullptr);
}

TEST(Validation, EachInvariantHasItsCode) {
    auto expect_code = [](Site site, const std::string& code) {
        auto c = codes(site);
        EXPECT_NE(std::find(c.begin(), c.end(), code), c.end()) << "expected " << code;
    };
    Site s = fuelmap::testing::sample_site();
    s.nozzles[0].supply.clear();
    expect_code(s, "FM-NOZZLE-NO-SUPPLY");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].supply = {{"T1", 0.7}, {"T2", 0.2}};
    expect_code(s, "FM-BLEND-FRACTION");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].supply = {{"T1", 0.5}, {"T1", 0.5}};
    expect_code(s, "FM-BLEND-SAME-TANK");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].grade = "98#";
    s.nozzles[0].supply = {{"T1", 0.5}, {"T2", 0.5}};
    expect_code(s, "FM-BLEND-LABEL-OUT-OF-RANGE");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].supply = {{"T2", 1.0}};
    expect_code(s, "FM-SUPPLY-LABEL-MISMATCH");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].supply = {{"T7", 1.0}};
    expect_code(s, "FM-SUPPLY-UNKNOWN-TANK");

    s = fuelmap::testing::sample_site();
    s.tanks[0].manifold_group = "M";
    s.tanks[1].manifold_group = "M";
    expect_code(s, "FM-MANIFOLD-GRADE-MISMATCH");

    s = fuelmap::testing::sample_site();
    s.tanks.push_back({"T9", "92#", 10000, "", "in_service", s.tanks[0].position});
    expect_code(s, "FM-TANK-FEEDS-NOTHING");

    s = fuelmap::testing::sample_site();
    s.tanks.push_back(s.tanks[0]);
    expect_code(s, "FM-TANK-DUPLICATE");

    s = fuelmap::testing::sample_site();
    s.nozzles.push_back(s.nozzles[0]);
    expect_code(s, "FM-NOZZLE-DUPLICATE");

    s = fuelmap::testing::sample_site();
    s.dispensers[0].fuelling_points = 5;
    expect_code(s, "FM-DISPENSER-FUELLING-POINTS");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].fuelling_point = 3;
    expect_code(s, "FM-NOZZLE-FUELLING-POINT");

    s = fuelmap::testing::sample_site();
    s.tanks[0].grade = "93#";
    expect_code(s, "FM-GRADE-UNKNOWN");

    s = fuelmap::testing::sample_site();
    s.tanks[0].position = LocalFrame(*s.station.location).to_wgs84({200, 0});
    expect_code(s, "FM-POSITION-OUTSIDE-SITE");

    s = fuelmap::testing::sample_site();
    s.nozzles[0].position.reset();
    expect_code(s, "FM-POSITION-MISSING");
}

TEST(Validation, ValidBlendBetweenComponentsIsClean) {
    Site s = fuelmap::testing::sample_site();
    s.tanks.push_back({"T4", "98#", 20000, "", "in_service", s.tanks[0].position});
    s.nozzles[1].supply = {{"T1", 0.5}, {"T4", 0.5}}; // 95# from 92# and 98#
    EXPECT_EQ(codes(s), std::vector<std::string>{});
}

TEST(Validation, ThreadedRunGivesTheSequentialFindingsInTheSameOrder) {
    Registry r;
    for (int i = 1; i <= 60; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "370602-%04d", i);
        Site s = fuelmap::testing::sample_site(id);
        // A different defect (or none) per station, so that the order of the findings shows.
        switch (i % 6) {
        case 1:
            s.tanks[1].tank_no = "T1"; // duplicate; N2 and N5 then name T2, which is gone
            break;
        case 2:
            s.nozzles[3].nozzle_no = "N1";
            s.nozzles[0].supply.clear();
            break;
        case 3:
            s.dispensers[1].dispenser_no = "D1";
            s.dispensers[0].fuelling_points = 6;
            break;
        case 4:
            s.nozzles[2].supply = {{"T1", 0.5}, {"T3", 0.5}};
            break;
        case 5:
            s.tanks[2].status = "in_service";
            s.nozzles[2].supply = {{"T1", 1.0}};
            s.nozzles[5].supply = {{"T2", 0.4}, {"T2", 0.6}};
            break;
        default:
            break;
        }
        r.add(std::move(s));
    }
    std::vector<Finding> expected;
    for (const Site& s : r.sites())
        for (Finding& f : validate_site(s, r.grades()))
            expected.push_back(std::move(f));
    ASSERT_GT(expected.size(), 60u);
    EXPECT_EQ(detail::validate_all(r, detail::Threading::always), expected);
    EXPECT_EQ(detail::validate_all(r, detail::Threading::never), expected);
    EXPECT_EQ(validate_registry(r), expected);
    EXPECT_TRUE(detail::validate_all(Registry(), detail::Threading::always).empty());
}

TEST(Validation, RepeatedNumbersKeepTheFirstElementForLookups) {
    Site s = fuelmap::testing::sample_site();
    // A second T1 declared diesel: the supplies of T1 still resolve to the first (92#) one.
    s.tanks.push_back({"T1", "0#", 1000, "", "in_service", s.tanks[0].position});
    s.dispensers.push_back({"D1", "3", 4, s.dispensers[0].position});
    s.nozzles[4].fuelling_point = 3; // D1 has 2 points; the repeated D1 with 4 is not used
    s.nozzles[4].dispenser_no = "D1";
    const std::vector<Finding> f = validate_site(s, GradeTable::builtin());
    std::vector<std::string> c;
    for (const Finding& each : f)
        c.push_back(each.code + " " + each.element);
    EXPECT_EQ(c, (std::vector<std::string>{"FM-TANK-DUPLICATE tank T1", "FM-DISPENSER-DUPLICATE dispenser D1",
                                           "FM-NOZZLE-FUELLING-POINT nozzle N5"}));
}
