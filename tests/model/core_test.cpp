// SPDX-License-Identifier: MIT
// Small modules: geo, grades, hashes, error locations.
#include <fuelmap/error.hpp>
#include <fuelmap/geo.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/hash.hpp>

#include <gtest/gtest.h>

using namespace fuelmap;

TEST(LocalFrame, RoundTripsAndMeasuresMetres) {
    LocalFrame f({121.39, 37.54});
    LocalPoint p = f.to_local({121.39 + 0.001, 37.54 + 0.001});
    // One thousandth of a degree is about 111 m north and about 88 m east at 37.5° N.
    EXPECT_NEAR(p.y, 111.0, 0.5);
    EXPECT_NEAR(p.x, 88.3, 0.5);
    GeoPoint back = f.to_wgs84(p);
    EXPECT_NEAR(back.lon, 121.391, 1e-12);
    EXPECT_NEAR(back.lat, 37.541, 1e-12);
    EXPECT_FALSE(is_valid_wgs84({181, 0}));
    EXPECT_TRUE(is_valid_wgs84({-180, 90}));
}

TEST(GradeTable, ShipsChineseGradesWithFamilies) {
    GradeTable t = GradeTable::builtin();
    ASSERT_NE(t.find("95#"), nullptr);
    EXPECT_EQ(t.find("95#")->family, GradeFamily::gasoline);
    EXPECT_EQ(t.find("95#")->min_octane, 95);
    EXPECT_EQ(t.find("-35#")->family, GradeFamily::diesel);
    EXPECT_EQ(blend_rank(*t.find("-10#")), -10);
    EXPECT_EQ(t.find("E10-92#")->min_octane, 92);
    EXPECT_EQ(t.find("93#"), nullptr);
    t.add({"93#", GradeFamily::gasoline, 93, std::nullopt, "", ""});
    EXPECT_NE(t.find("93#"), nullptr);
    EXPECT_TRUE(std::is_sorted(t.all().begin(), t.all().end(),
                               [](const Grade& a, const Grade& b) { return a.code < b.code; }));
}

TEST(Hash, KnownAnswers) {
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Md5Digest m = md5("abc");
    EXPECT_EQ(to_hex(m.data(), m.size()), "900150983cd24fb0d6963f7d28e17f72");
    Sha256 h;
    h.update("a");
    h.update("bc");
    EXPECT_EQ(h.hex(), sha256_hex("abc"));
}

TEST(Location, NamesEveryPart) {
    Location l{.file = "a.geojson", .layer = "tanks", .fid = 12, .feature = "S1/T3", .field = "grade"};
    EXPECT_EQ(l.to_string(), "a.geojson: layer 'tanks', feature 12 (S1/T3), field 'grade'");
    InputError e(l, "unknown grade '93#'");
    EXPECT_STREQ(e.what(),
                 "a.geojson: layer 'tanks', feature 12 (S1/T3), field 'grade': unknown grade '93#'");
    Location at_line{.file = "x.csv", .line = 4};
    EXPECT_EQ(at_line.to_string(), "x.csv: line 4");
}
