// SPDX-License-Identifier: MIT
// A new GeoPackage registry, and stations appended to one: GDAL makes the file (metadata tables,
// layers, spatial indexes, triggers), the rows of a new registry go in through SQLite directly
// (store/registry_writer.hpp), appended stations through GDAL.
#include <fuelmap/error.hpp>
#include <fuelmap/registry_lock.hpp>

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"
#include "store/file_identity.hpp"
#include "store/layout_cache.hpp"
#include "store/qgis_tables.hpp"
#include "store/registry_db.hpp"
#include "store/registry_format.hpp"
#include "store/registry_writer.hpp"
#include "util/temp_file.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

namespace fuelmap {

namespace {

using detail::registry_format;
using detail::registry_version;
using detail::TempFile;

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
} // namespace

void gis::create_gpkg_registry(const std::filesystem::path& path, const Registry& registry) {
    const RegistryLock lock(path, LockMode::write);
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
    detail::write_qgis_styles(temp.path(), path.filename().string());
    temp.commit();
}

void gis::append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                                  const GradeTable& grades) {
    const RegistryLock lock(path, LockMode::write);
    const detail::FileIdentity before = detail::file_identity(path);
    std::set<std::string> known_ids;
    std::set<std::string> known_grades;
    {
        SQLite::Database db = detail::open_registry(path, detail::OpenMode::read);
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
    // GDAL 3.6 may build GeoPackage R-trees in a background thread per layer, committing and
    // restarting the transaction at every switch between layers; in-line index building is faster
    // for one bulk write.
    const detail::ThreadConfigOption inline_rtree("OGR_GPKG_ALLOW_THREADED_RTREE", "NO");
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
    detail::write_qgis_styles(temp.path(), path.filename().string()); // new grades, a wider extent
    // The copy replaces the registry only if nobody (a program that does not take fuelmap's lock)
    // changed it since it was copied.
    if (detail::file_identity(path) != before)
        throw InputError({.file = path.string()},
                         "the registry was changed by another program while stations were appended; "
                         "nothing was appended");
    temp.commit();
}

} // namespace fuelmap
