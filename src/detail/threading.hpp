// SPDX-License-Identifier: MIT
/// @file threading.hpp
/// @brief Whether the bulk reads and checks of a whole registry and the draw use worker threads,
/// and the entry points that take that choice (the public functions always choose automatically).
#pragma once

#include <fuelmap/registry_file.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/validation.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// Worker threads: when the input is large enough to pay for them, never, or always (tests use
/// `always` on small registries to check that the threaded path gives the sequential result).
enum class Threading { automatic, never, always };

/// read_registry() with a choice of threading; the result and the errors do not depend on it.
[[nodiscard]] Registry read_registry(const std::filesystem::path& path, const ReadOptions& options,
                                     Threading threading);

/// validate_registry() of every station with a choice of threading; the findings (and their
/// order) do not depend on it.
[[nodiscard]] std::vector<Finding> validate_all(const Registry& registry, Threading threading);

/// draw_plan() of a registry in memory with a choice of threading for hashing the station and
/// team tickets; the plan (byte for byte) and the errors do not depend on it.
[[nodiscard]] Plan draw_plan(const Registry& registry, const Design& design, const std::string& seed,
                             const DrawContext& context, Threading threading);

} // namespace fuelmap::detail
