// SPDX-License-Identifier: MIT
/// @file source_checks.hpp
/// @brief Private: checks made on an input before and after GDAL opens it: a special file (FIFO,
/// device) is refused at once instead of hanging a reader, and a NUL byte in a text source (which
/// GDAL would silently cut a field at) is refused naming its line.
#pragma once

#include <filesystem>
#include <string>

namespace fuelmap::detail {

/// @throws InputError naming @p path when it exists and is neither a regular file nor a directory
/// (a FIFO, a character or block device such as /dev/zero, a socket).
void refuse_special_input(const std::filesystem::path& path);

/// For text sources read by the GDAL driver @p driver ("CSV", "GeoJSON", "GeoJSONSeq"): @throws
/// InputError naming @p path and the line of the first NUL byte, or of the first `\u0000` escape in
/// a JSON string. Other drivers are not scanned.
void refuse_nul_bytes(const std::filesystem::path& path, const std::string& driver);

} // namespace fuelmap::detail
