// SPDX-License-Identifier: MIT
#include "store/registry_db.hpp"

#include <fuelmap/error.hpp>

#include <sqlite3.h>

namespace fuelmap::detail {

InputError registry_open_error(const std::string& file, const SQLite::Exception& e) {
    const std::string what = e.what();
    switch (e.getErrorCode() & 0xff) {
    case SQLITE_NOTADB:
        return InputError({.file = file}, "not a fuelmap registry (not an SQLite database: " + what + ")");
    case SQLITE_CORRUPT:
        return InputError({.file = file}, "corrupt registry file: " + what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return InputError({.file = file}, "registry is locked by another process: " + what);
    default:
        return InputError({.file = file}, "cannot open registry: " + what);
    }
}

SQLite::Database open_registry(const std::filesystem::path& path, OpenMode mode) {
    const std::string file = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError({.file = file}, std::filesystem::exists(path, ec)
                                             ? "not a fuelmap registry (not a regular file)"
                                             : "registry file does not exist");
    const int flags = mode == OpenMode::write       ? SQLite::OPEN_READWRITE
                      : mode == OpenMode::bulk_read ? SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX
                                                    : SQLite::OPEN_READONLY;
    try {
        SQLite::Database db(file, flags);
        db.setBusyTimeout(5000);
        if (!db.tableExists("fuelmap_meta") || !db.tableExists("stations"))
            throw InputError({.file = file}, "not a fuelmap registry (no stations and fuelmap_meta tables)");
        return db;
    } catch (const SQLite::Exception& e) {
        throw registry_open_error(file, e);
    }
}

void check_registry(const std::filesystem::path& path) {
    (void)open_registry(path, OpenMode::read);
}

SQLite::Database open_bulk_reader(const std::filesystem::path& path) {
    return open_registry(path, OpenMode::bulk_read);
}

RegistryDb::RegistryDb(const std::filesystem::path& path, bool writable)
    : RegistryDb(path, writable ? OpenMode::write : OpenMode::read) {}

RegistryDb::RegistryDb(const std::filesystem::path& path, OpenMode mode)
    : m_path(path), m_db(open_registry(path, mode)) {}

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
