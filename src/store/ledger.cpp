// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_lock.hpp>

#include "store/ledger_db.hpp"
#include "store/ledger_records.hpp"
#include "store/pg_name.hpp"
#include "store/registry_db.hpp"
#include "store/registry_store.hpp"

#include <charconv>
#include <ctime>
#include <functional>

namespace fuelmap {

namespace {

const std::string zero_hash(64, '0');
constexpr const char* ledger_columns =
    "seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT NOT NULL, payload TEXT NOT NULL, "
    "prev_hash TEXT NOT NULL, hash TEXT NOT NULL, recorded_at TEXT NOT NULL";

std::optional<std::string> meta(SQLite::Database& db, const std::string& key) {
    SQLite::Statement q(db, "SELECT value FROM fuelmap_meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
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

constexpr const char* entry_select =
    "SELECT seq, kind, record_id, recorded_at, payload, prev_hash, hash FROM fuelmap_ledger";

void assign_text(std::string& out, const SQLite::Column& c) {
    const char* text = c.getText(); // before getBytes(), as SQLite asks
    out.assign(text, static_cast<std::size_t>(c.getBytes()));
}

// The entry @p q (an entry_select) stands on, into @p e (its strings keep their capacity).
void read_entry(SQLite::Statement& q, LedgerEntry& e) {
    e.seq = q.getColumn(0).getInt64();
    assign_text(e.kind, q.getColumn(1));
    assign_text(e.record_id, q.getColumn(2));
    assign_text(e.recorded_at, q.getColumn(3));
    assign_text(e.payload, q.getColumn(4));
    assign_text(e.prev_hash, q.getColumn(5));
    assign_text(e.hash, q.getColumn(6));
}

std::vector<LedgerEntry> read_entries(detail::RegistryDb& rdb) {
    std::vector<LedgerEntry> entries;
    if (!rdb.has_table("fuelmap_ledger"))
        return entries;
    SQLite::Statement q(rdb.db(), std::string(entry_select) + " ORDER BY seq");
    while (q.executeStep())
        read_entry(q, entries.emplace_back());
    return entries;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// True when the registry holds entries written before ledger format 2.
bool is_old_format(const std::optional<std::string>& version, bool has_entries) {
    return has_entries && version.value_or("1") != ledger_format_version;
}

bool is_old_format(SQLite::Database& db, bool has_entries) {
    return is_old_format(meta(db, "ledger_version"), has_entries);
}

detail::LedgerHead stored_head(SQLite::Database& db) {
    return {meta(db, "ledger_count"), meta(db, "ledger_head"), meta(db, "ledger_version")};
}

// Hands over the entries of @p entries one by one, then nullptr.
std::function<const LedgerEntry*()> each_of(const std::vector<LedgerEntry>& entries) {
    return [&entries, next = std::size_t{0}]() mutable -> const LedgerEntry* {
        return next < entries.size() ? &entries[next++] : nullptr;
    };
}

// The chain and the head, over @p entry_count entries handed over one by one in seq order by @p next
// (nullptr after the last); fills check.broken_seq / reason at the first fault.
void check_chain(const detail::LedgerHead& stored, std::int64_t entry_count,
                 const std::function<const LedgerEntry*()>& next, LedgerCheck& check,
                 const std::string& (*hash_of)(const LedgerEntry&, std::string&)) {
    check.entries = entry_count;
    std::string prev = zero_hash;
    std::string scratch;
    auto fail = [&](std::int64_t seq, std::string reason) {
        check.broken_seq = seq;
        check.reason = std::move(reason);
    };
    std::int64_t expected_seq = 0;
    while (const LedgerEntry* entry = next()) {
        const LedgerEntry& e = *entry;
        ++expected_seq;
        const auto name = [&] { return " (" + e.kind + " " + e.record_id + ")"; };
        if (e.seq != expected_seq)
            return fail(expected_seq, "entry " + std::to_string(expected_seq) +
                                          " is missing (next entry is " + std::to_string(e.seq) + ")");
        if (e.prev_hash != prev)
            return fail(e.seq, "entry " + std::to_string(e.seq) + name() +
                                   " does not link to the previous entry's hash");
        if (hash_of(e, scratch) != e.hash)
            return fail(e.seq, "entry " + std::to_string(e.seq) + name() +
                                   " was edited: its hash does not match its content");
        prev = e.hash;
        check.hashes.push_back(e.hash);
    }
    check.head = prev;
    const std::string count = stored.count.value_or("0");
    const std::string head = stored.head.value_or(entry_count == 0 ? zero_hash : "");
    std::int64_t recorded = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), recorded);
    if (ec != std::errc() || end != count.data() + count.size())
        return fail(check.entries + 1, "the ledger head's ledger_count '" + count + "' is not a number");
    if (recorded != check.entries || (recorded > 0 && head != prev))
        fail(check.entries + 1,
             "the ledger head records " + std::to_string(recorded) + " entries ending in " +
                 (head.empty() ? std::string("(none)") : head.substr(0, 16)) + "… but " +
                 std::to_string(check.entries) + " entries ending in " + prev.substr(0, 16) +
                 "… are present: entries were removed or added, or the head was edited");
}

const std::string& hash_v2(const LedgerEntry& e, std::string& out) {
    out = entry_hash(e);
    return out;
}

const std::string& hash_v1(const LedgerEntry& e, std::string& out) {
    out = sha256_hex("fuelmap-ledger-v1\n" + std::to_string(e.seq) + "\n" + e.kind + "\n" + e.record_id +
                     "\n" + sha256_hex(e.payload) + "\n" + e.prev_hash);
    return out;
}

} // namespace

std::string entry_hash(const LedgerEntry& e) {
    std::string text = "fuelmap-ledger-v2\n";
    text.reserve(text.size() + 20 + e.kind.size() + e.record_id.size() + e.recorded_at.size() + 64 + 64 + 6);
    text.append(std::to_string(e.seq)).append(1, '\n').append(e.kind).append(1, '\n');
    text.append(e.record_id).append(1, '\n').append(e.recorded_at).append(1, '\n');
    text.append(sha256_hex(e.payload)).append(1, '\n').append(e.prev_hash);
    return sha256_hex(text);
}

std::string LedgerCheck::first_problem() const {
    if (broken_seq)
        return "ledger broken at entry " + std::to_string(*broken_seq) + ": " + reason;
    if (!record_problems.empty())
        return record_problems.front();
    return {};
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
                     "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)") {
    SQLite::Statement last(m_db, "SELECT seq, hash FROM fuelmap_ledger ORDER BY seq DESC LIMIT 1");
    if (last.executeStep()) {
        m_seq = last.getColumn(0).getInt64();
        m_head = last.getColumn(1).getString();
    } else {
        m_seq = 0;
        m_head = zero_hash;
    }
    if (is_old_format(m_db, m_seq > 0))
        throw InputError({.file = rdb.path().string(), .layer = "fuelmap_ledger"},
                         detail::old_ledger_format_message(rdb.path().string()));
}

std::string old_ledger_format_message(const std::string& registry) {
    return "the ledger was written by an earlier fuelmap (ledger format 1), which did not bind the "
           "records' content; run `fuelmap ledger migrate -r " +
           registry + "` to check its chain and seal the records as they stand";
}

LedgerEntry seal_entry(std::int64_t seq, const std::string& kind, const std::string& record_id,
                       std::string payload, const std::string& prev_hash) {
    LedgerEntry e;
    e.seq = seq;
    e.kind = kind;
    e.record_id = record_id;
    e.recorded_at = utc_now();
    e.payload = std::move(payload);
    e.prev_hash = prev_hash;
    e.hash = entry_hash(e);
    return e;
}

LedgerCheck check_ledger(const std::vector<LedgerEntry>& entries, const LedgerHead& head,
                         const RecordTableRows& rows, const std::string& registry) {
    LedgerCheck check;
    if (is_old_format(head.version, !entries.empty())) {
        check.entries = static_cast<std::int64_t>(entries.size());
        check.broken_seq = 1;
        check.reason = old_ledger_format_message(registry);
        return check;
    }
    check_chain(head, static_cast<std::int64_t>(entries.size()), each_of(entries), check, hash_v2);
    check_record_rows(rows, entries, check.record_problems);
    return check;
}

LedgerEntry LedgerAppender::append_record(const std::string& kind, const std::string& record_id,
                                          std::int64_t rowid) {
    const RecordTable* table = record_table(kind);
    if (!table)
        throw Error("internal error: the ledger has no record table for kind '" + kind + "'");
    auto query = m_row_reads.find(kind);
    if (query == m_row_reads.end())
        query = m_row_reads.emplace(kind, record_row_query(m_db, *table)).first;
    const LedgerEntry e =
        seal_entry(m_seq + 1, kind, record_id, record_payload(query->second, *table, rowid), m_head);
    m_insert.reset();
    m_insert.bind(1, e.seq);
    m_insert.bind(2, e.kind);
    m_insert.bind(3, e.record_id);
    m_insert.bindNoCopy(4, e.payload); // megabytes for a plan: SQLite need not copy it first
    m_insert.bind(5, e.prev_hash);
    m_insert.bind(6, e.hash);
    m_insert.bind(7, e.recorded_at);
    m_insert.exec();
    m_seq = e.seq;
    m_head = e.hash;
    return e;
}

void LedgerAppender::finish() {
    set_meta(m_db, "ledger_count", std::to_string(m_seq));
    set_meta(m_db, "ledger_head", m_head);
    set_meta(m_db, "ledger_version", ledger_format_version);
}

std::optional<std::int64_t> ledger_seq_of(SQLite::Database& db, const std::string& kind,
                                          const std::string& record_id) {
    if (!db.tableExists("fuelmap_ledger"))
        return std::nullopt;
    SQLite::Statement q(db, "SELECT seq FROM fuelmap_ledger WHERE kind = ? AND record_id = ? ORDER BY seq "
                            "LIMIT 1");
    q.bind(1, kind);
    q.bind(2, record_id);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getInt64();
}

} // namespace detail

std::vector<LedgerEntry> detail::read_gpkg_ledger(const std::filesystem::path& registry) {
    detail::RegistryDb rdb(registry, false);
    SQLite::Transaction snapshot(rdb.db());
    return read_entries(rdb);
}

LedgerCheck detail::verify_gpkg_ledger(const std::filesystem::path& registry) {
    detail::RegistryDb rdb(registry, detail::OpenMode::bulk_read);
    SQLite::Database& db = rdb.db();
    // One read transaction: the head, the entries and the record tables are one snapshot, so that a
    // writer committing meanwhile cannot make an honest registry look truncated. The entries and
    // the rows are streamed, never all in memory (check_ledger() is the same check over entries
    // and rows in memory, for the PostgreSQL backend).
    SQLite::Transaction snapshot(db);
    LedgerCheck check;
    std::int64_t count = 0;
    std::int64_t last_seq = 0;
    if (rdb.has_table("fuelmap_ledger")) {
        SQLite::Statement size(db, "SELECT count(*), coalesce(max(seq), 0) FROM fuelmap_ledger");
        size.executeStep();
        count = size.getColumn(0).getInt64();
        last_seq = size.getColumn(1).getInt64();
    }
    if (is_old_format(db, count > 0)) {
        check.entries = count;
        check.broken_seq = 1;
        check.reason = detail::old_ledger_format_message(registry.string());
        return check;
    }
    if (count == 0) {
        check_chain(
            stored_head(db), 0, [] { return static_cast<const LedgerEntry*>(nullptr); }, check, hash_v2);
    } else {
        SQLite::Statement q(db, std::string(entry_select) + " ORDER BY seq");
        LedgerEntry e;
        check_chain(
            stored_head(db), count,
            [&]() -> const LedgerEntry* {
                if (!q.executeStep())
                    return nullptr;
                read_entry(q, e);
                return &e;
            },
            check, hash_v2);
    }
    detail::check_record_tables(db, last_seq, check.record_problems);
    return check;
}

std::vector<LedgerEntry> read_ledger(const std::filesystem::path& registry) {
    return detail::open_store(registry)->ledger();
}

LedgerCheck verify_ledger(const std::filesystem::path& registry) {
    return detail::open_store(registry)->check_ledger();
}

LedgerCheck require_intact_ledger(const std::filesystem::path& registry) {
    LedgerCheck check = verify_ledger(registry);
    if (check.ok())
        return check;
    const std::size_t more = check.record_problems.size() - (check.broken_seq ? 0 : 1);
    throw InputError({.file = registry.string()},
                     "the ledger check failed, so its records are not used: " + check.first_problem() +
                         (more ? " (and " + std::to_string(more) + " more problem(s))" : std::string()) +
                         "; `fuelmap ledger verify -r " + registry.string() + "` lists them");
}

std::int64_t migrate_ledger(const std::filesystem::path& registry) {
    // A PostgreSQL registry was never written with ledger format 1.
    if (detail::is_pg_registry(registry.string())) {
        (void)verify_ledger(registry);
        return 0;
    }
    const RegistryLock lock(registry, LockMode::write);
    detail::RegistryDb rdb(registry, true);
    SQLite::Database& db = rdb.db();
    SQLite::Transaction tx(db);
    std::vector<LedgerEntry> entries = read_entries(rdb);
    if (!is_old_format(db, !entries.empty()))
        return 0;
    LedgerCheck old;
    check_chain(stored_head(db), static_cast<std::int64_t>(entries.size()), each_of(entries), old, hash_v1);
    if (!old.ok())
        throw InputError({.file = registry.string(), .layer = "fuelmap_ledger"},
                         "the format-1 ledger does not verify, so it cannot be migrated: " +
                             old.first_problem());
    const std::string old_head = old.head;
    // Format 1 linked plans by round only: give the plan rows their ledger_seq.
    if (db.tableExists("fuelmap_plans")) {
        bool has_seq = false;
        SQLite::Statement cols(db, "SELECT name FROM pragma_table_info('fuelmap_plans')");
        while (cols.executeStep())
            has_seq = has_seq || cols.getColumn(0).getString() == "ledger_seq";
        if (!has_seq)
            db.exec("ALTER TABLE fuelmap_plans ADD COLUMN ledger_seq INTEGER");
    }
    SQLite::Statement update(db,
                             "UPDATE fuelmap_ledger SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?");
    std::string prev = zero_hash;
    for (LedgerEntry& e : entries) {
        const detail::RecordTable* table = detail::record_table(e.kind);
        if (!table)
            throw InputError({.file = registry.string(), .layer = "fuelmap_ledger", .fid = e.seq},
                             "entry of unknown kind '" + e.kind + "'; cannot migrate");
        std::optional<std::int64_t> rowid;
        if (db.tableExists(std::string(table->table))) {
            const bool by_round = e.kind == "plan";
            SQLite::Statement q(db, "SELECT fid FROM \"" + std::string(table->table) + "\" WHERE " +
                                        (by_round ? "round = ?" : "ledger_seq = ?"));
            if (by_round)
                q.bind(1, e.record_id);
            else
                q.bind(1, e.seq);
            if (q.executeStep())
                rowid = q.getColumn(0).getInt64();
        }
        if (!rowid)
            throw InputError(
                {.file = registry.string(), .layer = std::string(table->table), .feature = e.record_id},
                "the record of ledger entry " + std::to_string(e.seq) + " is missing; cannot migrate");
        if (e.kind == "plan") {
            SQLite::Statement link(db, "UPDATE fuelmap_plans SET ledger_seq = ? WHERE fid = ?");
            link.bind(1, e.seq);
            link.bind(2, *rowid);
            link.exec();
        }
        e.payload = detail::record_payload(db, *table, *rowid);
        e.prev_hash = prev;
        e.hash = entry_hash(e);
        update.reset();
        update.bind(1, e.payload);
        update.bind(2, e.prev_hash);
        update.bind(3, e.hash);
        update.bind(4, e.seq);
        update.exec();
        prev = e.hash;
    }
    set_meta(db, "ledger_head", prev);
    set_meta(db, "ledger_count", std::to_string(entries.size()));
    set_meta(db, "ledger_version", ledger_format_version);
    set_meta(db, "ledger_v1_head", old_head);
    tx.commit();
    return static_cast<std::int64_t>(entries.size());
}

} // namespace fuelmap
