// SPDX-License-Identifier: MIT
// Moving a registry's records and ledger into a new PostgreSQL registry (pg_move.hpp). A ledger
// that verifies binds each record row to its entry's payload, the row's canonical text with every
// column (fid and ledger_seq included): the rows are therefore rebuilt from the payloads, and the
// chain is copied, never re-appended, so its hashes and head stay those of the file.
#include "store/pg_move.hpp"

#include <fuelmap/error.hpp>

#include "store/pg_connection.hpp"
#include "store/pg_copy.hpp"
#include "store/pg_records.hpp"

#include <algorithm>
#include <map>

namespace fuelmap::detail {

namespace {

// One payload value as a COPY field, of the JSON type its column was stored with.
void copy_value(CopyLine& line, const RecordRow& v) {
    if (v.is_null())
        line.null();
    else if (v.is_number_integer())
        line.integer(v.get<std::int64_t>());
    else if (v.is_number())
        line.real(v.get<double>());
    else if (v.is_string())
        line.text(v.get_ref<const std::string&>());
    else
        line.text(v.dump());
}

// The entry's payload as its row, checked to hold exactly the table's columns in order.
RecordRow payload_row(const LedgerEntry& e, const RecordTable& t, const std::string& name) {
    RecordRow row = RecordRow::parse(e.payload, nullptr, false);
    bool fits = row.is_object() && row.size() == t.columns.size();
    std::size_t i = 0;
    if (fits)
        for (const auto& [column, value] : row.items())
            fits = fits && column == t.columns[i++];
    fits = fits && row["ledger_seq"] == e.seq && row["fid"].is_number_integer();
    if (!fits)
        throw InputError({.file = name, .layer = std::string(t.table)},
                         "ledger entry " + std::to_string(e.seq) + ": its payload is not a row of " +
                             std::string(t.table) + " (its columns, in order)");
    return row;
}

template <std::size_t N>
void copy_rows(pqxx::transaction_base& tx, const RecordTable& t, const std::vector<RecordRow>& rows) {
    Copy<N> copy(tx, std::string(t.table), std::vector<std::string>(t.columns.begin(), t.columns.end()));
    CopyLine line;
    for (const RecordRow& row : rows) {
        for (const auto& [column, value] : row.items())
            copy_value(line, value);
        copy.write(line);
    }
    copy.complete();
}

void write_rows(pqxx::transaction_base& tx, const RecordTable& t, const std::vector<RecordRow>& rows) {
    switch (t.columns.size()) {
    case 7:
        return copy_rows<7>(tx, t, rows);
    case 9:
        return copy_rows<9>(tx, t, rows);
    case 11:
        return copy_rows<11>(tx, t, rows);
    case 13:
        return copy_rows<13>(tx, t, rows);
    default:
        throw Error("internal error: no COPY of " + std::to_string(t.columns.size()) + " columns for " +
                    std::string(t.table));
    }
}

} // namespace

void pg_write_ledger(pqxx::transaction_base& tx, std::span<const LedgerEntry> entries, std::int64_t count,
                     const std::string& head) {
    Copy<7> copy(tx, "fuelmap_ledger",
                 {"seq", "kind", "record_id", "payload", "prev_hash", "hash", "recorded_at"});
    CopyLine line;
    for (const LedgerEntry& e : entries) {
        line.integer(e.seq).text(e.kind).text(e.record_id).text(e.payload).text(e.prev_hash).text(e.hash);
        line.text(e.recorded_at);
        copy.write(line);
    }
    copy.complete();
    const char* upsert = "INSERT INTO fuelmap_meta (key, value) VALUES ($1, $2) "
                         "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";
    tx.exec_params0(upsert, "ledger_count", std::to_string(count));
    tx.exec_params0(upsert, "ledger_head", head);
    tx.exec_params0(upsert, "ledger_version", std::string(ledger_format_version));
}

void pg_move_records(pqxx::transaction_base& tx, const std::string& name,
                     std::span<const LedgerEntry> ledger) {
    if (ledger.empty())
        return;
    const std::int64_t held = tx.exec1("SELECT count(*) FROM fuelmap_ledger")[0].as<std::int64_t>();
    if (held != 0)
        throw InputError({.file = name, .layer = "fuelmap_ledger"},
                         "the database already holds a ledger (" + std::to_string(held) +
                             " entries); a registry's records are moved only into a database that "
                             "holds none");
    // The rows, table by table in fid order (as each table is read back).
    std::map<std::string_view, std::vector<RecordRow>> rows;
    for (const LedgerEntry& e : ledger) {
        const RecordTable* t = record_table(e.kind);
        if (t == nullptr)
            throw InputError({.file = name, .layer = "fuelmap_ledger"},
                             "ledger entry " + std::to_string(e.seq) + " is of kind '" + e.kind +
                                 "', which this fuelmap does not know");
        rows[t->table].push_back(payload_row(e, *t, name));
    }
    for (const RecordTable& t : record_tables()) {
        auto it = rows.find(t.table);
        if (it == rows.end())
            continue;
        std::sort(it->second.begin(), it->second.end(), [](const RecordRow& a, const RecordRow& b) {
            return a["fid"].get<std::int64_t>() < b["fid"].get<std::int64_t>();
        });
        write_rows(tx, t, it->second);
        tx.exec_params("SELECT setval(pg_get_serial_sequence($1, 'fid'), $2)", std::string(t.table),
                       it->second.back()["fid"].get<std::int64_t>());
    }
    pg_write_ledger(tx, ledger, ledger.back().seq, ledger.back().hash);
    // Each row as the database stores it must give its entry's payload back (a value of another
    // type than its column's would not).
    for (const RecordTable& t : record_tables()) {
        if (!rows.count(t.table))
            continue;
        for (const pqxx::row& r :
             tx.exec("SELECT " + column_list(t) + " FROM " + std::string(t.table) + " ORDER BY fid")) {
            const RecordRow row = record_row(r, t);
            const std::int64_t seq = row["ledger_seq"].get<std::int64_t>();
            const LedgerEntry& e = ledger[static_cast<std::size_t>(seq - ledger.front().seq)];
            if (record_text(row) != e.payload)
                throw InputError(
                    {.file = name, .layer = std::string(t.table), .fid = row["fid"].get<std::int64_t>()},
                    "ledger entry " + std::to_string(seq) + ": the row as the database stores it, " +
                        record_text(row) + ", differs from the record the ledger seals, " + e.payload);
        }
    }
}

} // namespace fuelmap::detail
