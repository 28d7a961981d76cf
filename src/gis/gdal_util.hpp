// SPDX-License-Identifier: MIT
/// @file gdal_util.hpp
/// @brief Private GDAL helpers: one-time driver registration, quiet errors, WGS84 SRS.
#pragma once

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#include <memory>
#include <string>

namespace fuelmap::detail {

/// Registers GDAL's drivers once and routes GDAL's messages away from stderr; the last message is
/// read with last_gdal_error().
void ensure_gdal();

/// GDAL's last error message, or "unknown GDAL error".
[[nodiscard]] std::string last_gdal_error();

/// A GDAL configuration option set for this thread until the end of the scope.
class ThreadConfigOption {
public:
    /// Sets @p key to @p value (both must outlive this object).
    ThreadConfigOption(const char* key, const char* value) : m_key(key) {
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadConfigOption() { CPLSetThreadLocalConfigOption(m_key, nullptr); }
    ThreadConfigOption(const ThreadConfigOption&) = delete;
    ThreadConfigOption& operator=(const ThreadConfigOption&) = delete;

private:
    const char* m_key;
};

/// A new WGS84 (EPSG:4326) spatial reference in longitude/latitude axis order.
[[nodiscard]] std::unique_ptr<OGRSpatialReference, void (*)(OGRSpatialReference*)> make_wgs84();

} // namespace fuelmap::detail
