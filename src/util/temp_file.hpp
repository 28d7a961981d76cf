// SPDX-License-Identifier: MIT
/// @file temp_file.hpp
/// @brief Private: a temporary file beside a target, renamed over it once complete (atomic writes).
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace fuelmap::detail {

/// The staging directory of @p target for this process (see gis/staged_dataset.hpp), beside it:
/// `<name>.tmp-<pid>-staging`, where <name> is the target's file name with every `.` made `_` (GDAL's
/// /vsizip/ would take a directory `x.xlsx.tmp-…` for the archive). TempFile removes stale ones.
[[nodiscard]] std::filesystem::path staging_directory(const std::filesystem::path& target);

/// The names in directory @p dir ("" for the current one) that could be temporary files of
/// TempFile (they contain ".tmp-"); empty when it cannot be listed.
[[nodiscard]] std::vector<std::string> temp_like_names(const std::filesystem::path& dir);

/// `<target>.tmp-<pid>` beside @p target, removed (with a SQLite journal `<…>.tmp-<pid>-journal`)
/// unless it was renamed over the target. Making one also removes the temporary files (and staging
/// directories, see staging_directory()) of the same target that
/// killed writers left behind: those whose pid is no live process on this machine.
class TempFile {
public:
    /// Names the temporary file (nothing is created) and removes stale ones; best effort, never throws
    /// for a file it cannot remove.
    explicit TempFile(const std::filesystem::path& target);
    /// As TempFile(target), with the stale files looked for among @p names_in_dir (temp_like_names()
    /// of the target's directory) instead of listing the directory again: for many targets in one
    /// directory (a plan's field lists).
    TempFile(const std::filesystem::path& target, std::span<const std::string> names_in_dir);
    /// Removes the temporary file unless committed.
    ~TempFile();
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    /// Where to write.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    /// The file that commit() replaces.
    [[nodiscard]] const std::filesystem::path& target() const noexcept { return m_target; }

    /// Renames the temporary file over the target. @throws std::filesystem::filesystem_error
    void commit();
    /// Renames the temporary file over the target; on failure sets @p ec (the file is then removed
    /// as if never committed).
    void commit(std::error_code& ec) noexcept;

private:
    std::filesystem::path m_target;
    std::filesystem::path m_path;
    bool m_committed = false;
};

/// A directory that does not exist yet, built as staging_directory(target) beside it (its files
/// written straight in) and renamed to the target once complete: one rename puts every file in
/// place. Removed with its content unless committed. Stale staging directories of the same target
/// (killed writers) are removed as TempFile removes stale files.
class StagedDirectory {
public:
    /// Makes this process's staging directory of @p target (a path without a trailing `/`).
    /// @throws InputError naming @p target when it cannot be made.
    explicit StagedDirectory(const std::filesystem::path& target);
    /// Removes the staging directory and its files unless committed.
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    /// Where to write the files.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    /// The directory that commit() makes.
    [[nodiscard]] const std::filesystem::path& target() const noexcept { return m_target; }

    /// Renames the staging directory to the target (which must not exist, or be an empty directory);
    /// on failure sets @p ec (the staging directory is then removed on destruction, as if never
    /// committed).
    void commit(std::error_code& ec) noexcept;

private:
    std::filesystem::path m_target;
    std::filesystem::path m_path;
    bool m_committed = false;
};

} // namespace fuelmap::detail
