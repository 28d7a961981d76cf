// SPDX-License-Identifier: MIT
/// @file registry_format.hpp
/// @brief Private: the format name and version a registry file records in fuelmap_meta, shared by
/// the writer (registry_file.cpp) and the reader (registry_reader.cpp).
#pragma once

namespace fuelmap::detail {

/// fuelmap_meta 'format' of every registry file.
inline constexpr const char* registry_format = "fuelmap-registry";
/// fuelmap_meta 'version' written by create_registry and the only one read_registry accepts.
inline constexpr const char* registry_version = "1";

} // namespace fuelmap::detail
