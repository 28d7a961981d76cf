// SPDX-License-Identifier: MIT
/// @file demo_round.hpp
/// @brief Test helpers the end-to-end tests of both backends share: the bundled demo round's design,
/// a fixed seed, and a run of the real binary that must succeed.
#pragma once

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fuelmap::testing {

/// The demo round's design (maps/rounds/2026-12.design.json).
[[nodiscard]] inline std::string demo_design() {
    return source_path("maps/rounds/2026-12.design.json").string();
}

/// A fixed seed of 64 hex digits.
inline constexpr const char* fixed_seed = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Runs the fuelmap binary with @p args and expects exit 0 (naming the command and its stderr).
inline RunResult run_ok(const std::vector<std::string>& args) {
    RunResult r = run_fuelmap(args);
    EXPECT_EQ(r.exit_code, 0) << args.front() << ": " << r.err;
    return r;
}

} // namespace fuelmap::testing
