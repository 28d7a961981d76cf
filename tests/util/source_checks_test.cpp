// SPDX-License-Identifier: MIT
// Unit: special files and NUL bytes in text sources are refused before GDAL's reading could hang or
// cut a field short.
#include "util/source_checks.hpp"

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

using namespace fuelmap::detail;
using fuelmap::testing::input_error;
using fuelmap::testing::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

} // namespace

TEST(SourceChecks, EscapedNulIsFoundAcrossChunksAndEscapedBackslashesAreNot) {
    TempDir dir;
    const auto path = dir / "big.geojson";
    // 1 MiB chunks: put "\u0000" so that it straddles the first boundary, on line 3.
    std::string text = "{\n\"a\": \"x\",\n\"b\": \"";
    text += std::string((std::size_t{1} << 20) - text.size() - 3, 'y');
    text += "\\u0000\"}\n";
    write(path, text);
    EXPECT_EQ(input_error([&] { refuse_nul_bytes(path, "GeoJSON"); }),
              path.string() +
                  ": line 3: a \\u0000 (NUL) in a JSON string: a text field would be cut at it; remove it");
    write(path, "{\"a\": \"\\\\u0000\", \"b\": \"\\\\\\\\u0000\"}\n"); // backslash, then text "u0000"
    EXPECT_EQ(input_error([&] { refuse_nul_bytes(path, "GeoJSON"); }), "(no InputError)");
    write(path, "{\"a\": \"\\\\\\u0000\"}\n"); // backslash, then the escape
    EXPECT_NE(input_error([&] { refuse_nul_bytes(path, "GeoJSON"); }), "(no InputError)");
    // A CSV is not JSON: "\u0000" is six characters there; a raw NUL byte is refused.
    const auto csv = dir / "x.csv";
    write(csv, "a,b\n\\u0000,1\n");
    EXPECT_EQ(input_error([&] { refuse_nul_bytes(csv, "CSV"); }), "(no InputError)");
    write(csv, std::string("a,b\nx,1\ny") + '\0' + ",2\n");
    EXPECT_EQ(input_error([&] { refuse_nul_bytes(csv, "CSV"); }),
              csv.string() + ": line 3: a NUL byte: a text field would be cut at it; remove it");
    // Binary formats are not scanned.
    EXPECT_EQ(input_error([&] { refuse_nul_bytes(csv, "GPKG"); }), "(no InputError)");
}

TEST(SourceChecks, SpecialFilesAreRefusedRegularFilesAndDirectoriesPass) {
    TempDir dir;
    const auto fifo = dir / "in.csv";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(input_error([&] { refuse_special_input(fifo); }),
              fifo.string() + ": the input is a FIFO (named pipe), not a regular file: fuelmap reads only "
                              "regular files and directories");
    EXPECT_EQ(input_error([&] { refuse_special_input("/dev/zero"); }),
              "/dev/zero: the input is a character device, not a regular file: fuelmap reads only regular "
              "files and directories");
    write(dir / "ok.csv", "a\n");
    EXPECT_EQ(input_error([&] { refuse_special_input(dir / "ok.csv"); }), "(no InputError)");
    EXPECT_EQ(input_error([&] { refuse_special_input(dir.path()); }), "(no InputError)");
    EXPECT_EQ(input_error([&] { refuse_special_input(dir / "missing"); }), "(no InputError)");
}
