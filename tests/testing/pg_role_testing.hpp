// SPDX-License-Identifier: MIT
/// @file pg_role_testing.hpp
/// @brief Test helpers for registry roles (docs/registry.md, "Roles"): a real PostgreSQL login
/// role on the suite's server, named after its test database (role names are cluster-wide).
#pragma once

#include "testing/pg_testing.hpp"

#include <string>

namespace fuelmap::testing {

/// A login role "<database>_<suffix>" created on the test server and dropped with the object (its
/// rights in the database first). Declare it after its PgTestDb.
class PgTestRole {
public:
    /// Creates it. @throws pqxx exceptions when the server refuses.
    PgTestRole(const PgTestDb& db, const std::string& suffix);
    ~PgTestRole();
    PgTestRole(const PgTestRole&) = delete;
    PgTestRole& operator=(const PgTestRole&) = delete;

    /// The role's name.
    [[nodiscard]] const std::string& name() const noexcept { return m_name; }
    /// The registry argument for -r that connects as this role.
    [[nodiscard]] const std::string& registry() const noexcept { return m_registry; }
    /// Runs @p sql as this role (as QGIS or psql would) in one transaction; returns "" when it
    /// commits, else the first line of the database's message without "ERROR:  ".
    [[nodiscard]] std::string sql_error(const std::string& sql) const;

private:
    const PgTestDb& m_db;
    std::string m_name, m_registry;
};

} // namespace fuelmap::testing
