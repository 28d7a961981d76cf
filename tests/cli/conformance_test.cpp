// SPDX-License-Identifier: MIT
// End-to-end: the binary against every conformance vector of docs/conformance/ (README there):
// the registry it names, the frame text's digest, the plan byte for byte, and verify.
#include "testing/testing.hpp"

#include <fuelmap/hash.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <vector>

using namespace fuelmap;
using fuelmap::testing::read_file;
using fuelmap::testing::run_fuelmap;
using fuelmap::testing::source_path;
using fuelmap::testing::TempDir;

namespace {

std::vector<std::filesystem::path> vectors() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(source_path("docs/conformance")))
        if (e.is_directory() && std::filesystem::exists(e.path() / "manifest.json"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST(Conformance, EveryVectorReproducesByteForByte) {
    const std::vector<std::filesystem::path> all = vectors();
    ASSERT_GE(all.size(), 3u);
    for (const std::filesystem::path& dir : all) {
        SCOPED_TRACE(dir.filename().string());
        const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
        TempDir tmp;
        const std::string reg = (tmp / "r.gpkg").string();
        const auto& synth = manifest["registry"]["synth"];
        ASSERT_EQ(run_fuelmap({"synth", "--stations", std::to_string(synth["stations"].get<int>()), "--seed",
                               std::to_string(synth["seed"].get<int>()), "-o", reg, "-q"})
                      .exit_code,
                  0);
        const std::string design = (dir / "design.json").string();
        const std::string digest = manifest["registry_digest"];
        // The frame text shipped with the vector is what the binary hashes.
        EXPECT_EQ(sha256_hex(read_file(dir / "frame.txt")), digest);
        auto f = run_fuelmap({"plan", "-r", reg, "--design", design, "--frame-digest"});
        ASSERT_EQ(f.exit_code, 0) << f.err;
        EXPECT_EQ(f.out, digest + "\n");
        const std::string plan = (tmp / "plan.json").string();
        auto p = run_fuelmap(
            {"plan", "-r", reg, "--design", design, "--seed", manifest["seed"], "-o", plan, "--dry-run"});
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(read_file(plan), read_file(dir / "plan.json"));
        const auto written = nlohmann::json::parse(read_file(plan));
        EXPECT_EQ(written["digest"], manifest["plan_digest"]);
        EXPECT_EQ(written["registry_digest"], digest);
        auto v = run_fuelmap({"verify", plan, "-r", reg});
        EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    }
}
