// SPDX-License-Identifier: MIT
/// @file write_error.hpp
/// @brief Private: what a failed write says, so that a full disk reads as a full disk.
#pragma once

#include <string>

namespace fuelmap::detail {

/// The message for a write that failed with errno @p error: "the disk is full (No space left on
/// device)" for ENOSPC and EDQUOT, the system's message (strerror) otherwise, "unknown error" for 0.
[[nodiscard]] std::string write_error_message(int error);

} // namespace fuelmap::detail
