// SPDX-License-Identifier: MIT
/// @file output_guard.hpp
/// @brief Private: the one check every command makes before it writes a file: an output never
/// replaces one of the command's inputs (the same file by device and inode, through any link) and is
/// never a special file (device node, FIFO, socket) or, where a file is expected, a directory.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// The files a command reads; its outputs are checked against them.
class OutputGuard {
public:
    /// Records @p path, read as @p role ("the registry", "the design" …). A path that does not exist
    /// (yet) is not recorded; an empty path is ignored. Returns *this for chaining.
    OutputGuard& input(const std::filesystem::path& path, const std::string& role);

    /// Checks an output file. @throws InputError naming @p out when it is an input of the command
    /// ("the output would replace the registry 'REG' (the same file)…"), a directory, or a special
    /// file (character or block device, FIFO, socket).
    void check_file(const std::filesystem::path& out) const;

    /// Checks an output directory (files are written inside it): an existing @p dir must be a
    /// directory and not an input. @throws InputError naming @p dir.
    void check_directory(const std::filesystem::path& dir) const;

private:
    struct Input {
        std::filesystem::path path;
        std::string role;
        dev_t device;
        ino_t inode;
    };
    // The input that @p out is (the same device and inode), or nullptr.
    const Input* same_as_input(const std::filesystem::path& out) const;
    std::vector<Input> m_inputs;
};

/// What a file of type @p mode (stat's st_mode) is, in words: "a character device", "a FIFO" …
[[nodiscard]] std::string describe_file_type(mode_t mode);

} // namespace fuelmap::detail
