// SPDX-License-Identifier: MIT
/// @file testing.hpp
/// @brief Helpers shared by the tests: temporary directories, small registries built in code,
/// and running the real fuelmap binary.
#pragma once

#include <fuelmap/registry.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace fuelmap::testing {

/// A fresh directory under the system temp dir, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    /// The directory.
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    /// A path inside the directory.
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

/// What a run of the binary gave.
struct RunResult {
    int exit_code = -1; ///< process exit code
    std::string out;    ///< standard output
    std::string err;    ///< standard error
};

/// Runs the fuelmap binary with @p args (no shell), stdin from /dev/null.
[[nodiscard]] RunResult run_fuelmap(const std::vector<std::string>& args);

/// A small, valid station: 3 tanks (92#, 95#, 0#), 2 dispensers, 6 nozzles, positions and an
/// outline around a point near Yantai.
[[nodiscard]] Site sample_site(const std::string& station_id = "370602-0001");

/// A registry of @p n sample sites with ids 370602-0001 … and the built-in grades.
[[nodiscard]] Registry sample_registry(int n = 3);

/// Every field of @p site as text, one line per element (equal text means equal sites), with
/// positions to @p decimals decimals and, when @p with_attributes, the station's extra attributes.
[[nodiscard]] std::string dump_site(const Site& site, int decimals, bool with_attributes);

/// Runs @p sql on the GeoPackage @p gpkg with plain SQLite, as `sqlite3` would. GDAL's R-tree
/// triggers on spatial layers call ST_IsEmpty, ST_MinX … which only GDAL or SpatiaLite define;
/// stand-ins that report every geometry empty are registered so that rows of those layers can be
/// edited (the spatial index is left as it was).
void exec_sql(const std::filesystem::path& gpkg, const std::string& sql);

/// Runs the query @p sql on the SQLite file @p gpkg (read only); the first column of its first row
/// as text, or "" when there is no row or it is NULL.
[[nodiscard]] std::string query_text(const std::filesystem::path& gpkg, const std::string& sql);

/// Path of a file in the source tree.
[[nodiscard]] std::filesystem::path source_path(const std::string& relative);

/// The message of the InputError @p f throws, or "(no InputError)" when it throws none. To check a
/// message, prefer EXPECT_THROW_MSG (testing/expect_throw.hpp), which also says what was thrown instead.
[[nodiscard]] std::string input_error(const std::function<void()>& f);

/// Whole content of a file.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

/// Writes @p text as the whole content of @p path (binary).
void write_file(const std::filesystem::path& path, const std::string& text);

} // namespace fuelmap::testing
