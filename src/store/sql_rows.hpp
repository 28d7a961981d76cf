// SPDX-License-Identifier: MIT
/// @file sql_rows.hpp
/// @brief Private: a prepared SQLite statement read through the C API. The hot read loops (registry,
/// frame digest, layout cache, recorded observations) touch millions of columns, and SQLiteCpp's
/// Column objects copy a shared pointer for each one. Errors surface as SQLite::Exception, as with
/// SQLite::Statement.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// One prepared statement: bind, step with next(), read columns of the current row.
class SqlRows {
public:
    /// Prepares @p sql on @p db. @throws SQLite::Exception when it does not compile.
    SqlRows(SQLite::Database& db, const std::string& sql) : m_db(db.getHandle()) {
        const int rc = sqlite3_prepare_v2(m_db, sql.c_str(), -1, &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            throw SQLite::Exception(m_db, rc);
    }
    ~SqlRows() { sqlite3_finalize(m_stmt); }
    SqlRows(const SqlRows&) = delete;
    SqlRows& operator=(const SqlRows&) = delete;

    /// Rewinds the statement (bindings stay) so that it can run again.
    void reset() { sqlite3_reset(m_stmt); }
    /// Binds a copy of @p text to parameter @p i (1-based), rewinding the statement first if it ran.
    void bind_text(int i, std::string_view text) {
        sqlite3_reset(m_stmt);
        check(sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    }
    /// Binds @p value to parameter @p i (1-based), rewinding the statement first if it ran.
    void bind_int64(int i, std::int64_t value) {
        sqlite3_reset(m_stmt);
        check(sqlite3_bind_int64(m_stmt, i, value));
    }
    /// Steps to the next row; false when there is none (the statement is then reset, ready to be
    /// bound and run again).
    bool next() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            throw SQLite::Exception(m_db, rc);
        sqlite3_reset(m_stmt);
        return false;
    }
    /// Runs a statement that returns no rows of interest (INSERT, DELETE …) to the end.
    void run() {
        while (next()) {
        }
    }

    /// The SQLite storage class of column @p i (SQLITE_NULL, SQLITE_INTEGER …).
    int type(int i) const { return sqlite3_column_type(m_stmt, i); }
    bool null(int i) const { return type(i) == SQLITE_NULL; }
    bool is_integer(int i) const { return type(i) == SQLITE_INTEGER; }
    /// The bytes of a text or blob column (a number as its text), valid until the next step; empty
    /// for NULL.
    std::string_view view(int i) const {
        const void* data = sqlite3_column_blob(m_stmt, i);
        if (!data)
            return {};
        return {static_cast<const char*>(data), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))};
    }
    std::string text(int i) const { return std::string(view(i)); }
    /// The text of column @p i (a number as its text), valid until the next step; nullopt for NULL.
    /// One call where null() and view() would be two.
    std::optional<std::string_view> text_or_null(int i) const {
        const unsigned char* data = sqlite3_column_text(m_stmt, i);
        if (!data)
            return std::nullopt;
        return std::string_view(reinterpret_cast<const char*>(data),
                                static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i)));
    }
    std::int64_t int64(int i) const { return sqlite3_column_int64(m_stmt, i); }
    int int32(int i) const { return sqlite3_column_int(m_stmt, i); }
    double real(int i) const { return sqlite3_column_double(m_stmt, i); }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK)
            throw SQLite::Exception(m_db, rc);
    }

    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace fuelmap::detail
