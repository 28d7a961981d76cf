// SPDX-License-Identifier: MIT
#include "util/output_file.hpp"

#include "util/write_error.hpp"

#include <fuelmap/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

namespace fuelmap::detail {

std::unique_ptr<TempFile> stage_output(const std::filesystem::path& path, std::string_view content) {
    return stage_output(path, content, temp_like_names(path.parent_path()));
}

std::unique_ptr<TempFile> stage_output(const std::filesystem::path& path, std::string_view content,
                                       std::span<const std::string> names_in_dir) {
    // rename() cannot replace a directory: refuse it now rather than after the whole file is written
    // (and, for a set of outputs, after the others are put in place).
    std::error_code ec;
    if (std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::directory)
        throw InputError({.file = path.string()},
                         "cannot write the file: " +
                             std::make_error_code(std::errc::is_a_directory).message());
    auto temp = std::make_unique<TempFile>(path, names_in_dir);
    // stdio rather than a stream: errno says why a write failed (a full disk reads as one).
    int error = 0;
    errno = 0;
    std::FILE* out = std::fopen(temp->path().c_str(), "wb");
    if (out == nullptr) {
        error = errno;
    } else {
        errno = 0;
        if (std::fwrite(content.data(), 1, content.size(), out) != content.size() || std::fflush(out) != 0)
            error = errno == 0 ? EIO : errno;
        errno = 0;
        if (std::fclose(out) != 0 && error == 0)
            error = errno == 0 ? EIO : errno;
    }
    if (error != 0)
        throw InputError({.file = path.string()}, "cannot write the file: " + write_error_message(error));
    return temp;
}

void write_output(const std::filesystem::path& path, std::string_view content) {
    const std::unique_ptr<TempFile> temp = stage_output(path, content);
    std::error_code ec;
    temp->commit(ec);
    if (ec)
        throw InputError({.file = path.string()}, "cannot write the file: " + ec.message());
}

void StagedOutputs::add(const std::filesystem::path& path, std::string_view content) {
    // The same file under two spellings (`plan.json`, `./plan.json`, through a symbolic link) is one key:
    // its directory resolved (once per directory: a field-list directory holds hundreds of files),
    // then the file itself when it is a symbolic link.
    std::error_code ec;
    const std::filesystem::path parent = path.parent_path().empty() ? "." : path.parent_path();
    auto dir_key = m_dir_keys.find(parent);
    if (dir_key == m_dir_keys.end()) {
        std::filesystem::path resolved = std::filesystem::absolute(parent, ec).lexically_normal();
        if (std::filesystem::path canonical = std::filesystem::weakly_canonical(resolved, ec); !ec)
            resolved = std::move(canonical);
        dir_key = m_dir_keys.emplace(parent, std::move(resolved)).first;
    }
    std::filesystem::path key = (dir_key->second / path.filename()).lexically_normal();
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec)))
        if (std::filesystem::path canonical = std::filesystem::weakly_canonical(key, ec); !ec)
            key = std::move(canonical);
    if (m_targets.count(key))
        throw InputError({.file = path.string()},
                         "cannot write the file: it is named for two outputs of the same command");
    const std::filesystem::path dir = path.parent_path();
    auto listed = m_names_in_dir.find(dir);
    if (listed == m_names_in_dir.end())
        listed = m_names_in_dir.emplace(dir, temp_like_names(dir)).first;
    m_files.push_back(stage_output(path, content, listed->second));
    m_targets.insert(std::move(key));
}

std::vector<StagedOutputs::Failure> StagedOutputs::commit() {
    std::vector<Failure> failures;
    for (const std::unique_ptr<TempFile>& file : m_files) {
        std::error_code ec;
        file->commit(ec);
        if (ec)
            failures.push_back({file->target(), ec.message()});
    }
    return failures;
}

} // namespace fuelmap::detail
