// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/seed.hpp>

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap;

TEST(Seed, NewSeedsAre64HexDigitsAndDiffer) {
    const std::string a = new_seed();
    const std::string b = new_seed();
    EXPECT_EQ(a.size(), 64u);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

TEST(Seed, CommitmentIsDomainSeparatedSha256) {
    EXPECT_EQ(seed_commitment("314159"), sha256_hex("fuelmap-seed-commitment-v1:314159"));
    // Never the plain hash that tickets are built from.
    EXPECT_NE(seed_commitment("314159"), sha256_hex("314159"));
}

TEST(Seed, SeedFileIsTrimmedAndChecked) {
    fuelmap::testing::TempDir dir;
    {
        std::ofstream(dir / "s.txt") << "abc123\r\n";
        std::ofstream(dir / "empty.txt") << "\n";
        std::ofstream(dir / "two.txt") << "a\nb\n";
    }
    EXPECT_EQ(read_seed_file(dir / "s.txt"), "abc123");
    EXPECT_THROW((void)read_seed_file(dir / "empty.txt"), InputError);
    EXPECT_THROW((void)read_seed_file(dir / "two.txt"), InputError);
    EXPECT_THROW((void)read_seed_file(dir / "missing.txt"), InputError);
}
