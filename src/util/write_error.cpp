// SPDX-License-Identifier: MIT
#include "util/write_error.hpp"

#include <cerrno>
#include <system_error>

namespace fuelmap::detail {

std::string write_error_message(int error) {
    if (error == 0)
        return "unknown error";
    const std::string text = std::generic_category().message(error);
    if (error == ENOSPC || error == EDQUOT)
        return "the disk is full (" + text + ")";
    return text;
}

} // namespace fuelmap::detail
