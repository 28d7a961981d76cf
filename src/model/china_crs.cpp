// SPDX-License-Identifier: MIT
#include <fuelmap/china_crs.hpp>

#include <cmath>
#include <numbers>
#include <string>

namespace fuelmap {

namespace {

// Constants of the public GCJ-02 reconstruction: the Krasovsky 1940 ellipsoid.
constexpr double krasovsky_a = 6378245.0;
constexpr double krasovsky_ee = 0.00669342162296594323;
constexpr double pi = std::numbers::pi;
constexpr double baidu_x_pi = pi * 3000.0 / 180.0;

// The iterations stop when the forward transform of the estimate is this close to the target
// (degrees; 1e-10 degrees of latitude is 0.011 mm).
constexpr double inverse_tolerance = 1e-10;
// The forward transforms move a point by at most ~0.01 degrees and their derivatives are within
// 1e-3 of the identity, so each iteration gains about three digits; 4 reach 1e-12 in practice.
constexpr int max_iterations = 20;

double shift_lat(double x, double y) {
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(y * pi) + 40.0 * std::sin(y / 3.0 * pi)) * 2.0 / 3.0;
    r += (160.0 * std::sin(y / 12.0 * pi) + 320.0 * std::sin(y * pi / 30.0)) * 2.0 / 3.0;
    return r;
}

double shift_lon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    r += (20.0 * std::sin(6.0 * x * pi) + 20.0 * std::sin(2.0 * x * pi)) * 2.0 / 3.0;
    r += (20.0 * std::sin(x * pi) + 40.0 * std::sin(x / 3.0 * pi)) * 2.0 / 3.0;
    r += (150.0 * std::sin(x / 12.0 * pi) + 300.0 * std::sin(x / 30.0 * pi)) * 2.0 / 3.0;
    return r;
}

// Solves forward(p) = target for p, starting from the target itself (the shifts are small).
template <class Forward> GeoPoint invert(const GeoPoint& target, Forward forward) {
    GeoPoint p = target;
    for (int i = 0; i < max_iterations; ++i) {
        const GeoPoint f = forward(p);
        const double d_lon = f.lon - target.lon;
        const double d_lat = f.lat - target.lat;
        p.lon -= d_lon;
        p.lat -= d_lat;
        if (std::fabs(d_lon) < inverse_tolerance && std::fabs(d_lat) < inverse_tolerance)
            break;
    }
    return p;
}

} // namespace

std::optional<ChinaCrs> parse_china_crs(std::string_view name) {
    std::string n;
    for (char c : name)
        if (c != '-' && c != '_' && c != ' ')
            n += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (n == "GCJ02")
        return ChinaCrs::gcj02;
    if (n == "BD09" || n == "BD09LL")
        return ChinaCrs::bd09;
    return std::nullopt;
}

std::string_view to_string(ChinaCrs crs) noexcept {
    return crs == ChinaCrs::gcj02 ? "GCJ-02" : "BD-09";
}

bool in_china_box(const GeoPoint& p) noexcept {
    return p.lon >= 72.004 && p.lon <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271;
}

namespace {

// The GCJ-02 shift without the box test.
GeoPoint shifted(const GeoPoint& wgs84) {
    const double x = wgs84.lon - 105.0;
    const double y = wgs84.lat - 35.0;
    const double rad_lat = wgs84.lat / 180.0 * pi;
    double magic = std::sin(rad_lat);
    magic = 1.0 - krasovsky_ee * magic * magic;
    const double sqrt_magic = std::sqrt(magic);
    const double d_lat =
        (shift_lat(x, y) * 180.0) / ((krasovsky_a * (1.0 - krasovsky_ee)) / (magic * sqrt_magic) * pi);
    const double d_lon = (shift_lon(x, y) * 180.0) / (krasovsky_a / sqrt_magic * std::cos(rad_lat) * pi);
    return {wgs84.lon + d_lon, wgs84.lat + d_lat};
}

} // namespace

GeoPoint wgs84_to_gcj02(const GeoPoint& wgs84) noexcept {
    return in_china_box(wgs84) ? shifted(wgs84) : wgs84;
}

GeoPoint gcj02_to_wgs84(const GeoPoint& gcj02) noexcept {
    if (!in_china_box(gcj02))
        return gcj02;
    // The box is tested on the given point only: inside the iteration it would make the shift jump
    // at the border (the box is a rough rectangle, a few hundred metres do not matter there).
    return invert(gcj02, shifted);
}

GeoPoint gcj02_to_bd09(const GeoPoint& gcj02) noexcept {
    const double x = gcj02.lon;
    const double y = gcj02.lat;
    const double z = std::sqrt(x * x + y * y) + 0.00002 * std::sin(y * baidu_x_pi);
    const double theta = std::atan2(y, x) + 0.000003 * std::cos(x * baidu_x_pi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

GeoPoint bd09_to_gcj02(const GeoPoint& bd09) noexcept {
    return invert(bd09, gcj02_to_bd09);
}

GeoPoint china_to_wgs84(const GeoPoint& p, ChinaCrs crs) noexcept {
    return crs == ChinaCrs::gcj02 ? gcj02_to_wgs84(p) : gcj02_to_wgs84(bd09_to_gcj02(p));
}

GeoPoint wgs84_to_china(const GeoPoint& wgs84, ChinaCrs crs) noexcept {
    const GeoPoint gcj = wgs84_to_gcj02(wgs84);
    return crs == ChinaCrs::gcj02 ? gcj : gcj02_to_bd09(gcj);
}

} // namespace fuelmap
