// SPDX-License-Identifier: MIT
/// @file output_file.hpp
/// @brief Private: output files written whole through a TempFile, one at a time or as a set that is
/// put in place only once every file of it is written.
#pragma once

#include "util/temp_file.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fuelmap::detail {

/// Writes @p content to a temporary file beside @p path (see TempFile) and returns it, not yet renamed
/// over @p path. A @p path that is a directory is refused before anything is written: the rename
/// would fail. @throws InputError naming @p path ("cannot write the file…"); nothing is then left.
[[nodiscard]] std::unique_ptr<TempFile> stage_output(const std::filesystem::path& path,
                                                     std::string_view content);
/// stage_output() with the directory's temp_like_names() already listed.
[[nodiscard]] std::unique_ptr<TempFile> stage_output(const std::filesystem::path& path,
                                                     std::string_view content,
                                                     std::span<const std::string> names_in_dir);

/// Writes @p content to @p path whole (stage_output, then rename); on failure the temporary file is
/// removed and an earlier @p path left as it was. @throws InputError naming @p path.
void write_output(const std::filesystem::path& path, std::string_view content);

/// Output files that are all written to their temporary files first and renamed over their targets
/// together afterwards; the ones not committed are removed on destruction.
class StagedOutputs {
public:
    /// A target that could not be put in place, and why.
    struct Failure {
        std::filesystem::path target; ///< The output file.
        std::string reason;           ///< The system's message.
    };

    /// Stages @p content for @p path (stage_output). @throws InputError naming @p path when it cannot
    /// be written or is already staged here (the same file named for two outputs).
    void add(const std::filesystem::path& path, std::string_view content);

    /// Stages the directory @p dir, which does not exist yet, holding @p files (file name in it,
    /// content), written straight into a StagedDirectory: commit() puts them in place with one
    /// rename. @throws InputError naming the file that cannot be written (nothing of @p dir is then
    /// left) or a name given twice.
    void add_directory(const std::filesystem::path& dir,
                       std::span<const std::pair<std::string, std::string_view>> files);

    /// Renames every staged file over its target (a staged directory to its own) in the order added,
    /// going on after a failure; returns the failures in that order (their temporary files are
    /// removed).
    [[nodiscard]] std::vector<Failure> commit();

private:
    // A key of m_targets for @p path: its directory resolved, then the file itself if a link.
    std::filesystem::path target_key(const std::filesystem::path& path);

    std::vector<std::unique_ptr<TempFile>> m_files;
    std::vector<std::unique_ptr<StagedDirectory>> m_dirs;
    std::vector<std::pair<bool, std::size_t>> m_order; // (a directory?, its index), in the order added
    std::set<std::filesystem::path> m_targets;         // as compared for duplicates: absolute, normalised
    std::map<std::filesystem::path, std::filesystem::path> m_dir_keys;        // a directory's resolved form
    std::map<std::filesystem::path, std::vector<std::string>> m_names_in_dir; // listed once per directory
};

} // namespace fuelmap::detail
