// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry_lock.hpp>

#include "store/pg_name.hpp"

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace fuelmap {

namespace {

// The locks this process holds, by lock file: flock(2) locks belong to an open file description, so
// a second open() of the same lock file in this process would wait for itself.
struct Held {
    int fd = -1; // -1: held without a lock file (a reader in a read-only directory)
    LockMode mode = LockMode::read;
    int count = 0;
};

std::mutex held_mutex;
std::map<std::string, Held>& held_locks() {
    static std::map<std::string, Held> locks;
    return locks;
}

std::atomic<std::int64_t> wait_override_ms{-1};

std::string errno_text(int err) {
    return std::strerror(err);
}

// The pid a writer left in the lock file, or 0.
long holder_pid(int fd) {
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    long pid = 0;
    const auto [end, ec] = std::from_chars(buf, buf + n, pid);
    (void)end;
    return ec == std::errc() ? pid : 0;
}

void write_pid(int fd) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0)
        (void)!::pwrite(fd, pid.data(), pid.size(), 0);
}

// Takes flock(@p op) on @p fd, polling until @p wait has passed. Returns false when it ran out.
bool lock_within(int fd, int op, std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    auto pause = std::chrono::milliseconds(5);
    for (;;) {
        if (::flock(fd, op | LOCK_NB) == 0)
            return true;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return false;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return false;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
}

std::string seconds_text(std::chrono::milliseconds ms) {
    const auto n = ms.count();
    std::string s = std::to_string(n / 1000);
    if (n % 1000) {
        char frac[8];
        std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(n % 1000));
        s += frac;
        while (s.back() == '0')
            s.pop_back();
    }
    return s + " s";
}

} // namespace

std::chrono::milliseconds registry_lock_wait() {
    if (const std::int64_t ms = wait_override_ms.load(); ms >= 0)
        return std::chrono::milliseconds(ms);
    const char* env = std::getenv("FUELMAP_LOCK_WAIT");
    if (!env || !*env)
        return std::chrono::seconds(10);
    char* end = nullptr;
    errno = 0;
    const double seconds = std::strtod(env, &end);
    if (errno || *end || !(seconds >= 0) || seconds > 86400.0 * 365)
        throw InputError({.field = "FUELMAP_LOCK_WAIT"},
                         std::string("'") + env + "' is not a number of seconds (e.g. 10 or 0.5)");
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + 0.5));
}

void set_registry_lock_wait(std::chrono::milliseconds wait) noexcept {
    wait_override_ms.store(std::max<std::int64_t>(0, wait.count()));
}

std::filesystem::path RegistryLock::lock_file(const std::filesystem::path& registry) {
    std::filesystem::path p = registry;
    p += ".lock";
    return p;
}

RegistryLock::RegistryLock(const std::filesystem::path& registry, LockMode mode) {
    // A PostgreSQL registry is serialized by the database itself (docs/registry.md, "PostgreSQL/PostGIS").
    if (detail::is_pg_registry(registry.string()))
        return;
    const std::filesystem::path file = lock_file(registry);
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(file, ec);
    if (ec)
        abs = file;
    const std::string key = abs.lexically_normal().string();
    std::lock_guard<std::mutex> guard(held_mutex);
    auto& locks = held_locks();
    if (auto it = locks.find(key); it != locks.end()) {
        if (mode == LockMode::write && it->second.mode == LockMode::read)
            throw std::logic_error("internal error: a write lock on " + registry.string() +
                                   " was asked for while this process holds a read lock on it");
        ++it->second.count;
        m_key = key;
        return;
    }
    const std::chrono::milliseconds wait = registry_lock_wait();
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0 && mode == LockMode::read)
        fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        // A reader that cannot make the lock file reads without it (a registry on read-only media
        // has no writer); a writer whose directory does not exist fails later with its own error.
        const bool no_dir = err == ENOENT && !std::filesystem::is_directory(abs.parent_path(), ec);
        if (mode == LockMode::read || no_dir) {
            locks[key] = Held{-1, mode, 1};
            m_key = key;
            return;
        }
        throw Error(file.string() + ": cannot open the registry's lock file: " + errno_text(err));
    }
    if (!lock_within(fd, mode == LockMode::write ? LOCK_EX : LOCK_SH, wait)) {
        const long pid = holder_pid(fd);
        ::close(fd);
        // No pid: readers hold the lock, or a writer is between taking it and writing its pid.
        const std::string who =
            pid > 0 ? "being written by another fuelmap process (pid " + std::to_string(pid) + ")"
                    : "in use by another fuelmap process";
        throw InputError({.file = registry.string()}, "registry is " + who + "; gave up after waiting " +
                                                          seconds_text(wait) +
                                                          " (set FUELMAP_LOCK_WAIT to wait longer)");
    }
    if (mode == LockMode::write)
        write_pid(fd);
    locks[key] = Held{fd, mode, 1};
    m_key = key;
}

RegistryLock::~RegistryLock() {
    if (m_key.empty())
        return;
    std::lock_guard<std::mutex> guard(held_mutex);
    auto& locks = held_locks();
    auto it = locks.find(m_key);
    if (it == locks.end() || --it->second.count > 0)
        return;
    if (it->second.fd >= 0) {
        if (it->second.mode == LockMode::write)
            (void)!::ftruncate(it->second.fd, 0);
        ::flock(it->second.fd, LOCK_UN);
        ::close(it->second.fd);
    }
    locks.erase(it);
}

} // namespace fuelmap
