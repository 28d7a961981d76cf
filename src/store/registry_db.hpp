// SPDX-License-Identifier: MIT
/// @file registry_db.hpp
/// @brief Private: the registry GeoPackage opened as an SQLite database, for fuelmap's own
/// attribute tables (ledger, plans, observations, lab results).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>

namespace fuelmap::detail {

/// A read-only connection for reading whole tables on one thread: no per-call mutex, and a busy
/// timeout. (Memory-mapping the file saved no time on the national registry.) The file must be
/// known to be a registry. @throws SQLite::Exception when it cannot be opened.
[[nodiscard]] SQLite::Database open_bulk_reader(const std::filesystem::path& path);

/// The registry file as an SQLite database. Checks that the file is a fuelmap registry.
class RegistryDb {
public:
    /// Opens @p path read-only or read-write. @throws InputError when it is missing or is not a
    /// fuelmap registry.
    RegistryDb(const std::filesystem::path& path, bool writable);

    /// The open database.
    [[nodiscard]] SQLite::Database& db() noexcept { return m_db; }
    /// The file it was opened from.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }

    /// True when the table exists.
    [[nodiscard]] bool has_table(const std::string& name);

    /// Creates an attribute table when it does not exist yet and registers it in gpkg_contents
    /// (data_type 'attributes'), so that QGIS lists it. @p columns is the SQL column list.
    void ensure_attribute_table(const std::string& name, const std::string& columns,
                                const std::string& description);

private:
    std::filesystem::path m_path;
    SQLite::Database m_db;
};

} // namespace fuelmap::detail
