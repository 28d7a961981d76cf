// SPDX-License-Identifier: MIT
// util/file.hpp: the one reader of whole input files refuses what is not a regular file at once and
// bounds the size.
#include "testing/expect_throw.hpp"
#include "testing/testing.hpp"

#include "util/file.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/plan.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

using fuelmap::InputError;
using fuelmap::detail::read_whole_file;
using fuelmap::detail::sha256_file;
using fuelmap::testing::TempDir;

TEST(File, ReadsTheWholeFileByteForByte) {
    TempDir dir;
    std::string content = "站点\r\n";
    for (int i = 0; i < 100000; ++i)
        content += static_cast<char>(i % 251);
    std::ofstream(dir / "a.bin", std::ios::binary) << content;
    EXPECT_EQ(read_whole_file(dir / "a.bin", "the file"), content);
    std::ofstream(dir / "empty", std::ios::binary).flush();
    EXPECT_EQ(read_whole_file(dir / "empty", "the file"), "");
    EXPECT_EQ(sha256_file(dir / "a.bin", "the file"), fuelmap::sha256_hex(content));
}

TEST(File, MissingFileNamesTheFileAndWhatItIs) {
    TempDir dir;
    const std::string path = (dir / "none.json").string();
    EXPECT_THROW_MSG((void)read_whole_file(path, "the plan file"), InputError,
                     path + ": cannot read the plan file");
    EXPECT_THROW_MSG((void)sha256_file(path, "the registry file"), InputError,
                     path + ": cannot read the registry file");
}

TEST(File, FifoDeviceAndDirectoryAreRefusedAtOnce) {
    TempDir dir;
    const std::string fifo = (dir / "plan.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // No writer ever opens the FIFO: a blocking open would hang here.
    EXPECT_THROW_MSG(
        (void)read_whole_file(fifo, "the plan file"), InputError,
        fifo + ": cannot read the plan file: it is not a regular file (a directory, FIFO or device)");
    EXPECT_THROW_MSG((void)fuelmap::read_plan(fifo), InputError, "not a regular file");
    EXPECT_THROW_MSG((void)read_whole_file("/dev/zero", "the design file"), InputError,
                     "/dev/zero: cannot read the design file: it is not a regular file");
    EXPECT_THROW_MSG((void)sha256_file("/dev/zero", "the registry file"), InputError, "not a regular file");
    EXPECT_THROW_MSG((void)read_whole_file(dir.path(), "the seed file"), InputError, "not a regular file");
}

TEST(File, FileAboveTheBoundIsRefused) {
    TempDir dir;
    std::ofstream(dir / "big", std::ios::binary) << std::string(1000, 'x');
    EXPECT_EQ(read_whole_file(dir / "big", "the file", 1000).size(), 1000u);
    EXPECT_THROW_MSG((void)read_whole_file(dir / "big", "the file", 999), InputError,
                     "cannot read the file: it is larger than 999 bytes");
}
