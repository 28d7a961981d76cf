// SPDX-License-Identifier: MIT
// County areas for the map pages: polygons from any GDAL vector layer, reprojected to WGS84, or the
// county boxes of a synthetic registry.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/synth.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <map>
#include <memory>
#include <set>

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

std::vector<DiagramRegion> read_regions(const std::filesystem::path& path, const std::string& name_field) {
    GDALAllRegister();
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

namespace {

// The box fuelmap synth spreads a region's stations over (docs/synth.md), as a WGS84 ring.
std::vector<GeoPoint> synth_box(const SynthRegion& r, double grow_m) {
    const LocalFrame frame(
        GeoPoint{static_cast<double>(r.lon_e6) / 1e6, static_cast<double>(r.lat_e6) / 1e6});
    const double w = r.west_km * 1000.0 + grow_m, e = r.east_km * 1000.0 + grow_m;
    const double s = r.south_km * 1000.0 + grow_m, n = r.north_km * 1000.0 + grow_m;
    return {frame.to_wgs84({-w, -s}), frame.to_wgs84({e, -s}), frame.to_wgs84({e, n}),
            frame.to_wgs84({-w, n})};
}

bool synthetic_id(const std::string& id, const std::string& county) {
    if (id.size() != county.size() + 5 || id.compare(0, county.size(), county) != 0 ||
        id[county.size()] != '-')
        return false;
    for (std::size_t i = county.size() + 1; i < id.size(); ++i)
        if (id[i] < '0' || id[i] > '9')
            return false;
    return true;
}

} // namespace

std::vector<DiagramRegion> synthetic_county_boxes(std::span<const Site* const> sites) {
    std::map<std::string, const SynthRegion*> by_county;
    for (const SynthRegion& r : synth_regions(SynthScope::national))
        by_county.emplace(r.county, &r);
    std::set<std::string> cities;
    for (const Site* site : sites) {
        const Station& st = site->station;
        const auto it = by_county.find(st.county);
        if (it == by_county.end() || !st.location || !synthetic_id(st.station_id, st.county))
            return {};
        // Inside the box, with room for the rounding of synth's own degree conversion.
        const std::vector<GeoPoint> box = synth_box(*it->second, 300.0);
        if (st.location->lon < box[0].lon || st.location->lon > box[1].lon || st.location->lat < box[0].lat ||
            st.location->lat > box[2].lat)
            return {};
        cities.insert(it->second->city);
    }
    std::vector<DiagramRegion> boxes;
    for (const SynthRegion& r : synth_regions(SynthScope::national))
        if (cities.count(r.city))
            boxes.push_back({r.county, {synth_box(r, 0.0)}});
    return boxes;
}

} // namespace fuelmap
