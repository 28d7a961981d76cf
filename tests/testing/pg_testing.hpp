// SPDX-License-Identifier: MIT
/// @file pg_testing.hpp
/// @brief Test helpers for PostgreSQL/PostGIS registries: a database of its own per test on the
/// suite's throwaway server (FUELMAP_TEST_PG, set by ctest; see tests/CMakeLists.txt).
#pragma once

#include <string>

namespace fuelmap::testing {

/// A fresh, empty database on the test server, dropped with the object.
class PgTestDb {
public:
    /// Creates it. @throws std::runtime_error when FUELMAP_TEST_PG is not set (the test then
    /// fails: the PostGIS tests are never skipped) or the server refuses.
    PgTestDb();
    ~PgTestDb();
    PgTestDb(const PgTestDb&) = delete;
    PgTestDb& operator=(const PgTestDb&) = delete;

    /// The registry argument for -r: `PG:` with the connection to this database.
    [[nodiscard]] const std::string& registry() const noexcept { return m_registry; }
    /// The same database as a `postgresql://` URI.
    [[nodiscard]] std::string uri() const;
    /// Runs @p sql on the database (as its owner, a superuser); returns the first column of the
    /// first row, or "" when there is none.
    std::string sql(const std::string& sql) const;
    /// The database's name.
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }

private:
    std::string m_name, m_registry, m_host;
};

} // namespace fuelmap::testing
