// SPDX-License-Identifier: MIT
/// @file import_layer_reader.hpp
/// @brief Private: one layer of an import source read field by field (LayerReader: field lookup, numbers,
/// positions in any CRS, limits, feature locations for messages), and what the readers share.
#pragma once

#include <fuelmap/china_crs.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry.hpp>

#include "gis/gdal_util.hpp"
#include "gis/import_fields.hpp"
#include "util/csv_cell.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace fuelmap::detail::import_reading {

namespace fs = std::filesystem;

inline const std::array<const char*, 7> layout_layer_names = {"stations", "tanks",    "dispensers", "nozzles",
                                                              "sites",    "supplies", "grades"};

inline bool is_layout_layer(const std::string& name) {
    return std::find(layout_layer_names.begin(), layout_layer_names.end(), name) != layout_layer_names.end();
}

// Fields that carry a position rather than an attribute.
inline bool is_coordinate_field(const std::string& lower_name) {
    static const std::set<std::string> names = {"x",         "y",   "lon",      "lng", "long",
                                                "longitude", "lat", "latitude", "wkt", "geometry",
                                                "geom",      "x_m", "y_m"};
    return names.count(lower_name) > 0;
}

// One opened layer of a source, and the file it came from.
struct SourceLayer {
    std::string file;
    std::string name; // the name the import knows it by ("tanks", or the station-list layer's own name)
    std::shared_ptr<GDALDataset> dataset;
    OGRLayer* layer = nullptr;
    int line_offset = -1; // CSV: line = fid + 1; spreadsheets: row = fid; others: no lines
};

// ----- reading fields -----

inline std::optional<std::int64_t> parse_integer(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size())
        return v;
    double d = 0;
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && q == s.data() + s.size() && std::isfinite(d) && d == std::floor(d) &&
        std::fabs(d) < 9.0e15)
        return static_cast<std::int64_t>(d);
    return std::nullopt;
}

inline std::optional<double> parse_real(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && p == s.data() + s.size() && std::isfinite(d))
        return d;
    return std::nullopt;
}

// Context for the features of one layer: where errors point, field access by index, positions.
class LayerReader {
public:
    /// @p site_element: tanks, dispensers, nozzles and sites, whose geometry may be site-local metres.
    LayerReader(const SourceLayer& src, const ImportMapping* mapping, const ImportLimits& limits,
                bool site_element = false)
        : m_src(src), m_defn(src.layer->GetLayerDefn()) {
        const GIntBig count = src.layer->GetFeatureCount(FALSE);
        m_count_hint = count;
        if (count > 0 && static_cast<std::uint64_t>(count) > limits.max_features_per_layer)
            throw InputError({.file = src.file, .layer = src.name},
                             "layer has " + std::to_string(count) + " features, more than the limit of " +
                                 std::to_string(limits.max_features_per_layer) +
                                 " (raise it with --max-features)");
        m_max_features = limits.max_features_per_layer;
        m_local = site_element && mapping != nullptr && mapping->local_metres;
        setup_crs(mapping);
        m_x = find_any({"x", "lon", "lng", "long", "longitude"});
        m_y = find_any({"y", "lat", "latitude"});
        m_wkt = find_any({"wkt", "geometry", "geom"});
        m_xm = index("x_m");
        m_ym = index("y_m");
        if (const GDALDriver* d = src.dataset->GetDriver()) {
            const std::string name = d->GetDescription();
            m_kml = name == "LIBKML" || name == "KML";
            m_csv = name == "CSV";
        }
    }

    const SourceLayer& source() const { return m_src; }
    /// True for the fields a driver adds by itself (KML's extrude, visibility …), never attributes.
    bool is_driver_field(const std::string& lower_name) const {
        static const std::set<std::string> kml = {"timestamp",  "begin",   "end",        "altitudemode",
                                                  "tessellate", "extrude", "visibility", "draworder",
                                                  "icon",       "snippet"};
        return m_kml && kml.count(lower_name) > 0;
    }
    std::int64_t count_hint() const { return m_count_hint; }
    OGRFeatureDefn& defn() const { return *m_defn; }

    /// Field index by name (case-insensitive; a Shapefile's 10-character truncation too), or -1.
    int index(const std::string& name) const {
        int i = m_defn->GetFieldIndex(name.c_str());
        if (i < 0 && name.size() > 10)
            i = m_defn->GetFieldIndex(name.substr(0, 10).c_str());
        return i;
    }

    /// Index of a required field; @throws InputError when the layer lacks it.
    int required(const std::string& name) const {
        const int i = index(name);
        if (i < 0)
            throw InputError({.file = m_src.file, .layer = m_src.name, .field = name},
                             "missing required field '" + name + "'");
        return i;
    }

    Location where(const OGRFeature& f, const std::string& feature, const std::string& field) const {
        Location l{
            .file = m_src.file, .layer = m_src.name, .fid = f.GetFID(), .feature = feature, .field = field};
        if (m_src.line_offset >= 0 && f.GetFID() >= 0)
            l.line = f.GetFID() + m_src.line_offset;
        return l;
    }

    /// Counts a feature against the limit (for formats that cannot count ahead).
    void count(const OGRFeature& f) {
        if (++m_seen > m_max_features)
            throw InputError(where(f, "", ""), "layer has more than " + std::to_string(m_max_features) +
                                                   " features (raise the limit with --max-features)");
    }

    /// Text of field @p i ("" when absent, unset or null), checked to be UTF-8.
    std::string text(const OGRFeature& f, int i, const std::string& feature) const {
        if (i < 0 || !f.IsFieldSetAndNotNull(i))
            return {};
        std::string s = f.GetFieldAsString(i);
        check_utf8(f, s, feature, i);
        return m_csv ? detail::restore_csv_text(s) : s; // the inverse of export's spreadsheet escape
    }

    void check_utf8(const OGRFeature& f, const std::string& s, const std::string& feature, int i) const {
        if (const std::size_t at = detail::find_invalid_utf8(s); at != std::string::npos)
            throw InputError(where(f, feature, m_defn->GetFieldDefn(i)->GetNameRef()),
                             detail::describe_invalid_utf8(s, at));
    }

    std::optional<std::int64_t> integer(const OGRFeature& f, int i, const std::string& feature) const {
        if (i < 0 || !f.IsFieldSetAndNotNull(i))
            return std::nullopt;
        const OGRFieldType t = m_defn->GetFieldDefn(i)->GetType();
        if (t == OFTInteger || t == OFTInteger64) {
            // GDAL saturates a larger integer (1e26 in a GeoJSON) to the 64-bit limits: never a value.
            const std::int64_t v = f.GetFieldAsInteger64(i);
            if (v == std::numeric_limits<std::int64_t>::max() ||
                v == std::numeric_limits<std::int64_t>::min())
                throw InputError(where(f, feature, m_defn->GetFieldDefn(i)->GetNameRef()),
                                 "integer out of range (beyond what 64 bits hold): " + std::to_string(v));
            return v;
        }
        const char* s = f.GetFieldAsString(i);
        if (*s == '\0')
            return std::nullopt;
        auto v = parse_integer(s);
        if (!v)
            throw InputError(where(f, feature, m_defn->GetFieldDefn(i)->GetNameRef()),
                             std::string("not an integer: '") + s + "'");
        return v;
    }

    std::optional<double> real(const OGRFeature& f, int i, const std::string& feature) const {
        if (i < 0 || !f.IsFieldSetAndNotNull(i))
            return std::nullopt;
        const OGRFieldType t = m_defn->GetFieldDefn(i)->GetType();
        if (t == OFTInteger || t == OFTInteger64 || t == OFTReal)
            return f.GetFieldAsDouble(i);
        const char* s = f.GetFieldAsString(i);
        if (*s == '\0')
            return std::nullopt;
        auto v = parse_real(s);
        if (!v)
            throw InputError(where(f, feature, m_defn->GetFieldDefn(i)->GetNameRef()),
                             std::string("not a number: '") + s + "'");
        return v;
    }

    /// The feature's point in WGS84. @p origin is the station location for site-local metres.
    /// std::nullopt when the feature has no position at all.
    std::optional<GeoPoint> point(const OGRFeature& f, const std::string& feature,
                                  const GeoPoint* origin) const {
        const OGRGeometry* g = f.GetGeometryRef();
        std::unique_ptr<OGRGeometry> parsed;
        if (g == nullptr && m_wkt >= 0 && f.IsFieldSetAndNotNull(m_wkt))
            g = (parsed = parse_wkt(f, feature)).get();
        if (g != nullptr) {
            if (g->IsEmpty())
                throw InputError(where(f, feature, "geometry"), "empty geometry");
            const OGRPoint* p = nullptr;
            const auto type = wkbFlatten(g->getGeometryType());
            if (type == wkbPoint)
                p = g->toPoint();
            else if (type == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1)
                p = g->toMultiPoint()->getGeometryRef(0);
            else
                throw InputError(where(f, feature, "geometry"),
                                 std::string("invalid geometry: a point is needed, not a ") +
                                     g->getGeometryName());
            return convert(f, feature, p->getX(), p->getY(), m_local, origin, "geometry");
        }
        if (m_x >= 0 && m_y >= 0 && f.IsFieldSetAndNotNull(m_x) && f.IsFieldSetAndNotNull(m_y)) {
            auto x = real(f, m_x, feature);
            auto y = real(f, m_y, feature);
            if (x && y)
                return convert(f, feature, *x, *y, m_local, origin, m_defn->GetFieldDefn(m_x)->GetNameRef());
        }
        if (origin != nullptr && m_xm >= 0 && m_ym >= 0 && f.IsFieldSetAndNotNull(m_xm) &&
            f.IsFieldSetAndNotNull(m_ym)) {
            auto x = real(f, m_xm, feature);
            auto y = real(f, m_ym, feature);
            if (x && y)
                return convert(f, feature, *x, *y, true, origin, "x_m");
        }
        return std::nullopt;
    }

    /// The outer ring of a polygon feature in WGS84, without the closing point.
    std::vector<GeoPoint> ring(const OGRFeature& f, const std::string& feature,
                               const GeoPoint* origin) const {
        const OGRGeometry* g = f.GetGeometryRef();
        std::unique_ptr<OGRGeometry> parsed;
        if (g == nullptr && m_wkt >= 0 && f.IsFieldSetAndNotNull(m_wkt))
            g = (parsed = parse_wkt(f, feature)).get();
        if (g == nullptr)
            throw InputError(where(f, feature, "geometry"),
                             "missing geometry: a site outline polygon is needed");
        if (g->IsEmpty())
            throw InputError(where(f, feature, "geometry"), "empty geometry");
        const OGRPolygon* polygon = nullptr;
        const auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon)
            polygon = g->toPolygon();
        else if (type == wkbMultiPolygon && g->toMultiPolygon()->getNumGeometries() == 1)
            polygon = g->toMultiPolygon()->getGeometryRef(0);
        else
            throw InputError(where(f, feature, "geometry"),
                             std::string("invalid geometry: a polygon is needed, not a ") +
                                 g->getGeometryName());
        const OGRLinearRing* r = polygon->getExteriorRing();
        if (r == nullptr || r->getNumPoints() < 4)
            throw InputError(where(f, feature, "geometry"),
                             "invalid geometry: the outline has fewer than 3 corners");
        if (OGRGeometryFactory::haveGEOS() && !polygon->IsValid())
            throw InputError(where(f, feature, "geometry"), "invalid geometry: the outline crosses itself");
        std::vector<GeoPoint> out;
        out.reserve(static_cast<std::size_t>(r->getNumPoints()));
        for (int i = 0; i < r->getNumPoints(); ++i)
            out.push_back(*convert(f, feature, r->getX(i), r->getY(i), m_local, origin, "geometry"));
        if (out.size() > 1 && out.front() == out.back())
            out.pop_back();
        return out;
    }

private:
    int find_any(std::initializer_list<const char*> names) const {
        for (const char* n : names)
            if (int i = m_defn->GetFieldIndex(n); i >= 0)
                return i;
        return -1;
    }

    std::unique_ptr<OGRGeometry> parse_wkt(const OGRFeature& f, const std::string& feature) const {
        OGRGeometry* g = nullptr;
        const char* wkt = f.GetFieldAsString(m_wkt);
        if (OGRGeometryFactory::createFromWkt(wkt, nullptr, &g) != OGRERR_NONE || g == nullptr)
            throw InputError(where(f, feature, m_defn->GetFieldDefn(m_wkt)->GetNameRef()),
                             "invalid geometry: not WKT");
        return std::unique_ptr<OGRGeometry>(g);
    }

    void setup_crs(const ImportMapping* mapping) {
        const OGRSpatialReference* declared = m_src.layer->GetSpatialRef();
        std::unique_ptr<OGRSpatialReference, void (*)(OGRSpatialReference*)> source(
            nullptr, [](OGRSpatialReference* p) { p->Release(); });
        if (m_local)
            return;
        if (mapping != nullptr && !mapping->crs.empty()) {
            // Chinese web-map coordinates are degrees that PROJ does not know: converted here.
            if ((m_china = parse_china_crs(mapping->crs))) {
                m_check_degrees = true;
                return;
            }
            source.reset(new OGRSpatialReference());
            if (source->SetFromUserInput(mapping->crs.c_str()) != OGRERR_NONE)
                throw InputError({.file = m_src.file, .layer = m_src.name, .field = "crs"},
                                 "unknown CRS '" + mapping->crs + "' in the mapping");
        } else if (declared != nullptr) {
            source.reset(declared->Clone());
        }
        if (!source) {
            m_check_degrees = true;
            return;
        }
        source->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        auto wgs84 = detail::make_wgs84();
        if (source->IsSame(wgs84.get()))
            return;
        m_transform.reset(OGRCreateCoordinateTransformation(source.get(), wgs84.get()));
        if (!m_transform)
            throw InputError({.file = m_src.file, .layer = m_src.name},
                             "cannot reproject from the layer's CRS to WGS84: " + detail::last_gdal_error());
    }

    std::optional<GeoPoint> convert(const OGRFeature& f, const std::string& feature, double x, double y,
                                    bool local, const GeoPoint* origin, const std::string& field) const {
        if (!std::isfinite(x) || !std::isfinite(y))
            throw InputError(where(f, feature, field),
                             "invalid geometry: coordinates are not finite numbers");
        GeoPoint p{x, y};
        if (local) {
            if (origin == nullptr)
                throw InputError(where(f, feature, field), "site-local metres need the station's location");
            p = LocalFrame(*origin).to_wgs84({x, y});
        } else if (m_transform) {
            if (!m_transform->Transform(1, &p.lon, &p.lat))
                throw InputError(where(f, feature, field), "coordinates out of range: (" + std::to_string(x) +
                                                               ", " + std::to_string(y) +
                                                               ") cannot be reprojected to WGS84");
        } else if (m_check_degrees && !is_valid_wgs84(p)) {
            throw InputError(where(f, feature, field),
                             "coordinates out of range: (" + std::to_string(x) + ", " + std::to_string(y) +
                                 (m_china ? std::string(") are not ") + std::string(to_string(*m_china)) +
                                                " degrees (the mapping's \"crs\")"
                                          : std::string(") are not WGS84 degrees and the layer declares no "
                                                        "CRS (give \"crs\" in a --mapping file)")));
        } else if (m_china) {
            p = china_to_wgs84(p, *m_china);
        }
        if (!is_valid_wgs84(p))
            throw InputError(where(f, feature, field), "coordinates out of range: longitude " +
                                                           std::to_string(p.lon) + ", latitude " +
                                                           std::to_string(p.lat));
        return p;
    }

    const SourceLayer& m_src;
    OGRFeatureDefn* m_defn;
    std::int64_t m_count_hint = -1;
    std::uint64_t m_max_features = 0;
    std::uint64_t m_seen = 0;
    bool m_local = false;
    bool m_kml = false;
    bool m_csv = false; // text cells escaped for spreadsheets are read back as written
    bool m_check_degrees = false;
    std::optional<ChinaCrs> m_china; // the mapping's "crs" is GCJ-02 or BD-09
    std::unique_ptr<OGRCoordinateTransformation> m_transform;
    int m_x = -1, m_y = -1, m_wkt = -1, m_xm = -1, m_ym = -1;
};

// Progress over all layers of all sources.
struct Progress {
    const ProgressFn& fn;
    std::size_t total = 0;
    std::size_t done = 0;
    void tick() {
        if (++done % 4096 == 0 && fn)
            fn(done, std::max(done, total));
    }
};

// The stations read from one source, with the feature each came from.
struct SourceSites {
    std::vector<Site> sites;
    std::vector<std::int64_t> fids;
    std::unordered_map<std::string, std::size_t> index;
    std::string stations_file;
};

} // namespace fuelmap::detail::import_reading
