// SPDX-License-Identifier: MIT
#include "util/temp_file.hpp"

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

namespace {

// The pid in the name of a temporary file of @p target_name as TempFile names it,
// `<target_name>.tmp-<pid>` or its SQLite journal `<target_name>.tmp-<pid>-journal`; nullopt for
// any other name (no leading zeros, no sign: only what TempFile writes).
std::optional<pid_t> temp_file_pid(std::string_view name, std::string_view target_name) {
    constexpr std::string_view tmp = ".tmp-", journal = "-journal";
    if (!name.starts_with(target_name) || !name.substr(target_name.size()).starts_with(tmp))
        return std::nullopt;
    name.remove_prefix(target_name.size() + tmp.size());
    if (name.ends_with(journal))
        name.remove_suffix(journal.size());
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
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    for (const std::string& name : names_in_dir) {
        const std::optional<pid_t> pid = temp_file_pid(name, target_name);
        if (!pid || *pid == ::getpid())
            continue;
        std::error_code ec;
        const std::filesystem::path path = dir / name;
        if (std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::regular &&
            ::kill(*pid, 0) == -1 && errno == ESRCH)
            std::filesystem::remove(path, ec);
    }
}

} // namespace

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

} // namespace fuelmap::detail
