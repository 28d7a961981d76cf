// SPDX-License-Identifier: MIT
#include "util/temp_file.hpp"

#include <fuelmap/error.hpp>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

namespace {

// @p name with every '.' made '_': the name a staging directory is made from.
std::string undotted(std::string name) {
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
}

// The pid in the name of a temporary file of @p target_name as TempFile names it,
// `<target_name>.tmp-<pid>` or its SQLite journal `<target_name>.tmp-<pid>-journal`, or of a staging
// directory `<staging_name>.tmp-<pid>-staging` (then @p staging is set); nullopt for any other name (no
// leading zeros, no sign: only what fuelmap writes).
std::optional<pid_t> temp_file_pid(std::string_view name, std::string_view target_name, bool& staging) {
    constexpr std::string_view tmp = ".tmp-", journal = "-journal", staging_suffix = "-staging";
    staging = false;
    if (!name.starts_with(target_name) || !name.substr(target_name.size()).starts_with(tmp))
        return std::nullopt;
    name.remove_prefix(target_name.size() + tmp.size());
    if (name.ends_with(journal)) {
        name.remove_suffix(journal.size());
    } else if (name.ends_with(staging_suffix)) {
        name.remove_suffix(staging_suffix.size());
        staging = true;
    }
    if (name.empty() || name.front() < '1' || name.front() > '9')
        return std::nullopt;
    pid_t pid = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size())
        return std::nullopt;
    return pid;
}

// Removes the temporary files (and their journals) that writers of @p target killed before they
// could clean up left beside it, looked for among @p names_in_dir: those whose pid is no live
// process on this machine. A live pid (ours, another writer's, or one the system has given to an
// unrelated process since) keeps its file. Best effort: a file that cannot be removed is left.
void remove_stale_temp_files(const std::filesystem::path& target, std::span<const std::string> names_in_dir) {
    const std::string target_name = target.filename().string();
    const std::string staging_name = undotted(target_name);
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    for (const std::string& name : names_in_dir) {
        bool staging = false;
        std::optional<pid_t> pid = temp_file_pid(name, target_name, staging);
        if (!pid || staging)
            if (pid = temp_file_pid(name, staging_name, staging); !staging)
                pid.reset(); // a staging directory is named after staging_name only
        if (!pid || *pid == ::getpid())
            continue;
        std::error_code ec;
        const std::filesystem::path path = dir / name;
        // Regular files, and staging directories of datasets with sidecar files (an export); any
        // other directory of such a name is not fuelmap's and is left alone.
        const std::filesystem::file_type want =
            staging ? std::filesystem::file_type::directory : std::filesystem::file_type::regular;
        if (std::filesystem::symlink_status(path, ec).type() == want && ::kill(*pid, 0) == -1 &&
            errno == ESRCH)
            std::filesystem::remove_all(path, ec);
    }
}

} // namespace

std::filesystem::path staging_directory(const std::filesystem::path& target) {
    return target.parent_path() /
           (undotted(target.filename().string()) + ".tmp-" + std::to_string(::getpid()) + "-staging");
}

std::vector<std::string> temp_like_names(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.find(".tmp-") != std::string::npos)
            names.push_back(std::move(name));
    }
    return names;
}

TempFile::TempFile(const std::filesystem::path& target)
    : TempFile(target, temp_like_names(target.parent_path())) {}

TempFile::TempFile(const std::filesystem::path& target, std::span<const std::string> names_in_dir)
    : m_target(target), m_path(target.string() + ".tmp-" + std::to_string(::getpid())) {
    remove_stale_temp_files(target, names_in_dir);
    std::error_code ec;
    std::filesystem::remove(m_path, ec);
}

TempFile::~TempFile() {
    if (!m_committed) {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
        std::filesystem::remove(m_path.string() + "-journal", ec);
    }
}

void TempFile::commit() {
    std::filesystem::rename(m_path, m_target);
    m_committed = true;
}

void TempFile::commit(std::error_code& ec) noexcept {
    std::filesystem::rename(m_path, m_target, ec);
    m_committed = !ec;
}

StagedDirectory::StagedDirectory(const std::filesystem::path& target)
    : m_target(target), m_path(staging_directory(target)) {
    remove_stale_temp_files(target, temp_like_names(target.parent_path()));
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec); // ours, from a process of the same pid long gone
    if (!std::filesystem::create_directory(m_path, ec))
        throw InputError({.file = target.string()},
                         "cannot create the directory: " +
                             (ec ? ec.message() : std::string("its staging directory exists")));
}

StagedDirectory::~StagedDirectory() {
    if (!m_committed) {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
}

void StagedDirectory::commit(std::error_code& ec) noexcept {
    std::filesystem::rename(m_path, m_target, ec);
    m_committed = !ec;
}

} // namespace fuelmap::detail
