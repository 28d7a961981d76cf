// SPDX-License-Identifier: MIT
/// @file registry_read.hpp
/// @brief Private: read_registry() with a choice of worker threads (tests force each path).
#pragma once

#include <fuelmap/registry_file.hpp>

#include "util/threading.hpp"

#include <filesystem>

namespace fuelmap::detail {

/// read_registry() with a choice of threading; the result and the errors do not depend on it.
[[nodiscard]] Registry read_registry(const std::filesystem::path& path, const ReadOptions& options,
                                     Threading threading);

} // namespace fuelmap::detail
