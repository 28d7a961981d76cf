// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

#include "detail/gdal_util.hpp"
#include "detail/gpkg_geometry.hpp"
#include "detail/layout_cache.hpp"
#include "detail/registry_writer.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

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

    // Writes layer after layer rather than station after station: GDAL's GeoPackage driver commits
    // and restarts its transaction at every switch between layers while it builds R-trees.
    void write_sites(std::span<const Site> sites) {
        for (Part part :
             {Part::stations, Part::tanks, Part::dispensers, Part::nozzles, Part::supplies, Part::outline})
            for (const Site& site : sites)
                write_site(site, part);
    }

    enum class Part { stations, tanks, dispensers, nozzles, supplies, outline };

    void write_site(const Site& site, Part part) {
        const Station& s = site.station;
        if (part == Part::stations) {
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
        if (part == Part::tanks)
            write_tanks(site);
        if (part == Part::dispensers)
            write_dispensers(site);
        if (part == Part::nozzles || part == Part::supplies)
            write_nozzles(site, part == Part::supplies);
        if (part == Part::outline)
            write_outline(site);
    }

    void write_tanks(const Site& site) {
        const Station& s = site.station;
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
    }

    void write_dispensers(const Site& site) {
        const Station& s = site.station;
        for (const Dispenser& d : site.dispensers) {
            OGRFeature f(layer("dispensers").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("dispenser_no", d.dispenser_no.c_str());
            f.SetField("island", d.island.c_str());
            f.SetField("fuelling_points", d.fuelling_points);
            create("dispensers", f, d.position);
        }
    }

    void write_nozzles(const Site& site, bool supplies) {
        const Station& s = site.station;
        for (const Nozzle& n : site.nozzles) {
            if (supplies) {
                for (std::size_t i = 0; i < n.supply.size(); ++i) {
                    OGRFeature leg(layer("supplies").GetLayerDefn());
                    leg.SetField("station_id", s.station_id.c_str());
                    leg.SetField("nozzle_no", n.nozzle_no.c_str());
                    leg.SetField("leg", static_cast<int>(i + 1));
                    leg.SetField("tank_no", n.supply[i].tank_no.c_str());
                    leg.SetField("fraction", n.supply[i].fraction);
                    create("supplies", leg, std::nullopt);
                }
                continue;
            }
            OGRFeature f(layer("nozzles").GetLayerDefn());
            f.SetField("station_id", s.station_id.c_str());
            f.SetField("nozzle_no", n.nozzle_no.c_str());
            f.SetField("dispenser_no", n.dispenser_no.c_str());
            f.SetField("fuelling_point", n.fuelling_point);
            f.SetField("grade", n.grade.c_str());
            f.SetField("status", n.status.c_str());
            create("nozzles", f, n.position);
        }
    }

    void write_outline(const Site& site) {
        const Station& s = site.station;
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

// GDAL 3.6 may build GeoPackage R-trees in a background thread per layer, committing and
// restarting the transaction at every switch between layers; in-line index building is faster for
// one bulk write.
class InlineRtree {
public:
    InlineRtree() { CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", "NO"); }
    ~InlineRtree() { CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", nullptr); }
    InlineRtree(const InlineRtree&) = delete;
    InlineRtree& operator=(const InlineRtree&) = delete;
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

// The station filter of a query: "... WHERE station_id IN (?, ?, …)", or no filter.
std::string filter_clause(const ReadOptions& options) {
    if (options.stations.empty())
        return "";
    std::string sql = " WHERE station_id IN (";
    for (std::size_t i = 0; i < options.stations.size(); ++i)
        sql += i ? ",?" : "?";
    return sql + ")";
}

// A prepared statement read with the C API: the hot loops of read_registry touch millions of
// columns, and SQLite::Column copies a shared pointer for each one. Errors still surface as
// SQLite::Exception.
class Rows {
public:
    Rows(SQLite::Database& db, const std::string& sql) : m_db(db.getHandle()) {
        const int rc = sqlite3_prepare_v2(m_db, sql.c_str(), -1, &m_stmt, nullptr);
        if (rc != SQLITE_OK)
            throw SQLite::Exception(m_db, rc);
    }
    ~Rows() { sqlite3_finalize(m_stmt); }
    Rows(const Rows&) = delete;
    Rows& operator=(const Rows&) = delete;

    void bind_filter(const ReadOptions& options) {
        for (std::size_t i = 0; i < options.stations.size(); ++i) {
            const std::string& id = options.stations[i];
            const int rc = sqlite3_bind_text(m_stmt, static_cast<int>(i + 1), id.data(),
                                             static_cast<int>(id.size()), SQLITE_TRANSIENT);
            if (rc != SQLITE_OK)
                throw SQLite::Exception(m_db, rc);
        }
    }
    bool next() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw SQLite::Exception(m_db, rc);
    }
    bool null(int i) const { return sqlite3_column_type(m_stmt, i) == SQLITE_NULL; }
    // The bytes of a column (text or blob), valid until the next step; empty for NULL.
    std::string_view view(int i) const {
        const void* data = sqlite3_column_blob(m_stmt, i);
        if (!data)
            return {};
        return {static_cast<const char*>(data), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))};
    }
    std::string text(int i) const { return std::string(view(i)); }
    std::int64_t int64(int i) const { return sqlite3_column_int64(m_stmt, i); }
    int int32(int i) const { return sqlite3_column_int(m_stmt, i); }
    double real(int i) const { return sqlite3_column_double(m_stmt, i); }
    std::optional<GeoPoint> point(int i) const {
        if (null(i))
            return std::nullopt;
        const std::string_view blob = view(i);
        return detail::decode_gpkg_point(reinterpret_cast<const void*>(blob.data()), blob.size());
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

// Gathers the consecutive rows of one station and moves them into its site in one go, so that each
// site's vector is allocated once at its exact size (a registry holds millions of these).
template <class T> class Grouped {
public:
    explicit Grouped(std::vector<T> Site::*member) : m_member(member) {}
    Grouped(const Grouped&) = delete;
    Grouped& operator=(const Grouped&) = delete;

    T& add(Site& site) {
        if (&site != m_site) {
            flush();
            m_site = &site;
        }
        return m_rows.emplace_back();
    }
    void flush() {
        if (!m_site)
            return;
        std::vector<T>& target = m_site->*m_member;
        if (target.empty())
            target.reserve(m_rows.size());
        for (T& row : m_rows)
            target.push_back(std::move(row));
        m_rows.clear();
        m_site = nullptr;
    }

private:
    std::vector<T> Site::*m_member;
    std::vector<T> m_rows;
    Site* m_site = nullptr;
};

// Reads the supplies table in storage order when every row names a known station and nozzle
// and each nozzle's legs come together in ascending leg order; false (with some legs read) when
// not, and the caller reads them again in key order.
template <class FindSite>
bool read_supplies_in_storage_order(SQLite::Database& db, const std::string& where,
                                    const ReadOptions& options, FindSite& find_site) {
    Rows q(db, "SELECT station_id, nozzle_no, leg, tank_no, fraction FROM supplies" + where);
    q.bind_filter(options);
    Site* site = nullptr;
    std::size_t cursor = 0;
    std::unordered_map<std::string_view, Nozzle*> lookup; // for a station whose rows are out of order
    Nozzle* previous = nullptr;
    std::int64_t previous_leg = 0;
    while (q.next()) {
        Site* row_site = find_site(q.view(0));
        if (!row_site || q.null(2))
            return false;
        if (row_site != site) {
            site = row_site;
            cursor = 0;
            lookup.clear();
        }
        const std::string_view nozzle_no = q.view(1);
        Nozzle* n = nullptr;
        auto& nozzles = site->nozzles;
        for (std::size_t k = cursor; k < nozzles.size() && k < cursor + 2; ++k)
            if (nozzles[k].nozzle_no == nozzle_no) {
                n = &nozzles[k];
                cursor = k;
                break;
            }
        if (!n) {
            if (lookup.empty())
                for (Nozzle& each : nozzles)
                    lookup.emplace(each.nozzle_no, &each);
            auto it = lookup.find(nozzle_no);
            if (it == lookup.end())
                return false;
            n = it->second;
        }
        const std::int64_t leg = q.int64(2);
        if (!n->supply.empty() && (n != previous || leg <= previous_leg))
            return false;
        n->supply.push_back({q.text(3), q.real(4)});
        previous = n;
        previous_leg = leg;
    }
    return true;
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
        // GDAL makes the GeoPackage (metadata tables, layers, spatial indexes, triggers); the rows
        // then go in through SQLite directly, which is several times faster than OGRFeatures.
        GDALDatasetUniquePtr ds = create_empty_registry(temp.path());
        flush_and_close(ds, temp.path());
    }
    detail::write_registry_rows(temp.path(), {{"format", registry_format}, {"version", registry_version}},
                                registry);
    detail::write_layout_cache(temp.path(), registry.sites());
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
    InlineRtree inline_rtree;
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
            writer.write_sites(sites);
        });
        flush_and_close(ds, temp.path());
    }
    detail::update_layout_cache(temp.path());
    temp.commit();
}

Registry read_registry(const std::filesystem::path& path, const ReadOptions& options) {
    const std::string file = path.string();
    if (!std::filesystem::is_regular_file(path))
        throw InputError({.file = file}, "registry file does not exist");
    if (!is_registry(path))
        throw InputError({.file = file}, "not a fuelmap registry (no stations and fuelmap_meta tables)");
    // One reader on this connection: no need for SQLite's per-call mutex.
    SQLite::Database db(file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX);
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
        // A filtered read goes through the station_id index; keep the file order of a full read.
        const std::string in_file_order = options.stations.empty() ? "" : " ORDER BY fid";
        {
            Rows q(db, "SELECT fid, geom, station_id, name, operator, brand, ownership, province, "
                       "city, county, address, status, annual_volume_m3, risk_weight, attributes "
                       "FROM stations" +
                           where);
            q.bind_filter(options);
            while (q.next()) {
                Site site;
                Station& s = site.station;
                const std::int64_t fid = q.int64(0);
                s.location = q.point(1);
                s.station_id = q.text(2);
                s.name = q.text(3);
                s.operator_name = q.text(4);
                s.brand = q.text(5);
                const std::string ownership = q.text(6);
                auto parsed = parse_ownership(ownership);
                if (!parsed)
                    throw InputError({.file = file,
                                      .layer = "stations",
                                      .fid = fid,
                                      .feature = s.station_id,
                                      .field = "ownership"},
                                     "unknown ownership type '" + ownership + "'");
                s.ownership = *parsed;
                s.province = q.text(7);
                s.city = q.text(8);
                s.county = q.text(9);
                s.address = q.text(10);
                s.status = q.text(11);
                s.annual_volume_m3 = q.int64(12);
                s.risk_weight = q.null(13) ? 1 : q.int64(13);
                const std::string attributes = q.text(14);
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
        if (!options.layouts) {
            registry.add_all(std::move(sites));
            return registry;
        }
        // Rows of one station come one after the other (fuelmap writes each layer in station
        // order), so the last station found answers most lookups without hashing.
        // The stations usually also follow each other in the same order in every layer, so the
        // next station is tried before the hash table.
        std::size_t last = sites.size();
        auto find_site = [&](std::string_view id) -> Site* {
            if (last < sites.size()) {
                if (id == sites[last].station.station_id)
                    return &sites[last];
                if (last + 1 < sites.size() && id == sites[last + 1].station.station_id)
                    return &sites[++last];
            }
            auto it = index.find(std::string(id));
            if (it == index.end())
                return nullptr;
            last = it->second;
            return &sites[last];
        };
        auto site_of = [&](Rows& q, const char* layer, std::int64_t fid) -> Site& {
            if (Site* site = find_site(q.view(2)))
                return *site;
            const std::string id = q.text(2);
            throw InputError({.file = file, .layer = layer, .fid = fid, .feature = id, .field = "station_id"},
                             "station '" + id + "' is not in the stations layer");
        };
        {
            Rows q(db, "SELECT fid, geom, station_id, tank_no, grade, capacity_l, manifold_group, "
                       "status FROM tanks" +
                           where + in_file_order);
            q.bind_filter(options);
            Grouped<Tank> tanks(&Site::tanks);
            while (q.next()) {
                const std::int64_t fid = q.int64(0);
                Tank& t = tanks.add(site_of(q, "tanks", fid));
                t.position = q.point(1);
                t.tank_no = q.text(3);
                t.grade = q.text(4);
                t.capacity_l = q.int64(5);
                t.manifold_group = q.text(6);
                t.status = q.text(7);
            }
            tanks.flush();
        }
        {
            Rows q(db, "SELECT fid, geom, station_id, dispenser_no, island, fuelling_points "
                       "FROM dispensers" +
                           where + in_file_order);
            q.bind_filter(options);
            Grouped<Dispenser> dispensers(&Site::dispensers);
            while (q.next()) {
                Dispenser& d = dispensers.add(site_of(q, "dispensers", q.int64(0)));
                d.position = q.point(1);
                d.dispenser_no = q.text(3);
                d.island = q.text(4);
                d.fuelling_points = q.int32(5);
            }
            dispensers.flush();
        }
        {
            Rows q(db, "SELECT fid, geom, station_id, nozzle_no, dispenser_no, fuelling_point, grade, "
                       "status FROM nozzles" +
                           where + in_file_order);
            q.bind_filter(options);
            Grouped<Nozzle> nozzles(&Site::nozzles);
            while (q.next()) {
                Nozzle& n = nozzles.add(site_of(q, "nozzles", q.int64(0)));
                n.position = q.point(1);
                n.nozzle_no = q.text(3);
                n.dispenser_no = q.text(4);
                n.fuelling_point = q.int32(5);
                n.grade = q.text(6);
                n.status = q.text(7);
            }
            nozzles.flush();
        }
        // Supplies: the legs of each nozzle in leg order. Files written by fuelmap hold them nozzle by
        // nozzle with ascending legs, so they are read in storage order; any other arrangement, or
        // any row that does not fit, is read again in (station, nozzle, leg) order below, which
        // gives the same legs and reports a bad row the same way.
        if (!read_supplies_in_storage_order(db, where, options, find_site)) {
            for (Site& site : sites)
                for (Nozzle& n : site.nozzles)
                    n.supply.clear();
            Rows q(db, "SELECT fid, NULL, station_id, nozzle_no, tank_no, fraction FROM supplies" + where +
                           " ORDER BY station_id, nozzle_no, leg");
            q.bind_filter(options);
            std::string current_station;
            std::unordered_map<std::string, Nozzle*> nozzles;
            while (q.next()) {
                const std::int64_t fid = q.int64(0);
                Site& site = site_of(q, "supplies", fid);
                if (site.station.station_id != current_station) {
                    current_station = site.station.station_id;
                    nozzles.clear();
                    for (Nozzle& n : site.nozzles)
                        nozzles.emplace(n.nozzle_no, &n);
                }
                const std::string nozzle_no = q.text(3);
                auto it = nozzles.find(nozzle_no);
                if (it == nozzles.end())
                    throw InputError({.file = file,
                                      .layer = "supplies",
                                      .fid = fid,
                                      .feature = element_id(current_station, nozzle_no),
                                      .field = "nozzle_no"},
                                     "supply for unknown nozzle '" + nozzle_no + "'");
                it->second->supply.push_back({q.text(4), q.real(5)});
            }
        }
        {
            Rows q(db, "SELECT fid, geom, station_id FROM sites" + where);
            q.bind_filter(options);
            while (q.next()) {
                Site& site = site_of(q, "sites", q.int64(0));
                if (!q.null(1)) {
                    const std::string_view geom = q.view(1);
                    site.outline = detail::decode_gpkg_outer_ring(reinterpret_cast<const void*>(geom.data()),
                                                                  geom.size());
                }
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
