// SPDX-License-Identifier: MIT
// The GeoPackage implementation of the RegistryStore seam: records go in with their ledger
// entries and come back in recording order; a round is recorded once.
#include <fuelmap/error.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>

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
