// SPDX-License-Identifier: MIT
// End-to-end: every hand-made bad input of tests/fuzz/bad_inputs/MANIFEST.tsv is refused at once
// (exit 2) with a message naming the file and the problem, and changes nothing.
#include "testing/testing.hpp"

#include <fuelmap/registry_file.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

struct BadInput {
    std::string command, file, expected;
};

std::vector<BadInput> manifest() {
    std::vector<BadInput> out;
    std::istringstream in(read_file(fuelmap::testing::source_path("tests/fuzz/bad_inputs/MANIFEST.tsv")));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.front() == '#')
            continue;
        const std::size_t a = line.find('\t'), b = line.find('\t', a + 1);
        out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
    }
    return out;
}

} // namespace

TEST(BadInputs, EveryHandMadeBadInputIsRefusedNamingFileAndProblem) {
    const std::vector<BadInput> inputs = manifest();
    ASSERT_GE(inputs.size(), 14u);
    TempDir dir;
    const std::string reg = (dir / "r.gpkg").string();
    create_registry(reg, fuelmap::testing::sample_registry(2));
    const std::string station = (dir / "station.geojson").string();
    std::ofstream(station) << R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":)"
                              R"({"type":"Point","coordinates":[121.4,37.5]},"properties":{"ref":"X-1"}}]})";
    const std::string before = read_file(reg);
    const std::string fresh = (dir / "new.gpkg").string();
    for (const BadInput& bad : inputs) {
        const std::string file = fuelmap::testing::source_path("tests/fuzz/bad_inputs/" + bad.file).string();
        std::vector<std::string> args;
        if (bad.command == "observe")
            args = {"observe", "-r", reg, file};
        else if (bad.command == "import")
            args = {"import", file, "-r", fresh};
        else if (bad.command == "design")
            args = {"plan", "-r", reg, "--design", file, "--seed", "ab", "-o", (dir / "p.json").string()};
        else if (bad.command == "mapping")
            args = {"import", station, "-r", fresh, "--mapping", file};
        else if (bad.command == "verify")
            args = {"verify", file, "-r", reg};
        ASSERT_FALSE(args.empty()) << "unknown command in the manifest: " << bad.command;
        const auto start = std::chrono::steady_clock::now();
        const RunResult r = run_fuelmap(args);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5)) << bad.file;
        EXPECT_EQ(r.exit_code, 2) << bad.file << ": " << r.err;
        EXPECT_NE(r.err.find(file), std::string::npos) << bad.file << ": " << r.err;
        EXPECT_NE(r.err.find(bad.expected), std::string::npos) << bad.file << ": " << r.err;
        EXPECT_EQ(read_file(reg), before) << bad.file;
        EXPECT_FALSE(std::filesystem::exists(fresh)) << bad.file;
        EXPECT_FALSE(std::filesystem::exists(dir / "p.json")) << bad.file;
    }
}
