// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/ticket.hpp>

#include <gtest/gtest.h>

#include <algorithm>
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
