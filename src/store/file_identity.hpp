// SPDX-License-Identifier: MIT
/// @file file_identity.hpp
/// @brief Private: what tells a file apart from a replaced or rewritten one (device, inode, size,
/// modification and change times), to refuse replacing a registry that changed meanwhile.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>

namespace fuelmap::detail {

/// The identity of a file at one moment; all zero when it cannot be read.
struct FileIdentity {
    std::uint64_t device = 0, inode = 0, size = 0;
    std::int64_t mtime_ns = 0, ctime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
};

/// The identity of @p path now.
[[nodiscard]] inline FileIdentity file_identity(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return {};
    return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
            static_cast<std::uint64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

} // namespace fuelmap::detail
