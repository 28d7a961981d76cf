// SPDX-License-Identifier: MIT
/// @file file.hpp
/// @brief Private: the one way fuelmap reads an input file whole (plans, designs, seeds, mapping
/// files, data tables) or hashes it. Only regular files are read: a FIFO, a device such as /dev/zero
/// or a directory is refused at once instead of blocking or reading without end.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// The largest file read_whole_file() reads unless told otherwise: 1 GiB.
inline constexpr std::uint64_t default_max_read_bytes = std::uint64_t{1} << 30;

/// The whole content of the regular file @p path. @p what names it in messages ("the plan file").
/// @throws InputError naming @p path: "cannot read WHAT" when it cannot be opened or read;
/// "cannot read WHAT: it is not a regular file (a directory, FIFO or device)"; "cannot read WHAT:
/// it is larger than N bytes" when it holds more than @p max_bytes.
[[nodiscard]] std::string read_whole_file(const std::filesystem::path& path, std::string_view what,
                                          std::uint64_t max_bytes = default_max_read_bytes);

/// Lowercase hex SHA-256 of the whole regular file @p path, read in pieces (any size).
/// @throws InputError naming @p path as read_whole_file() does (without the size bound).
[[nodiscard]] std::string sha256_file(const std::filesystem::path& path, std::string_view what);

} // namespace fuelmap::detail
