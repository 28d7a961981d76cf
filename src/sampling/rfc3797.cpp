// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/rfc3797.hpp>

#include <algorithm>
#include <charconv>

namespace fuelmap {

std::string rfc3797_key(const std::vector<std::vector<std::uint64_t>>& sources) {
    std::string key;
    for (std::size_t s = 0; s < sources.size(); ++s) {
        if (sources[s].empty())
            throw InputError({.field = "source " + std::to_string(s + 1)}, "a source has no numbers");
        std::vector<std::uint64_t> numbers = sources[s];
        std::sort(numbers.begin(), numbers.end());
        for (std::uint64_t n : numbers)
            key += std::to_string(n) + ".";
        key += "/";
    }
    return key;
}

std::vector<std::uint64_t> parse_rfc3797_source(std::string_view text, const std::string& label) {
    std::vector<std::uint64_t> numbers;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == ',' || text[i] == '\t') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && text[j] >= '0' && text[j] <= '9')
            ++j;
        std::uint64_t value = 0;
        auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + j, value);
        if (j == i || ec != std::errc() || ptr != text.data() + j ||
            (j < text.size() && text[j] != ' ' && text[j] != ',' && text[j] != '\t'))
            throw InputError({.field = label},
                             "not a list of non-negative integers: '" + std::string(text) + "'");
        numbers.push_back(value);
        i = j;
    }
    if (numbers.empty())
        throw InputError({.field = label}, "a source has no numbers");
    return numbers;
}

namespace {
Md5Digest digest_of(std::string_view key, std::uint16_t i) {
    std::string input;
    input.reserve(key.size() + 4);
    input.push_back(static_cast<char>(i >> 8));
    input.push_back(static_cast<char>(i & 0xff));
    input.append(key);
    input.push_back(static_cast<char>(i >> 8));
    input.push_back(static_cast<char>(i & 0xff));
    return md5(input);
}
} // namespace

std::string rfc3797_digest_hex(std::string_view key, std::uint16_t i) {
    const Md5Digest d = digest_of(key, i);
    return to_hex(d.data(), d.size());
}

std::uint64_t rfc3797_remainder(std::string_view key, std::uint16_t i, std::uint64_t divisor) {
    // Byte-wise long division as in the RFC's reference code; exact for any divisor < 2^56.
    const Md5Digest d = digest_of(key, i);
    unsigned __int128 remainder = 0;
    for (std::uint8_t byte : d)
        remainder = ((remainder << 8) | byte) % divisor;
    return static_cast<std::uint64_t>(remainder);
}

std::vector<std::size_t> rfc3797_select(std::string_view key, std::size_t pool_size, std::size_t count) {
    if (count > pool_size)
        throw InputError({}, "RFC 3797 selection of " + std::to_string(count) + " from a pool of " +
                                 std::to_string(pool_size));
    if (count > 65536)
        throw InputError({}, "RFC 3797 selection is limited to 65536 picks (16-bit counter)");
    // A Fenwick tree over "still in the pool" flags finds the k-th remaining item in O(log n).
    std::vector<std::int64_t> tree(pool_size + 1, 0);
    for (std::size_t i = 1; i <= pool_size; ++i) {
        tree[i] += 1;
        const std::size_t parent = i + (i & (~i + 1));
        if (parent <= pool_size)
            tree[parent] += tree[i];
    }
    std::size_t top = 1;
    while (top * 2 <= pool_size)
        top *= 2;
    std::vector<std::size_t> picks;
    picks.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t left = pool_size - i;
        std::int64_t k =
            static_cast<std::int64_t>(rfc3797_remainder(key, static_cast<std::uint16_t>(i), left));
        // Find the smallest position p with prefix_sum(p) = k + 1.
        std::size_t pos = 0;
        for (std::size_t step = top; step > 0; step /= 2)
            if (pos + step <= pool_size && tree[pos + step] <= k) {
                pos += step;
                k -= tree[pos];
            }
        picks.push_back(pos); // 0-based position pos (1-based pos + 1)
        for (std::size_t j = pos + 1; j <= pool_size; j += j & (~j + 1))
            tree[j] -= 1;
    }
    return picks;
}

} // namespace fuelmap
