// SPDX-License-Identifier: MIT
// include/fuelmap/fuelmap.hpp: the umbrella header includes every public header and compiles alone
// (it is the first include of this file; tests/package builds a consumer against it installed).
#include <fuelmap/fuelmap.hpp>

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

TEST(Umbrella, IncludesEveryPublicHeader) {
    const std::string umbrella =
        fuelmap::testing::read_file(fuelmap::testing::source_path("include/fuelmap/fuelmap.hpp"));
    std::set<std::string> missing;
    for (const auto& entry :
         std::filesystem::directory_iterator(fuelmap::testing::source_path("include/fuelmap"))) {
        const std::string name = entry.path().filename().string();
        if (name != "fuelmap.hpp" && umbrella.find("#include <fuelmap/" + name + ">") == std::string::npos)
            missing.insert(name);
    }
    EXPECT_TRUE(missing.empty()) << "not in fuelmap.hpp: " << ::testing::PrintToString(missing);
    // A few declarations from different headers are visible through it.
    EXPECT_EQ(fuelmap::GradeTable::builtin().find("95#")->code, "95#");
    EXPECT_EQ(fuelmap::to_string(fuelmap::AuditClass::hidden_tank), "hidden-tank");
}
