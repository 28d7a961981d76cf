// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ticket.hpp>

#include "sampling/ticket_digits.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using namespace fuelmap;

TEST(Ticket, KnownAnswerForAbc) {
    EXPECT_EQ(ticket_from_digest(sha256("abc")),
              "0.56998071861792858926477341561059638840106636224182943832566300809078486324348");
}

TEST(Ticket, KnownOrderForSeed314159) {
    TicketMaker maker("314159");
    std::vector<std::string> ids{"ab-1", "ab-2", "cd-1", "ef-3"};
    std::sort(ids.begin(), ids.end(), [&](const std::string& a, const std::string& b) {
        return ticket_less(maker.ticket(a), a, maker.ticket(b), b);
    });
    EXPECT_EQ(ids, (std::vector<std::string>{"cd-1", "ef-3", "ab-1", "ab-2"}));
}

TEST(Ticket, SeedHashIsHexOfSha256AndTicketHashesItWithTheId) {
    TicketMaker maker("314159");
    EXPECT_EQ(maker.seed_hash(), sha256_hex("314159"));
    EXPECT_EQ(maker.ticket("ab-1"), ticket_from_digest(sha256(sha256_hex("314159") + "ab-1")));
}

TEST(Ticket, SmallValuesArePaddedTo64DigitsOnly) {
    Sha256Digest zero{};
    EXPECT_EQ(ticket_from_digest(zero), "0." + std::string(64, '0'));
    Sha256Digest one{};
    one[31] = 1;
    EXPECT_EQ(ticket_from_digest(one), "0.1" + std::string(63, '0'));
    Sha256Digest big{};
    big.fill(0xff); // 2^256-1 has 78 digits: no padding
    const std::string t = ticket_from_digest(big);
    EXPECT_EQ(t.size(), 2u + 78u);
    // 2^256 - 1 = 115792089237316195423570985008687907853269984665640564039457584007913129639935
    EXPECT_EQ(t.substr(0, 8), "0.539936");
}

TEST(Ticket, NumeratorDigitsPadTo78) {
    EXPECT_EQ(ticket_numerator_digits("0.12"), "12" + std::string(76, '0'));
    EXPECT_THROW((void)ticket_numerator_digits("1.2"), Error);
    EXPECT_THROW((void)ticket_numerator_digits("0.1x"), Error);
}

TEST(Ticket, ATicketDependsOnlyOnSeedAndId) {
    TicketMaker a("seed"), b("seed"), c("seed2");
    EXPECT_EQ(a.ticket("370602-0001"), b.ticket("370602-0001"));
    EXPECT_NE(a.ticket("370602-0001"), c.ticket("370602-0001"));
    EXPECT_NE(a.ticket("370602-0001"), a.ticket("370602-0002"));
}

namespace {

// The ticket by schoolbook long division of the 32 bytes by 10, one digit at a time.
std::string slow_ticket(Sha256Digest v) {
    std::string digits; // least significant first
    while (std::any_of(v.begin(), v.end(), [](std::uint8_t b) { return b != 0; })) {
        unsigned remainder = 0;
        for (std::uint8_t& b : v) {
            const unsigned cur = remainder * 256 + b;
            b = static_cast<std::uint8_t>(cur / 10);
            remainder = cur % 10;
        }
        digits.push_back(static_cast<char>('0' + remainder));
    }
    if (digits.empty())
        digits = "0";
    if (digits.size() < 64)
        digits.append(64 - digits.size(), '0');
    return "0." + digits;
}

std::vector<Sha256Digest> test_values() {
    std::vector<Sha256Digest> values;
    for (int i = 0; i < 2000; ++i)
        values.push_back(sha256("value " + std::to_string(i)));
    for (std::size_t zeros = 0; zeros <= 32; ++zeros) { // short values: padding and zero limbs
        Sha256Digest v = sha256("short " + std::to_string(zeros));
        std::fill(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(zeros), 0);
        values.push_back(v);
    }
    Sha256Digest big{};
    big.fill(0xff);
    values.push_back(big);
    return values;
}

} // namespace

TEST(Ticket, DigitsAgreeWithSchoolbookDivision) {
    for (const Sha256Digest& v : test_values()) {
        const std::string ticket = ticket_from_digest(v);
        ASSERT_EQ(ticket, slow_ticket(v));
        EXPECT_EQ(detail::ticket_key(v), std::stoull(ticket.substr(2, 18)));
        const std::array<std::uint32_t, 9> groups = detail::decimal_groups(v);
        const std::string numerator = ticket_numerator_digits(ticket);
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const std::string nine = numerator.substr(9 * g, 9) + std::string(g == 8 ? 3 : 0, '0');
            EXPECT_EQ(detail::reverse9(groups[g]), std::stoul(nine)) << g;
        }
    }
}

TEST(Ticket, KeysOrderTicketsWhenTheyDiffer) {
    const std::vector<Sha256Digest> values = test_values();
    for (std::size_t i = 1; i < values.size(); ++i) {
        const std::uint64_t a = detail::ticket_key(values[i - 1]), b = detail::ticket_key(values[i]);
        if (a != b) {
            EXPECT_EQ(a < b, ticket_from_digest(values[i - 1]) < ticket_from_digest(values[i]));
        }
    }
}

TEST(Ticket, DigestContinuesTheHashedSeedOnAnyThread) {
    const TicketMaker maker("314159");
    std::vector<Sha256Digest> other(50);
    std::thread t([&] {
        for (std::size_t i = 0; i < other.size(); ++i)
            other[i] = maker.digest("id-" + std::to_string(i));
    });
    for (std::size_t i = 0; i < other.size(); ++i)
        EXPECT_EQ(maker.digest("id-" + std::to_string(i)),
                  sha256(sha256_hex("314159") + "id-" + std::to_string(i)));
    t.join();
    for (std::size_t i = 0; i < other.size(); ++i)
        EXPECT_EQ(other[i], sha256(sha256_hex("314159") + "id-" + std::to_string(i)));
    const TicketMaker copy = maker;
    EXPECT_EQ(copy.ticket("ab-1"), maker.ticket("ab-1"));
}
