// SPDX-License-Identifier: MIT
// detail::TempFile: the temporary file of an atomic write is renamed over the target or removed.
#include "testing/testing.hpp"

#include "util/temp_file.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

using fuelmap::detail::TempFile;
using fuelmap::testing::read_file;
using fuelmap::testing::TempDir;

TEST(TempFile, CommitRenamesOverTheTarget) {
    TempDir dir;
    const auto target = dir / "out.json";
    std::ofstream(target) << "old";
    {
        TempFile temp(target);
        EXPECT_EQ(temp.path(), target.string() + ".tmp-" + std::to_string(::getpid()));
        std::ofstream(temp.path()) << "new";
        EXPECT_EQ(read_file(target), "old");
        temp.commit();
    }
    EXPECT_EQ(read_file(target), "new");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(TempFile, RemovedUnlessCommitted) {
    TempDir dir;
    const auto target = dir / "out.json";
    std::filesystem::path path;
    {
        TempFile temp(target);
        path = temp.path();
        std::ofstream(path) << "half";
        std::ofstream(path.string() + "-journal") << "journal";
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path.string() + "-journal"));
    EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(TempFile, FailedCommitSetsTheErrorAndStillRemoves) {
    TempDir dir;
    const auto target = dir / "out.json";
    std::filesystem::create_directories(target / "inside"); // a non-empty directory: rename fails
    std::filesystem::path path;
    {
        TempFile temp(target);
        path = temp.path();
        std::ofstream(path) << "complete";
        std::error_code ec;
        temp.commit(ec);
        EXPECT_TRUE(ec);
        EXPECT_TRUE(std::filesystem::exists(path));
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(std::filesystem::is_directory(target / "inside"));
}

TEST(TempFile, StaleStagingDirectoriesAreRemovedAndOtherDirectoriesKept) {
    TempDir dir;
    long pid_max = 0;
    std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
    ASSERT_GT(pid_max, 0);
    const std::string dead = std::to_string(pid_max + 1);
    const auto target = dir / "out.xlsx";
    // Named without the target's dots: GDAL's /vsizip/ would take "out.xlsx.tmp-…/" for the archive.
    EXPECT_EQ(fuelmap::detail::staging_directory(target).filename().string(),
              "out_xlsx.tmp-" + std::to_string(::getpid()) + "-staging");
    const auto stale = dir / ("out_xlsx.tmp-" + dead + "-staging");
    const auto not_ours = dir / ("out.xlsx.tmp-" + dead);
    const auto other_target = dir / ("out_xlsx.tmp-" + dead); // a file of a target named out_xlsx
    std::filesystem::create_directories(stale / "sub");
    std::ofstream(stale / "out.xlsx") << "half";
    std::filesystem::create_directories(not_ours);
    std::ofstream(other_target) << "x";
    { const TempFile temp(target); }
    EXPECT_FALSE(std::filesystem::exists(stale));
    EXPECT_TRUE(std::filesystem::is_directory(not_ours));
    EXPECT_TRUE(std::filesystem::exists(other_target));
}
