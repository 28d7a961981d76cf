// SPDX-License-Identifier: MIT
/// @file geo.hpp
/// @brief WGS84 points and the local metric frame of a station site.
#pragma once

#include <optional>

namespace fuelmap {

/// A WGS84 longitude/latitude pair in degrees.
struct GeoPoint {
    double lon = 0.0; ///< degrees east, [-180, 180]
    double lat = 0.0; ///< degrees north, [-90, 90]

    friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

/// A point in a site's local frame: metres east (x) and north (y) of the station origin.
struct LocalPoint {
    double x = 0.0; ///< metres east of the origin
    double y = 0.0; ///< metres north of the origin

    friend bool operator==(const LocalPoint&, const LocalPoint&) = default;
};

/// True when lon is in [-180, 180] and lat in [-90, 90] and both are finite.
[[nodiscard]] bool is_valid_wgs84(const GeoPoint& p) noexcept;

/// A local east/north metric frame around an origin (equirectangular on the WGS84 ellipsoid's local
/// radii). Within a few kilometres of the origin its error is far below a centimetre per metre,
/// which is all a site plan needs.
class LocalFrame {
public:
    /// Frame centred on @p origin.
    explicit LocalFrame(GeoPoint origin) noexcept;

    /// Metres east/north of the origin.
    [[nodiscard]] LocalPoint to_local(const GeoPoint& p) const noexcept;
    /// Back to WGS84.
    [[nodiscard]] GeoPoint to_wgs84(const LocalPoint& p) const noexcept;
    /// The frame's origin.
    [[nodiscard]] const GeoPoint& origin() const noexcept { return m_origin; }

private:
    GeoPoint m_origin;
    double m_metres_per_degree_lon;
    double m_metres_per_degree_lat;
};

} // namespace fuelmap
