// SPDX-License-Identifier: MIT
/// @file ticket_digits.hpp
/// @brief Private: the decimal digits of a ticket straight from its 256-bit value, so that the draw
/// can order and weigh tickets without building their strings (docs/sampling.md section 4).
#pragma once

#include <fuelmap/hash.hpp>
#include <fuelmap/ticket.hpp>

#include <array>
#include <cstdint>
#include <string_view>

namespace fuelmap::detail {

/// The decimal form of a 256-bit big-endian value in groups of nine digits, least significant
/// group first: groups[g] = floor(value / 10^(9g)) mod 10^9. Nine groups hold all 78 digits.
[[nodiscard]] std::array<std::uint32_t, 9> decimal_groups(const Sha256Digest& value) noexcept;

/// The nine digits of @p group (zero-padded) in reverse order, read as a number: the digits the
/// group contributes to a ticket, in ticket order.
[[nodiscard]] constexpr std::uint32_t reverse9(std::uint32_t group) noexcept {
    std::uint32_t out = 0;
    for (int k = 0; k < 9; ++k) {
        out = out * 10 + group % 10;
        group /= 10;
    }
    return out;
}

/// The first 18 digits of the ticket of @p value (after "0."), read as a number. Tickets whose
/// keys differ compare (as strings) in the order of their keys; equal keys need the full tickets.
[[nodiscard]] std::uint64_t ticket_key(const Sha256Digest& value) noexcept;

/// A ticket as the draw handles it: its 256-bit value and its key, which order almost every pair
/// of tickets without building their strings.
struct TicketValue {
    Sha256Digest digest{}; ///< the value whose ticket it is
    std::uint64_t key = 0; ///< ticket_key(digest)

    /// The ticket of the item with id @p id.
    [[nodiscard]] static TicketValue of(const TicketMaker& tickets, std::string_view id) {
        TicketValue t;
        t.digest = tickets.digest(id);
        t.key = ticket_key(t.digest);
        return t;
    }
};

/// Ticket order (docs/sampling.md section 4), as ticket_less() of the ticket strings: by ticket,
/// then by id. True when (@p a, @p a_id) comes first.
[[nodiscard]] inline bool ticket_before(const TicketValue& a, std::string_view a_id, const TicketValue& b,
                                        std::string_view b_id) {
    if (a.key != b.key)
        return a.key < b.key;
    if (a.digest != b.digest)
        return ticket_less(ticket_from_digest(a.digest), a_id, ticket_from_digest(b.digest), b_id);
    return a_id < b_id;
}

} // namespace fuelmap::detail
