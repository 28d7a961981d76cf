// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/ticket.hpp>

#include <algorithm>
#include <array>
#include <cstdint>

namespace fuelmap {

std::string ticket_from_digest(const Sha256Digest& value) {
    // The 256-bit big-endian value as 8 limbs of 32 bits, most significant first; repeated
    // division by 10^9 gives the decimal digits nine at a time, least significant group first.
    std::array<std::uint32_t, 8> limbs{};
    for (std::size_t i = 0; i < 8; ++i)
        limbs[i] = (std::uint32_t{value[4 * i]} << 24) | (std::uint32_t{value[4 * i + 1]} << 16) |
                   (std::uint32_t{value[4 * i + 2]} << 8) | std::uint32_t{value[4 * i + 3]};
    std::string reversed; // decimal digits, least significant first
    reversed.reserve(81);
    auto is_zero = [&] {
        return std::all_of(limbs.begin(), limbs.end(), [](std::uint32_t l) { return l == 0; });
    };
    while (!is_zero()) {
        std::uint64_t remainder = 0;
        for (std::uint32_t& limb : limbs) {
            const std::uint64_t cur = (remainder << 32) | limb;
            limb = static_cast<std::uint32_t>(cur / 1000000000u);
            remainder = cur % 1000000000u;
        }
        for (int k = 0; k < 9; ++k) {
            reversed.push_back(static_cast<char>('0' + remainder % 10));
            remainder /= 10;
        }
    }
    while (reversed.size() > 1 && reversed.back() == '0')
        reversed.pop_back(); // strip leading zeros of the decimal form
    if (reversed.empty())
        reversed = "0";
    if (reversed.size() < 64)
        reversed.append(64 - reversed.size(), '0'); // left-pad the decimal form to 64 digits
    return "0." + reversed;
}

TicketMaker::TicketMaker(std::string_view seed) : m_seed_hash(sha256_hex(seed)) {}

std::string TicketMaker::ticket(std::string_view id) const {
    std::string input;
    input.reserve(m_seed_hash.size() + id.size());
    input.append(m_seed_hash).append(id);
    return ticket_from_digest(sha256(input));
}

bool ticket_less(std::string_view a_ticket, std::string_view a_id, std::string_view b_ticket,
                 std::string_view b_id) noexcept {
    if (a_ticket != b_ticket)
        return a_ticket < b_ticket;
    return a_id < b_id;
}

std::string ticket_numerator_digits(std::string_view ticket) {
    if (ticket.size() < 3 || ticket.substr(0, 2) != "0." || ticket.size() - 2 > ticket_fraction_digits ||
        !std::all_of(ticket.begin() + 2, ticket.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw Error("malformed ticket '" + std::string(ticket) + "'");
    std::string digits(ticket.substr(2));
    digits.append(ticket_fraction_digits - digits.size(), '0');
    return digits;
}

} // namespace fuelmap
