#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Known-answer points for tests/model/china_crs_test.cpp, from an implementation of its own.

Written from the published description of the public GCJ-02 reconstruction (Krasovsky ellipsoid
constants, the two trigonometric series in (lon - 105, lat - 35), the rectangle round China) and of
Baidu's BD-09 closed form, independently of src/model/china_crs.cpp. Only forward transforms are
computed here; the test checks fuelmap's iterative inverses against these pairs.

Run: python3 tests/model/china_crs_reference.py   (prints the C++ table of the test)
"""
import math

A = 6378245.0
EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0


def inside_box(lon, lat):
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def series_lat(x, y):
    terms = [-100.0, 2.0 * x, 3.0 * y, 0.2 * y * y, 0.1 * x * y, 0.2 * math.sqrt(abs(x))]
    terms.append((20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0)
    terms.append((20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0)
    terms.append((160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    return sum(terms)


def series_lon(x, y):
    terms = [300.0, x, 2.0 * y, 0.1 * x * x, 0.1 * x * y, 0.1 * math.sqrt(abs(x))]
    terms.append((20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0)
    terms.append((20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0)
    terms.append((150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    return sum(terms)


def wgs84_to_gcj02(lon, lat):
    if not inside_box(lon, lat):
        return lon, lat
    phi = math.radians(lat)
    w = 1.0 - EE * math.sin(phi) ** 2
    meridian_radius = A * (1.0 - EE) / (w * math.sqrt(w))
    normal_radius = A / math.sqrt(w)
    dlat = math.degrees(series_lat(lon - 105.0, lat - 35.0) / meridian_radius)
    dlon = math.degrees(series_lon(lon - 105.0, lat - 35.0) / (normal_radius * math.cos(phi)))
    return lon + dlon, lat + dlat


def gcj02_to_bd09(lon, lat):
    r = math.hypot(lon, lat) + 0.00002 * math.sin(lat * X_PI)
    angle = math.atan2(lat, lon) + 0.000003 * math.cos(lon * X_PI)
    return r * math.cos(angle) + 0.0065, r * math.sin(angle) + 0.006


POINTS = [
    ("Beijing, Tiananmen", 116.404, 39.915),
    ("Shanghai, the Bund", 121.4903, 31.2397),
    ("Yantai, Zhifu", 121.3914, 37.5393),
    ("Urumqi", 87.6168, 43.8256),
    ("Haikou", 110.3312, 20.0310),
    ("Harbin", 126.6424, 45.7567),
    ("Lhasa", 91.1409, 29.6456),
    ("Tokyo (outside the box)", 139.6917, 35.6895),
]

if __name__ == "__main__":
    for name, lon, lat in POINTS:
        g = wgs84_to_gcj02(lon, lat)
        b = gcj02_to_bd09(*g)
        print('    {"%s", {%.12f, %.12f}, {%.12f, %.12f}, {%.12f, %.12f}},' % (name, lon, lat, g[0], g[1], b[0], b[1]))
