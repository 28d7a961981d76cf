// SPDX-License-Identifier: MIT
#include "testing/pg_testing.hpp"

#include <pqxx/pqxx>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace fuelmap::testing {

namespace {

std::string server() {
    const char* env = std::getenv("FUELMAP_TEST_PG");
    if (env == nullptr || *env == '\0')
        throw std::runtime_error("FUELMAP_TEST_PG is not set: the PostGIS tests run through ctest, which "
                                 "starts the test server (scripts/pg_test_server.sh)");
    return env;
}

// The libpq connection string of the server's maintenance database.
std::string admin_conninfo() {
    const std::string s = server();
    return s.rfind("PG:", 0) == 0 ? s.substr(3) : s;
}

// The value of key @p key in a keyword=value connection string.
std::string conninfo_value(const std::string& conninfo, const std::string& key) {
    const std::string k = key + "=";
    std::size_t at = 0;
    while ((at = conninfo.find(k, at)) != std::string::npos) {
        if (at == 0 || conninfo[at - 1] == ' ') {
            const std::size_t start = at + k.size();
            return conninfo.substr(start, conninfo.find(' ', start) - start);
        }
        at += k.size();
    }
    return {};
}

} // namespace

PgTestDb::PgTestDb() {
    static std::atomic<int> counter{0};
    m_name = "fuelmap_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    const std::string admin = admin_conninfo();
    {
        pqxx::connection c(admin);
        pqxx::nontransaction tx(c);
        tx.exec0("DROP DATABASE IF EXISTS " + m_name);
        tx.exec0("CREATE DATABASE " + m_name + " TEMPLATE template0 ENCODING 'UTF8'");
    }
    m_host = conninfo_value(admin, "host");
    std::string conninfo = admin;
    const std::string old = "dbname=" + conninfo_value(admin, "dbname");
    conninfo.replace(conninfo.find(old), old.size(), "dbname=" + m_name);
    m_registry = "PG:" + conninfo;
}

PgTestDb::~PgTestDb() {
    try {
        pqxx::connection c(admin_conninfo());
        pqxx::nontransaction tx(c);
        tx.exec0("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (...) {
    }
}

std::string PgTestDb::uri() const {
    const std::string conninfo = m_registry.substr(3);
    return "postgresql://" + conninfo_value(conninfo, "user") + "@:" + conninfo_value(conninfo, "port") +
           "/" + m_name + "?host=" + m_host;
}

std::string PgTestDb::sql(const std::string& sql) const {
    pqxx::connection c(m_registry.substr(3));
    pqxx::work tx(c);
    const pqxx::result r = tx.exec(sql);
    tx.commit();
    if (r.empty() || r.columns() == 0 || r[0][0].is_null())
        return {};
    return r[0][0].c_str();
}

} // namespace fuelmap::testing
