// SPDX-License-Identifier: MIT
#include <fuelmap/geo.hpp>

#include <cmath>
#include <numbers>

namespace fuelmap {

bool is_valid_wgs84(const GeoPoint& p) noexcept {
    return std::isfinite(p.lon) && std::isfinite(p.lat) && p.lon >= -180.0 && p.lon <= 180.0 &&
           p.lat >= -90.0 && p.lat <= 90.0;
}

namespace {
// WGS84 ellipsoid.
constexpr double semi_major = 6378137.0;
constexpr double flattening = 1.0 / 298.257223563;
constexpr double ecc2 = flattening * (2.0 - flattening);
} // namespace

LocalFrame::LocalFrame(GeoPoint origin) noexcept : m_origin(origin) {
    // Meridional and prime-vertical radii of curvature at the origin's latitude.
    const double phi = origin.lat * std::numbers::pi / 180.0;
    const double s = std::sin(phi);
    const double w = std::sqrt(1.0 - ecc2 * s * s);
    const double prime_vertical = semi_major / w;
    const double meridional = semi_major * (1.0 - ecc2) / (w * w * w);
    m_metres_per_degree_lat = meridional * std::numbers::pi / 180.0;
    m_metres_per_degree_lon = prime_vertical * std::cos(phi) * std::numbers::pi / 180.0;
}

LocalPoint LocalFrame::to_local(const GeoPoint& p) const noexcept {
    return {(p.lon - m_origin.lon) * m_metres_per_degree_lon,
            (p.lat - m_origin.lat) * m_metres_per_degree_lat};
}

GeoPoint LocalFrame::to_wgs84(const LocalPoint& p) const noexcept {
    return {m_origin.lon + p.x / m_metres_per_degree_lon, m_origin.lat + p.y / m_metres_per_degree_lat};
}

} // namespace fuelmap
