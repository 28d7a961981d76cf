// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/rfc3797.hpp>

#include "testing/expect_throw.hpp"

#include <gtest/gtest.h>

using namespace fuelmap;

namespace {
const std::string rfc_key = "9319./2.5.8.10.12./9.18.26.34.41.45./";
}

TEST(Rfc3797, KeyStringOfSection6) {
    EXPECT_EQ(rfc3797_key({{9319}, {2, 5, 12, 8, 10}, {9, 18, 26, 34, 41, 45}}), rfc_key);
    EXPECT_EQ(rfc3797_key({parse_rfc3797_source("9319", "s1"), parse_rfc3797_source("2 5 12 8 10", "s2"),
                           parse_rfc3797_source("9,18,26,34,41,45", "s3")}),
              rfc_key);
}

TEST(Rfc3797, LeadingZerosAreDropped) {
    EXPECT_EQ(rfc3797_key({parse_rfc3797_source("007 10", "s")}), "7.10./");
}

TEST(Rfc3797, BadSourcesAreRefused) {
    EXPECT_THROW((void)parse_rfc3797_source("1 2.5", "source 1"), InputError);
    EXPECT_THROW((void)parse_rfc3797_source("-3", "source 1"), InputError);
    EXPECT_THROW((void)parse_rfc3797_source("  ", "source 1"), InputError);
    EXPECT_THROW_MSG((void)parse_rfc3797_source("1 x", "source 2"), InputError, "source 2");
}

TEST(Rfc3797, DigestsOfSection6) {
    EXPECT_EQ(rfc3797_digest_hex(rfc_key, 0), "990dd0a5692a029a98b5e01aa28f3459");
    EXPECT_EQ(rfc3797_digest_hex(rfc_key, 1), "3691e55cb63fcc37914430b2f70b5ec6");
    EXPECT_EQ(rfc3797_digest_hex(rfc_key, 2), "fe814edf564c190ac1d25753979990fa");
    EXPECT_EQ(rfc3797_digest_hex(rfc_key, 15), "3269e6ce559abd57e2ba6aab495eb9bd");
    EXPECT_EQ(rfc3797_remainder(rfc_key, 0, 25), 16u);
    EXPECT_EQ(rfc3797_remainder(rfc_key, 1, 24), 6u);
    EXPECT_EQ(rfc3797_remainder(rfc_key, 2, 23), 1u);
}

TEST(Rfc3797, SelectionOfSection6) {
    // Pool 1..25; the RFC's example selects, in order: 17 7 2 16 25 23 8 24 19 13 (then 22).
    const std::vector<std::size_t> picks = rfc3797_select(rfc_key, 25, 11);
    std::vector<std::size_t> one_based;
    for (std::size_t p : picks)
        one_based.push_back(p + 1);
    EXPECT_EQ(one_based, (std::vector<std::size_t>{17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22}));
}

TEST(Rfc3797, FullRankingIsAPermutation) {
    const std::vector<std::size_t> picks = rfc3797_select(rfc_key, 25, 25);
    std::vector<bool> seen(25, false);
    for (std::size_t p : picks) {
        ASSERT_LT(p, 25u);
        EXPECT_FALSE(seen[p]);
        seen[p] = true;
    }
    EXPECT_THROW((void)rfc3797_select(rfc_key, 25, 26), InputError);
}
