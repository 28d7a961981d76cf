// SPDX-License-Identifier: MIT
// Planted cases for every audit class, on a station built in code.
#include <fuelmap/audit.hpp>
#include <fuelmap/registry.hpp>

#include "testing/testing.hpp"

#include <gtest/gtest.h>

using namespace fuelmap;

namespace {

// T1 92#, T2 95#, T3 0#, T4 98#, T5+T6 92# manifolded (group M1).
// N1 92#←T1, N2 95#←T2, N3 0#←T3, N4 98#←T4, N5 95#←T1 50 % + T4 50 % (blend), N6 92#←T5.
Registry planted_registry() {
    Site site = fuelmap::testing::sample_site("370602-0001");
    site.tanks = {{"T1", "92#", 30000, "", "in_service", {}},   {"T2", "95#", 30000, "", "in_service", {}},
                  {"T3", "0#", 20000, "", "in_service", {}},    {"T4", "98#", 20000, "", "in_service", {}},
                  {"T5", "92#", 20000, "M1", "in_service", {}}, {"T6", "92#", 20000, "M1", "in_service", {}}};
    site.nozzles = {
        {"N1", "D1", 1, "92#", "in_service", {{"T1", 1.0}}, {}},
        {"N2", "D1", 2, "95#", "in_service", {{"T2", 1.0}}, {}},
        {"N3", "D1", 1, "0#", "in_service", {{"T3", 1.0}}, {}},
        {"N4", "D2", 1, "98#", "in_service", {{"T4", 1.0}}, {}},
        {"N5", "D2", 2, "95#", "in_service", {{"T1", 0.5}, {"T4", 0.5}}, {}},
        {"N6", "D2", 2, "92#", "in_service", {{"T5", 1.0}}, {}},
    };
    Registry r;
    r.add(site);
    r.add(fuelmap::testing::sample_site("370602-0002"));
    return r;
}

Observation obs(const std::string& nozzle, std::vector<std::string> tanks) {
    return {"370602-0001", nozzle, std::move(tanks), LinkMethod::pipe_tracing, {"I01", "I02"},
            "2024-05-17",  {}};
}

LabResult result(const std::string& sample, SampleSource source, const std::string& element,
                 const std::string& property, double value, const std::string& lab = "L1") {
    const bool ron = property == "RON";
    return {sample,
            "370602-0001",
            source,
            element,
            source == SampleSource::tank ? "composite" : "",
            property,
            value,
            ron ? "-" : (property == "density" ? "kg/m3" : "mg/kg"),
            ron ? "GB/T 5487" : (property == "density" ? "SH/T 0604" : "SH/T 0689"),
            lab,
            {}};
}

struct Fixture {
    Registry registry = planted_registry();
    PrecisionTable precision = PrecisionTable::shipped();
    GradeLimits limits = GradeLimits::shipped();

    AuditReport run(const std::vector<Observation>& o, const std::vector<LabResult>& r = {}) const {
        return audit(registry, o, r, precision, limits);
    }
};

// The classes of the findings about one element, in output order.
std::vector<AuditClass> classes_of(const AuditReport& report, const std::string& kind,
                                   const std::string& no) {
    std::vector<AuditClass> out;
    for (const AuditFinding& f : report.findings)
        if (f.station_id == "370602-0001" && f.element_kind == kind && f.element_no == no)
            out.push_back(f.cls);
    return out;
}

using C = std::vector<AuditClass>;

} // namespace

TEST(Audit, ConsistentAndUnverified) {
    Fixture fx;
    const AuditReport r = fx.run({obs("N1", {"T1"}), obs("N4", {"T4"})});
    EXPECT_EQ(r.stations, 1u) << "only stations with evidence by default";
    EXPECT_EQ(classes_of(r, "nozzle", "N1"), C{AuditClass::consistent});
    EXPECT_EQ(classes_of(r, "nozzle", "N3"), C{AuditClass::unverified});
    EXPECT_EQ(r.count(AuditClass::unverified), 4u);
    EXPECT_FALSE(r.has_critical());
    EXPECT_TRUE(classes_of(r, "tank", "T1").empty()) << "unsampled tanks are not reported";
}

TEST(Audit, CrossConnection) {
    Fixture fx;
    const AuditReport r = fx.run({obs("N2", {"T1"})});
    EXPECT_EQ(classes_of(r, "nozzle", "N2"), C{AuditClass::cross_connection});
    EXPECT_TRUE(r.has_critical());
    const AuditFinding& f = *std::find_if(r.findings.begin(), r.findings.end(),
                                          [](const AuditFinding& x) { return x.element_no == "N2"; });
    EXPECT_EQ(f.message, "labelled 95# but draws from T1 92# (declared T2)");
    ASSERT_EQ(f.evidence.size(), 1u);
    EXPECT_EQ(f.evidence[0], "observed T1 by pipe_tracing (I01;I02, 2024-05-17)");
}

TEST(Audit, DieselNozzleOnGasolineTankIsCrossConnection) {
    Fixture fx;
    EXPECT_EQ(classes_of(fx.run({obs("N3", {"T2"})}), "nozzle", "N3"), C{AuditClass::cross_connection});
}

TEST(Audit, SwapOfTwoNozzlesIsTransposition) {
    Fixture fx;
    const AuditReport r = fx.run({obs("N1", {"T2"}), obs("N2", {"T1"})});
    EXPECT_EQ(classes_of(r, "nozzle", "N1"), C{AuditClass::transposition});
    EXPECT_EQ(classes_of(r, "nozzle", "N2"), C{AuditClass::transposition});
    EXPECT_TRUE(r.has_critical());
}

TEST(Audit, HiddenTank) {
    Fixture fx;
    const AuditReport r = fx.run({obs("N2", {"T9"})});
    EXPECT_EQ(classes_of(r, "nozzle", "N2"), C{AuditClass::hidden_tank});
    EXPECT_NE(r.findings[1].message.find("T9, which the station never declared"), std::string::npos);
}

TEST(Audit, BlendNozzle) {
    Fixture fx;
    EXPECT_EQ(classes_of(fx.run({obs("N5", {"T1", "T4"})}), "nozzle", "N5"), C{AuditClass::consistent});
    EXPECT_EQ(classes_of(fx.run({obs("N5", {"T4", "T1"})}), "nozzle", "N5"), C{AuditClass::consistent});
    // Only the 92# leg: a 95# label on 92# fuel.
    EXPECT_EQ(classes_of(fx.run({obs("N5", {"T1"})}), "nozzle", "N5"), C{AuditClass::cross_connection});
    // Blend of 92# and 0# diesel: never fits.
    EXPECT_EQ(classes_of(fx.run({obs("N5", {"T1", "T3"})}), "nozzle", "N5"), C{AuditClass::cross_connection});
}

TEST(Audit, ManifoldGroup) {
    Fixture fx;
    EXPECT_EQ(classes_of(fx.run({obs("N6", {"T6"})}), "nozzle", "N6"), C{AuditClass::consistent});
    EXPECT_EQ(classes_of(fx.run({obs("N6", {"T5", "T6"})}), "nozzle", "N6"), C{AuditClass::consistent});
    // Another 92# tank outside the group: same grade, so not a cross-connection; the registry is wrong.
    const AuditReport r = fx.run({obs("N6", {"T1"})});
    EXPECT_EQ(classes_of(r, "nozzle", "N6"), C{AuditClass::consistent});
    EXPECT_NE(r.findings[5].evidence[0].find("correct the registry"), std::string::npos);
}

TEST(Audit, NonConformingAndInconclusive) {
    Fixture fx;
    // 95# RON ≥ 95, R = 0.7, guard band 0.413.
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 94.5)}), "nozzle", "N2"),
              C{AuditClass::non_conforming});
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 94.8)}), "nozzle", "N2"),
              C{AuditClass::inconclusive});
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 95.0)}), "nozzle", "N2"),
              C{AuditClass::consistent});
    // Sulfur ≤ 10 mg/kg, guard band 1.92.
    EXPECT_EQ(
        classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N1", "sulfur", 12.5)}), "nozzle", "N1"),
        C{AuditClass::non_conforming});
    const AuditReport inc = fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 94.8)});
    EXPECT_FALSE(inc.has_critical()) << "inconclusive is not critical: resample";
}

TEST(Audit, MislabelledTank) {
    Fixture fx;
    // T2 declared 95# holds 92# fuel.
    const AuditReport r = fx.run({}, {result("S2", SampleSource::tank, "T2", "RON", 92.1)});
    EXPECT_EQ(classes_of(r, "tank", "T2"), C{AuditClass::mislabelled_tank});
    EXPECT_TRUE(r.has_critical());
    EXPECT_EQ(classes_of(fx.run({}, {result("S2", SampleSource::tank, "T2", "RON", 95.4)}), "tank", "T2"),
              C{AuditClass::consistent});
}

TEST(Audit, DifferentFuelWithRForOneLabAndRForTwo) {
    Fixture fx;
    // One lab: |95.9 − 95.2| = 0.7 > r = 0.2.
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 95.9),
                                     result("S2", SampleSource::tank, "T2", "RON", 95.2)}),
                         "nozzle", "N2"),
              C{AuditClass::different_fuel});
    // Two labs: 0.7 is exactly R: same fuel.
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 95.9, "L1"),
                                     result("S2", SampleSource::tank, "T2", "RON", 95.2, "L2")}),
                         "nozzle", "N2"),
              C{AuditClass::consistent});
    // One lab, exactly r: same fuel.
    EXPECT_EQ(classes_of(fx.run({}, {result("S1", SampleSource::nozzle, "N2", "RON", 95.4),
                                     result("S2", SampleSource::tank, "T2", "RON", 95.2)}),
                         "nozzle", "N2"),
              C{AuditClass::consistent});
}

TEST(Audit, BlendSamplesWithinTheLegRange) {
    Fixture fx;
    const std::vector<LabResult> legs = {result("S2", SampleSource::tank, "T1", "RON", 92.3),
                                         result("S3", SampleSource::tank, "T4", "RON", 98.2)};
    auto with = [&](double nozzle) {
        std::vector<LabResult> all = legs;
        all.push_back(result("S1", SampleSource::nozzle, "N5", "RON", nozzle));
        return classes_of(fx.run({}, all), "nozzle", "N5");
    };
    EXPECT_EQ(with(95.4), C{AuditClass::consistent});
    EXPECT_EQ(with(98.6), C{AuditClass::different_fuel});
}

TEST(Audit, SeveralClassesOnOneNozzleAndAllStations) {
    Fixture fx;
    const AuditReport r =
        fx.run({obs("N2", {"T1"})}, {result("S1", SampleSource::nozzle, "N2", "RON", 92.2)});
    EXPECT_EQ(classes_of(r, "nozzle", "N2"), (C{AuditClass::cross_connection, AuditClass::non_conforming}));
    AuditOptions all;
    all.all_stations = true;
    const AuditReport everything = audit(fx.registry, {}, {}, fx.precision, fx.limits, all);
    EXPECT_EQ(everything.stations, 2u);
    EXPECT_EQ(everything.count(AuditClass::unverified), 12u);
    AuditOptions unknown;
    unknown.stations = {"nope"};
    EXPECT_THROW((void)audit(fx.registry, {}, {}, fx.precision, fx.limits, unknown), InputError);
}
