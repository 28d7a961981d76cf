// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/ticket.hpp>

#include "sampling/ticket_digits.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

namespace fuelmap {

namespace {

// The value as 8 limbs of 32 bits, most significant first.
std::array<std::uint32_t, 8> limbs_of(const Sha256Digest& value) noexcept {
    std::array<std::uint32_t, 8> limbs{};
    for (std::size_t i = 0; i < 8; ++i)
        limbs[i] = (std::uint32_t{value[4 * i]} << 24) | (std::uint32_t{value[4 * i + 1]} << 16) |
                   (std::uint32_t{value[4 * i + 2]} << 8) | std::uint32_t{value[4 * i + 3]};
    return limbs;
}

// Divides the limbs from @p top on by 10^9 in place; returns the remainder.
std::uint32_t divide_1e9(std::array<std::uint32_t, 8>& limbs, std::size_t top) noexcept {
    std::uint64_t remainder = 0;
    for (std::size_t i = top; i < limbs.size(); ++i) {
        const std::uint64_t cur = (remainder << 32) | limbs[i];
        limbs[i] = static_cast<std::uint32_t>(cur / 1000000000u);
        remainder = cur % 1000000000u;
    }
    return static_cast<std::uint32_t>(remainder);
}

} // namespace

namespace detail {

std::array<std::uint32_t, 9> decimal_groups(const Sha256Digest& value) noexcept {
    std::array<std::uint32_t, 8> limbs = limbs_of(value);
    std::array<std::uint32_t, 9> groups{};
    std::size_t top = 0; // the most significant limb that is not zero
    for (std::size_t g = 0; g < groups.size(); ++g) {
        while (top < limbs.size() && limbs[top] == 0)
            ++top;
        if (top == limbs.size())
            break;
        groups[g] = divide_1e9(limbs, top);
    }
    return groups;
}

std::uint64_t ticket_key(const Sha256Digest& value) noexcept {
    std::array<std::uint32_t, 8> limbs = limbs_of(value);
    const std::uint32_t g0 = divide_1e9(limbs, 0);
    const std::uint32_t g1 = divide_1e9(limbs, 0);
    return std::uint64_t{reverse9(g0)} * 1000000000u + reverse9(g1);
}

} // namespace detail

std::string ticket_from_digest(const Sha256Digest& value) {
    const std::array<std::uint32_t, 9> groups = detail::decimal_groups(value);
    char digits[2 + 81]; // "0." then the decimal digits, least significant first
    digits[0] = '0';
    digits[1] = '.';
    std::size_t n = 2;
    for (std::uint32_t group : groups)
        for (int k = 0; k < 9; ++k) {
            digits[n++] = static_cast<char>('0' + group % 10);
            group /= 10;
        }
    while (n > 3 && digits[n - 1] == '0')
        --n; // strip the leading zeros of the decimal form
    if (n < 2 + 64)
        n = 2 + 64; // left-pad the decimal form to 64 digits (the digits beyond it are zeros)
    return std::string(digits, n);
}

namespace {
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
} // namespace

struct TicketMaker::Prefix {
    MdCtx ctx{EVP_MD_CTX_new()};
};

TicketMaker::TicketMaker(std::string_view seed) : m_seed_hash(sha256_hex(seed)) {
    auto prefix = std::make_shared<Prefix>();
    if (!prefix->ctx || EVP_DigestInit_ex(prefix->ctx.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(prefix->ctx.get(), m_seed_hash.data(), m_seed_hash.size()) != 1)
        throw Error("OpenSSL SHA-256 init failed");
    m_prefix = std::move(prefix);
}

Sha256Digest TicketMaker::digest(std::string_view id) const {
    // Continues from the hashed prefix instead of hashing h again: one block less per ticket,
    // and no algorithm fetch per call.
    thread_local MdCtx scratch{EVP_MD_CTX_new()};
    Sha256Digest out{};
    unsigned int size = 0;
    if (!scratch || EVP_MD_CTX_copy_ex(scratch.get(), m_prefix->ctx.get()) != 1 ||
        EVP_DigestUpdate(scratch.get(), id.data(), id.size()) != 1 ||
        EVP_DigestFinal_ex(scratch.get(), out.data(), &size) != 1 || size != out.size())
        throw Error("OpenSSL SHA-256 failed");
    return out;
}

std::string TicketMaker::ticket(std::string_view id) const {
    return ticket_from_digest(digest(id));
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
