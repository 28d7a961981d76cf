// SPDX-License-Identifier: MIT
/// @file progress.hpp
/// @brief The progress callback long operations accept.
#pragma once

#include <cstddef>
#include <functional>

namespace fuelmap {

/// Called now and then with the work done so far and the total (0 when unknown).
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

} // namespace fuelmap
