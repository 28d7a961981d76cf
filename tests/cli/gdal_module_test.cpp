// SPDX-License-Identifier: MIT
// End-to-end: GDAL and its libraries are loaded only by the commands that read or write a GIS format
// (the GDAL module, src/gis/gdal_module.hpp), and a module that cannot be found is a clear error.
#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>

using namespace fuelmap;
using fuelmap::testing::RunResult;
using fuelmap::testing::TempDir;

namespace {

// run_fuelmap() with the variable @p name set to @p value in the child's environment.
RunResult run_with(const char* name, const std::string& value, const std::vector<std::string>& args) {
    ::setenv(name, value.c_str(), 1);
    RunResult r = fuelmap::testing::run_fuelmap(args);
    ::unsetenv(name);
    return r;
}

// Runs the binary with the dynamic loader listing every object it loads (LD_DEBUG=files).
RunResult run_listing_objects(const std::vector<std::string>& args) {
    return run_with("LD_DEBUG", "files", args);
}

bool loaded_gdal(const RunResult& r) {
    return r.err.find("libgdal.so") != std::string::npos;
}

} // namespace

TEST(CliGdalModule, OnlyTheCommandsThatReadOrWriteGisFormatsLoadGdal) {
    TempDir dir;
    const std::string reg = (dir / "reg.gpkg").string();
    const RunResult synth = run_listing_objects({"synth", "--stations", "40", "--seed", "4", "-o", reg});
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
    EXPECT_TRUE(loaded_gdal(synth)) << "the GeoPackage is made through GDAL";
    fuelmap::testing::write_file(dir / "design.json",
                                 R"({"round": "R1", "sample_size": 5, "strata": ["county"]})");
    const std::string design = (dir / "design.json").string(), plan = (dir / "plan.json").string();
    const std::vector<std::vector<std::string>> without_gdal = {
        {"validate", "-r", reg},
        {"seed", "new"},
        {"plan", "-r", reg, "--design", design, "--seed", "a-published-seed", "-o", plan},
        {"verify", plan, "-r", reg},
        {"ledger", "verify", "-r", reg},
    };
    for (const std::vector<std::string>& args : without_gdal) {
        const RunResult r = run_listing_objects(args);
        EXPECT_NE(r.err.find("libfuelmap.so"), std::string::npos) << args[0] << ": LD_DEBUG lists nothing";
        EXPECT_FALSE(loaded_gdal(r)) << args[0] << " loaded GDAL";
        EXPECT_EQ(r.exit_code, 0) << args[0] << ": "
                                  << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0);
    }
    const RunResult exported =
        run_listing_objects({"export", "-r", reg, "-o", (dir / "out.geojson").string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_TRUE(loaded_gdal(exported));
}

TEST(CliGdalModule, AMissingModuleIsAClearErrorAndOtherCommandsStillWork) {
    // The binary and the library copied without the module: the library is found through
    // LD_LIBRARY_PATH (before the build tree's run path), the module nowhere.
    TempDir dir;
    const std::filesystem::path bin = dir / "fuelmap";
    std::filesystem::copy_file(FUELMAP_BINARY, bin);
    std::filesystem::copy_file(std::filesystem::path(FUELMAP_BINARY).parent_path() / "libfuelmap.so",
                               dir / "libfuelmap.so");
    ::setenv("LD_LIBRARY_PATH", dir.path().c_str(), 1);
    const auto run = [&](const std::vector<std::string>& args) {
        const std::string out = (dir / "out.txt").string(), err = (dir / "err.txt").string();
        std::string command = "'" + bin.string() + "'";
        for (const std::string& a : args)
            command += " '" + a + "'";
        const int status = std::system((command + " >'" + out + "' 2>'" + err + "'").c_str());
        RunResult r;
        r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = fuelmap::testing::read_file(out);
        r.err = fuelmap::testing::read_file(err);
        return r;
    };
    const RunResult commitment = run({"seed", "new"});
    const RunResult synth = run({"synth", "--stations", "3", "-o", (dir / "r.gpkg").string()});
    ::unsetenv("LD_LIBRARY_PATH");
    EXPECT_EQ(commitment.exit_code, 0) << commitment.err;
    EXPECT_EQ(synth.exit_code, 2);
    EXPECT_NE(synth.err.find("cannot load fuelmap's GDAL module"), std::string::npos) << synth.err;
    EXPECT_NE(synth.err.find("libfuelmap_gdal.so"), std::string::npos) << synth.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "r.gpkg"));
}
