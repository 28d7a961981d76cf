// SPDX-License-Identifier: MIT
/// @file registry_lock.hpp
/// @brief One writer at a time: the advisory lock every fuelmap process takes on a registry before
/// writing it (exclusive) or reading a consistent snapshot of it (shared). See docs/registry.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

namespace fuelmap {

/// What a lock is taken for.
enum class LockMode {
    read, ///< shared: any number of readers, no writer
    write ///< exclusive: one writer, no reader
};

/// An flock(2) on the file `<registry>.lock` beside the registry, held for the object's lifetime.
/// The lock file is never removed (removing it would let two processes lock two different files).
/// A process that already holds a lock on the same registry takes it again without waiting
/// (nested library calls); asking for a write lock while only a read lock is held is a program
/// error. A writer records its process id in the lock file, so that a refused process can name it.
class RegistryLock {
public:
    /// Takes the lock, waiting up to registry_lock_wait() for another process to release it.
    /// A reader whose lock file cannot be created (read-only directory) reads without a lock.
    /// @throws InputError "registry is being written by another fuelmap process (pid N)" (or "in use
    /// by another fuelmap process" when no writer's pid is known) when the wait runs out; Error when
    /// the lock file cannot be opened for a write. A PostgreSQL registry (`PG:…`, `postgresql://…`)
    /// takes no lock here: the database serializes its writers.
    RegistryLock(const std::filesystem::path& registry, LockMode mode);
    /// Releases the lock (the last holder in this process releases the flock).
    ~RegistryLock();
    RegistryLock(const RegistryLock&) = delete;
    RegistryLock& operator=(const RegistryLock&) = delete;

    /// The lock file of @p registry: the registry's path with ".lock" appended.
    [[nodiscard]] static std::filesystem::path lock_file(const std::filesystem::path& registry);

private:
    std::string m_key; // the lock file's absolute path; empty when no lock is held
};

/// How long a process waits for another one's lock before giving up: FUELMAP_LOCK_WAIT (seconds,
/// decimals allowed) from the environment when set, else 10 s, unless set_registry_lock_wait() was
/// called. @throws InputError when FUELMAP_LOCK_WAIT is not a non-negative number.
[[nodiscard]] std::chrono::milliseconds registry_lock_wait();

/// Overrides registry_lock_wait() for this process.
void set_registry_lock_wait(std::chrono::milliseconds wait) noexcept;

} // namespace fuelmap
