// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

#include "detail/gdal_util.hpp"
#include "detail/gpkg_geometry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <map>
#include <set>
#include <unordered_map>

namespace fuelmap {

namespace {

constexpr const char* registry_format = "fuelmap-registry";
constexpr const char* registry_version = "1";

struct FieldSpec {
    const char* name;
    OGRFieldType type;
};

struct LayerSpec {
    const char* name;
    OGRwkbGeometryType geometry;
    std::vector<FieldSpec> fields;
};

const std::vector<LayerSpec>& layer_specs() {
    static const std::vector<LayerSpec> specs = {
        {"stations",
         wkbPoint,
         {{"station_id", OFTString},
          {"name", OFTString},
          {"operator", OFTString},
          {"brand", OFTString},
          {"ownership", OFTString},
          {"province", OFTString},
          {"city", OFTString},
          {"county", OFTString},
          {"address", OFTString},
          {"status", OFTString},
          {"annual_volume_m3", OFTInteger64},
          {"risk_weight", OFTInteger64},
          {"attributes", OFTString}}},
        {"tanks",
         wkbPoint,
         {{"station_id", OFTString},
          {"tank_no", OFTString},
          {"grade", OFTString},
          {"capacity_l", OFTInteger64},
          {"manifold_group", OFTString},
          {"status", OFTString}}},
        {"dispensers",
         wkbPoint,
         {{"station_id", OFTString},
          {"dispenser_no", OFTString},
          {"island", OFTString},
          {"fuelling_points", OFTInteger}}},
        {"nozzles",
         wkbPoint,
         {{"station_id", OFTString},
          {"nozzle_no", OFTString},
          {"dispenser_no", OFTString},
          {"fuelling_point", OFTInteger},
          {"grade", OFTString},
          {"status", OFTString}}},
        {"sites", wkbPolygon, {{"station_id", OFTString}}},
        {"supplies",
         wkbNone,
         {{"station_id", OFTString},
          {"nozzle_no", OFTString},
          {"leg", OFTInteger},
          {"tank_no", OFTString},
          {"fraction", OFTReal}}},
        {"grades",
         wkbNone,
         {{"code", OFTString},
          {"family", OFTString},
          {"min_octane", OFTInteger},
          {"max_pour_point_c", OFTInteger},
          {"standard", OFTString},
          {"description", OFTString}}},
        {"fuelmap_meta", wkbNone, {{"key", OFTString}, {"value", OFTString}}},
    };
    return specs;
}

// Unique keys the registry enforces in SQL, so that even a hand-edited file cannot hold duplicates.
const char* const unique_indexes[] = {
    "CREATE UNIQUE INDEX IF NOT EXISTS stations_id ON stations(station_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS tanks_id ON tanks(station_id, tank_no)",
    "CREATE UNIQUE INDEX IF NOT EXISTS dispensers_id ON dispensers(station_id, dispenser_no)",
    "CREATE UNIQUE INDEX IF NOT EXISTS nozzles_id ON nozzles(station_id, nozzle_no)",
    "CREATE UNIQUE INDEX IF NOT EXISTS sites_id ON sites(station_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS supplies_id ON supplies(station_id, nozzle_no, leg)",
    "CREATE UNIQUE INDEX IF NOT EXISTS grades_id ON grades(code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS fuelmap_meta_id ON fuelmap_meta(key)",
};

[[noreturn]] void fail_write(const std::filesystem::path& path, const std::string& layer,
                             const std::string& what) {
    throw Error(path.string() + ": layer '" + layer + "': " + what + ": " + detail::last_gdal_error());
}

// A registry dataset being written: the layers by name and a running transaction.
class Writer {
public:
    Writer(GDALDataset& ds, std::filesystem::path path) : m_ds(ds), m_path(std::move(path)) {
        for (const LayerSpec& spec : layer_specs()) {
            OGRLayer* layer = m_ds.GetLayerByName(spec.name);
            if (!layer)
                fail_write(m_path, spec.name, "layer missing");
            m_layers[spec.name] = layer;
        }
    }

    OGRLayer& layer(const std::string& name) { return *m_layers.at(name); }

    void write_site(const Site& site) {
        const Station& s = site.station;
        {
            OGRFeature f(layer("stations").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("name", s.name.c_str());
            f.SetField("operator", s.operator_name.c_str());
            f.SetField("brand", s.brand.c_str());
            f.SetField("ownership", std::string(to_string(s.ownership)).c_str());
            f.SetField("province", s.province.c_str());
            f.SetField("city", s.city.c_str());
            f.SetField("county", s.county.c_str());
            f.SetField("address", s.address.c_str());
            f.SetField("status", s.status.c_str());
            f.SetField("annual_volume_m3", static_cast<GIntBig>(s.annual_volume_m3));
            f.SetField("risk_weight", static_cast<GIntBig>(s.risk_weight));
            if (!s.attributes.empty())
                f.SetField("attributes", nlohmann::json(s.attributes).dump().c_str());
            create("stations", f, s.location);
        }
        for (const Tank& t : site.tanks) {
            OGRFeature f(layer("tanks").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("tank_no", t.tank_no.c_str());
            f.SetField("grade", t.grade.c_str());
            f.SetField("capacity_l", static_cast<GIntBig>(t.capacity_l));
            if (!t.manifold_group.empty())
                f.SetField("manifold_group", t.manifold_group.c_str());
            f.SetField("status", t.status.c_str());
            create("tanks", f, t.position);
        }
        for (const Dispenser& d : site.dispensers) {
            OGRFeature f(layer("dispensers").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("dispenser_no", d.dispenser_no.c_str());
            f.SetField("island", d.island.c_str());
            f.SetField("fuelling_points", d.fuelling_points);
            create("dispensers", f, d.position);
        }
        for (const Nozzle& n : site.nozzles) {
            OGRFeature f(layer("nozzles").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("nozzle_no", n.nozzle_no.c_str());
            f.SetField("dispenser_no", n.dispenser_no.c_str());
            f.SetField("fuelling_point", n.fuelling_point);
            f.SetField("grade", n.grade.c_str());
            f.SetField("status", n.status.c_str());
            create("nozzles", f, n.position);
            for (std::size_t i = 0; i < n.supply.size(); ++i) {
                OGRFeature leg(layer("supplies").GetLayerDefn());
                leg.SetField("station_id", s.station_id.c_str());
                leg.SetField("nozzle_no", n.nozzle_no.c_str());
                leg.SetField("leg", static_cast<int>(i + 1));
                leg.SetField("tank_no", n.supply[i].tank_no.c_str());
                leg.SetField("fraction", n.supply[i].fraction);
                create("supplies", leg, std::nullopt);
            }
        }
        if (site.outline.size() >= 3) {
            OGRFeature f(layer("sites").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            auto ring = std::make_unique<OGRLinearRing>();
            for (const GeoPoint& p : site.outline)
                ring->addPoint(p.lon, p.lat);
            ring->closeRings();
            auto polygon = std::make_unique<OGRPolygon>();
            polygon->addRingDirectly(ring.release());
            f.SetGeometryDirectly(polygon.release());
            if (layer("sites").CreateFeature(&f) != OGRERR_NONE)
                fail_write(m_path, "sites", "cannot write the outline of station '" + s.station_id + "'");
        }
    }

    void write_grade(const Grade& g) {
        OGRFeature f(layer("grades").GetLayerDefn());
        f.SetField("code", g.code.c_str());
        f.SetField("family", std::string(to_string(g.family)).c_str());
        if (g.min_octane)
            f.SetField("min_octane", *g.min_octane);
        if (g.max_pour_point_c)
            f.SetField("max_pour_point_c", *g.max_pour_point_c);
        f.SetField("standard", g.standard.c_str());
        f.SetField("description", g.description.c_str());
        create("grades", f, std::nullopt);
    }

    void write_meta(const std::string& key, const std::string& value) {
        OGRFeature f(layer("fuelmap_meta").GetLayerDefn());
        f.SetField("key", key.c_str());
        f.SetField("value", value.c_str());
        create("fuelmap_meta", f, std::nullopt);
    }

private:
    void create(const char* layer_name, OGRFeature& f, const std::optional<GeoPoint>& point) {
        if (point)
            f.SetGeometryDirectly(new OGRPoint(point->lon, point->lat));
        if (layer(layer_name).CreateFeature(&f) != OGRERR_NONE)
            fail_write(m_path, layer_name, "cannot write feature");
    }

    GDALDataset& m_ds;
    std::filesystem::path m_path;
    std::map<std::string, OGRLayer*> m_layers;
};

// A temporary file next to the target that is removed unless it was renamed over the target.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target)
        : m_target(target), m_path(target.string() + ".tmp-" + std::to_string(::getpid())) {
        std::error_code ec;
        std::filesystem::remove(m_path, ec);
    }
    ~TempFile() {
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_path, ec);
            std::filesystem::remove(m_path.string() + "-journal", ec);
        }
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::filesystem::path& path() const { return m_path; }

    void commit() {
        std::filesystem::rename(m_path, m_target);
        m_committed = true;
    }

private:
    std::filesystem::path m_target;
    std::filesystem::path m_path;
    bool m_committed = false;
};

GDALDatasetUniquePtr create_empty_registry(const std::filesystem::path& path) {
    detail::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver)
        throw Error("GDAL has no GPKG driver");
    GDALDatasetUniquePtr ds(driver->Create(path.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw Error(path.string() + ": cannot create GeoPackage: " + detail::last_gdal_error());
    auto wgs84 = detail::make_wgs84();
    for (const LayerSpec& spec : layer_specs()) {
        const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", nullptr};
        OGRLayer* layer = ds->CreateLayer(spec.name, spec.geometry == wkbNone ? nullptr : wgs84.get(),
                                          spec.geometry, const_cast<char**>(options));
        if (!layer)
            fail_write(path, spec.name, "cannot create layer");
        for (const FieldSpec& field : spec.fields) {
            OGRFieldDefn defn(field.name, field.type);
            if (layer->CreateField(&defn) != OGRERR_NONE)
                fail_write(path, spec.name, std::string("cannot create field '") + field.name + "'");
        }
    }
    for (const char* sql : unique_indexes)
        ds->ExecuteSQL(sql, nullptr, nullptr);
    return ds;
}

void in_transaction(GDALDataset& ds, const std::filesystem::path& path, const std::function<void()>& body) {
    if (ds.StartTransaction() != OGRERR_NONE)
        throw Error(path.string() + ": cannot start a transaction: " + detail::last_gdal_error());
    try {
        body();
    } catch (...) {
        ds.RollbackTransaction();
        throw;
    }
    if (ds.CommitTransaction() != OGRERR_NONE)
        throw Error(path.string() + ": cannot commit: " + detail::last_gdal_error());
}

void flush_and_close(GDALDatasetUniquePtr& ds, const std::filesystem::path& path) {
    CPLErrorReset();
    ds->FlushCache();
    ds.reset();
    if (CPLGetLastErrorType() == CE_Failure)
        throw Error(path.string() + ": cannot write: " + detail::last_gdal_error());
}

// ----- reading -----

std::string text(SQLite::Column c) {
    return c.isNull() ? std::string() : c.getString();
}

std::optional<GeoPoint> point(SQLite::Column c) {
    if (c.isNull())
        return std::nullopt;
    return detail::decode_gpkg_point(c.getBlob(), static_cast<std::size_t>(c.getBytes()));
}

// Binds the station filter of a query "... WHERE station_id IN (?, ?, …)" or no filter.
std::string filter_clause(const ReadOptions& options) {
    if (options.stations.empty())
        return "";
    std::string sql = " WHERE station_id IN (";
    for (std::size_t i = 0; i < options.stations.size(); ++i)
        sql += i ? ",?" : "?";
    return sql + ")";
}

void bind_filter(SQLite::Statement& q, const ReadOptions& options) {
    for (std::size_t i = 0; i < options.stations.size(); ++i)
        q.bind(static_cast<int>(i + 1), options.stations[i]);
}

} // namespace

bool is_registry(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
        return db.tableExists("fuelmap_meta") && db.tableExists("stations");
    } catch (const SQLite::Exception&) {
        return false;
    }
}

void create_registry(const std::filesystem::path& path, const Registry& registry) {
    TempFile temp(path);
    {
        GDALDatasetUniquePtr ds = create_empty_registry(temp.path());
        Writer writer(*ds, temp.path());
        in_transaction(*ds, temp.path(), [&] {
            writer.write_meta("format", registry_format);
            writer.write_meta("version", registry_version);
            for (const Grade& g : registry.grades().all())
                writer.write_grade(g);
            for (const Site& site : registry.sites())
                writer.write_site(site);
        });
        flush_and_close(ds, temp.path());
    }
    temp.commit();
}

void append_to_registry(const std::filesystem::path& path, std::span<const Site> sites,
                        const GradeTable& grades) {
    if (!is_registry(path))
        throw InputError({.file = path.string()}, "not a fuelmap registry");
    std::set<std::string> known_ids;
    std::set<std::string> known_grades;
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
        SQLite::Statement ids(db, "SELECT station_id FROM stations");
        while (ids.executeStep())
            known_ids.insert(text(ids.getColumn(0)));
        SQLite::Statement codes(db, "SELECT code FROM grades");
        while (codes.executeStep())
            known_grades.insert(text(codes.getColumn(0)));
    }
    for (const Site& s : sites)
        if (known_ids.count(s.station.station_id))
            throw InputError({.file = path.string(),
                              .layer = "stations",
                              .feature = s.station.station_id,
                              .field = "station_id"},
                             "station id '" + s.station.station_id + "' is already in the registry");
    TempFile temp(path);
    std::filesystem::copy_file(path, temp.path(), std::filesystem::copy_options::overwrite_existing);
    {
        detail::ensure_gdal();
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(temp.path().string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        if (!ds)
            throw Error(path.string() + ": cannot open for update: " + detail::last_gdal_error());
        Writer writer(*ds, path);
        in_transaction(*ds, temp.path(), [&] {
            for (const Grade& g : grades.all())
                if (!known_grades.count(g.code))
                    writer.write_grade(g);
            for (const Site& site : sites)
                writer.write_site(site);
        });
        flush_and_close(ds, temp.path());
    }
    temp.commit();
}

Registry read_registry(const std::filesystem::path& path, const ReadOptions& options) {
    const std::string file = path.string();
    if (!std::filesystem::is_regular_file(path))
        throw InputError({.file = file}, "registry file does not exist");
    if (!is_registry(path))
        throw InputError({.file = file}, "not a fuelmap registry (no stations and fuelmap_meta tables)");
    SQLite::Database db(file, SQLite::OPEN_READONLY);
    Registry registry;
    try {
        {
            SQLite::Statement q(db, "SELECT value FROM fuelmap_meta WHERE key = 'version'");
            if (!q.executeStep() || text(q.getColumn(0)) != registry_version)
                throw InputError({.file = file, .layer = "fuelmap_meta", .field = "version"},
                                 std::string("unsupported registry version (this fuelmap reads version ") +
                                     registry_version + ")");
        }
        {
            SQLite::Statement q(db, "SELECT fid, code, family, min_octane, max_pour_point_c, standard, "
                                    "description FROM grades ORDER BY code");
            while (q.executeStep()) {
                Grade g;
                g.code = text(q.getColumn(1));
                auto family = parse_grade_family(text(q.getColumn(2)));
                if (!family)
                    throw InputError({.file = file,
                                      .layer = "grades",
                                      .fid = q.getColumn(0).getInt64(),
                                      .feature = g.code,
                                      .field = "family"},
                                     "unknown grade family '" + text(q.getColumn(2)) + "'");
                g.family = *family;
                if (!q.getColumn(3).isNull())
                    g.min_octane = q.getColumn(3).getInt();
                if (!q.getColumn(4).isNull())
                    g.max_pour_point_c = q.getColumn(4).getInt();
                g.standard = text(q.getColumn(5));
                g.description = text(q.getColumn(6));
                registry.grades().add(std::move(g));
            }
        }
        std::vector<Site> sites;
        std::unordered_map<std::string, std::size_t> index;
        const std::string where = filter_clause(options);
        {
            SQLite::Statement q(db,
                                "SELECT fid, geom, station_id, name, operator, brand, ownership, province, "
                                "city, county, address, status, annual_volume_m3, risk_weight, attributes "
                                "FROM stations" +
                                    where);
            bind_filter(q, options);
            while (q.executeStep()) {
                Site site;
                Station& s = site.station;
                const std::int64_t fid = q.getColumn(0).getInt64();
                s.location = point(q.getColumn(1));
                s.station_id = text(q.getColumn(2));
                s.name = text(q.getColumn(3));
                s.operator_name = text(q.getColumn(4));
                s.brand = text(q.getColumn(5));
                const std::string ownership = text(q.getColumn(6));
                auto parsed = parse_ownership(ownership);
                if (!parsed)
                    throw InputError({.file = file,
                                      .layer = "stations",
                                      .fid = fid,
                                      .feature = s.station_id,
                                      .field = "ownership"},
                                     "unknown ownership type '" + ownership + "'");
                s.ownership = *parsed;
                s.province = text(q.getColumn(7));
                s.city = text(q.getColumn(8));
                s.county = text(q.getColumn(9));
                s.address = text(q.getColumn(10));
                s.status = text(q.getColumn(11));
                s.annual_volume_m3 = q.getColumn(12).getInt64();
                s.risk_weight = q.getColumn(13).isNull() ? 1 : q.getColumn(13).getInt64();
                const std::string attributes = text(q.getColumn(14));
                if (!attributes.empty()) {
                    auto json = nlohmann::json::parse(attributes, nullptr, false);
                    if (!json.is_object())
                        throw InputError({.file = file,
                                          .layer = "stations",
                                          .fid = fid,
                                          .feature = s.station_id,
                                          .field = "attributes"},
                                         "not a JSON object");
                    for (const auto& [k, v] : json.items())
                        s.attributes[k] = v.is_string() ? v.get<std::string>() : v.dump();
                }
                index.emplace(s.station_id, sites.size());
                sites.push_back(std::move(site));
            }
        }
        for (const std::string& id : options.stations)
            if (!index.count(id))
                throw InputError({.file = file, .layer = "stations", .feature = id, .field = "station_id"},
                                 "no station '" + id + "' in the registry");
        auto site_of = [&](SQLite::Statement& q, const char* layer, std::int64_t fid) -> Site& {
            const std::string id = text(q.getColumn(2));
            auto it = index.find(id);
            if (it == index.end())
                throw InputError(
                    {.file = file, .layer = layer, .fid = fid, .feature = id, .field = "station_id"},
                    "station '" + id + "' is not in the stations layer");
            return sites[it->second];
        };
        {
            SQLite::Statement q(db,
                                "SELECT fid, geom, station_id, tank_no, grade, capacity_l, manifold_group, "
                                "status FROM tanks" +
                                    where);
            bind_filter(q, options);
            while (q.executeStep()) {
                const std::int64_t fid = q.getColumn(0).getInt64();
                Site& site = site_of(q, "tanks", fid);
                Tank& t = site.tanks.emplace_back();
                t.position = point(q.getColumn(1));
                t.tank_no = text(q.getColumn(3));
                t.grade = text(q.getColumn(4));
                t.capacity_l = q.getColumn(5).getInt64();
                t.manifold_group = text(q.getColumn(6));
                t.status = text(q.getColumn(7));
            }
        }
        {
            SQLite::Statement q(db, "SELECT fid, geom, station_id, dispenser_no, island, fuelling_points "
                                    "FROM dispensers" +
                                        where);
            bind_filter(q, options);
            while (q.executeStep()) {
                Site& site = site_of(q, "dispensers", q.getColumn(0).getInt64());
                Dispenser& d = site.dispensers.emplace_back();
                d.position = point(q.getColumn(1));
                d.dispenser_no = text(q.getColumn(3));
                d.island = text(q.getColumn(4));
                d.fuelling_points = q.getColumn(5).getInt();
            }
        }
        std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> nozzle_index;
        {
            SQLite::Statement q(
                db, "SELECT fid, geom, station_id, nozzle_no, dispenser_no, fuelling_point, grade, "
                    "status FROM nozzles" +
                        where);
            bind_filter(q, options);
            while (q.executeStep()) {
                Site& site = site_of(q, "nozzles", q.getColumn(0).getInt64());
                Nozzle& n = site.nozzles.emplace_back();
                n.position = point(q.getColumn(1));
                n.nozzle_no = text(q.getColumn(3));
                n.dispenser_no = text(q.getColumn(4));
                n.fuelling_point = q.getColumn(5).getInt();
                n.grade = text(q.getColumn(6));
                n.status = text(q.getColumn(7));
            }
        }
        {
            // Supplies arrive in leg order per nozzle; a per-station map finds the nozzle.
            SQLite::Statement q(db,
                                "SELECT fid, NULL, station_id, nozzle_no, tank_no, fraction FROM supplies" +
                                    where + " ORDER BY station_id, nozzle_no, leg");
            bind_filter(q, options);
            std::string current_station;
            std::unordered_map<std::string, Nozzle*> nozzles;
            while (q.executeStep()) {
                const std::int64_t fid = q.getColumn(0).getInt64();
                Site& site = site_of(q, "supplies", fid);
                if (site.station.station_id != current_station) {
                    current_station = site.station.station_id;
                    nozzles.clear();
                    for (Nozzle& n : site.nozzles)
                        nozzles.emplace(n.nozzle_no, &n);
                }
                const std::string nozzle_no = text(q.getColumn(3));
                auto it = nozzles.find(nozzle_no);
                if (it == nozzles.end())
                    throw InputError({.file = file,
                                      .layer = "supplies",
                                      .fid = fid,
                                      .feature = element_id(current_station, nozzle_no),
                                      .field = "nozzle_no"},
                                     "supply for unknown nozzle '" + nozzle_no + "'");
                it->second->supply.push_back({text(q.getColumn(4)), q.getColumn(5).getDouble()});
            }
        }
        {
            SQLite::Statement q(db, "SELECT fid, geom, station_id FROM sites" + where);
            bind_filter(q, options);
            while (q.executeStep()) {
                Site& site = site_of(q, "sites", q.getColumn(0).getInt64());
                SQLite::Column geom = q.getColumn(1);
                if (!geom.isNull())
                    site.outline = detail::decode_gpkg_outer_ring(geom.getBlob(),
                                                                  static_cast<std::size_t>(geom.getBytes()));
                if (site.outline.size() > 1 && site.outline.front() == site.outline.back())
                    site.outline.pop_back();
            }
        }
        registry.add_all(std::move(sites));
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = file}, std::string("malformed registry: ") + e.what());
    }
    return registry;
}

} // namespace fuelmap
