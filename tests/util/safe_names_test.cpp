// SPDX-License-Identifier: MIT
// Unit: the spreadsheet escape of CSV text cells, file names made from ids, and the output guard.
#include "util/csv_cell.hpp"
#include "util/file_name.hpp"
#include "util/output_guard.hpp"

#include "testing/testing.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace fuelmap::detail;
using fuelmap::testing::input_error;
using fuelmap::testing::TempDir;

TEST(CsvCell, EveryFormulaStartIsEscapedAndTheEscapeIsExactlyUndone) {
    for (const std::string text : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'x", "''", "'"}) {
        EXPECT_TRUE(needs_csv_escape(text)) << text;
        EXPECT_EQ(neutralise_csv_text(text), "'" + text);
        EXPECT_EQ(restore_csv_text(neutralise_csv_text(text)), text);
    }
    for (const std::string text : {"", "abc", "92#", "中国石化", " =x", "1-2", "x'"}) {
        EXPECT_FALSE(needs_csv_escape(text)) << text;
        EXPECT_EQ(neutralise_csv_text(text), text);
        EXPECT_EQ(restore_csv_text(text), text);
    }
    EXPECT_EQ(restore_csv_text("'abc"), "'abc"); // not an escape: kept as written
    EXPECT_EQ(csv_text_field("=HYPERLINK(\"a\",\"b\")"), "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"");
    EXPECT_EQ(csv_text_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_text_field("-10#"), "'-10#");
}

TEST(FileName, SanitisedStemsStayInTheirDirectory) {
    EXPECT_EQ(sanitise_file_stem("370602-0001"), "370602-0001");
    EXPECT_EQ(sanitise_file_stem("x/../../pwned"), "x_.._.._pwned");
    EXPECT_EQ(sanitise_file_stem(".."), "_.");
    EXPECT_EQ(sanitise_file_stem(".hidden"), "_hidden");
    EXPECT_EQ(sanitise_file_stem(""), "_");
    EXPECT_EQ(sanitise_file_stem("站"), "___");
    EXPECT_EQ(sanitise_file_stem(std::string(300, 'a')).size(), max_file_stem);
}

TEST(FileName, UniqueStemsResolveCollisionsByTheKeysHashWhateverTheOrder) {
    UniqueFileStems a;
    for (const char* id : {"a/b", "a_b", "a:b", "A_B"})
        a.add(id, id);
    UniqueFileStems b;
    for (const char* id : {"A_B", "a:b", "a_b", "a/b"})
        b.add(id, id);
    const auto stems = a.stems();
    EXPECT_EQ(stems, b.stems());
    std::set<std::string> folded;
    for (const auto& [key, stem] : stems) {
        std::string f = stem;
        for (char& c : f)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_TRUE(folded.insert(f).second) << stem;
    }
    EXPECT_EQ(stems.at("a/b").substr(0, 4), "a_b-");
    EXPECT_EQ(stems.at("a/b").size(), 12u);
    // a_b and A_B differ only in case: both get the hash.
    EXPECT_NE(stems.at("a_b"), "a_b");
    UniqueFileStems plain;
    plain.add("370602-0001", "370602-0001");
    EXPECT_EQ(plain.stems().at("370602-0001"), "370602-0001");
}

TEST(OutputGuard, RefusesInputsThroughLinksDevicesAndDirectories) {
    TempDir dir;
    const auto reg = dir / "r.gpkg";
    std::ofstream(reg) << "x";
    std::filesystem::create_symlink(reg, dir / "link");
    OutputGuard guard;
    guard.input(reg, "the registry").input(dir / "missing", "the plan");
    EXPECT_EQ(input_error([&] { guard.check_file(dir / "link"); }),
              (dir / "link").string() + ": the output would replace the registry '" + reg.string() +
                  "' (the same file): choose another output path; nothing was written");
    EXPECT_EQ(input_error([&] { guard.check_file("/dev/null"); }),
              "/dev/null: the output is a character device, not a regular file: fuelmap writes only regular "
              "files; nothing was written");
    EXPECT_EQ(input_error([&] { guard.check_file(dir.path()); }),
              dir.path().string() + ": cannot write the file: Is a directory");
    EXPECT_EQ(input_error([&] { guard.check_directory(reg); }),
              reg.string() + ": the output directory is the registry '" + reg.string() +
                  "': choose another directory");
    EXPECT_EQ(input_error([&] { guard.check_file(dir / "new.json"); }), "(no InputError)");
    EXPECT_EQ(input_error([&] { guard.check_file(dir / "missing"); }), "(no InputError)");
}
