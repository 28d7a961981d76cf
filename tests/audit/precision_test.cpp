// SPDX-License-Identifier: MIT
#include <fuelmap/precision.hpp>

#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace fuelmap;

namespace {

PrecisionEntry ron() {
    return {"RON",      "GB/T 5487", "-", PrecisionFormula::constant(0.2), PrecisionFormula::constant(0.7),
            "recalled", "test"};
}

PrecisionEntry sulfur() {
    return {"sulfur",
            "SH/T 0689",
            "mg/kg",
            PrecisionFormula::parse("0.1788*X^0.75", {}),
            PrecisionFormula::parse("0.5797·X^0.75", {}),
            "recalled",
            "test"};
}

GradeLimit ron_min(double v) {
    return {"95#", "RON", LimitKind::min, v, "-", "recalled", "test"};
}

} // namespace

TEST(PrecisionFormula, ParsesTheThreeForms) {
    EXPECT_DOUBLE_EQ(PrecisionFormula::parse("0.7", {}).at(123.0), 0.7);
    const auto p = PrecisionFormula::parse(" 0.1788 * X ^ 0.75 ", {});
    EXPECT_EQ(p.kind(), PrecisionFormula::Kind::power);
    EXPECT_NEAR(p.at(10.0), 0.1788 * std::pow(10.0, 0.75), 1e-12);
    const auto l = PrecisionFormula::parse("0.3+0.02*x", {});
    EXPECT_EQ(l.kind(), PrecisionFormula::Kind::linear);
    EXPECT_DOUBLE_EQ(l.at(10.0), 0.5);
    EXPECT_DOUBLE_EQ(PrecisionFormula::parse("0.3-0.01*X", {}).at(10.0), 0.2);
    EXPECT_DOUBLE_EQ(PrecisionFormula::parse("0.05*X", {}).at(10.0), 0.5);
    EXPECT_DOUBLE_EQ(PrecisionFormula::parse("1e-1*X", {}).at(3.0), 0.3);
}

TEST(PrecisionFormula, RefusesAnythingElse) {
    for (const char* bad : {"", "X", "abc", "0.2*Y", "2*X*X", "exp(X)", "-0.5", "0.1*X^", "0.1+X", "nan"}) {
        EXPECT_THROW_MSG((void)PrecisionFormula::parse(bad, {.file = "p.csv", .line = 4, .field = "R"}), InputError,
                         ::testing::AllOf(::testing::HasSubstr("p.csv: line 4"), ::testing::HasSubstr("field 'R'")))
            << "'" << bad << "'";
    }
}

TEST(PrecisionTable, ShippedTableHasTheRequiredPropertiesWithSources) {
    const PrecisionTable t = PrecisionTable::shipped();
    for (const char* p : {"RON", "MON", "density", "sulfur"})
        EXPECT_TRUE(t.has_property(p)) << p;
    for (const PrecisionEntry& e : t.all()) {
        EXPECT_FALSE(e.source.empty());
        EXPECT_TRUE(e.confidence == "recalled" || e.confidence == "checked");
    }
    const PrecisionEntry* s = t.find("sulfur", "ASTM D5453");
    ASSERT_NE(s, nullptr);
    EXPECT_FALSE(s->R.is_constant());
    EXPECT_NEAR(s->R.at(10.0), 3.26, 0.01);
    const GradeLimits limits = GradeLimits::shipped();
    ASSERT_EQ(limits.of_grade("95#").size(), 4u);
    EXPECT_EQ(limits.of_grade("95#")[0]->property, "RON");
    EXPECT_DOUBLE_EQ(limits.of_grade("95#")[0]->value, 95.0);
    for (const GradeLimit& l : limits.all()) {
        ASSERT_TRUE(t.has_property(l.property)) << l.property;
        for (const std::string& m : t.methods_of(l.property))
            EXPECT_EQ(t.find(l.property, m)->unit, l.unit) << l.grade << " " << l.property;
    }
}

TEST(PrecisionTable, BadRowsNameFileLineAndField) {
    const std::string head = "property,method,unit,r,R,confidence,source\n";
    EXPECT_THROW_MSG((void)PrecisionTable::parse_csv(
                         head + "RON,M,-,0.2,0.7,recalled,x\nRON,M,-,0.2,0.7,recalled,y\n", "p.csv"),
                     InputError,
                     ::testing::Eq("p.csv: line 3, feature (RON M), field 'method': property 'RON' with method "
                                   "'M' is listed twice"));
    EXPECT_THROW((void)PrecisionTable::parse_csv(head + "RON,M,-,0.2,0.7,maybe,x\n", "p.csv"), InputError);
    EXPECT_THROW((void)PrecisionTable::parse_csv("property,method\nRON,M\n", "p.csv"), InputError);
    EXPECT_THROW((void)GradeLimits::parse_csv("grade,property,kind,value,unit,confidence,source\n"
                                              "95#,RON,least,95,-,recalled,x\n",
                                              "l.csv"),
                 InputError);
}

TEST(JudgePair, DifferenceExactlyAtRIsTheSameFuel) {
    // 95.2 − 95.0 is 0.2000000000000028 in binary floating point: still "exactly r".
    EXPECT_TRUE(judge_pair(95.2, 95.0, ron(), false).same);
    EXPECT_FALSE(judge_pair(95.21, 95.0, ron(), false).same);
    EXPECT_DOUBLE_EQ(judge_pair(95.2, 95.0, ron(), false).critical_difference, 0.2);
}

TEST(JudgePair, TwoLabsUseRExactlyAtR) {
    EXPECT_TRUE(judge_pair(95.7, 95.0, ron(), true).same);
    EXPECT_FALSE(judge_pair(95.71, 95.0, ron(), true).same);
    EXPECT_FALSE(judge_pair(95.7, 95.0, ron(), false).same);
}

TEST(JudgePair, LevelDependentPrecisionAtTheMean) {
    // Mean 8 mg/kg: r = 0.1788·8^0.75 = 0.8506…
    const PairJudgement j = judge_pair(8.4, 7.6, sulfur(), false);
    EXPECT_NEAR(j.critical_difference, 0.1788 * std::pow(8.0, 0.75), 1e-12);
    EXPECT_TRUE(j.same);
    EXPECT_FALSE(judge_pair(8.5, 7.5, sulfur(), false).same);
}

TEST(JudgeLimit, GuardBandOfAMinimum) {
    // 95# RON ≥ 95, R = 0.7: guard band 0.413; threshold 94.587.
    EXPECT_EQ(judge_limit(95.0, ron_min(95), ron()).verdict, Conformity::conforming);
    EXPECT_EQ(judge_limit(94.9, ron_min(95), ron()).verdict, Conformity::inconclusive);
    const LimitJudgement at = judge_limit(95.0 - 0.59 * 0.7, ron_min(95), ron());
    EXPECT_EQ(at.verdict, Conformity::inconclusive) << "exactly at limit − 0.59R is not beyond it";
    EXPECT_NEAR(at.threshold, 94.587, 1e-12);
    EXPECT_EQ(judge_limit(94.587, ron_min(95), ron()).verdict, Conformity::inconclusive);
    EXPECT_EQ(judge_limit(94.58, ron_min(95), ron()).verdict, Conformity::non_conforming);
}

TEST(JudgeLimit, GuardBandOfAMaximumWithLevelDependentR) {
    // Sulfur ≤ 10 mg/kg, R at the limit = 0.5797·10^0.75 = 3.2599…, guard band 1.9233…
    const GradeLimit max10{"95#", "sulfur", LimitKind::max, 10.0, "mg/kg", "recalled", "test"};
    const double guard = 0.59 * 0.5797 * std::pow(10.0, 0.75);
    EXPECT_EQ(judge_limit(10.0, max10, sulfur()).verdict, Conformity::conforming);
    EXPECT_EQ(judge_limit(11.0, max10, sulfur()).verdict, Conformity::inconclusive);
    EXPECT_EQ(judge_limit(10.0 + guard, max10, sulfur()).verdict, Conformity::inconclusive);
    EXPECT_EQ(judge_limit(12.0, max10, sulfur()).verdict, Conformity::non_conforming);
}
