// SPDX-License-Identifier: MIT
#include "store/ledger_records.hpp"

#include <fuelmap/error.hpp>

#include "util/json_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <map>

namespace fuelmap::detail {

namespace {

using json = nlohmann::ordered_json;

std::string select_sql(const RecordTable& t) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        sql += (i ? ", \"" : "\"") + std::string(t.columns[i]) + "\"";
    return sql + " FROM \"" + std::string(t.table) + "\"";
}

json column_json(const SQLite::Column& c) {
    if (c.isNull())
        return nullptr;
    if (c.isInteger())
        return c.getInt64();
    if (c.isFloat())
        return c.getDouble();
    if (c.isBlob()) {
        // Not written by fuelmap; kept distinct from text so that a changed storage class shows.
        static constexpr char hex[] = "0123456789abcdef";
        const auto* p = static_cast<const unsigned char*>(c.getBlob());
        std::string out = "blob:";
        for (int i = 0; i < c.getBytes(); ++i)
            out += {hex[p[i] >> 4], hex[p[i] & 15]};
        return out;
    }
    return c.getString();
}

json row_json(SQLite::Statement& q, const RecordTable& t) {
    json o = json::object();
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        o[std::string(t.columns[i])] = column_json(q.getColumn(static_cast<int>(i)));
    return o;
}

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string_view column_text(const SQLite::Column& c) {
    const char* text = c.getText(); // before getBytes(), as SQLite asks
    return {text, static_cast<std::size_t>(c.getBytes())};
}

// One column's value in the payload text, as dump(column_json(c)) writes it.
void append_column(std::string& out, const SQLite::Column& c) {
    if (c.isNull()) {
        out += "null";
    } else if (c.isInteger()) {
        char buf[24];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, c.getInt64());
        out.append(buf, end);
    } else if (c.isFloat()) {
        append_json_number(out, c.getDouble());
    } else if (c.isBlob()) {
        out += '"';
        out += column_json(c).get_ref<const std::string&>();
        out += '"';
    } else {
        append_json_string(out, column_text(c));
    }
}

// The payload text of the row @p q stands on (its first columns are @p t's), as dump(row_json(q, t))
// writes it, into @p out (cleared first), without building a json value.
void write_payload(std::string& out, SQLite::Statement& q, const RecordTable& t) {
    out.clear();
    out += '{';
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i)
            out += ',';
        out += '"';
        out += t.columns[i];
        out += "\":";
        append_column(out, q.getColumn(static_cast<int>(i)));
    }
    out += '}';
}

std::string shown(const json& v) {
    std::string s = v.is_string() ? "'" + v.get<std::string>() + "'" : dump(v);
    if (s.size() > 80)
        s = s.substr(0, 77) + "...";
    return s;
}

std::string row_key(const RecordTable& t, const json& row) {
    std::string key;
    for (std::string_view k : t.key_columns) {
        const json& v = row[std::string(k)];
        key += (key.empty() ? "" : ", ") + std::string(k) + " " + shown(v);
    }
    return key;
}

// The first column whose value differs between the recorded payload and the row, as a sentence.
std::string edited_field(const RecordTable& t, const std::string& payload, const json& row) {
    json recorded;
    try {
        recorded = json::parse(payload);
    } catch (const json::exception&) {
        return "its ledger entry's payload is not JSON";
    }
    for (std::string_view col : t.columns) {
        const std::string c(col);
        const json was = recorded.contains(c) ? recorded[c] : json();
        if (was != row[c])
            return "field '" + c + "' was edited: the ledger records " + shown(was) + ", the table holds " +
                   shown(row[c]);
    }
    return "its content differs from its ledger entry";
}

} // namespace

const std::vector<RecordTable>& record_tables() {
    static const std::vector<RecordTable> tables = {
        {"plan",
         "fuelmap_plans",
         {"fid", "round", "digest", "seed_commitment", "plan", "recorded_at", "ledger_seq"},
         {"round"}},
        {"observation",
         "fuelmap_observations",
         {"fid", "station_id", "nozzle_no", "observed_tanks", "method", "inspectors", "observed_at", "source",
          "ledger_seq"},
         {"station_id", "nozzle_no", "observed_at", "method"}},
        {"lab_result",
         "fuelmap_lab_results",
         {"fid", "sample_id", "station_id", "source", "element_no", "depth", "property", "value", "unit",
          "method", "lab", "imported_from", "ledger_seq"},
         {"sample_id", "property", "method", "lab"}},
        {"case",
         "fuelmap_cases",
         {"fid", "case_id", "round", "station_id", "grade", "sample_ids", "findings", "evidence",
          "objection_days", "opened_on", "opened_by", "document", "ledger_seq"},
         {"case_id"}},
        {"case_step",
         "fuelmap_case_steps",
         {"fid", "case_id", "step_no", "step", "date", "actor", "document", "outcome", "deadline", "detail",
          "ledger_seq"},
         {"case_id", "step_no"}},
    };
    return tables;
}

const RecordTable* record_table(std::string_view kind) {
    for (const RecordTable& t : record_tables())
        if (t.kind == kind)
            return &t;
    return nullptr;
}

SQLite::Statement record_row_query(SQLite::Database& db, const RecordTable& t) {
    return SQLite::Statement(db, select_sql(t) + " WHERE fid = ?");
}

std::string record_payload(SQLite::Statement& q, const RecordTable& t, std::int64_t rowid) {
    q.reset();
    q.bind(1, rowid);
    if (!q.executeStep())
        throw Error("internal error: row " + std::to_string(rowid) + " of " + std::string(t.table) +
                    " vanished before its ledger entry was written");
    std::string text;
    write_payload(text, q, t);
    q.reset();
    return text;
}

std::string record_payload(SQLite::Database& db, const RecordTable& t, std::int64_t rowid) {
    SQLite::Statement q = record_row_query(db, t);
    return record_payload(q, t, rowid);
}

void check_record_tables(SQLite::Database& db, std::int64_t last_seq, std::vector<std::string>& problems) {
    const bool has_ledger = db.tableExists("fuelmap_ledger");
    std::vector<bool> claimed(static_cast<std::size_t>(std::max<std::int64_t>(last_seq, 0)) + 1, false);
    std::string payload;
    for (const RecordTable& t : record_tables()) {
        if (!db.tableExists(std::string(t.table)))
            continue;
        // Each row with the kind and payload of the entry its ledger_seq names, in one pass.
        std::string sql = "SELECT ";
        for (std::string_view c : t.columns)
            sql += "r.\"" + std::string(c) + "\", ";
        sql += has_ledger ? "l.kind, l.payload FROM \"" + std::string(t.table) +
                                "\" AS r LEFT JOIN fuelmap_ledger AS l ON l.seq = r.ledger_seq"
                          : "NULL, NULL FROM \"" + std::string(t.table) + "\" AS r";
        SQLite::Statement q(db, sql + " ORDER BY r.fid");
        const auto cols = static_cast<int>(t.columns.size());
        const auto seq_col =
            static_cast<int>(std::find(t.columns.begin(), t.columns.end(), std::string_view("ledger_seq")) -
                             t.columns.begin());
        while (q.executeStep()) {
            const SQLite::Column link = q.getColumn(seq_col);
            const SQLite::Column kind = q.getColumn(cols);
            const std::int64_t seq = link.isInteger() ? link.getInt64() : 0;
            const bool found = seq >= 1 && seq <= last_seq && !kind.isNull();
            const auto where = [&] {
                const json row = row_json(q, t);
                return "table " + std::string(t.table) + ", fid " + dump(row["fid"]) + " (" +
                       row_key(t, row) + ")";
            };
            if (!found || column_text(kind) != t.kind || claimed[static_cast<std::size_t>(seq)]) {
                problems.push_back(where() +
                                   ": no ledger entry accounts for this row: it was inserted or its "
                                   "ledger_seq was edited");
                continue;
            }
            claimed[static_cast<std::size_t>(seq)] = true;
            write_payload(payload, q, t);
            const SQLite::Column recorded = q.getColumn(cols + 1);
            if (payload != column_text(recorded))
                problems.push_back(where() + ": " + edited_field(t, recorded.getString(), row_json(q, t)) +
                                   " (ledger entry " + std::to_string(seq) + ")");
        }
    }
    if (!has_ledger)
        return;
    SQLite::Statement entry(db, "SELECT kind, record_id FROM fuelmap_ledger WHERE seq = ?");
    for (std::int64_t seq = 1; seq <= last_seq; ++seq) {
        if (claimed[static_cast<std::size_t>(seq)])
            continue;
        entry.reset();
        entry.bind(1, seq);
        if (!entry.executeStep())
            continue; // a gap: the chain check reports it
        const std::string kind = entry.getColumn(0).getString();
        const std::string record_id = entry.getColumn(1).getString();
        const RecordTable* t = record_table(kind);
        if (!t)
            problems.push_back("ledger entry " + std::to_string(seq) + " has kind '" + kind +
                               "', which this version of fuelmap cannot check");
        else
            problems.push_back("table " + std::string(t->table) + ": the " + kind + " " + record_id +
                               " of ledger entry " + std::to_string(seq) + " has no row: it was deleted");
    }
}

std::string record_text(const RecordRow& row) {
    return dump(row);
}

void check_record_rows(const RecordTableRows& rows, const std::vector<LedgerEntry>& entries,
                       std::vector<std::string>& problems) {
    std::vector<bool> claimed(entries.size(), false);
    for (const RecordTable& t : record_tables()) {
        rows(t, [&](const RecordRow& row) {
            const json& link = row["ledger_seq"];
            const std::string where =
                "table " + std::string(t.table) + ", fid " + dump(row["fid"]) + " (" + row_key(t, row) + ")";
            const std::int64_t seq = link.is_number_integer() ? link.get<std::int64_t>() : 0;
            const bool in_range = seq >= 1 && seq <= static_cast<std::int64_t>(entries.size());
            const LedgerEntry* e = in_range ? &entries[static_cast<std::size_t>(seq - 1)] : nullptr;
            if (!e || e->kind != t.kind || claimed[static_cast<std::size_t>(seq - 1)]) {
                problems.push_back(where + ": no ledger entry accounts for this row: it was inserted or its "
                                           "ledger_seq was edited");
                return;
            }
            claimed[static_cast<std::size_t>(seq - 1)] = true;
            if (dump(row) != e->payload)
                problems.push_back(where + ": " + edited_field(t, e->payload, row) + " (ledger entry " +
                                   std::to_string(e->seq) + ")");
        });
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (claimed[i])
            continue;
        const LedgerEntry& e = entries[i];
        const RecordTable* t = record_table(e.kind);
        if (!t)
            problems.push_back("ledger entry " + std::to_string(e.seq) + " has kind '" + e.kind +
                               "', which this version of fuelmap cannot check");
        else
            problems.push_back("table " + std::string(t->table) + ": the " + e.kind + " " + e.record_id +
                               " of ledger entry " + std::to_string(e.seq) + " has no row: it was deleted");
    }
}

} // namespace fuelmap::detail
