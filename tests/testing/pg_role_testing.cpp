// SPDX-License-Identifier: MIT
#include "testing/pg_role_testing.hpp"

#include <pqxx/pqxx>

namespace fuelmap::testing {

PgTestRole::PgTestRole(const PgTestDb& db, const std::string& suffix)
    : m_db(db), m_name(db.name() + "_" + suffix), m_registry(db.registry()) {
    m_db.sql("DROP ROLE IF EXISTS " + m_name);
    m_db.sql("CREATE ROLE " + m_name + " LOGIN");
    const std::size_t at = m_registry.find("user=");
    const std::size_t end = m_registry.find(' ', at);
    m_registry.replace(at, end - at, "user=" + m_name);
}

PgTestRole::~PgTestRole() {
    try {
        m_db.sql("DROP OWNED BY " + m_name);
        m_db.sql("DROP ROLE " + m_name);
    } catch (...) {
    }
}

std::string PgTestRole::sql_error(const std::string& sql) const {
    try {
        pqxx::connection c(m_registry.substr(3));
        pqxx::work tx(c);
        tx.exec0(sql);
        tx.commit();
        return {};
    } catch (const std::exception& e) {
        std::string text = e.what();
        if (text.rfind("ERROR:  ", 0) == 0)
            text.erase(0, 8);
        return text.substr(0, text.find('\n'));
    }
}

} // namespace fuelmap::testing
