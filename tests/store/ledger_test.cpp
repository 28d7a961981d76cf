// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {
std::filesystem::path registry_with_three_entries(const TempDir& dir) {
    auto path = dir / "r.gpkg";
    create_registry(path, fuelmap::testing::sample_registry(1));
    append_to_ledger(path, "plan", "2026-Q4", R"({"round":"2026-Q4"})");
    append_to_ledger(path, "observation", "370602-0001/N1", R"({"tank":"T1"})");
    append_to_ledger(path, "lab_result", "S-0001", R"({"RON":95.2})");
    return path;
}
} // namespace

TEST(Ledger, ChainVerifies) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    auto entries = read_ledger(path);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].prev_hash, std::string(64, '0'));
    EXPECT_EQ(entries[1].prev_hash, entries[0].hash);
    EXPECT_EQ(entries[2].hash, entry_hash(entries[2]));
    EXPECT_TRUE(verify_ledger(path).ok());
    EXPECT_EQ(verify_ledger(path).entries, 3);
}

TEST(Ledger, EditedPayloadIsNamed) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    SQLite::Database(path.string(), SQLite::OPEN_READWRITE)
        .exec("UPDATE fuelmap_ledger SET payload = '{\"tank\":\"T2\"}' WHERE seq = 2");
    LedgerCheck c = verify_ledger(path);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(*c.broken_seq, 2);
    EXPECT_NE(c.reason.find("edited"), std::string::npos);
}

TEST(Ledger, RemovedEntriesAreDetectedInTheMiddleAndAtTheEnd) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    SQLite::Database(path.string(), SQLite::OPEN_READWRITE).exec("DELETE FROM fuelmap_ledger WHERE seq = 2");
    LedgerCheck middle = verify_ledger(path);
    ASSERT_FALSE(middle.ok());
    EXPECT_EQ(*middle.broken_seq, 2);

    TempDir dir2;
    auto path2 = registry_with_three_entries(dir2);
    SQLite::Database(path2.string(), SQLite::OPEN_READWRITE).exec("DELETE FROM fuelmap_ledger WHERE seq = 3");
    LedgerCheck end = verify_ledger(path2);
    ASSERT_FALSE(end.ok());
    EXPECT_EQ(*end.broken_seq, 3);
}
