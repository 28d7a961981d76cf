// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/registry_file.hpp>

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"
#include "gis/staged_dataset.hpp"
#include "store/registry_layers.hpp"
#include "store/registry_store.hpp"
#include "util/csv_cell.hpp"
#include "util/output_guard.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace fuelmap {

namespace {

// GDAL's metadata reads "YES" for a capability the driver has.
bool has_capability(GDALDriver& driver, const char* cap) {
    const char* v = driver.GetMetadataItem(cap);
    return v != nullptr && CPLTestBool(v);
}

GDALDriver& writable_driver(const std::string& format) {
    detail::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(format.c_str());
    if (driver == nullptr || !has_capability(*driver, GDAL_DCAP_VECTOR))
        throw UsageError("unknown GDAL vector format '" + format + "' (see `ogrinfo --formats`)");
    if (!has_capability(*driver, GDAL_DCAP_CREATE))
        throw UsageError("GDAL format '" + format + "' cannot write new datasets");
    return *driver;
}

// File extension of one layer's file for a single-layer driver.
std::string extension_of(GDALDriver& driver) {
    const std::string name = driver.GetDescription();
    if (name == "GeoJSON")
        return "geojson";
    if (name == "ESRI Shapefile")
        return "shp";
    if (const char* ext = driver.GetMetadataItem(GDAL_DMD_EXTENSION); ext && *ext)
        return ext;
    if (const char* exts = driver.GetMetadataItem(GDAL_DMD_EXTENSIONS); exts && *exts) {
        std::string all = exts;
        return all.substr(0, all.find(' '));
    }
    return detail::ascii_lower(name);
}

// Copies one registry layer (already ordered by a SQL result layer) into a new layer of @p out.
class LayerCopier {
public:
    // @p layer is the registry's layer, @p source the SQL result that reads it in order (whose
    // geometry type GDAL's PostgreSQL driver does not know).
    LayerCopier(GDALDataset& out, const std::filesystem::path& out_path, OGRLayer& layer, OGRLayer& source,
                const std::string& name, GDALDriver& driver)
        : m_out_path(out_path), m_name(name) {
        const OGRwkbGeometryType geometry = wkbFlatten(layer.GetGeomType());
        const std::string driver_name = driver.GetDescription();
        m_csv = driver_name == "CSV";
        const bool no_geometry = has_capability(driver, GDAL_DCAP_NONSPATIAL);
        CPLStringList options;
        if (driver_name == "CSV" && geometry != wkbNone)
            options.SetNameValue("GEOMETRY", geometry == wkbPoint ? "AS_XY" : "AS_WKT");
        if (driver_name == "ESRI Shapefile")
            options.SetNameValue("ENCODING", "UTF-8");
        if (driver_name == "GPKG" || driver_name == "SQLite")
            options.SetNameValue("FID", "fid");
        auto wgs84 = detail::make_wgs84();
        const bool spatial = geometry != wkbNone && !no_geometry;
        m_layer = out.CreateLayer(name.c_str(), spatial ? wgs84.get() : nullptr, spatial ? geometry : wkbNone,
                                  options.List());
        if (m_layer == nullptr)
            fail("cannot create the layer");
        OGRFeatureDefn* defn = source.GetLayerDefn();
        m_map.assign(static_cast<std::size_t>(defn->GetFieldCount()), -1);
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            OGRFieldDefn field(defn->GetFieldDefn(i));
            // The row id is no field of the layer: GDAL's PostgreSQL driver shows it as one in an
            // SQL result, GeoPackage's does not.
            if (EQUAL(field.GetNameRef(), "fid"))
                continue;
            field.SetNullable(TRUE); // as in the GeoPackage, whatever the database's constraints
            if (m_layer->CreateField(&field) != OGRERR_NONE)
                fail(std::string("cannot create field '") + field.GetNameRef() + "'");
            m_map[static_cast<std::size_t>(i)] = m_layer->GetLayerDefn()->GetFieldCount() - 1;
        }
        // Formats without geometry get the position as plain columns: X/Y (lon/lat) or WKT.
        if (no_geometry && geometry == wkbPoint) {
            m_x = add_field("X", OFTReal);
            m_y = add_field("Y", OFTReal);
        } else if (no_geometry && geometry != wkbNone) {
            m_wkt = add_field("WKT", OFTString);
        }
    }

    void copy(OGRFeature& source) {
        OGRFeature feature(m_layer->GetLayerDefn());
        if (feature.SetFrom(&source, m_map.data(), TRUE) != OGRERR_NONE)
            fail("cannot copy feature " + std::to_string(source.GetFID()));
        feature.SetFID(OGRNullFID);
        if (m_csv) // no text cell runs as a formula when the CSV is opened in a spreadsheet
            for (int i = 0; i < feature.GetFieldCount(); ++i)
                if (feature.GetFieldDefnRef(i)->GetType() == OFTString && feature.IsFieldSetAndNotNull(i))
                    if (const char* text = feature.GetFieldAsString(i); detail::needs_csv_escape(text))
                        feature.SetField(i, detail::neutralise_csv_text(text).c_str());
        const OGRGeometry* geometry = source.GetGeometryRef();
        if (geometry != nullptr && m_x >= 0 && wkbFlatten(geometry->getGeometryType()) == wkbPoint) {
            feature.SetField(m_x, geometry->toPoint()->getX());
            feature.SetField(m_y, geometry->toPoint()->getY());
        } else if (geometry != nullptr && m_wkt >= 0) {
            char* wkt = nullptr;
            if (geometry->exportToWkt(&wkt) == OGRERR_NONE && wkt)
                feature.SetField(m_wkt, wkt);
            CPLFree(wkt);
        }
        if (m_layer->CreateFeature(&feature) != OGRERR_NONE)
            fail("cannot write feature " + std::to_string(source.GetFID()));
    }

private:
    int add_field(const char* name, OGRFieldType type) {
        OGRFieldDefn field(name, type);
        if (m_layer->CreateField(&field) != OGRERR_NONE)
            fail(std::string("cannot create field '") + name + "'");
        return m_layer->GetLayerDefn()->GetFieldCount() - 1;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(m_out_path.string() + ": layer '" + m_name + "': " + what + ": " +
                    detail::last_gdal_error());
    }

    std::filesystem::path m_out_path;
    std::string m_name;
    OGRLayer* m_layer = nullptr;
    std::vector<int> m_map;
    int m_x = -1;
    int m_y = -1;
    int m_wkt = -1;
    bool m_csv = false;
};

// An SQL result layer released with the dataset's ReleaseResultSet.
struct ResultSet {
    ResultSet(GDALDataset& d, OGRLayer* l) : ds(d), layer(l) {}
    GDALDataset& ds;
    OGRLayer* layer;
    ~ResultSet() {
        if (layer)
            ds.ReleaseResultSet(layer);
    }
    ResultSet(const ResultSet&) = delete;
    ResultSet& operator=(const ResultSet&) = delete;
};

} // namespace

std::string gis::format_for_path(const std::filesystem::path& out) {
    static const std::map<std::string, std::string> known = {
        {".geojson", "GeoJSON"},
        {".json", "GeoJSON"},
        {".gpkg", "GPKG"},
        {".kml", "KML"},
        {".csv", "CSV"},
        {".xlsx", "XLSX"},
        {".shp", "ESRI Shapefile"},
        {".fgb", "FlatGeobuf"},
        {".geojsonl", "GeoJSONSeq"},
        {".gml", "GML"},
        {".ods", "ODS"},
        {".sqlite", "SQLite"},
    };
    const std::string ext = detail::ascii_lower(out.extension().string());
    if (ext.empty())
        throw UsageError("cannot tell the output format of '" + out.string() +
                         "' from its name: give -f FORMAT");
    if (auto it = known.find(ext); it != known.end())
        return it->second;
    detail::ensure_gdal();
    GDALDriverManager* manager = GetGDALDriverManager();
    for (int i = 0; i < manager->GetDriverCount(); ++i) {
        GDALDriver& driver = *manager->GetDriver(i);
        if (!has_capability(driver, GDAL_DCAP_VECTOR) || !has_capability(driver, GDAL_DCAP_CREATE))
            continue;
        const char* exts = driver.GetMetadataItem(GDAL_DMD_EXTENSIONS);
        if (exts == nullptr)
            continue;
        const std::string padded = " " + detail::ascii_lower(exts) + " ";
        if (padded.find(" " + ext.substr(1) + " ") != std::string::npos)
            return driver.GetDescription();
    }
    throw UsageError("no GDAL vector format writes '" + ext + "' files: give -f FORMAT");
}

ExportResult gis::export_registry(const std::filesystem::path& registry, const std::filesystem::path& out,
                                  const ExportOptions& options) {
    const std::string dataset = detail::open_store(registry)->gdal_dataset();
    std::vector<std::string> layers = options.layers;
    if (layers.empty())
        layers = exportable_layers();
    for (const std::string& l : layers)
        if (std::find(exportable_layers().begin(), exportable_layers().end(), l) == exportable_layers().end())
            throw UsageError("unknown layer '" + l +
                             "' (layers: stations, tanks, dispensers, nozzles, sites, supplies, grades)");
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (std::find(layers.begin(), layers.begin() + static_cast<std::ptrdiff_t>(i), layers[i]) !=
            layers.begin() + static_cast<std::ptrdiff_t>(i))
            throw UsageError("layer '" + layers[i] + "' is named twice");
    for (std::size_t i = 0; i < options.counties.size(); ++i)
        if (std::find(options.counties.begin(), options.counties.begin() + static_cast<std::ptrdiff_t>(i),
                      options.counties[i]) != options.counties.begin() + static_cast<std::ptrdiff_t>(i))
            throw UsageError("county '" + options.counties[i] + "' is named twice");

    ExportResult result;
    result.format = options.format.empty() ? gis::format_for_path(out) : options.format;
    GDALDriver& driver = writable_driver(result.format);
    const bool to_stdout = out.string().rfind("/vsistdout", 0) == 0;
    const bool multi_layer = has_capability(driver, GDAL_DCAP_MULTIPLE_VECTOR_LAYERS);
    if (to_stdout && layers.size() > 1 && !multi_layer)
        throw UsageError("format " + result.format +
                         " holds one layer per file: give one --layer to write to " + out.string());

    detail::ensure_gdal();
    GDALDatasetUniquePtr source(
        GDALDataset::Open(dataset.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!source)
        throw InputError({.file = registry.string()}, "cannot open: " + detail::last_gdal_error());

    for (const std::string& county : options.counties) {
        const std::string sql = detail::county_stations_query(county);
        ResultSet count(*source, source->ExecuteSQL(sql.c_str(), nullptr, nullptr));
        OGRFeatureUniquePtr row(count.layer ? count.layer->GetNextFeature() : nullptr);
        if (!row)
            throw InputError({.file = registry.string(), .layer = "stations"},
                             "cannot read the layer: " + detail::last_gdal_error());
        if (row->GetFieldAsInteger64(0) == 0)
            throw InputError({.file = registry.string(), .layer = "stations", .field = "county"},
                             "no station of county '" + county + "' in the registry");
    }

    // Which file each layer goes to: one dataset for all, or one file per layer in a directory.
    std::vector<std::filesystem::path> targets;
    std::error_code ec;
    const bool out_is_dir = !to_stdout && std::filesystem::is_directory(out, ec);
    if (multi_layer && !out_is_dir) {
        targets.assign(layers.size(), out);
    } else if (!multi_layer && layers.size() == 1 && !out_is_dir) {
        targets.push_back(out);
    } else {
        if (multi_layer && out_is_dir && driver.GetDescription() != std::string("ESRI Shapefile"))
            throw UsageError("'" + out.string() + "' is a directory; " + result.format +
                             " writes one file for all layers: give a file name");
        detail::OutputGuard().input(registry, "the registry").check_directory(out);
        std::filesystem::create_directories(out, ec);
        if (ec)
            throw Error(out.string() + ": cannot create directory: " + ec.message());
        for (const std::string& l : layers)
            targets.push_back(out / (l + "." + extension_of(driver)));
    }
    if (!to_stdout) {
        detail::OutputGuard guard;
        guard.input(registry, "the registry");
        for (const auto& t : targets)
            guard.check_file(t);
    }

    std::size_t total = 0;
    for (const std::string& l : layers)
        if (OGRLayer* layer = source->GetLayerByName(l.c_str()))
            total += static_cast<std::size_t>(std::max<GIntBig>(0, layer->GetFeatureCount(TRUE)));

    // Every file is written in a staging directory beside its target and put in place only once every
    // layer is written whole: a failed export (a full disk included) leaves earlier files as they were.
    // The timestamps GeoPackage and other drivers write, fixed: output byte-for-byte stable.
    const detail::ThreadConfigOption fixed_date("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    std::vector<std::unique_ptr<detail::StagedDataset>> staged; // outlives the dataset written into it
    GDALDatasetUniquePtr target;
    std::filesystem::path target_path;
    auto close_target = [&] {
        if (!target)
            return;
        CPLErrorReset();
        target->FlushCache();
        target.reset();
        if (CPLGetLastErrorType() == CE_Failure) {
            if (!staged.empty())
                staged.back()->check(); // a full disk says so
            throw Error(target_path.string() + ": cannot write: " + detail::last_gdal_error());
        }
    };
    const std::string driver_name = driver.GetDescription();
    const bool zipped = driver_name == "XLSX" || driver_name == "ODS"; // written through /vsizip/
    std::size_t done = 0;
    try {
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const std::string& name = layers[i];
            if (!target || targets[i] != target_path) {
                close_target();
                target_path = targets[i];
                std::string create_path = target_path.string();
                if (!to_stdout) {
                    staged.push_back(std::make_unique<detail::StagedDataset>(target_path));
                    create_path = zipped ? staged.back()->plain_path() : staged.back()->gdal_path();
                }
                target.reset(driver.Create(create_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
                if (!target)
                    throw Error(target_path.string() + ": cannot create " + result.format +
                                " dataset: " + detail::last_gdal_error());
                result.files.push_back(target_path);
            }
            OGRLayer* layer = source->GetLayerByName(name.c_str());
            if (layer == nullptr)
                throw InputError({.file = registry.string(), .layer = name},
                                 "layer missing from the registry");
            const std::string sql = detail::ordered_layer_query(name, options.counties);
            ResultSet ordered(*source, source->ExecuteSQL(sql.c_str(), nullptr, nullptr));
            if (ordered.layer == nullptr)
                throw InputError({.file = registry.string(), .layer = name},
                                 "cannot read the layer: " + detail::last_gdal_error());
            LayerCopier copier(*target, target_path, *layer, *ordered.layer, name, driver);
            const bool transactions = target->TestCapability(ODsCTransactions);
            if (transactions && target->StartTransaction() != OGRERR_NONE)
                throw Error(target_path.string() +
                            ": cannot start a transaction: " + detail::last_gdal_error());
            for (auto& feature : *ordered.layer) {
                copier.copy(*feature);
                ++done;
                ++result.features;
                if (options.progress && done % 4096 == 0)
                    options.progress(done, total);
            }
            if (transactions && target->CommitTransaction() != OGRERR_NONE)
                throw Error(target_path.string() + ": cannot commit: " + detail::last_gdal_error());
        }
        close_target();
    } catch (const Error&) {
        for (const auto& file : staged) // a driver's "disk I/O error" is a full disk: say so
            file->check();
        throw;
    }
    for (const auto& file : staged) // every file whole before any is put in place
        file->check();
    for (const auto& file : staged)
        file->commit();
    if (options.progress)
        options.progress(done, total);
    return result;
}

} // namespace fuelmap
