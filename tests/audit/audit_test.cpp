// SPDX-License-Identifier: MIT
// Planted cases for every audit class, on a station built in code.
#include <fuelmap/audit.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/synth.hpp>

#include "audit/audit_views.hpp"
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <span>

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

// ---- Golden output: every field of every finding, for planted cases of every class ----

namespace {

std::string dump(const AuditReport& report) {
    std::string out = "stations " + std::to_string(report.stations) + "\n";
    for (const AuditFinding& f : report.findings) {
        char pos[96] = "-";
        if (f.position)
            std::snprintf(pos, sizeof pos, "%.17g %.17g", f.position->lon, f.position->lat);
        out += f.station_id + " | " + f.element_kind + " " + f.element_no + " (" + f.grade + ") | " +
               std::string(to_string(f.cls)) + " | " + f.message + " | " + pos + "\n";
        for (const std::string& e : f.evidence)
            out += "    - " + e + "\n";
    }
    return out;
}

Observation obs_at(const std::string& station, const std::string& nozzle, std::vector<std::string> tanks,
                   LinkMethod method = LinkMethod::pipe_tracing,
                   std::vector<std::string> inspectors = {"I01"}, const std::string& at = "2024-05-17") {
    return {station, nozzle, std::move(tanks), method, std::move(inspectors), at, {}};
}

LabResult lab_at(const std::string& station, const std::string& sample, SampleSource source,
                 const std::string& element, const std::string& property, double value,
                 const std::string& method, const std::string& unit, const std::string& lab = "L1",
                 const std::string& depth = "") {
    return {sample, station, source, element, depth, property, value, unit, method, lab, {}};
}

} // namespace

TEST(Audit, GoldenOutputOfPlantedCases) {
    Registry registry = planted_registry();
    registry.add(fuelmap::testing::sample_site("370602-0003"));
    Site agreeing = planted_registry().sites().front(); // every link agrees: the fast path
    agreeing.station.station_id = "370602-0009";
    agreeing.nozzles[3].position.reset();
    registry.add(agreeing);
    const PrecisionTable precision = PrecisionTable::shipped();
    const GradeLimits limits = GradeLimits::shipped();
    const std::string a = "370602-0001", b = "370602-0002", c = "370602-0003";
    const std::vector<Observation> observations = {
        obs_at(c, "N4", {"T9", "T1"}), // hidden tank (station listed after others on purpose)
        obs_at(a, "N1", {"T1"}),
        obs_at(a, "N1", {"T1"}, LinkMethod::valve_isolation, {"I02", "I03"}, "2024-05-18"),
        obs_at(a, "N2", {"T1"}, LinkMethod::dispense_and_watch_gauge),
        obs_at(a, "N3", {"T2"}),
        obs_at(a, "N4", {"T4"}),
        obs_at(a, "N5", {"T4", "T1"}),
        obs_at(a, "N6", {"T1"}),
        obs_at(b, "N1", {"T2"}),
        obs_at(b, "N2", {"T1"}),
        obs_at(b, "N3", {"T3"}),
        obs_at(b, "N3", {"T3", "T3"}, LinkMethod::sample_match),
        obs_at(c, "N1", {"T1"}),
        obs_at(c, "N2", {"T2", "T3"}), // 95# on a gasoline and a diesel tank
        obs_at(c, "N5", {"T1"}),
        obs_at("370602-0009", "N5", {"T4", "T1"}),
        obs_at("370602-0009", "N6", {"T5"}, LinkMethod::sample_match, {}, "2024-05-19T10:00"),
        obs_at("370602-0009", "N6", {"T5", "T5"}, LinkMethod::valve_isolation, {"I01", "I02", "I03"}),
        obs_at("370602-0009", "N1", {}),
        obs_at("370602-0009", "N2", {}),
        obs_at("370602-0009", "N2", {"T2"}),
        obs_at("370602-0009", "N9", {"T1"}), // no such nozzle: ignored
        obs_at("370602-0009", "N4", {"T4"}),
        obs_at("370602-0099", "N1", {"T1"}), // no such station: ignored
    };
    const std::string ron = "GB/T 5487", dens = "SH/T 0604", sul = "SH/T 0689";
    const std::vector<LabResult> results = {
        lab_at(a, "S-N2", SampleSource::nozzle, "N2", "RON", 94.5, ron, "-"),
        lab_at(a, "S-T2a", SampleSource::tank, "T2", "RON", 95.2, ron, "-", "L1", "top"),
        lab_at(a, "S-T2b", SampleSource::tank, "T2", "RON", 95.3, ron, "-", "L2", "bottom"),
        lab_at(a, "S-N1", SampleSource::nozzle, "N1", "sulfur", 11.9, sul, "mg/kg"),
        lab_at(a, "S-N1", SampleSource::nozzle, "N1", "density", 740.0, dens, "kg/m3"),
        lab_at(a, "S-N1", SampleSource::nozzle, "N1", "MON", 82.0, "GB/T 503", "-"),
        lab_at(a, "S-N1", SampleSource::nozzle, "N1", "RON", 93.0, "no such method", "-"),
        lab_at(a, "S-T1", SampleSource::tank, "T1", "RON", 92.3, ron, "-"),
        lab_at(a, "S-T1", SampleSource::tank, "T1", "sulfur", 8.0, sul, "mg/kg"),
        lab_at(a, "S-T4", SampleSource::tank, "T4", "RON", 97.0, ron, "-"),
        lab_at(a, "S-N5", SampleSource::nozzle, "N5", "RON", 95.4, ron, "-", "L2"),
        lab_at(a, "S-N6", SampleSource::nozzle, "N6", "RON", 93.5, ron, "-"),
        lab_at(a, "S-T6", SampleSource::tank, "T6", "RON", 92.4, ron, "-"),
        lab_at(a, "S-N4", SampleSource::nozzle, "N4", "RON", 98.6, ron, "-"),
        lab_at(b, "S-B-N5", SampleSource::nozzle, "N5", "RON", 95.1, ron, "-"),
        lab_at(b, "S-B-T2", SampleSource::tank, "T2", "RON", 95.0, ron, "-"),
        lab_at(c, "S-C-T3", SampleSource::tank, "T3", "density", 850.0, dens, "kg/m3"),
    };
    std::string got =
        "== evidence stations\n" + dump(audit(registry, observations, results, precision, limits));
    AuditOptions all;
    all.all_stations = true;
    got += "== all stations\n" + dump(audit(registry, observations, results, precision, limits, all));
    AuditOptions some;
    some.stations = {c, "370602-0002"};
    got += "== named stations\n" + dump(audit(registry, observations, results, precision, limits, some));
    got += "== observations only\n" + dump(audit(registry, observations, {}, precision, limits));
    got += "== results only\n" + dump(audit(registry, {}, results, precision, limits));
    // A manifold nozzle seen on the other tank of its group, and a blend seen on one leg only.
    std::vector<Observation> fallback = observations;
    fallback.push_back(obs_at("370602-0009", "N6", {"T6"}));
    fallback.push_back(obs_at("370602-0009", "N5", {"T4"}));
    got += "== fallback\n" + dump(audit(registry, fallback, {}, precision, limits));
    // audit_site directly, with evidence of other stations in the spans.
    std::vector<const Observation*> obs_ptrs;
    for (const Observation& o : observations)
        obs_ptrs.push_back(&o);
    std::vector<const LabResult*> res_ptrs;
    for (const LabResult& r : results)
        res_ptrs.push_back(&r);
    for (const Site& site : registry.sites()) {
        AuditReport one;
        one.findings = audit_site(site, registry.grades(), obs_ptrs, res_ptrs, precision, limits);
        got += "== audit_site " + site.station.station_id + "\n" + dump(one);
        one.findings = audit_site(site, registry.grades(), obs_ptrs, {}, precision, limits);
        got += "== audit_site without results " + site.station.station_id + "\n" + dump(one);
    }
    const std::filesystem::path golden = fuelmap::testing::source_path("tests/golden/audit_planted.txt");
    if (std::getenv("FUELMAP_UPDATE_GOLDEN")) {
        std::filesystem::create_directories(golden.parent_path());
        std::ofstream(golden, std::ios::binary) << got;
    }
    EXPECT_EQ(got, fuelmap::testing::read_file(golden));
}

// A larger audit with mixed evidence (agreeing stations, and stations that need the general rules):
// the report is the stations' own audit_site() findings one after the other.
TEST(Audit, LargeAuditIsTheStationsFindingsInOrder) {
    SynthOptions so;
    so.stations = 1500;
    const Registry registry = synthesize(so);
    const PrecisionTable precision = PrecisionTable::shipped();
    const GradeLimits limits = GradeLimits::shipped();
    std::vector<Observation> observations;
    std::vector<LabResult> results;
    std::size_t k = 0, nozzles = 0;
    for (const Site& site : registry.sites()) {
        nozzles += site.nozzles.size();
        for (const Nozzle& n : site.nozzles) {
            ++k;
            if (k % 13 == 0)
                continue; // unverified
            Observation o = obs_at(site.station.station_id, n.nozzle_no, {});
            for (const SupplyLeg& leg : n.supply)
                o.observed_tanks.push_back(leg.tank_no);
            if (k % 101 == 0)
                o.observed_tanks = {"T99"}; // hidden tank: the general rules for this station
            else if (k % 211 == 0)
                o.observed_tanks = {site.tanks.front().tank_no}; // maybe a cross-connection
            observations.push_back(std::move(o));
            if (k % 307 == 0)
                results.push_back(lab_at(site.station.station_id, "S" + std::to_string(k),
                                         SampleSource::nozzle, n.nozzle_no, "RON", 91.0, "GB/T 5487", "-"));
        }
    }
    ASSERT_GT(nozzles, 20000u);
    const AuditReport report = audit(registry, observations, results, precision, limits);
    AuditReport sequential;
    std::vector<const Observation*> obs_ptrs;
    for (const Observation& o : observations)
        obs_ptrs.push_back(&o);
    std::vector<const LabResult*> res_ptrs;
    for (const LabResult& r : results)
        res_ptrs.push_back(&r);
    for (const Site& site : registry.sites()) {
        std::vector<AuditFinding> f =
            audit_site(site, registry.grades(), obs_ptrs, res_ptrs, precision, limits);
        std::move(f.begin(), f.end(), std::back_inserter(sequential.findings));
    }
    sequential.stations = registry.size();
    EXPECT_EQ(report.stations, registry.size());
    EXPECT_GT(report.count(AuditClass::hidden_tank), 0u);
    EXPECT_GT(report.count(AuditClass::non_conforming), 0u);
    EXPECT_GT(report.count(AuditClass::unverified), 0u);
    EXPECT_EQ(dump(report), dump(sequential));

    // Streamed: one call per audited station, with that station's findings only, in report order.
    struct Collect final : AuditSink {
        AuditReport got;
        std::size_t calls = 0, begun = 0, nozzles = 0;
        bool one_station_per_call = true;
        void begin(std::size_t stations, std::size_t n) override {
            ++begun;
            got.stations = stations;
            nozzles = n;
        }
        void station(std::span<AuditFinding> findings) override {
            ++calls;
            for (const AuditFinding& f : findings)
                one_station_per_call = one_station_per_call && f.station_id == findings.front().station_id;
            std::move(findings.begin(), findings.end(), std::back_inserter(got.findings));
        }
    } sink;
    audit_each(registry, observations, results, precision, limits, {}, sink);
    EXPECT_EQ(sink.begun, 1u);
    EXPECT_EQ(sink.calls, registry.size());
    EXPECT_EQ(sink.nozzles, nozzles);
    EXPECT_TRUE(sink.one_station_per_call);
    EXPECT_EQ(dump(sink.got), dump(report));

    // A worker auditing blocks of stations ahead gives the same calls with the same findings.
    fuelmap::detail::ObservationTable table;
    for (const Observation& o : observations)
        table.add(o);
    table.finish();
    for (auto threading : {fuelmap::detail::Threading::never, fuelmap::detail::Threading::always}) {
        Collect threaded;
        fuelmap::detail::audit_each(registry, table.rows(), results, precision, limits, {}, threaded,
                                    threading);
        EXPECT_EQ(threaded.calls, registry.size());
        EXPECT_TRUE(threaded.one_station_per_call);
        EXPECT_EQ(dump(threaded.got), dump(report));
    }
    // A sink that fails half-way stops the audit (and its worker) with its error.
    struct Failing final : AuditSink {
        std::size_t calls = 0;
        void begin(std::size_t, std::size_t) override {}
        void station(std::span<AuditFinding>) override {
            if (++calls == 700)
                throw Error("disk full");
        }
    };
    for (auto threading : {fuelmap::detail::Threading::never, fuelmap::detail::Threading::always}) {
        Failing failing;
        EXPECT_THROW_MSG(fuelmap::detail::audit_each(registry, table.rows(), results, precision, limits, {},
                                                     failing, threading),
                         Error, ::testing::Eq("disk full"))
            << "the sink's error was lost";
        EXPECT_EQ(failing.calls, 700u);
    }
}
