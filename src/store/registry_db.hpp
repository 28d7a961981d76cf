// SPDX-License-Identifier: MIT
/// @file registry_db.hpp
/// @brief Private: the registry GeoPackage opened as an SQLite database. open_registry() is the one
/// place that opens a registry file and checks that it is one; every reader and writer of the
/// registry's tables goes through it (or through RegistryDb, which calls it).
#pragma once

#include "store/registry_check.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/grade.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>

namespace fuelmap::detail {

/// How open_registry() opens the file.
enum class OpenMode {
    read,      ///< read-only
    bulk_read, ///< read-only, one thread reading whole tables: no per-call mutex
    write,     ///< read-write
};

/// Opens the registry file @p path (with a busy timeout of 5 s) and checks that it is a fuelmap
/// registry. @throws InputError naming the file, with one message per case: "registry file does not
/// exist"; "not a fuelmap registry (no stations and fuelmap_meta tables)"; "not a fuelmap registry
/// (not an SQLite database: …)"; "corrupt registry file: …"; "registry is locked by another
/// process: …"; "cannot open registry: …" (permissions and the like).
[[nodiscard]] SQLite::Database open_registry(const std::filesystem::path& path, OpenMode mode);

/// A further read-only connection for reading whole tables on one thread (no per-call mutex), to a
/// file already opened with open_registry(). (Memory-mapping the file saved no time on the
/// national registry.) @throws InputError as open_registry().
[[nodiscard]] SQLite::Database open_bulk_reader(const std::filesystem::path& path);

/// The InputError for an SQLite error met while opening or first reading the registry @p file (the
/// cases of open_registry()).
[[nodiscard]] InputError registry_open_error(const std::string& file, const SQLite::Exception& e);

/// Reads the grades table of @p db (the registry @p file) into @p grades, a row with a known code
/// replacing its definition. @throws InputError naming the row of an unknown family;
/// SQLite::Exception when the table cannot be read.
void read_grades(SQLite::Database& db, const std::string& file, GradeTable& grades);

/// The registry file as an SQLite database, for fuelmap's own attribute tables (ledger, plans,
/// observations, lab results).
class RegistryDb {
public:
    /// Opens @p path read-only or read-write. @throws InputError as open_registry().
    RegistryDb(const std::filesystem::path& path, bool writable);
    /// Opens @p path in @p mode. @throws InputError as open_registry().
    RegistryDb(const std::filesystem::path& path, OpenMode mode);

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
