// SPDX-License-Identifier: MIT
#include "store/registry_db.hpp"

#include <fuelmap/error.hpp>

namespace fuelmap::detail {

namespace {
SQLite::Database open_db(const std::filesystem::path& path, bool writable) {
    if (!std::filesystem::is_regular_file(path))
        throw InputError({.file = path.string()}, "registry file does not exist");
    try {
        return SQLite::Database(path.string(), writable ? SQLite::OPEN_READWRITE : SQLite::OPEN_READONLY);
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = path.string()}, std::string("cannot open registry: ") + e.what());
    }
}
} // namespace

SQLite::Database open_bulk_reader(const std::filesystem::path& path) {
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
    db.setBusyTimeout(5000);
    return db;
}

RegistryDb::RegistryDb(const std::filesystem::path& path, bool writable)
    : m_path(path), m_db(open_db(path, writable)) {
    try {
        m_db.setBusyTimeout(5000);
        if (!m_db.tableExists("fuelmap_meta") || !m_db.tableExists("stations"))
            throw InputError({.file = path.string()}, "not a fuelmap registry (no fuelmap_meta table)");
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = path.string()}, std::string("not a fuelmap registry: ") + e.what());
    }
}

bool RegistryDb::has_table(const std::string& name) {
    return m_db.tableExists(name);
}

void RegistryDb::ensure_attribute_table(const std::string& name, const std::string& columns,
                                        const std::string& description) {
    if (m_db.tableExists(name))
        return;
    m_db.exec("CREATE TABLE \"" + name + "\" (" + columns + ")");
    SQLite::Statement reg(m_db, "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, "
                                "description, last_change) VALUES (?, 'attributes', ?, ?, "
                                "strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
    reg.bind(1, name);
    reg.bind(2, name);
    reg.bind(3, description);
    reg.exec();
}

} // namespace fuelmap::detail
