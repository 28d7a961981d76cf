// SPDX-License-Identifier: MIT
/// @file validate_all.hpp
/// @brief Private: validation of a whole registry with a choice of worker threads.
#pragma once

#include <fuelmap/validation.hpp>

#include "util/threading.hpp"

#include <vector>

namespace fuelmap::detail {

/// validate_registry() of every station with a choice of threading; the findings (and their
/// order) do not depend on it.
[[nodiscard]] std::vector<Finding> validate_all(const Registry& registry, Threading threading);

} // namespace fuelmap::detail
