// SPDX-License-Identifier: MIT
// open_registry(), the one place that opens a registry file and checks that it is one: one message
// per case, each naming the file, whoever calls it (reader, writer, frame digest, export, import).
#include <fuelmap/error.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/registry_db.hpp"
#include "store/registry_read.hpp"
#include "testing/testing.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap;
using fuelmap::testing::input_error;
using fuelmap::testing::TempDir;

namespace {

// Every way fuelmap opens a registry, each giving the first line of its error.
std::vector<std::string> errors_of_every_opener(const std::filesystem::path& reg) {
    return {
        input_error([&] { (void)read_registry(reg); }),
        input_error([&] { (void)detail::open_registry(reg, detail::OpenMode::write); }),
        input_error([&] { detail::RegistryDb rdb(reg, false); }),
        input_error([&] { (void)read_ledger(reg); }),
        input_error([&] { (void)detail::read_registry_grades(reg); }),
        input_error([&] { append_to_registry(reg, {}, GradeTable::builtin()); }),
        input_error([&] { (void)export_registry(reg, reg.parent_path() / "out.gpkg", {}); }),
    };
}

void expect_all(const std::filesystem::path& reg, const std::string& message) {
    for (const std::string& e : errors_of_every_opener(reg))
        EXPECT_EQ(e, reg.string() + ": " + message);
}

void expect_all_start(const std::filesystem::path& reg, const std::string& start) {
    for (const std::string& e : errors_of_every_opener(reg))
        EXPECT_EQ(e.substr(0, reg.string().size() + 2 + start.size()), reg.string() + ": " + start) << e;
}

} // namespace

TEST(RegistryDb, MissingFile) {
    TempDir dir;
    expect_all(dir / "missing.gpkg", "registry file does not exist");
    EXPECT_FALSE(is_registry(dir / "missing.gpkg"));
}

TEST(RegistryDb, ADirectoryIsNotARegistry) {
    TempDir dir;
    std::filesystem::create_directory(dir / "d.gpkg");
    expect_all(dir / "d.gpkg", "not a fuelmap registry (not a regular file)");
}

TEST(RegistryDb, AnSQLiteFileWithoutTheTablesIsNotARegistry) {
    TempDir dir;
    {
        SQLite::Database db((dir / "other.gpkg").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE stations (x)");
    }
    expect_all(dir / "other.gpkg", "not a fuelmap registry (no stations and fuelmap_meta tables)");
    std::ofstream(dir / "empty.gpkg").flush();
    expect_all(dir / "empty.gpkg", "not a fuelmap registry (no stations and fuelmap_meta tables)");
}

TEST(RegistryDb, AFileThatIsNoDatabase) {
    TempDir dir;
    std::ofstream(dir / "junk.gpkg") << std::string(4096, 'x');
    expect_all(dir / "junk.gpkg", "not a fuelmap registry (not an SQLite database: file is not a database)");
    EXPECT_FALSE(is_registry(dir / "junk.gpkg"));
}

TEST(RegistryDb, ACorruptFile) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    {
        // Overwrite the schema table's page (page 1 after its 100-byte header) with junk.
        std::fstream f(reg, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(100);
        const std::string junk(1000, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    expect_all_start(reg, "corrupt registry file: ");
}

TEST(RegistryDb, ALockedFile) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    create_registry(reg, fuelmap::testing::sample_registry(1));
    SQLite::Database holder(reg.string(), SQLite::OPEN_READWRITE);
    holder.exec("BEGIN EXCLUSIVE");
    // Waits out the busy timeout (5 s) once.
    EXPECT_EQ(input_error([&] { (void)detail::open_registry(reg, detail::OpenMode::read); }),
              reg.string() + ": registry is locked by another process: database is locked");
    holder.exec("ROLLBACK");
    EXPECT_NO_THROW((void)detail::open_registry(reg, detail::OpenMode::read));
}
