// SPDX-License-Identifier: MIT
#include "gis/gdal_util.hpp"

#include <cpl_error.h>

namespace fuelmap::detail {

void ensure_gdal() {
    static const bool registered = [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        return true;
    }();
    (void)registered;
}

std::string last_gdal_error() {
    const char* msg = CPLGetLastErrorMsg();
    if (msg == nullptr || *msg == '\0')
        return "unknown GDAL error";
    return msg;
}

std::unique_ptr<OGRSpatialReference, void (*)(OGRSpatialReference*)> make_wgs84() {
    std::unique_ptr<OGRSpatialReference, void (*)(OGRSpatialReference*)> srs(
        new OGRSpatialReference(), [](OGRSpatialReference* p) { p->Release(); });
    srs->importFromEPSG(4326);
    srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

} // namespace fuelmap::detail
