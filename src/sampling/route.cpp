// SPDX-License-Identifier: MIT
#include "sampling/route.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace fuelmap::detail {

namespace {

// round(10^6 · cos(d°)), d = 0 … 90. Written out rather than computed so that no libm decides a
// route: every entry is at least 2.6·10^-4 away from a rounding tie.
constexpr std::array<std::int64_t, 91> cos_table = {
    1000000, 999848, 999391, 998630, 997564, 996195, 994522, 992546, 990268, 987688, 984808, 981627, 978148,
    974370,  970296, 965926, 961262, 956305, 951057, 945519, 939693, 933580, 927184, 920505, 913545, 906308,
    898794,  891007, 882948, 874620, 866025, 857167, 848048, 838671, 829038, 819152, 809017, 798636, 788011,
    777146,  766044, 754710, 743145, 731354, 719340, 707107, 694658, 681998, 669131, 656059, 642788, 629320,
    615661,  601815, 587785, 573576, 559193, 544639, 529919, 515038, 500000, 484810, 469472, 453990, 438371,
    422618,  406737, 390731, 374607, 358368, 342020, 325568, 309017, 292372, 275637, 258819, 241922, 224951,
    207912,  190809, 173648, 156434, 139173, 121869, 104528, 87156,  69756,  52336,  34899,  17452,  0};

// Metres per degree of latitude (a sphere of radius 6,371 km: 111,194.9 m, rounded).
constexpr std::int64_t metres_per_degree = 111195;

using U128 = unsigned __int128;

// floor(sqrt(v)), exactly.
U128 isqrt(U128 v) noexcept {
    if (v == 0)
        return 0;
    // A first guess from the double square root, then corrected to the exact floor.
    auto r = static_cast<U128>(std::sqrt(static_cast<long double>(v)));
    while (r * r > v)
        --r;
    while ((r + 1) * (r + 1) <= v)
        ++r;
    return r;
}

} // namespace

std::optional<std::int64_t> parse_micro_degrees(std::string_view text) noexcept {
    bool negative = false;
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        negative = text[i++] == '-';
    std::int64_t whole = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
        whole = whole * 10 + (text[i] - '0');
        if (whole > 180)
            return std::nullopt;
    }
    if (digits == 0)
        return std::nullopt;
    std::int64_t fraction = 0;
    std::size_t decimals = 0;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals) {
            if (decimals == 6)
                return std::nullopt;
            fraction = fraction * 10 + (text[i] - '0');
        }
        if (decimals == 0)
            return std::nullopt;
    }
    if (i != text.size())
        return std::nullopt;
    for (std::size_t d = decimals; d < 6; ++d)
        fraction *= 10;
    const std::int64_t value = whole * 1'000'000 + fraction;
    if (value > 180'000'000)
        return std::nullopt;
    return negative ? -value : value;
}

std::int64_t cos_e6(int degrees) noexcept {
    return cos_table[static_cast<std::size_t>(std::clamp(degrees, 0, 90))];
}

std::int64_t straight_metres(MicroPoint a, MicroPoint b) noexcept {
    // Mean latitude of the pair in whole degrees: floor(|lat_a + lat_b| / (2·10^6)).
    const int degrees = static_cast<int>(std::llabs(a.lat + b.lat) / 2'000'000);
    const U128 dx = static_cast<U128>(std::llabs(a.lon - b.lon)) * static_cast<U128>(cos_e6(degrees));
    const U128 dy = static_cast<U128>(std::llabs(a.lat - b.lat)) * 1'000'000u;
    // dx, dy are in 10^-12 degree; the hypotenuse times metres per degree, floored.
    return static_cast<std::int64_t>(isqrt(dx * dx + dy * dy) * metres_per_degree / 1'000'000'000'000u);
}

std::vector<std::size_t> visiting_order(MicroPoint base, const std::vector<MicroPoint>& stops,
                                        const std::vector<std::string>& ids) {
    const std::size_t k = stops.size();
    std::vector<std::size_t> order;
    std::vector<bool> used(k, false);
    MicroPoint at = base;
    for (std::size_t step = 0; step < k; ++step) {
        std::size_t best = k;
        std::int64_t best_d = 0;
        for (std::size_t i = 0; i < k; ++i) {
            if (used[i])
                continue;
            const std::int64_t d = straight_metres(at, stops[i]);
            if (best == k || d < best_d || (d == best_d && ids[i] < ids[best])) {
                best = i;
                best_d = d;
            }
        }
        used[best] = true;
        order.push_back(best);
        at = stops[best];
    }
    // 2-opt on the closed tour p_0 = base, p_1 … p_k = the stops, p_{k+1} = base.
    auto point = [&](std::size_t pos) { return pos == 0 || pos == k + 1 ? base : stops[order[pos - 1]]; };
    bool improved = true;
    while (improved) {
        improved = false;
        for (std::size_t i = 0; i + 2 <= k && !improved; ++i)
            for (std::size_t j = i + 2; j <= k && !improved; ++j) {
                const std::int64_t before =
                    straight_metres(point(i), point(i + 1)) + straight_metres(point(j), point(j + 1));
                const std::int64_t after =
                    straight_metres(point(i), point(j)) + straight_metres(point(i + 1), point(j + 1));
                if (after < before) {
                    std::reverse(order.begin() + static_cast<std::ptrdiff_t>(i),
                                 order.begin() + static_cast<std::ptrdiff_t>(j));
                    improved = true;
                }
            }
    }
    return order;
}

std::int64_t tour_metres(MicroPoint base, const std::vector<MicroPoint>& stops,
                         const std::vector<std::size_t>& order) noexcept {
    std::int64_t total = 0;
    MicroPoint at = base;
    for (std::size_t i : order) {
        total += straight_metres(at, stops[i]);
        at = stops[i];
    }
    return total + straight_metres(at, base);
}

} // namespace fuelmap::detail
