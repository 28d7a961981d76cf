// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ledger.hpp>

#include "store/ledger_db.hpp"
#include "store/registry_db.hpp"

namespace fuelmap {

namespace {

const std::string zero_hash(64, '0');
constexpr const char* ledger_columns =
    "seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT NOT NULL, payload TEXT NOT NULL, "
    "prev_hash TEXT NOT NULL, hash TEXT NOT NULL, recorded_at TEXT NOT NULL";

std::string meta(SQLite::Database& db, const std::string& key) {
    SQLite::Statement q(db, "SELECT value FROM fuelmap_meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void set_meta(SQLite::Database& db, const std::string& key, const std::string& value) {
    SQLite::Statement del(db, "DELETE FROM fuelmap_meta WHERE key = ?");
    del.bind(1, key);
    del.exec();
    SQLite::Statement ins(db, "INSERT INTO fuelmap_meta (key, value) VALUES (?, ?)");
    ins.bind(1, key);
    ins.bind(2, value);
    ins.exec();
}

std::vector<LedgerEntry> read_entries(detail::RegistryDb& rdb) {
    std::vector<LedgerEntry> entries;
    if (!rdb.has_table("fuelmap_ledger"))
        return entries;
    SQLite::Statement q(rdb.db(), "SELECT seq, kind, record_id, payload, prev_hash, hash FROM fuelmap_ledger "
                                  "ORDER BY seq");
    while (q.executeStep())
        entries.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), q.getColumn(4).getString(),
                           q.getColumn(5).getString()});
    return entries;
}

} // namespace

std::string entry_hash(const LedgerEntry& e) {
    return sha256_hex("fuelmap-ledger-v1\n" + std::to_string(e.seq) + "\n" + e.kind + "\n" + e.record_id +
                      "\n" + sha256_hex(e.payload) + "\n" + e.prev_hash);
}

namespace detail {

namespace {
RegistryDb& with_ledger_table(RegistryDb& rdb) {
    rdb.ensure_attribute_table("fuelmap_ledger", ledger_columns,
                               "fuelmap hash-chained ledger of plans, observations and lab results");
    return rdb;
}
} // namespace

LedgerAppender::LedgerAppender(RegistryDb& rdb)
    : m_db(with_ledger_table(rdb).db()),
      m_insert(m_db, "INSERT INTO fuelmap_ledger (seq, kind, record_id, payload, prev_hash, hash, "
                     "recorded_at) VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))") {
    SQLite::Statement last(m_db, "SELECT seq, hash FROM fuelmap_ledger ORDER BY seq DESC LIMIT 1");
    if (last.executeStep()) {
        m_seq = last.getColumn(0).getInt64();
        m_head = last.getColumn(1).getString();
    } else {
        m_seq = 0;
        m_head = zero_hash;
    }
}

LedgerEntry LedgerAppender::append(const std::string& kind, const std::string& record_id,
                                   const std::string& payload) {
    LedgerEntry e;
    e.seq = m_seq + 1;
    e.kind = kind;
    e.record_id = record_id;
    e.payload = payload;
    e.prev_hash = m_head;
    e.hash = entry_hash(e);
    m_insert.reset();
    m_insert.bind(1, e.seq);
    m_insert.bind(2, e.kind);
    m_insert.bind(3, e.record_id);
    m_insert.bind(4, e.payload);
    m_insert.bind(5, e.prev_hash);
    m_insert.bind(6, e.hash);
    m_insert.exec();
    m_seq = e.seq;
    m_head = e.hash;
    return e;
}

void LedgerAppender::finish() {
    set_meta(m_db, "ledger_count", std::to_string(m_seq));
    set_meta(m_db, "ledger_head", m_head);
}

LedgerEntry append_ledger_entry(RegistryDb& rdb, const std::string& kind, const std::string& record_id,
                                const std::string& payload) {
    LedgerAppender ledger(rdb);
    LedgerEntry e = ledger.append(kind, record_id, payload);
    ledger.finish();
    return e;
}

} // namespace detail

std::vector<LedgerEntry> read_ledger(const std::filesystem::path& registry) {
    detail::RegistryDb rdb(registry, false);
    return read_entries(rdb);
}

LedgerCheck verify_ledger(const std::filesystem::path& registry) {
    detail::RegistryDb rdb(registry, false);
    std::vector<LedgerEntry> entries = read_entries(rdb);
    LedgerCheck check;
    check.entries = static_cast<std::int64_t>(entries.size());
    std::string prev = zero_hash;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const LedgerEntry& e = entries[i];
        const auto expected_seq = static_cast<std::int64_t>(i + 1);
        auto fail = [&](std::int64_t seq, std::string reason) {
            check.broken_seq = seq;
            check.reason = std::move(reason);
        };
        if (e.seq != expected_seq) {
            fail(expected_seq, "entry " + std::to_string(expected_seq) + " is missing (next entry is " +
                                   std::to_string(e.seq) + ")");
            return check;
        }
        if (e.prev_hash != prev) {
            fail(e.seq, "entry " + std::to_string(e.seq) + " (" + e.kind + " " + e.record_id +
                            ") does not link to the previous entry's hash");
            return check;
        }
        if (entry_hash(e) != e.hash) {
            fail(e.seq, "entry " + std::to_string(e.seq) + " (" + e.kind + " " + e.record_id +
                            ") was edited: its hash does not match its content");
            return check;
        }
        prev = e.hash;
    }
    const std::string count = meta(rdb.db(), "ledger_count");
    const std::string head = meta(rdb.db(), "ledger_head");
    const std::int64_t recorded = count.empty() ? 0 : std::stoll(count);
    if (recorded != check.entries || (recorded > 0 && head != prev)) {
        check.broken_seq = check.entries + 1;
        check.reason = "the ledger head records " + std::to_string(recorded) + " entries but " +
                       std::to_string(check.entries) +
                       " are present: entries were removed or the head was edited";
    }
    return check;
}

LedgerEntry append_to_ledger(const std::filesystem::path& registry, const std::string& kind,
                             const std::string& record_id, const std::string& payload) {
    detail::RegistryDb rdb(registry, true);
    SQLite::Transaction tx(rdb.db());
    LedgerEntry e = detail::append_ledger_entry(rdb, kind, record_id, payload);
    tx.commit();
    return e;
}

} // namespace fuelmap
