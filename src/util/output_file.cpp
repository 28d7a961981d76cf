// SPDX-License-Identifier: MIT
#include "util/output_file.hpp"

#include "util/write_error.hpp"

#include <fuelmap/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

namespace fuelmap::detail {

namespace {

// Writes @p content to the new file @p file; errors name @p named (the output the file stands for).
void write_whole_file(const std::filesystem::path& file, std::string_view content,
                      const std::filesystem::path& named) {
    // stdio rather than a stream: errno says why a write failed (a full disk reads as one).
    int error = 0;
    errno = 0;
    std::FILE* out = std::fopen(file.c_str(), "wb");
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
        throw InputError({.file = named.string()}, "cannot write the file: " + write_error_message(error));
}

} // namespace

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
    write_whole_file(temp->path(), content, path);
    return temp;
}

void write_output(const std::filesystem::path& path, std::string_view content) {
    const std::unique_ptr<TempFile> temp = stage_output(path, content);
    std::error_code ec;
    temp->commit(ec);
    if (ec)
        throw InputError({.file = path.string()}, "cannot write the file: " + ec.message());
}

std::filesystem::path StagedOutputs::target_key(const std::filesystem::path& path) {
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
    return key;
}

void StagedOutputs::add(const std::filesystem::path& path, std::string_view content) {
    std::filesystem::path key = target_key(path);
    if (m_targets.count(key))
        throw InputError({.file = path.string()},
                         "cannot write the file: it is named for two outputs of the same command");
    const std::filesystem::path dir = path.parent_path();
    auto listed = m_names_in_dir.find(dir);
    if (listed == m_names_in_dir.end())
        listed = m_names_in_dir.emplace(dir, temp_like_names(dir)).first;
    m_files.push_back(stage_output(path, content, listed->second));
    m_order.emplace_back(false, m_files.size() - 1);
    m_targets.insert(std::move(key));
}

void StagedOutputs::add_directory(const std::filesystem::path& dir,
                                  std::span<const std::pair<std::string, std::string_view>> files) {
    // The directory is new: none of its files can be an input, a link or a file staged before.
    const std::filesystem::path key = target_key(dir);
    std::set<std::string> names;
    for (const auto& [name, content] : files)
        if (!names.insert(name).second || m_targets.count(key / name))
            throw InputError({.file = (dir / name).string()},
                             "cannot write the file: it is named for two outputs of the same command");
    auto staged = std::make_unique<StagedDirectory>(dir);
    for (const auto& [name, content] : files)
        write_whole_file(staged->path() / name, content, dir / name);
    for (const std::string& name : names)
        m_targets.insert(key / name);
    m_dirs.push_back(std::move(staged));
    m_order.emplace_back(true, m_dirs.size() - 1);
}

std::vector<StagedOutputs::Failure> StagedOutputs::commit() {
    std::vector<Failure> failures;
    for (const auto& [is_dir, at] : m_order) {
        std::error_code ec;
        if (is_dir)
            m_dirs[at]->commit(ec);
        else
            m_files[at]->commit(ec);
        if (ec)
            failures.push_back({is_dir ? m_dirs[at]->target() : m_files[at]->target(), ec.message()});
    }
    return failures;
}

} // namespace fuelmap::detail
