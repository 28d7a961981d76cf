// SPDX-License-Identifier: MIT
// The county areas of a map page from any GDAL vector layer: its polygons, reprojected to WGS84.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"

#include <ogr_spatialref.h>

#include <memory>

namespace fuelmap {

namespace {

void add_polygon(const OGRPolygon& poly, DiagramRegion& region) {
    for (int r = 0; r < 1 + poly.getNumInteriorRings(); ++r) {
        const OGRLinearRing* ring = r == 0 ? poly.getExteriorRing() : poly.getInteriorRing(r - 1);
        if (!ring || r > 0)
            continue; // holes are not drawn
        std::vector<GeoPoint> pts;
        for (int i = 0; i < ring->getNumPoints(); ++i)
            pts.push_back({ring->getX(i), ring->getY(i)});
        if (pts.size() >= 3)
            region.rings.push_back(std::move(pts));
    }
}

} // namespace

std::vector<DiagramRegion> gis::read_regions(const std::filesystem::path& path,
                                             const std::string& name_field) {
    detail::ensure_gdal();
    const std::string file = path.string();
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds || ds->GetLayerCount() < 1)
        throw InputError({.file = file}, "cannot open the region layer");
    OGRLayer* layer = ds->GetLayer(0);
    const std::string layer_name = layer->GetName();
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_wgs84;
    if (const OGRSpatialReference* srs = layer->GetSpatialRef(); srs && !srs->IsSame(&wgs84)) {
        to_wgs84.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
        if (!to_wgs84)
            throw InputError({.file = file, .layer = layer_name},
                             "cannot reproject the region layer to WGS84");
    }
    int name_index = -1;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    if (!name_field.empty()) {
        name_index = defn->GetFieldIndex(name_field.c_str());
        if (name_index < 0)
            throw InputError({.file = file, .layer = layer_name, .field = name_field},
                             "the layer has no field '" + name_field + "'");
    } else {
        for (int i = 0; i < defn->GetFieldCount() && name_index < 0; ++i)
            if (defn->GetFieldDefn(i)->GetType() == OFTString)
                name_index = i;
    }
    std::vector<DiagramRegion> regions;
    layer->ResetReading();
    for (auto& feature : *layer) {
        OGRGeometry* g = feature->GetGeometryRef();
        if (!g)
            continue;
        std::unique_ptr<OGRGeometry> copy(g->clone());
        if (to_wgs84 && copy->transform(to_wgs84.get()) != OGRERR_NONE)
            throw InputError({.file = file, .layer = layer_name, .fid = feature->GetFID()},
                             "cannot reproject the region geometry");
        DiagramRegion region;
        region.name =
            name_index >= 0 ? feature->GetFieldAsString(name_index) : std::to_string(feature->GetFID());
        const OGRwkbGeometryType type = wkbFlatten(copy->getGeometryType());
        if (type == wkbPolygon) {
            add_polygon(*copy->toPolygon(), region);
        } else if (type == wkbMultiPolygon) {
            for (const OGRPolygon* p : *copy->toMultiPolygon())
                add_polygon(*p, region);
        }
        if (!region.rings.empty())
            regions.push_back(std::move(region));
    }
    if (regions.empty())
        throw InputError({.file = file, .layer = layer_name}, "the layer holds no polygon");
    return regions;
}

} // namespace fuelmap
