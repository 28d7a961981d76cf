// SPDX-License-Identifier: MIT
/// @file threading.hpp
/// @brief Private: whether a bulk job (registry read, validation, the draw, the audit) uses worker
/// threads. The public functions always choose automatically; tests force each path.
#pragma once

namespace fuelmap::detail {

/// Worker threads: when the input is large enough to pay for them, never, or always (tests use
/// `always` on small registries to check that the threaded path gives the sequential result).
enum class Threading { automatic, never, always };

} // namespace fuelmap::detail
