// SPDX-License-Identifier: MIT
// End-to-end: `fuelmap roles` refuses bad input before it connects (docs/registry.md, "Roles"); its
// work on a database is tested in tests/pg/pg_roles_test.cpp.
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <string>

using fuelmap::testing::run_fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

const std::string nowhere = "PG:host=/nonexistent-socket-dir dbname=none";

} // namespace

TEST(CliRoles, AGeoPackageRegistryIsRefused) {
    TempDir tmp;
    const std::string gpkg = (tmp / "r.gpkg").string();
    const RunResult r = run_fuelmap({"roles", "grant", "-r", gpkg, "--role", "x", "--as", "lab"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "fuelmap roles: error: " + gpkg +
                  ": roles are for registries held in PostgreSQL/PostGIS (-r PG:… or postgresql://…); who "
                  "may write a GeoPackage is decided by the file's permissions\n");
    EXPECT_EQ(run_fuelmap({"roles", "list", "-r", gpkg}).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(gpkg));
}

TEST(CliRoles, BadKindsAndCountiesAreRefusedBeforeConnecting) {
    RunResult r = run_fuelmap({"roles", "grant", "-r", nowhere, "--role", "x", "--as", "clerk"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(
        r.err,
        "fuelmap roles: error: --as: unknown kind 'clerk' (bureau, county, inspector, lab or auditor)\n");
    r = run_fuelmap({"roles", "grant", "-r", nowhere, "--role", "x", "--as", "county"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap roles: error: " + nowhere +
                         ": a county office needs its county: give --county CODE\n");
    r = run_fuelmap({"roles", "grant", "-r", nowhere, "--role", "x", "--as", "lab", "--county", "370602"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "fuelmap roles: error: " + nowhere +
                         ": --county is for county offices only, not for a role granted as lab\n");
    r = run_fuelmap({"roles", "grant", "-r", nowhere, "--as", "lab"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--role is required"), std::string::npos) << r.err;
    // A database that cannot be reached is named.
    r = run_fuelmap({"roles", "list", "-r", nowhere});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(
        r.err.rfind("fuelmap roles: error: " + nowhere + ": cannot connect to the registry database: ", 0),
        0u)
        << r.err;
}

TEST(CliRoles, HelpNamesTheKinds) {
    const RunResult r = run_fuelmap({"roles", "grant", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("bureau, county, inspector, lab or auditor"), std::string::npos) << r.out;
    EXPECT_NE(run_fuelmap({"--help"}).out.find("roles"), std::string::npos);
}
