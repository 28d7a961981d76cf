// SPDX-License-Identifier: MIT
// A QGIS project zipped as QGIS stores it (.qgz), with GDAL's zip writer.
#include <fuelmap/error.hpp>

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <atomic>

namespace fuelmap {

std::string gis::make_qgz(const std::string& qgs) {
    using namespace detail;
    ensure_gdal();
    // An in-memory file of its own per call: several threads may make archives at once.
    static std::atomic<unsigned> calls{0};
    const std::string path = "/vsimem/fuelmap-project-" + std::to_string(++calls) + ".qgz";
    void* zip = CPLCreateZip(path.c_str(), nullptr);
    if (zip == nullptr)
        throw Error("cannot make the QGIS project archive: " + last_gdal_error());
    bool ok = CPLCreateFileInZip(zip, "fuelmap.qgs", nullptr) == CE_None &&
              CPLWriteFileInZip(zip, qgs.data(), static_cast<int>(qgs.size())) == CE_None &&
              CPLCloseFileInZip(zip) == CE_None;
    ok = CPLCloseZip(zip) == CE_None && ok;
    vsi_l_offset size = 0;
    GByte* bytes = ok ? VSIGetMemFileBuffer(path.c_str(), &size, FALSE) : nullptr;
    std::string out =
        bytes != nullptr ? std::string(reinterpret_cast<const char*>(bytes), size) : std::string();
    VSIUnlink(path.c_str());
    if (!ok || bytes == nullptr)
        throw Error("cannot make the QGIS project archive: " + last_gdal_error());
    return out;
}

} // namespace fuelmap
