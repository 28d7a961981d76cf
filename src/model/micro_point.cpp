// SPDX-License-Identifier: MIT
#include "model/micro_point.hpp"

#include <cmath>

namespace fuelmap::detail {

MicroPoint micro_point(const GeoPoint& p) noexcept {
    // std::llround rounds halves away from zero, as docs/sampling.md specifies.
    return {static_cast<std::int64_t>(std::llround(p.lon * 1e6)),
            static_cast<std::int64_t>(std::llround(p.lat * 1e6))};
}

} // namespace fuelmap::detail
