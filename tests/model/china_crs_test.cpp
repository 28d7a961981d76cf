// SPDX-License-Identifier: MIT
// GCJ-02 and BD-09 against known-answer points computed by an independent implementation
// (tests/model/china_crs_reference.py) and a pair published with a widely used JavaScript package.
#include <fuelmap/china_crs.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace fuelmap {
namespace {

struct KnownPoint {
    const char* place;
    GeoPoint wgs84, gcj02, bd09;
};

// Printed by tests/model/china_crs_reference.py (forward transforms only).
const KnownPoint known_points[] = {
    {"Beijing, Tiananmen",
     {116.404000000000, 39.915000000000},
     {116.410244499169, 39.916404281502},
     {116.416627243787, 39.922699552216}},
    {"Shanghai, the Bund",
     {121.490300000000, 31.239700000000},
     {121.494766908210, 31.237714447278},
     {121.501374936100, 31.243368139285}},
    {"Yantai, Zhifu",
     {121.391400000000, 37.539300000000},
     {121.396670967975, 37.540330617321},
     {121.403226960163, 37.546091518140}},
    {"Urumqi",
     {87.616800000000, 43.825600000000},
     {87.619649949469, 43.826805393111},
     {87.626099770816, 43.832949794793}},
    {"Haikou",
     {110.331200000000, 20.031000000000},
     {110.335570838784, 20.028953747941},
     {110.342118559027, 20.034629649726}},
    {"Harbin",
     {126.642400000000, 45.756700000000},
     {126.648369816305, 45.758651101858},
     {126.654999328972, 45.764345563868}},
    {"Lhasa",
     {91.140900000000, 29.645600000000},
     {91.142429336486, 29.642863987366},
     {91.149020387652, 29.648593693091}},
    {"Tokyo (outside the box)",
     {139.691700000000, 35.689500000000},
     {139.691700000000, 35.689500000000},
     {139.698122526263, 35.695845452841}},
};

// Metres between two nearby points (a local plane is plenty at this size).
double metres(const GeoPoint& a, const GeoPoint& b) {
    const double k = std::cos(a.lat * std::numbers::pi / 180.0);
    return std::hypot((a.lon - b.lon) * 111320.0 * k, (a.lat - b.lat) * 110574.0);
}

TEST(ChinaCrs, ForwardTransformsGiveTheKnownAnswers) {
    for (const KnownPoint& k : known_points) {
        SCOPED_TRACE(k.place);
        const GeoPoint g = wgs84_to_gcj02(k.wgs84);
        EXPECT_NEAR(g.lon, k.gcj02.lon, 1e-10);
        EXPECT_NEAR(g.lat, k.gcj02.lat, 1e-10);
        const GeoPoint b = gcj02_to_bd09(k.gcj02);
        EXPECT_NEAR(b.lon, k.bd09.lon, 1e-10);
        EXPECT_NEAR(b.lat, k.bd09.lat, 1e-10);
        EXPECT_EQ(wgs84_to_china(k.wgs84, ChinaCrs::bd09), gcj02_to_bd09(wgs84_to_gcj02(k.wgs84)));
    }
}

TEST(ChinaCrs, InversesRecoverWgs84WithinATenthOfAMillimetre) {
    for (const KnownPoint& k : known_points) {
        SCOPED_TRACE(k.place);
        EXPECT_LT(metres(gcj02_to_wgs84(k.gcj02), k.wgs84), 1e-4);
        EXPECT_LT(metres(bd09_to_gcj02(k.bd09), k.gcj02), 1e-4);
        EXPECT_LT(metres(china_to_wgs84(k.bd09, ChinaCrs::bd09), k.wgs84), 1e-4);
        EXPECT_LT(metres(china_to_wgs84(k.gcj02, ChinaCrs::gcj02), k.wgs84), 1e-4);
    }
}

// The example of the README of the JavaScript package coordtransform (wandergis/coordtransform):
// wgs84togcj02(116.404, 39.915) and gcj02tobd09(116.404, 39.915).
TEST(ChinaCrs, PublishedPairsAgree) {
    const GeoPoint g = wgs84_to_gcj02({116.404, 39.915});
    EXPECT_NEAR(g.lon, 116.41024449916938, 1e-11);
    EXPECT_NEAR(g.lat, 39.91640428150164, 1e-11);
    const GeoPoint b = gcj02_to_bd09({116.404, 39.915});
    EXPECT_NEAR(b.lon, 116.41036949371029, 1e-11);
    EXPECT_NEAR(b.lat, 39.92133699351021, 1e-11);
}

// Over a 0.25-degree grid of China: the shift is what Chinese web maps show (up to ~700 m), and
// the iterative inverses undo the forward transforms to a hundredth of a millimetre.
TEST(ChinaCrs, InversesAreExactToAHundredthOfAMillimetreOverChina) {
    double worst_gcj = 0, worst_bd = 0, largest_shift = 0;
    for (double lon = 73.0; lon <= 135.0; lon += 0.25)
        for (double lat = 18.0; lat <= 53.0; lat += 0.25) {
            const GeoPoint w{lon, lat};
            const GeoPoint g = wgs84_to_gcj02(w);
            largest_shift = std::max(largest_shift, metres(w, g));
            worst_gcj = std::max(worst_gcj, metres(gcj02_to_wgs84(g), w));
            worst_bd = std::max(worst_bd, metres(bd09_to_gcj02(gcj02_to_bd09(g)), g));
        }
    EXPECT_LT(worst_gcj, 1e-5);
    EXPECT_LT(worst_bd, 1e-5);
    EXPECT_GT(largest_shift, 600.0);
    EXPECT_LT(largest_shift, 750.0);
}

TEST(ChinaCrs, OutsideTheBoxGcj02IsWgs84) {
    for (const GeoPoint p : {GeoPoint{139.6917, 35.6895}, GeoPoint{2.35, 48.85}, GeoPoint{116.4, 0.5},
                             GeoPoint{137.9, 40.0}, GeoPoint{100.0, 55.9}}) {
        EXPECT_FALSE(in_china_box(p));
        EXPECT_EQ(wgs84_to_gcj02(p), p);
        EXPECT_EQ(gcj02_to_wgs84(p), p);
    }
    EXPECT_TRUE(in_china_box({72.004, 0.8293}));
    EXPECT_TRUE(in_china_box({137.8347, 55.8271}));
}

TEST(ChinaCrs, NamesAreParsedLeniently) {
    for (const char* name : {"GCJ-02", "gcj02", "GCJ_02", "Gcj 02"})
        EXPECT_EQ(parse_china_crs(name), ChinaCrs::gcj02) << name;
    for (const char* name : {"BD-09", "bd09", "BD09LL", "bd-09ll"})
        EXPECT_EQ(parse_china_crs(name), ChinaCrs::bd09) << name;
    for (const char* name : {"EPSG:4326", "GCJ-03", "BD-09MC", "", "WGS84"})
        EXPECT_EQ(parse_china_crs(name), std::nullopt) << name;
    EXPECT_EQ(to_string(ChinaCrs::gcj02), "GCJ-02");
    EXPECT_EQ(to_string(ChinaCrs::bd09), "BD-09");
}

} // namespace
} // namespace fuelmap
