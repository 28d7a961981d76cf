// SPDX-License-Identifier: MIT
// The GeoPackage implementation of the RegistryStore seam: records go in with their ledger
// entries and come back in recording order; a round is recorded once.
#include <fuelmap/error.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/frame_source.hpp"
#include "store/registry_store.hpp"
#include "testing/testing.hpp"

#include <gtest/gtest.h>

using namespace fuelmap;
using fuelmap::testing::input_error;
using fuelmap::testing::TempDir;

TEST(RegistryStore, RecordsComeBackInOrderWithTheirLedgerEntries) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(2));
    auto store = detail::open_store(reg);
    EXPECT_EQ(store->name(), reg.string());
    EXPECT_EQ(store->read({}).size(), 2u);
    EXPECT_TRUE(store->read_grades().find("92#"));
    EXPECT_TRUE(store->recorded_plans().empty());
    EXPECT_FALSE(store->for_each_observation([](std::size_t) {}, [](const detail::ObservationRow&) {}));
    EXPECT_TRUE(store->recorded_lab_results().empty());

    store->record_plan({.round = "r1", .digest = "d1", .seed_commitment = "c1", .json = "{\"a\": 1}\n"}, {});
    EXPECT_EQ(input_error([&] {
                  store->record_plan({.round = "r1", .digest = "d2", .seed_commitment = "c2", .json = "{}\n"},
                                     {});
              }),
              reg.string() + ": layer 'fuelmap_plans', feature (r1), field 'round': a plan for round 'r1' is "
                             "already recorded (digest d1)");
    // What runs just before the commit can still undo the whole record.
    bool ran = false;
    EXPECT_THROW(store->record_plan({.round = "r0", .digest = "d0", .seed_commitment = "c0", .json = "{}\n"},
                                    [&] {
                                        ran = true;
                                        throw InputError({.file = "lists/T1.csv"}, "cannot write the file");
                                    }),
                 InputError);
    EXPECT_TRUE(ran);
    EXPECT_EQ(store->recorded_plans().size(), 1u);
    EXPECT_EQ(store->ledger().size(), 1u);
    ran = false;
    store->record_plan({.round = "r0", .digest = "d0", .seed_commitment = "c0", .json = "{}\n"},
                       [&] { ran = true; });
    EXPECT_TRUE(ran);
    const auto plans = store->recorded_plans();
    ASSERT_EQ(plans.size(), 2u);
    EXPECT_EQ(plans[0].round, "r1");
    EXPECT_EQ(plans[0].json, "{\"a\": 1}\n");
    EXPECT_EQ(plans[1].round, "r0");

    const std::vector<detail::ObservationRecord> observations = {
        {"370602-0001", "N1", "T1", "valve_isolation", "I1;I2", "2026-03-02T09:00:00+08:00", "f.csv: line 2",
         "370602-0001/N1@2026-03-02T09:00:00+08:00"},
        {"370602-0002", "N2", "T1+T2", "pipe_tracing", "I3", "2026-03-02T10:00:00+08:00", "f.csv: line 3",
         "370602-0002/N2@2026-03-02T10:00:00+08:00"}};
    store->record_observations(observations);
    std::size_t reserved = 0;
    std::vector<std::string> rows;
    EXPECT_TRUE(store->for_each_observation([&](std::size_t n) { reserved = n; },
                                            [&](const detail::ObservationRow& r) {
                                                rows.push_back(std::string(r.station_id) + " " +
                                                               std::string(r.observed_tanks) + " " +
                                                               std::string(r.inspectors));
                                            }));
    EXPECT_EQ(reserved, 2u);
    EXPECT_EQ(rows, (std::vector<std::string>{"370602-0001 T1 I1;I2", "370602-0002 T1+T2 I3"}));

    const auto entries = read_ledger(reg);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].kind, "plan");
    EXPECT_EQ(entries[0].record_id, "r1");
    EXPECT_EQ(entries[2].kind, "observation");
    EXPECT_EQ(entries[3].record_id, "370602-0002/N2@2026-03-02T10:00:00+08:00");
    EXPECT_TRUE(verify_ledger(reg).ok());
}

TEST(RegistryStore, AFrameWithoutDetailsHasTheSameDigestAndReadsTheDrawnRowsWhole) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    Registry original = fuelmap::testing::sample_registry(4);
    Site with_attribute = fuelmap::testing::sample_site("370602-0009");
    with_attribute.station.attributes["osm_id"] = "node/9";
    original.add(with_attribute);
    create_registry(reg, original);
    const std::vector<std::string> fields = {"county", "ownership", "risk_weight",
                                             "city",   "lon_e6",    "lat_e6"};
    for (const bool cache : {false, true}) {
        const auto full = detail::open_store(reg)->open_frame(cache, true);
        const auto lean = detail::open_store(reg)->open_frame(cache, false);
        EXPECT_EQ(full->stations().sites()[0].station.name, original.sites()[0].station.name);
        // Without details: no name, operator, brand, address or attributes; every other field kept.
        ASSERT_EQ(lean->stations().size(), original.size());
        for (std::size_t i = 0; i < original.size(); ++i) {
            const Station& s = lean->stations().sites()[i].station;
            const Station& o = original.sites()[i].station;
            EXPECT_EQ(s.station_id, o.station_id);
            EXPECT_EQ(s.name, "");
            EXPECT_EQ(s.operator_name, "");
            EXPECT_EQ(s.brand, "");
            EXPECT_EQ(s.address, "");
            EXPECT_TRUE(s.attributes.empty());
            EXPECT_TRUE(s.missing.empty());
            for (const char* f : {"county", "city", "province", "status", "ownership", "risk_weight"})
                EXPECT_EQ(s.field(f), o.field(f)) << f;
            EXPECT_EQ(s.location, o.location);
        }
        EXPECT_EQ(lean->digest(fields, "tail\n"), full->digest(fields, "tail\n")) << cache;
        // The drawn stations' rows, whole, from either frame.
        const std::vector<std::string> ids = {"370602-0002", "370602-0009"};
        for (detail::FrameSource* frame : {full.get(), lean.get()}) {
            const Registry rows = frame->station_rows(ids);
            ASSERT_EQ(rows.size(), 2u);
            EXPECT_EQ(rows.sites()[0].station.name, original.find("370602-0002")->station.name);
            EXPECT_EQ(rows.sites()[0].station.address, original.find("370602-0002")->station.address);
            EXPECT_EQ(rows.sites()[1].station.attributes.at("osm_id"), "node/9");
            EXPECT_TRUE(rows.sites()[1].nozzles.empty()); // no layouts
        }
        // A station the registry does not hold is refused by name.
        EXPECT_NE(input_error([&] { (void)lean->station_rows({"370602-0077"}); }).find("370602-0077"),
                  std::string::npos);
    }
}
