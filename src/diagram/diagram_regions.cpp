// SPDX-License-Identifier: MIT
// County areas for the map pages: the county boxes of a synthetic registry. (Polygons from a GDAL
// vector layer, read_regions(), are read by the GDAL module: gis/region_reader.cpp.)
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/synth.hpp>

#include <map>
#include <memory>
#include <set>

namespace fuelmap {

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
