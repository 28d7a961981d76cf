// SPDX-License-Identifier: MIT
/// @file draw.hpp
/// @brief Private: draw_plan() with a choice of worker threads for hashing tickets.
#pragma once

#include <fuelmap/sampler.hpp>

#include "util/threading.hpp"

#include <string>

namespace fuelmap::detail {

/// draw_plan() of a registry in memory with a choice of threading for hashing the station and
/// team tickets; the plan (byte for byte) and the errors do not depend on it.
[[nodiscard]] Plan draw_plan(const Registry& registry, const Design& design, const std::string& seed,
                             const DrawContext& context, Threading threading);

} // namespace fuelmap::detail
