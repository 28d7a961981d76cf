// SPDX-License-Identifier: MIT
// detail::stage_output, write_output and StagedOutputs: outputs written whole, alone or as a set put in
// place together, never leaving a temporary file.
#include "testing/testing.hpp"

#include "util/output_file.hpp"

#include <fuelmap/error.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

using fuelmap::InputError;
using fuelmap::detail::StagedOutputs;
using fuelmap::detail::write_output;
using fuelmap::testing::read_file;
using fuelmap::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Every name in @p dir, sorted, with a trailing '/' for a directory.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string() + (e.is_directory() ? "/" : ""));
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST(WriteOutput, WritesAndReplacesWhole) {
    TempDir dir;
    write_output(dir / "a.svg", "first");
    write_output(dir / "a.svg", "second");
    EXPECT_EQ(read_file(dir / "a.svg"), "second");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.svg"});
}

TEST(WriteOutput, ADirectoryAsTargetIsRefusedNamingIt) {
    TempDir dir;
    fs::create_directories(dir / "a.svg" / "keep");
    const std::string target = (dir / "a.svg").string();
    EXPECT_EQ(fuelmap::testing::input_error([&] { write_output(target, "x"); }),
              target + ": cannot write the file: Is a directory");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.svg/"});
    EXPECT_TRUE(fs::is_directory(dir / "a.svg" / "keep"));

    // A missing parent directory: the temporary file cannot be made.
    const std::string orphan = (dir / "missing" / "b.svg").string();
    EXPECT_EQ(fuelmap::testing::input_error([&] { write_output(orphan, "x"); }),
              orphan + ": cannot write the file: No such file or directory");
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"a.svg/"});
}

TEST(StagedOutputs, NothingReachesATargetBeforeCommit) {
    TempDir dir;
    std::ofstream(dir / "plan.json") << "earlier";
    {
        StagedOutputs outputs;
        outputs.add(dir / "plan.json", "plan");
        outputs.add(dir / "sel.geojson", "geojson");
        EXPECT_EQ(read_file(dir / "plan.json"), "earlier");
        EXPECT_FALSE(fs::exists(dir / "sel.geojson"));
        // Destroyed without commit (the plan could not be recorded): the temporary files go.
    }
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"plan.json"});
    EXPECT_EQ(read_file(dir / "plan.json"), "earlier");

    {
        StagedOutputs outputs;
        outputs.add(dir / "plan.json", "plan");
        outputs.add(dir / "sel.geojson", "geojson");
        EXPECT_TRUE(outputs.commit().empty());
    }
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"plan.json", "sel.geojson"}));
    EXPECT_EQ(read_file(dir / "plan.json"), "plan");
    EXPECT_EQ(read_file(dir / "sel.geojson"), "geojson");
}

TEST(StagedOutputs, AFailedAddLeavesTheOthersStagedAndNothingOfItself) {
    TempDir dir;
    fs::create_directories(dir / "lists" / "team-I1.csv");
    StagedOutputs outputs;
    outputs.add(dir / "plan.json", "plan");
    const std::string blocked = (dir / "lists" / "team-I1.csv").string();
    EXPECT_EQ(fuelmap::testing::input_error([&] { outputs.add(blocked, "csv"); }),
              blocked + ": cannot write the file: Is a directory");
    EXPECT_EQ(names_in(dir / "lists"), std::vector<std::string>{"team-I1.csv/"});
    EXPECT_TRUE(outputs.commit().empty());
    EXPECT_EQ(read_file(dir / "plan.json"), "plan");
}

TEST(StagedOutputs, TheSameFileNamedTwiceIsRefused) {
    TempDir dir;
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "plan.json") << "earlier";
    fs::create_symlink(dir / "plan.json", dir / "link.json");
    StagedOutputs outputs;
    outputs.add(dir / "plan.json", "plan");
    const std::string again = (dir / "sub" / ".." / "plan.json").string();
    EXPECT_EQ(fuelmap::testing::input_error([&] { outputs.add(again, "geojson"); }),
              again + ": cannot write the file: it is named for two outputs of the same command");
    EXPECT_NE(fuelmap::testing::input_error([&] {
                  outputs.add(dir / "link.json", "geojson");
              }).find("named for two outputs"),
              std::string::npos);
    // Through a linked directory too (directories are resolved once each).
    fs::create_directory_symlink(dir / "sub", dir / "linked");
    outputs.add(dir / "sub" / "list.csv", "csv");
    EXPECT_NE(fuelmap::testing::input_error([&] {
                  outputs.add(dir / "linked" / "list.csv", "csv");
              }).find("named for two outputs"),
              std::string::npos);
    EXPECT_TRUE(outputs.commit().empty());
    EXPECT_EQ(read_file(dir / "plan.json"), "plan");
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"link.json", "linked/", "plan.json", "sub/"}));
}

// A rename that fails at commit (here a directory appears where a staged file goes after it was
// staged) is reported; the files after it are still put in place, and no temporary file is left.
TEST(StagedOutputs, CommitGoesOnAfterAFailedRenameAndReportsIt) {
    TempDir dir;
    {
        StagedOutputs outputs;
        outputs.add(dir / "a.json", "a");
        outputs.add(dir / "b.json", "b");
        outputs.add(dir / "c.json", "c");
        fs::create_directories(dir / "b.json" / "keep");
        const std::vector<StagedOutputs::Failure> failures = outputs.commit();
        ASSERT_EQ(failures.size(), 1u);
        EXPECT_EQ(failures[0].target, dir / "b.json");
        EXPECT_FALSE(failures[0].reason.empty());
    }
    EXPECT_EQ(read_file(dir / "a.json"), "a");
    EXPECT_EQ(read_file(dir / "c.json"), "c");
    EXPECT_TRUE(fs::is_directory(dir / "b.json" / "keep"));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"a.json", "b.json/", "c.json"}));
}

// A new output directory is written whole into its staging directory and renamed into place by
// commit(); before that, or without it, nothing of it is seen, and a stale staging directory of a
// killed writer goes.
TEST(StagedOutputs, ANewDirectoryAppearsWholeOnCommitOnly) {
    TempDir dir;
    long pid_max = 0;
    std::ifstream("/proc/sys/kernel/pid_max") >> pid_max;
    ASSERT_GT(pid_max, 0);
    const fs::path stale = dir / ("lists.tmp-" + std::to_string(pid_max + 1) + "-staging");
    fs::create_directories(stale);
    std::ofstream(stale / "half.csv") << "half";
    const std::vector<std::pair<std::string, std::string_view>> files = {{"T01_2026-03-02.csv", "a,b\n"},
                                                                         {"T02_2026-03-02.csv", "c,d\n"}};
    {
        StagedOutputs outputs;
        outputs.add(dir / "plan.json", "plan");
        outputs.add_directory(dir / "lists", files);
        EXPECT_FALSE(fs::exists(dir / "lists"));
        EXPECT_FALSE(fs::exists(stale));
        // Destroyed without commit (the plan could not be recorded): nothing is left.
    }
    EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{});
    {
        StagedOutputs outputs;
        outputs.add(dir / "plan.json", "plan");
        outputs.add_directory(dir / "lists", files);
        EXPECT_TRUE(outputs.commit().empty());
    }
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"lists/", "plan.json"}));
    EXPECT_EQ(names_in(dir / "lists"),
              (std::vector<std::string>{"T01_2026-03-02.csv", "T02_2026-03-02.csv"}));
    EXPECT_EQ(read_file(dir / "lists" / "T02_2026-03-02.csv"), "c,d\n");
}

TEST(StagedOutputs, ANewDirectoryThatCannotBePutInPlaceIsReportedAndLeavesNothing) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string_view>> files = {{"a.csv", "a"}};
    {
        StagedOutputs outputs;
        outputs.add_directory(dir / "lists", files);
        outputs.add(dir / "sel.geojson", "geojson");
        // Another writer makes the directory, with a file of its own, before the commit.
        fs::create_directories(dir / "lists");
        std::ofstream(dir / "lists" / "theirs.csv") << "theirs";
        const std::vector<StagedOutputs::Failure> failures = outputs.commit();
        ASSERT_EQ(failures.size(), 1u);
        EXPECT_EQ(failures[0].target, dir / "lists");
        EXPECT_FALSE(failures[0].reason.empty());
    }
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"lists/", "sel.geojson"}));
    EXPECT_EQ(names_in(dir / "lists"), std::vector<std::string>{"theirs.csv"});

    // A name twice: refused before anything is written.
    StagedOutputs outputs;
    const std::vector<std::pair<std::string, std::string_view>> twice = {{"b.csv", "1"}, {"b.csv", "2"}};
    EXPECT_NE(fuelmap::testing::input_error([&] {
                  outputs.add_directory(dir / "other", twice);
              }).find("named for two outputs"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "other"));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"lists/", "sel.geojson"}));
}
