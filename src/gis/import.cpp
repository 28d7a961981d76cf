// SPDX-License-Identifier: MIT
// fuelmap import: GDAL vector sources (layouts or station lists) → checked Sites → registry.
#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "gis/gdal_util.hpp"
#include "gis/import_fields.hpp"
#include "util/utf8.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <set>
#include <unordered_map>

namespace fuelmap {

namespace {

namespace fs = std::filesystem;

const std::array<const char*, 7> layout_layer_names = {"stations", "tanks",    "dispensers", "nozzles",
                                                       "sites",    "supplies", "grades"};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return s;
}

bool is_layout_layer(const std::string& name) {
    return std::find(layout_layer_names.begin(), layout_layer_names.end(), name) != layout_layer_names.end();
}

// Fields that carry a position rather than an attribute.
bool is_coordinate_field(const std::string& lower_name) {
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

std::uint64_t file_size_or_zero(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : static_cast<std::uint64_t>(n);
}

std::shared_ptr<GDALDataset> open_vector(const fs::path& path, const ImportLimits& limits) {
    const std::string file = path.string();
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw InputError({.file = file}, "no such file or directory");
    if (fs::is_regular_file(path, ec)) {
        const std::uint64_t size = file_size_or_zero(path);
        if (size > limits.max_file_bytes)
            throw InputError({.file = file},
                             "file is " + std::to_string(size) + " bytes, more than the limit of " +
                                 std::to_string(limits.max_file_bytes) + " (raise it with --max-file-size)");
    }
    detail::ensure_gdal();
    CPLStringList open_options;
    const std::string ext = lower(path.extension().string());
    if (ext == ".csv") {
        // Points from X/Y or lon/lat columns, any geometry from a WKT column; every value as text.
        open_options.AddString("X_POSSIBLE_NAMES=X,lon,lng,long,longitude");
        open_options.AddString("Y_POSSIBLE_NAMES=Y,lat,latitude");
        open_options.AddString("GEOM_POSSIBLE_NAMES=WKT,geometry,geom");
        open_options.AddString("KEEP_GEOM_COLUMNS=NO");
    }
    CPLErrorReset();
    GDALDataset* ds = GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        open_options.List(), nullptr);
    if (ds == nullptr) {
        const char* msg = CPLGetLastErrorMsg();
        throw InputError({.file = file}, std::string("cannot be read as a GDAL vector dataset") +
                                             (msg && *msg ? std::string(": ") + msg : std::string()));
    }
    return std::shared_ptr<GDALDataset>(ds, [](GDALDataset* d) { GDALClose(d); });
}

int line_offset(GDALDataset& ds) {
    const GDALDriver* driver = ds.GetDriver();
    if (driver == nullptr)
        return -1;
    const std::string name = driver->GetDescription();
    if (name == "CSV")
        return 1;
    if (name == "XLSX" || name == "ODS")
        return 0;
    return -1;
}

// The files of a layout directory: one per layer name (stations.geojson, tanks.csv, nozzles.shp …).
std::vector<SourceLayer> open_layout_directory(const fs::path& dir, const ImportLimits& limits) {
    static const std::vector<std::string> preferred = {
        ".gpkg", ".geojson", ".json",   ".csv",      ".shp",      ".fgb", ".kml", ".kmz", ".xlsx",
        ".ods",  ".gml",     ".sqlite", ".geojsonl", ".geojsons", ".tab", ".mif", ".dbf"};
    std::map<std::string, std::vector<fs::path>> by_layer;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file())
            entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& p : entries) {
        const std::string stem = lower(p.stem().string());
        const std::string ext = lower(p.extension().string());
        if (is_layout_layer(stem) && std::find(preferred.begin(), preferred.end(), ext) != preferred.end())
            by_layer[stem].push_back(p);
    }
    std::vector<SourceLayer> out;
    for (auto& [name, files] : by_layer) {
        // A Shapefile's .dbf is part of the .shp.
        if (files.size() > 1)
            std::erase_if(files, [](const fs::path& p) { return lower(p.extension().string()) == ".dbf"; });
        if (files.size() > 1)
            throw InputError({.file = dir.string(), .layer = name},
                             "two files for layer '" + name + "': " + files[0].filename().string() + " and " +
                                 files[1].filename().string());
        auto ds = open_vector(files[0], limits);
        OGRLayer* layer = ds->GetLayerCount() == 1 ? ds->GetLayer(0) : ds->GetLayerByName(name.c_str());
        if (layer == nullptr)
            throw InputError({.file = files[0].string(), .layer = name},
                             "missing layer '" + name + "' (the file holds " +
                                 std::to_string(ds->GetLayerCount()) + " layers)");
        out.push_back({files[0].string(), name, ds, layer, line_offset(*ds)});
    }
    return out;
}

// ----- reading fields -----

std::optional<std::int64_t> parse_integer(std::string_view s) {
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

std::optional<double> parse_real(std::string_view s) {
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
        return s;
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
        if (t == OFTInteger || t == OFTInteger64)
            return f.GetFieldAsInteger64(i);
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
            source.reset(new OGRSpatialReference());
            if (source->SetFromUserInput(mapping->crs.c_str()) != OGRERR_NONE)
                throw InputError({.field = "crs"}, "unknown CRS '" + mapping->crs + "' in the mapping");
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
                                 ") are not WGS84 degrees and the layer declares no CRS (give \"crs\" in a "
                                 "--mapping file)");
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
    bool m_check_degrees = false;
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

// ----- stations (layout and station list share this) -----

class StationReader {
public:
    StationReader(LayerReader& reader, const ImportMapping& mapping, bool layout)
        : m_r(reader), m_mapping(mapping), m_layout(layout) {
        const auto& fields = detail::station_fields();
        m_fields.resize(fields.size());
        std::vector<bool> used(static_cast<std::size_t>(reader.defn().GetFieldCount()), false);
        for (std::size_t k = 0; k < fields.size(); ++k) {
            Field& f = m_fields[k];
            f.target = fields[k];
            if (auto c = mapping.constants.find(f.target); c != mapping.constants.end())
                f.constant = c->second;
            if (auto d = mapping.defaults.find(f.target); d != mapping.defaults.end())
                f.fallback = d->second;
            if (auto v = mapping.values.find(f.target); v != mapping.values.end())
                f.values = &v->second;
            std::string source = f.target;
            if (auto m = mapping.fields.find(f.target); m != mapping.fields.end())
                source = m->second;
            else if (!layout && !mapping.fields.empty())
                source.clear(); // a station list with a mapping reads only the fields it maps
            if (!source.empty())
                f.index = reader.index(source);
            if (mapping.fields.count(f.target) && f.index < 0)
                throw InputError(
                    {.file = reader.source().file, .layer = reader.source().name, .field = source},
                    "missing field '" + source + "' (mapped to " + f.target + ")");
            f.source = source.empty() ? f.target : source;
            if (f.index >= 0)
                used[static_cast<std::size_t>(f.index)] = true;
        }
        if (m_fields[0].index < 0 && !m_fields[0].constant)
            throw InputError(
                {.file = reader.source().file, .layer = reader.source().name, .field = "station_id"},
                "missing required field 'station_id' (map one with \"fields\": {\"station_id\": …} "
                "in a --mapping file)");
        m_attributes_json = layout ? reader.index("attributes") : -1;
        if (m_attributes_json >= 0)
            used[static_cast<std::size_t>(m_attributes_json)] = true;
        if (mapping.keep_attributes)
            for (int i = 0; i < reader.defn().GetFieldCount(); ++i) {
                const std::string name = reader.defn().GetFieldDefn(i)->GetNameRef();
                if (used[static_cast<std::size_t>(i)] || is_coordinate_field(lower(name)) ||
                    reader.is_driver_field(lower(name)) ||
                    std::find(mapping.ignore.begin(), mapping.ignore.end(), name) != mapping.ignore.end())
                    continue;
                m_extra.emplace_back(i, name);
            }
    }

    Site read(const OGRFeature& f) {
        Site site;
        Station& s = site.station;
        std::string id = value(f, m_fields[0], "");
        if (id.empty())
            throw InputError(m_r.where(f, "", m_fields[0].source), "empty station id");
        s.station_id = m_mapping.id_prefix + id;
        const std::string& sid = s.station_id;
        s.name = value(f, m_fields[1], sid);
        s.operator_name = value(f, m_fields[2], sid);
        s.brand = value(f, m_fields[3], sid);
        const std::string ownership = value(f, m_fields[4], sid);
        if (!ownership.empty()) {
            auto o = parse_ownership(ownership);
            if (!o)
                throw InputError(
                    m_r.where(f, sid, m_fields[4].source),
                    "unknown ownership '" + ownership +
                        "' (major, independent, hypermarket, other; a mapping may translate values)");
            s.ownership = *o;
        }
        s.province = value(f, m_fields[5], sid);
        s.city = value(f, m_fields[6], sid);
        s.county = value(f, m_fields[7], sid);
        s.address = value(f, m_fields[8], sid);
        if (std::string status = value(f, m_fields[9], sid); !status.empty())
            s.status = std::move(status);
        if (auto v = number(f, m_fields[10], sid)) {
            if (*v < 0)
                throw InputError(m_r.where(f, sid, m_fields[10].source), "annual volume is negative");
            s.annual_volume_m3 = *v;
        }
        if (auto v = number(f, m_fields[11], sid)) {
            if (*v < 1)
                throw InputError(m_r.where(f, sid, m_fields[11].source), "risk weight must be at least 1");
            s.risk_weight = *v;
        }
        if (m_attributes_json >= 0) {
            const std::string json = m_r.text(f, m_attributes_json, sid);
            if (!json.empty()) {
                auto j = nlohmann::json::parse(json, nullptr, false);
                if (!j.is_object())
                    throw InputError(m_r.where(f, sid, "attributes"), "not a JSON object");
                for (const auto& [k, v] : j.items())
                    s.attributes[k] = v.is_string() ? v.get<std::string>() : v.dump();
            }
        }
        for (const auto& [i, name] : m_extra) {
            std::string v = m_r.text(f, i, sid);
            if (!v.empty())
                s.attributes[name] = std::move(v);
        }
        s.location = m_r.point(f, sid, nullptr);
        if (!s.location)
            throw InputError(m_r.where(f, sid, "geometry"), "missing geometry: a station needs a location");
        return site;
    }

private:
    struct Field {
        std::string target;
        std::string source;
        int index = -1;
        std::optional<std::string> constant;
        std::optional<std::string> fallback;
        const std::map<std::string, std::string>* values = nullptr;
    };

    std::string value(const OGRFeature& f, const Field& field, const std::string& sid) const {
        if (field.constant)
            return *field.constant;
        std::string v = m_r.text(f, field.index, sid);
        if (field.values != nullptr && !v.empty()) {
            if (auto it = field.values->find(v); it != field.values->end())
                return it->second;
            if (field.fallback)
                return *field.fallback;
        }
        if (v.empty() && field.fallback)
            return *field.fallback;
        return v;
    }

    std::optional<std::int64_t> number(const OGRFeature& f, const Field& field,
                                       const std::string& sid) const {
        if (field.constant || field.values ||
            (field.fallback && (field.index < 0 || !f.IsFieldSetAndNotNull(field.index)))) {
            const std::string v = value(f, field, sid);
            if (v.empty())
                return std::nullopt;
            auto n = parse_integer(v);
            if (!n)
                throw InputError(m_r.where(f, sid, field.source), "not an integer: '" + v + "'");
            return n;
        }
        return m_r.integer(f, field.index, sid);
    }

    LayerReader& m_r;
    const ImportMapping& m_mapping;
    bool m_layout;
    std::vector<Field> m_fields;
    int m_attributes_json = -1;
    std::vector<std::pair<int, std::string>> m_extra;
};

void read_stations(const SourceLayer& layer, const ImportMapping& mapping, bool layout,
                   const ImportLimits& limits, SourceSites& out, Progress& progress) {
    LayerReader r(layer, &mapping, limits);
    StationReader reader(r, mapping, layout);
    out.stations_file = layer.file;
    if (r.count_hint() > 0) {
        out.sites.reserve(static_cast<std::size_t>(r.count_hint()));
        out.fids.reserve(static_cast<std::size_t>(r.count_hint()));
    }
    layer.layer->ResetReading();
    for (auto& f : *layer.layer) {
        r.count(*f);
        Site site = reader.read(*f);
        auto [it, inserted] = out.index.emplace(site.station.station_id, out.sites.size());
        if (!inserted)
            throw InputError(r.where(*f, site.station.station_id, "station_id"),
                             "duplicate station id '" + site.station.station_id + "' (also feature " +
                                 std::to_string(out.fids[it->second]) + ")");
        out.fids.push_back(f->GetFID());
        out.sites.push_back(std::move(site));
        progress.tick();
    }
}

// ----- layout element layers -----

class LayoutReader {
public:
    LayoutReader(SourceSites& sites, GradeTable& grades, const ImportMapping& mapping,
                 const ImportLimits& limits, Progress& progress)
        : m_sites(sites), m_grades(grades), m_mapping(mapping), m_limits(limits), m_progress(progress) {}

    void grades(const SourceLayer& layer) {
        LayerReader r(layer, nullptr, m_limits);
        if (empty(layer))
            return;
        const int code = r.required("code"), family = r.required("family");
        const int octane = r.index("min_octane"), pour = r.index("max_pour_point_c");
        const int standard = r.index("standard"), description = r.index("description");
        for (auto& f : *layer.layer) {
            r.count(*f);
            Grade g;
            g.code = r.text(*f, code, "");
            if (g.code.empty())
                throw InputError(r.where(*f, "", "code"), "empty grade code");
            const std::string fam = r.text(*f, family, g.code);
            auto parsed = parse_grade_family(fam);
            if (!parsed)
                throw InputError(r.where(*f, g.code, "family"),
                                 "unknown grade family '" + fam + "' (gasoline, diesel, other)");
            g.family = *parsed;
            if (auto v = r.integer(*f, octane, g.code))
                g.min_octane = static_cast<int>(*v);
            if (auto v = r.integer(*f, pour, g.code))
                g.max_pour_point_c = static_cast<int>(*v);
            g.standard = r.text(*f, standard, g.code);
            g.description = r.text(*f, description, g.code);
            m_grades.add(std::move(g));
            m_progress.tick();
        }
    }

    void tanks(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("tank_no"), grade = r.required("grade");
        const int capacity = r.index("capacity_l"), manifold = r.index("manifold_group"),
                  status = r.index("status");
        Trim<Tank> trim(m_sites.sites, &Site::tanks);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Tank t;
            t.tank_no = number_of(r, *f, no, station, "tank");
            const std::string id = element_id(station, t.tank_no);
            if (site.find_tank(t.tank_no))
                throw InputError(r.where(*f, id, "tank_no"),
                                 "duplicate tank number '" + t.tank_no + "' at station " + station);
            t.grade = grade_of(r, *f, grade, id);
            if (auto v = r.integer(*f, capacity, id)) {
                if (*v < 0)
                    throw InputError(r.where(*f, id, "capacity_l"), "capacity is negative");
                t.capacity_l = *v;
            }
            t.manifold_group = r.text(*f, manifold, id);
            if (std::string s = r.text(*f, status, id); !s.empty())
                t.status = std::move(s);
            t.position = r.point(*f, id, origin(site));
            site.tanks.push_back(std::move(t));
            m_progress.tick();
        }
        trim.finish();
    }

    void dispensers(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("dispenser_no");
        const int island = r.index("island"), points = r.index("fuelling_points");
        Trim<Dispenser> trim(m_sites.sites, &Site::dispensers);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Dispenser d;
            d.dispenser_no = number_of(r, *f, no, station, "dispenser");
            const std::string id = element_id(station, d.dispenser_no);
            if (site.find_dispenser(d.dispenser_no))
                throw InputError(r.where(*f, id, "dispenser_no"),
                                 "duplicate dispenser number '" + d.dispenser_no + "' at station " + station);
            d.island = r.text(*f, island, id);
            if (auto v = r.integer(*f, points, id)) {
                if (*v < 1 || *v > 99)
                    throw InputError(r.where(*f, id, "fuelling_points"),
                                     "fuelling points must be a small positive number, not " +
                                         std::to_string(*v));
                d.fuelling_points = static_cast<int>(*v);
            }
            d.position = r.point(*f, id, origin(site));
            site.dispensers.push_back(std::move(d));
            m_progress.tick();
        }
        trim.finish();
    }

    void nozzles(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("nozzle_no"),
                  disp = r.required("dispenser_no");
        const int grade = r.required("grade"), point = r.index("fuelling_point"), status = r.index("status");
        Trim<Nozzle> trim(m_sites.sites, &Site::nozzles);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Nozzle n;
            n.nozzle_no = number_of(r, *f, no, station, "nozzle");
            const std::string id = element_id(station, n.nozzle_no);
            if (site.find_nozzle(n.nozzle_no))
                throw InputError(r.where(*f, id, "nozzle_no"),
                                 "duplicate nozzle number '" + n.nozzle_no + "' at station " + station);
            n.dispenser_no = r.text(*f, disp, id);
            if (n.dispenser_no.empty())
                throw InputError(r.where(*f, id, "dispenser_no"), "empty dispenser number");
            if (!site.find_dispenser(n.dispenser_no))
                throw InputError(r.where(*f, id, "dispenser_no"),
                                 "unknown dispenser '" + n.dispenser_no +
                                     "' (not in the dispensers layer for station " + station + ")");
            if (auto v = r.integer(*f, point, id)) {
                if (*v < 1 || *v > 99)
                    throw InputError(r.where(*f, id, "fuelling_point"),
                                     "fuelling point must be a small positive number, not " +
                                         std::to_string(*v));
                n.fuelling_point = static_cast<int>(*v);
            }
            n.grade = grade_of(r, *f, grade, id);
            if (std::string s = r.text(*f, status, id); !s.empty())
                n.status = std::move(s);
            n.position = r.point(*f, id, origin(site));
            site.nozzles.push_back(std::move(n));
            m_progress.tick();
        }
        trim.finish();
    }

    void supplies(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("nozzle_no"), tank = r.required("tank_no");
        const int fraction = r.required("fraction"), leg_field = r.index("leg");
        // The first supply feature of each nozzle, to point at when its fractions do not add up
        // (one per nozzle of a national registry: kept small, the element id found again on error).
        std::vector<std::pair<Nozzle*, std::int64_t>> seen;
        if (r.count_hint() > 0)
            seen.reserve(static_cast<std::size_t>(r.count_hint()));
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            const std::string& station = site.station.station_id;
            const std::string nozzle_no = r.text(*f, no, station);
            const std::string id = element_id(station, nozzle_no);
            Nozzle* n = const_cast<Nozzle*>(site.find_nozzle(nozzle_no));
            if (n == nullptr)
                throw InputError(r.where(*f, id, "nozzle_no"),
                                 "supply to unknown nozzle '" + nozzle_no +
                                     "' (not in the nozzles layer for station " + station + ")");
            SupplyLeg leg;
            leg.tank_no = r.text(*f, tank, id);
            if (!site.find_tank(leg.tank_no))
                throw InputError(r.where(*f, id, "tank_no"), "supply from unknown tank '" + leg.tank_no +
                                                                 "' (not in the tanks layer for station " +
                                                                 station + ")");
            auto frac = r.real(*f, fraction, id);
            if (!frac || !(*frac > 0.0 && *frac <= 1.0))
                throw InputError(r.where(*f, id, "fraction"),
                                 "fraction must be in (0, 1], not " +
                                     (frac ? std::to_string(*frac) : std::string("empty")));
            leg.fraction = *frac;
            std::size_t position = n->supply.size() + 1;
            if (auto v = r.integer(*f, leg_field, id)) {
                if (*v < 1 || *v > 2)
                    throw InputError(r.where(*f, id, "leg"), "leg must be 1 or 2, not " + std::to_string(*v));
                position = static_cast<std::size_t>(*v);
            }
            if (position > 2)
                throw InputError(r.where(*f, id, "leg"), "more than two supply legs (a blend has two tanks)");
            if (n->supply.empty())
                seen.emplace_back(n, f->GetFID());
            if (n->supply.size() < position)
                n->supply.resize(position, SupplyLeg{"", -1.0});
            if (n->supply[position - 1].fraction >= 0.0)
                throw InputError(r.where(*f, id, "leg"), "duplicate supply leg " + std::to_string(position));
            n->supply[position - 1] = std::move(leg);
            m_progress.tick();
        }
        for (const auto& [n, fid] : seen) {
            auto where = [&, n = n, fid = fid] {
                Location l{.file = layer.file,
                           .layer = layer.name,
                           .fid = fid,
                           .feature = element_id(station_of(n), n->nozzle_no),
                           .field = "fraction"};
                if (layer.line_offset >= 0)
                    l.line = fid + layer.line_offset;
                return l;
            };
            double sum = 0.0;
            for (std::size_t i = 0; i < n->supply.size(); ++i) {
                if (n->supply[i].fraction < 0.0)
                    throw InputError(where(), "supply leg " + std::to_string(i + 1) + " is missing");
                sum += n->supply[i].fraction;
            }
            if (std::fabs(sum - 1.0) > 1e-6)
                throw InputError(where(), "supply fractions sum to " + std::to_string(sum) + ", not 1");
        }
    }

    void sites(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id");
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            const std::string& station = site.station.station_id;
            if (!site.outline.empty())
                throw InputError(r.where(*f, station, "station_id"),
                                 "duplicate site outline for station " + station);
            site.outline = r.ring(*f, station, origin(site));
            m_progress.tick();
        }
    }

private:
    // Layers usually come station by station: a station's list is trimmed to its size when the
    // next station starts, and every list at the end, so that the growth slack of millions of
    // elements is never held at once.
    template <typename T> class Trim {
    public:
        Trim(std::vector<Site>& sites, std::vector<T> Site::*list) : m_sites(sites), m_list(list) {}
        void at(Site& site) {
            if (&site == m_current)
                return;
            if (m_current != nullptr)
                (m_current->*m_list).shrink_to_fit();
            m_current = &site;
        }
        void finish() {
            for (Site& site : m_sites)
                (site.*m_list).shrink_to_fit();
        }

    private:
        std::vector<Site>& m_sites;
        std::vector<T> Site::*m_list;
        Site* m_current = nullptr;
    };

    // The station a nozzle belongs to (for error messages only: a linear search).
    const std::string& station_of(const Nozzle* n) const {
        for (const Site& site : m_sites.sites)
            if (!site.nozzles.empty() && !std::less<const Nozzle*>()(n, site.nozzles.data()) &&
                std::less<const Nozzle*>()(n, site.nozzles.data() + site.nozzles.size()))
                return site.station.station_id;
        static const std::string none;
        return none;
    }

    static bool empty(const SourceLayer& layer) {
        layer.layer->ResetReading();
        if (layer.layer->GetFeatureCount(FALSE) == 0)
            return true;
        OGRFeatureUniquePtr first(layer.layer->GetNextFeature());
        layer.layer->ResetReading();
        return first == nullptr;
    }

    Site& site_of(const LayerReader& r, const OGRFeature& f, int field) {
        // Layers are usually grouped by station: try the last one first.
        const char* id = f.IsFieldSetAndNotNull(field) ? f.GetFieldAsString(field) : "";
        if (m_last != nullptr && m_last->station.station_id == id)
            return *m_last;
        auto it = m_sites.index.find(id);
        if (it == m_sites.index.end()) {
            const std::string s = id;
            r.check_utf8(f, s, "", field);
            throw InputError(r.where(f, s, "station_id"), s.empty() ? std::string("empty station id")
                                                                    : "unknown station '" + s +
                                                                          "' (not in the stations layer " +
                                                                          m_sites.stations_file + ")");
        }
        m_last = &m_sites.sites[it->second];
        return *m_last;
    }

    std::string number_of(const LayerReader& r, const OGRFeature& f, int field, const std::string& station,
                          const char* what) {
        std::string no = r.text(f, field, station);
        if (no.empty())
            throw InputError(r.where(f, station, r.defn().GetFieldDefn(field)->GetNameRef()),
                             std::string("empty ") + what + " number");
        return no;
    }

    std::string grade_of(const LayerReader& r, const OGRFeature& f, int field, const std::string& id) {
        std::string g = r.text(f, field, id);
        if (!m_grades.find(g))
            throw InputError(r.where(f, id, "grade"),
                             g.empty() ? std::string("empty grade")
                                       : "unknown grade '" + g +
                                             "' (not in the grade table; add it to a grades layer)");
        return g;
    }

    const GeoPoint* origin(const Site& site) const {
        return site.station.location ? &*site.station.location : nullptr;
    }

    SourceSites& m_sites;
    GradeTable& m_grades;
    const ImportMapping& m_mapping;
    const ImportLimits& m_limits;
    Progress& m_progress;
    Site* m_last = nullptr;
};

// ----- one source -----

struct OpenedSource {
    std::vector<SourceLayer> layers;
    bool directory = false;
};

OpenedSource open_source(const fs::path& path, const ImportLimits& limits) {
    OpenedSource src;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        src.directory = true;
        src.layers = open_layout_directory(path, limits);
        if (!src.layers.empty())
            return src;
    }
    auto ds = open_vector(path, limits);
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* layer = ds->GetLayer(i);
        std::string name = layer->GetName();
        const std::string low = lower(name);
        if (is_layout_layer(low))
            name = low;
        src.layers.push_back({path.string(), name, ds, layer, line_offset(*ds)});
    }
    if (src.layers.empty())
        throw InputError({.file = path.string()}, "holds no vector layer");
    // A single-layer file named after a layout layer (stations.csv) is that layer.
    if (src.layers.size() == 1) {
        const std::string stem = lower(path.stem().string());
        if (is_layout_layer(stem) && !is_layout_layer(src.layers[0].name))
            src.layers[0].name = stem;
    }
    return src;
}

const SourceLayer* find_layer(const OpenedSource& src, const std::string& name) {
    for (const auto& l : src.layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

void read_source(const fs::path& path, const OpenedSource& src, const ImportOptions& options,
                 GradeTable& grades, SourceSites& out, Progress& progress) {
    static const ImportMapping identity;
    const ImportMapping& mapping = options.mapping ? *options.mapping : identity;
    const bool station_list =
        !mapping.fields.empty() || !mapping.layer.empty() || !find_layer(src, "stations");
    if (station_list) {
        const SourceLayer* layer = nullptr;
        if (!mapping.layer.empty()) {
            for (const auto& l : src.layers)
                if (l.name == mapping.layer || lower(l.layer->GetName()) == lower(mapping.layer))
                    layer = &l;
            if (layer == nullptr)
                throw InputError({.file = path.string(), .layer = mapping.layer},
                                 "missing layer '" + mapping.layer + "' (named by the mapping)");
        } else if (src.layers.size() == 1) {
            layer = &src.layers[0];
        } else {
            bool layout_like = false;
            for (const auto& l : src.layers)
                layout_like = layout_like || is_layout_layer(l.name);
            throw InputError({.file = path.string(), .layer = "stations"},
                             layout_like
                                 ? std::string("missing layer 'stations' (a layout needs it)")
                                 : "holds " + std::to_string(src.layers.size()) +
                                       " layers: name the station layer with \"layer\" in a --mapping "
                                       "file");
        }
        read_stations(*layer, mapping, false, options.limits, out, progress);
        return;
    }
    // A layout: stations first, grades before anything that names a grade.
    for (const char* dependent : {"nozzles", "supplies"}) {
        if (!find_layer(src, dependent))
            continue;
        for (const char* needed : {"tanks", "dispensers", "nozzles", "supplies"})
            if (!find_layer(src, needed))
                throw InputError({.file = path.string(), .layer = needed},
                                 std::string("missing layer '") + needed + "' (a layout with " + dependent +
                                     " needs tanks, dispensers, nozzles and supplies)");
    }
    LayoutReader reader(out, grades, mapping, options.limits, progress);
    if (const auto* l = find_layer(src, "grades"))
        reader.grades(*l);
    read_stations(*find_layer(src, "stations"), mapping, true, options.limits, out, progress);
    if (const auto* l = find_layer(src, "tanks"))
        reader.tanks(*l);
    if (const auto* l = find_layer(src, "dispensers"))
        reader.dispensers(*l);
    if (const auto* l = find_layer(src, "nozzles"))
        reader.nozzles(*l);
    if (const auto* l = find_layer(src, "supplies"))
        reader.supplies(*l);
    if (const auto* l = find_layer(src, "sites"))
        reader.sites(*l);
}

GradeTable registry_grades(const fs::path& registry) {
    GradeTable grades = GradeTable::builtin();
    try {
        SQLite::Database db(registry.string(), SQLite::OPEN_READONLY);
        SQLite::Statement q(
            db, "SELECT code, family, min_octane, max_pour_point_c, standard, description FROM grades");
        while (q.executeStep()) {
            Grade g;
            g.code = q.getColumn(0).getString();
            g.family = parse_grade_family(q.getColumn(1).getString()).value_or(GradeFamily::other);
            if (!q.getColumn(2).isNull())
                g.min_octane = q.getColumn(2).getInt();
            if (!q.getColumn(3).isNull())
                g.max_pour_point_c = q.getColumn(3).getInt();
            g.standard = q.getColumn(4).getString();
            g.description = q.getColumn(5).getString();
            grades.add(std::move(g));
        }
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = registry.string(), .layer = "grades"},
                         std::string("cannot read: ") + e.what());
    }
    return grades;
}

// Spreadsheets are read with their first row as the header: a sheet whose cells are all text (site
// outlines as WKT) would otherwise have its header taken for data. The drivers read sheets lazily, so
// the setting holds for the whole import.
class SpreadsheetHeaders {
public:
    SpreadsheetHeaders() {
        CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
        CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");
    }
    ~SpreadsheetHeaders() {
        CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", nullptr);
        CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", nullptr);
    }
    SpreadsheetHeaders(const SpreadsheetHeaders&) = delete;
    SpreadsheetHeaders& operator=(const SpreadsheetHeaders&) = delete;
};

} // namespace

ImportData read_import_sources(const std::vector<fs::path>& sources, const ImportOptions& options) {
    if (sources.empty())
        throw UsageError("no source to import");
    SpreadsheetHeaders headers;
    ImportData data;
    data.grades = options.grades;
    std::vector<OpenedSource> opened;
    opened.reserve(sources.size());
    Progress progress{options.progress};
    for (const auto& path : sources) {
        opened.push_back(open_source(path, options.limits));
        for (const auto& l : opened.back().layers)
            progress.total += static_cast<std::size_t>(std::max<GIntBig>(0, l.layer->GetFeatureCount(FALSE)));
    }
    std::unordered_map<std::string, std::string> station_file;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        SourceSites one;
        read_source(sources[i], opened[i], options, data.grades, one, progress);
        for (std::size_t k = 0; k < one.sites.size(); ++k) {
            const std::string& id = one.sites[k].station.station_id;
            auto [it, inserted] = station_file.emplace(id, one.stations_file);
            if (!inserted) {
                Location where{
                    .file = one.stations_file, .fid = one.fids[k], .feature = id, .field = "station_id"};
                where.layer = "stations";
                throw InputError(where, "station id '" + id + "' appears in two sources (also in " +
                                            it->second + ")");
            }
        }
        if (data.sites.empty())
            data.sites = std::move(one.sites);
        else
            std::move(one.sites.begin(), one.sites.end(), std::back_inserter(data.sites));
        opened[i].layers.clear(); // close the files early
    }
    data.features = progress.done;
    if (options.progress)
        options.progress(progress.done, std::max(progress.done, progress.total));
    return data;
}

ImportSummary import_to_registry(const std::vector<fs::path>& sources, const fs::path& registry, bool append,
                                 ImportOptions options) {
    // Held from the first look at the registry to the last rename: no other writer can slip in
    // between (docs/registry.md, "One writer at a time").
    const RegistryLock lock(registry, LockMode::write);
    std::error_code ec;
    if (append) {
        if (!fs::exists(registry, ec))
            throw InputError({.file = registry.string()},
                             "registry does not exist (leave out --append to create a new one)");
        if (!is_registry(registry))
            throw InputError({.file = registry.string()}, "not a fuelmap registry");
        GradeTable stored = registry_grades(registry);
        for (const Grade& g : options.grades.all())
            if (!stored.find(g.code))
                stored.add(g);
        options.grades = std::move(stored);
    } else if (fs::exists(registry, ec)) {
        throw InputError({.file = registry.string()},
                         "registry already exists; use --append to add stations to it");
    }
    ImportData data = read_import_sources(sources, options);
    ImportSummary summary;
    summary.features = data.features;
    summary.stations = data.sites.size();
    for (const Site& s : data.sites) {
        summary.tanks += s.tanks.size();
        summary.dispensers += s.dispensers.size();
        summary.nozzles += s.nozzles.size();
    }
    if (append) {
        append_to_registry(registry, data.sites, data.grades);
    } else {
        Registry out;
        out.grades() = data.grades;
        out.add_all(std::move(data.sites));
        create_registry(registry, out);
    }
    return summary;
}

} // namespace fuelmap
