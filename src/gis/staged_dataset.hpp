// SPDX-License-Identifier: MIT
/// @file staged_dataset.hpp
/// @brief Private: a GDAL dataset (one file or a file with sidecars, e.g. a Shapefile) written whole or
/// not at all: created in a staging directory beside its target, through a file handler that records
/// every failed write (a full disk that a GDAL driver would ignore), and moved into place only once
/// closed without error.
#pragma once

#include <filesystem>
#include <string>

namespace fuelmap::detail {

/// A dataset staged beside @p target and renamed into place by commit().
class StagedDataset {
public:
    /// Makes the staging directory staging_directory(@p target) (stale ones of killed writers are
    /// removed).
    /// @throws Error naming @p target when it cannot be made.
    explicit StagedDataset(std::filesystem::path target);
    /// Removes the staging directory and what is in it unless committed.
    ~StagedDataset();
    StagedDataset(const StagedDataset&) = delete;
    StagedDataset& operator=(const StagedDataset&) = delete;

    /// The name to give GDAL's Create(): the target's file name inside the staging directory,
    /// through the write-checking handler.
    [[nodiscard]] const std::string& gdal_path() const noexcept { return m_gdal_path; }
    /// The same file without the write-checking handler, for drivers that write through another
    /// virtual file system on top (XLSX and ODS write a zip through /vsizip/, which cannot be
    /// stacked on it; a failure to save the zip is reported by GDAL itself).
    [[nodiscard]] std::string plain_path() const { return (m_dir / m_target.filename()).string(); }
    /// The file that commit() puts in place.
    [[nodiscard]] const std::filesystem::path& target() const noexcept { return m_target; }

    /// Call once the dataset is closed. @throws Error naming the target when a write to any file of it
    /// failed ("the disk is full (No space left on device)" …).
    void check() const;
    /// check(), then renames every file of the staging directory into the target's directory (the
    /// target and its sidecars) and removes the directory. @throws Error naming the file that failed.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_dir;
    std::string m_gdal_path;
    bool m_committed = false;
};

} // namespace fuelmap::detail
