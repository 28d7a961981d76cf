// SPDX-License-Identifier: MIT
#include "testing/testing.hpp"

#include <fuelmap/checkpoint.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "store/ledger_records.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace fuelmap;
using fuelmap::testing::TempDir;

namespace {
// A registry with three observations recorded: ledger entries 1, 2, 3.
std::filesystem::path registry_with_three_entries(const TempDir& dir) {
    auto path = dir / "r.gpkg";
    create_registry(path, fuelmap::testing::sample_registry(1));
    std::ofstream(dir / "obs.csv") << "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at\n"
                                      "370602-0001,N1,T1,pipe_tracing,I01,2026-01-05\n"
                                      "370602-0001,N2,T2,pipe_tracing,I01,2026-01-05\n"
                                      "370602-0001,N3,T3,pipe_tracing,I01,2026-01-05\n";
    EXPECT_EQ(record_observations(path, read_observation_file(dir / "obs.csv")), 3u);
    return path;
}

void sql(const std::filesystem::path& path, const std::string& text) {
    SQLite::Database(path.string(), SQLite::OPEN_READWRITE).exec(text);
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
    EXPECT_EQ(entries[2].recorded_at.size(), 20u);
    EXPECT_TRUE(verify_ledger(path).ok());
    EXPECT_EQ(verify_ledger(path).entries, 3);
    EXPECT_EQ(verify_ledger(path).head, entries[2].hash);
}

TEST(Ledger, EditedPayloadIsNamed) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    sql(path, "UPDATE fuelmap_ledger SET payload = replace(payload, 'T2', 'T3') WHERE seq = 2");
    LedgerCheck c = verify_ledger(path);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(*c.broken_seq, 2);
    EXPECT_NE(c.reason.find("edited"), std::string::npos);
}

// recorded_at is covered by the hash (issue 12, problem 4).
TEST(Ledger, RecordedTimeIsInsideTheHash) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    sql(path, "UPDATE fuelmap_ledger SET recorded_at = '1999-01-01T00:00:00Z' WHERE seq = 3");
    LedgerCheck c = verify_ledger(path);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(*c.broken_seq, 3);
    EXPECT_EQ(c.reason,
              "entry 3 (observation 370602-0001/N3@2026-01-05) was edited: its hash does not match its "
              "content");
}

TEST(Ledger, RemovedEntriesAreDetectedInTheMiddleAndAtTheEnd) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    sql(path, "DELETE FROM fuelmap_ledger WHERE seq = 2");
    LedgerCheck middle = verify_ledger(path);
    ASSERT_FALSE(middle.ok());
    EXPECT_EQ(*middle.broken_seq, 2);

    TempDir dir2;
    auto path2 = registry_with_three_entries(dir2);
    sql(path2, "DELETE FROM fuelmap_ledger WHERE seq = 3");
    LedgerCheck end = verify_ledger(path2);
    ASSERT_FALSE(end.ok());
    EXPECT_EQ(*end.broken_seq, 3);
}

// Each record table is checked against the ledger both ways.
TEST(Ledger, RecordsAreBoundBothWays) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    sql(path, "UPDATE fuelmap_observations SET inspectors = 'I99' WHERE fid = 2; "
              "DELETE FROM fuelmap_observations WHERE fid = 3; "
              "INSERT INTO fuelmap_observations (station_id, nozzle_no, observed_tanks, method, inspectors, "
              "observed_at, source, ledger_seq) VALUES ('370602-0001', 'N4', 'T1', 'pipe_tracing', 'I01', "
              "'2026-01-06', NULL, 7)");
    const LedgerCheck c = verify_ledger(path);
    EXPECT_FALSE(c.broken_seq);
    ASSERT_EQ(c.record_problems.size(), 3u);
    EXPECT_NE(
        c.record_problems[0].find("fid 2 (station_id '370602-0001', nozzle_no 'N2', observed_at "
                                  "'2026-01-05', method 'pipe_tracing'): field 'inspectors' was edited: "
                                  "the ledger records 'I01', the table holds 'I99' (ledger entry 2)"),
        std::string::npos)
        << c.record_problems[0];
    EXPECT_NE(c.record_problems[1].find("fid 4 "), std::string::npos) << c.record_problems[1];
    EXPECT_NE(c.record_problems[1].find("no ledger entry accounts for this row"), std::string::npos);
    EXPECT_EQ(c.record_problems[2],
              "table fuelmap_observations: the observation 370602-0001/N3@2026-01-05 of "
              "ledger entry 3 has no row: it was deleted");
    EXPECT_THROW(require_intact_ledger(path), InputError);
}

TEST(Ledger, CheckpointExtension) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    const LedgerCheckpoint now = current_checkpoint(path);
    EXPECT_EQ(now.entries, 3);
    EXPECT_FALSE(checkpoint_problem(path, now));
    LedgerCheckpoint empty{.entries = 0, .head = std::string(64, '0'), .public_key = {}, .signature = {}};
    EXPECT_FALSE(checkpoint_problem(path, empty));
    LedgerCheckpoint ahead = now;
    ahead.entries = 4;
    EXPECT_EQ(checkpoint_problem(path, ahead).value_or(""),
              "the checkpoint records 4 entries but the ledger has 3: it was truncated");
    LedgerCheckpoint other = now;
    other.head = std::string(64, 'a');
    EXPECT_NE(checkpoint_problem(path, other).value_or("").find("was rewritten"), std::string::npos);
    EXPECT_EQ(parse_checkpoint(now.to_text(), "t").head, now.head);
    EXPECT_EQ(parse_checkpoint(now.to_json(), "j").entries, 3);
    // The same answers from a ledger checked already (verify's way: the ledger is read once), whose
    // check holds every entry's hash in order.
    const LedgerCheck checked = require_intact_ledger(path);
    const std::vector<LedgerEntry> entries = read_ledger(path);
    ASSERT_EQ(checked.hashes.size(), entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i)
        EXPECT_EQ(checked.hashes[i], entries[i].hash) << i;
    EXPECT_EQ(checked.hashes.back(), checked.head);
    for (LedgerCheckpoint cp : {now, empty, ahead, other}) {
        EXPECT_EQ(checkpoint_problem(checked, cp), checkpoint_problem(path, cp)) << cp.entries;
        cp.entries = 2; // an earlier entry than the head
        cp.head = entries[1].hash;
        EXPECT_FALSE(checkpoint_problem(checked, cp));
        cp.head = entries[2].hash;
        EXPECT_EQ(checkpoint_problem(checked, cp), checkpoint_problem(path, cp));
        EXPECT_TRUE(checkpoint_problem(checked, cp));
    }
}

TEST(Ledger, ACheckHoldsTheHashesOfTheEntriesBeforeTheBreak) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    const std::vector<LedgerEntry> entries = read_ledger(path);
    sql(path, "UPDATE fuelmap_ledger SET payload = payload || ' ' WHERE seq = 2");
    const LedgerCheck c = verify_ledger(path);
    ASSERT_EQ(c.broken_seq.value_or(0), 2);
    ASSERT_EQ(c.hashes.size(), 1u);
    EXPECT_EQ(c.hashes[0], entries[0].hash);
}

TEST(Ledger, SignaturesCoverTheCheckpoint) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    const std::string pub = generate_office_key(dir / "k.pem", dir / "k.pub");
    EXPECT_EQ(office_public_key(dir / "k.pub"), pub);
    EXPECT_EQ(office_public_key(dir / "k.pem"), pub);
    LedgerCheckpoint cp = current_checkpoint(path);
    sign_checkpoint(cp, dir / "k.pem");
    EXPECT_EQ(cp.public_key, pub);
    EXPECT_TRUE(cp.signature_valid());
    EXPECT_TRUE(parse_checkpoint(cp.to_text(), "t").signature_valid());
    LedgerCheckpoint changed = cp;
    changed.entries = 2;
    EXPECT_FALSE(changed.signature_valid());
    EXPECT_THROW(sign_checkpoint(cp, dir / "k.pub"), InputError);
}

TEST(RegistryLock, NestedLocksInOneProcessDoNotWaitForThemselves) {
    TempDir dir;
    auto path = registry_with_three_entries(dir);
    set_registry_lock_wait(std::chrono::milliseconds(50));
    {
        const RegistryLock outer(path, LockMode::write);
        const RegistryLock inner(path, LockMode::read);
        EXPECT_EQ(record_observations(path, {}), 0u);
        EXPECT_TRUE(std::filesystem::exists(RegistryLock::lock_file(path)));
    }
    {
        const RegistryLock reader(path, LockMode::read);
        EXPECT_THROW(RegistryLock(path, LockMode::write), std::logic_error);
    }
    set_registry_lock_wait(std::chrono::milliseconds(10000));
}

// The payload text is written straight from the columns (no json value is built); it must stay
// exactly nlohmann's compact dump, which registries written by earlier versions hold.
TEST(Ledger, PayloadTextIsCompactJsonAsEarlierVersionsWroteIt) {
    using json = nlohmann::ordered_json;
    const detail::RecordTable& table = *detail::record_table("lab_result");
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    std::string create = "CREATE TABLE fuelmap_lab_results (";
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        create += (i ? ", " : "") + std::string(table.columns[i]) + (i ? "" : " INTEGER PRIMARY KEY");
    db.exec(create + ")");
    const std::vector<std::string> texts = {"plain",
                                            "quote \" and \\ backslash",
                                            "line\nfeed\ttab\r\b\f",
                                            "ctl \x01\x1f\x7f",
                                            "加油站 92# 乙醇汽油",
                                            "bad \xff\xfe utf-8 \xe5\x8a",
                                            ""};
    const std::vector<double> numbers = {0.1, 1e-7, 26.4363899, -0.5, 117.0, 1.5e20, 3.0};
    for (std::size_t row = 0; row < texts.size(); ++row) {
        SQLite::Statement insert(
            db, "INSERT INTO fuelmap_lab_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        json expected = json::object();
        int col = 1;
        const auto bind_text = [&](std::string_view name, const std::string& value) {
            insert.bind(col++, value);
            expected[std::string(name)] = value;
        };
        insert.bind(col++, static_cast<std::int64_t>(row + 1));
        expected["fid"] = row + 1;
        bind_text("sample_id", texts[row]);
        bind_text("station_id", texts[(row + 1) % texts.size()]);
        insert.bind(col++); // NULL
        expected["source"] = nullptr;
        bind_text("element_no", "T" + std::to_string(row));
        insert.bind(col++, static_cast<std::int64_t>(-42) * static_cast<std::int64_t>(row));
        expected["depth"] = -42 * static_cast<std::int64_t>(row);
        bind_text("property", "density");
        insert.bind(col++, numbers[row]);
        expected["value"] = numbers[row];
        const unsigned char blob[] = {0x00, 0xff, 0x10};
        insert.bind(col++, blob, static_cast<int>(row % 3 + 1));
        static constexpr char hex[] = "0123456789abcdef";
        std::string shown = "blob:";
        for (std::size_t i = 0; i < row % 3 + 1; ++i)
            shown += {hex[blob[i] >> 4], hex[blob[i] & 15]};
        expected["unit"] = shown;
        bind_text("method", texts[(row + 2) % texts.size()]);
        bind_text("lab", "LAB-" + std::to_string(row));
        bind_text("imported_from", texts[(row + 3) % texts.size()]);
        insert.bind(col++, static_cast<std::int64_t>(row + 1));
        expected["ledger_seq"] = row + 1;
        insert.exec();
        EXPECT_EQ(detail::record_payload(db, table, static_cast<std::int64_t>(row + 1)),
                  expected.dump(-1, ' ', false, json::error_handler_t::replace))
            << "row " << row;
    }
}
