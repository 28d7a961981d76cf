// SPDX-License-Identifier: MIT
/// @file ticket.hpp
/// @brief Tickets of Rivest's consistent sampler: every item gets a pseudorandom decimal fraction
/// computed from the seed and the item's real-world id alone. Bit-compatible with the reference
/// consistent_sampler (first-generation tickets). See docs/sampling.md, "Tickets".
#pragma once

#include <fuelmap/hash.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace fuelmap {

/// The ticket of a 256-bit value: its decimal form left-padded with zeros to at least 64 digits,
/// reversed, with "0." in front.
[[nodiscard]] std::string ticket_from_digest(const Sha256Digest& value);

/// Computes tickets for one seed. The seed text is hashed once: h = hex(SHA-256(seed)); the ticket
/// of an id is ticket_from_digest(SHA-256(h followed by the id)).
class TicketMaker {
public:
    /// Prepares tickets for @p seed (its UTF-8 bytes as given).
    explicit TicketMaker(std::string_view seed);
    /// The ticket of the item with real-world id @p id. Safe to call from several threads.
    [[nodiscard]] std::string ticket(std::string_view id) const;
    /// SHA-256(h followed by @p id), the value whose ticket is ticket(id).
    [[nodiscard]] Sha256Digest digest(std::string_view id) const;
    /// hex(SHA-256(seed)), the prefix every hashed id gets.
    [[nodiscard]] const std::string& seed_hash() const noexcept { return m_seed_hash; }

private:
    struct Prefix; // SHA-256 state after the 64 bytes of h (one block): hashed once per seed
    std::string m_seed_hash;
    std::shared_ptr<const Prefix> m_prefix;
};

/// Ticket order: by ticket string (bytes), then by id. True when (a_ticket, a_id) comes first.
[[nodiscard]] bool ticket_less(std::string_view a_ticket, std::string_view a_id, std::string_view b_ticket,
                               std::string_view b_id) noexcept;

/// Number of digits after "0." that tickets are padded to when read as exact fractions:
/// 78, the most a 256-bit value can have in decimal.
inline constexpr std::size_t ticket_fraction_digits = 78;

/// The digits of a ticket after "0.", right-padded with zeros to ticket_fraction_digits, i.e. the
/// numerator of the ticket as an exact fraction over 10^78. @throws Error on a malformed ticket.
[[nodiscard]] std::string ticket_numerator_digits(std::string_view ticket);

} // namespace fuelmap
