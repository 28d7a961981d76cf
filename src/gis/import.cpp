// SPDX-License-Identifier: MIT
// fuelmap import: GDAL vector sources (layouts or station lists) → checked Sites → registry.
#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>

#include "gis/gdal_util.hpp"
#include "gis/import_layout_reader.hpp"
#include "gis/import_station_reader.hpp"
#include "gis/module_functions.hpp"
#include "store/pg_name.hpp"
#include "store/registry_store.hpp"
#include "util/source_checks.hpp"
#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace fuelmap {

namespace {

using namespace detail::import_reading;

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
    detail::refuse_special_input(path); // a FIFO or /dev/zero would hang the reader
    if (fs::is_regular_file(path, ec)) {
        const std::uint64_t size = file_size_or_zero(path);
        if (size > limits.max_file_bytes)
            throw InputError({.file = file},
                             "file is " + std::to_string(size) + " bytes, more than the limit of " +
                                 std::to_string(limits.max_file_bytes) + " (raise it with --max-file-size)");
    }
    detail::ensure_gdal();
    CPLStringList open_options;
    const std::string ext = detail::ascii_lower(path.extension().string());
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
    std::shared_ptr<GDALDataset> opened(ds, [](GDALDataset* d) { GDALClose(d); });
    if (fs::is_regular_file(path, ec))
        detail::refuse_nul_bytes(path, ds->GetDriverName());
    return opened;
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
        const std::string stem = detail::ascii_lower(p.stem().string());
        const std::string ext = detail::ascii_lower(p.extension().string());
        if (is_layout_layer(stem) && std::find(preferred.begin(), preferred.end(), ext) != preferred.end())
            by_layer[stem].push_back(p);
    }
    std::vector<SourceLayer> out;
    for (auto& [name, files] : by_layer) {
        // A Shapefile's .dbf is part of the .shp.
        if (files.size() > 1)
            std::erase_if(files, [](const fs::path& p) {
                return detail::ascii_lower(p.extension().string()) == ".dbf";
            });
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
        const std::string low = detail::ascii_lower(name);
        if (is_layout_layer(low))
            name = low;
        src.layers.push_back({path.string(), name, ds, layer, line_offset(*ds)});
    }
    if (src.layers.empty())
        throw InputError({.file = path.string()}, "holds no vector layer");
    // A single-layer file named after a layout layer (stations.csv) is that layer.
    if (src.layers.size() == 1) {
        const std::string stem = detail::ascii_lower(path.stem().string());
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
                if (l.name == mapping.layer ||
                    detail::ascii_lower(l.layer->GetName()) == detail::ascii_lower(mapping.layer))
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

// The ledger of the registry file @p source, to be moved with it: refused when it does not verify,
// and with --append (records move only with their whole registry, into a new one).
std::vector<LedgerEntry> source_ledger(const fs::path& source, bool append) {
    const std::unique_ptr<detail::RegistryStore> store = detail::open_gpkg_store(source);
    const LedgerCheck check = store->check_ledger();
    if (!check.ok())
        throw InputError({.file = source.string(), .layer = "fuelmap_ledger"},
                         "the registry's ledger does not verify, so its records cannot be moved: " +
                             check.first_problem() + "; `fuelmap ledger verify -r " + source.string() +
                             "` lists every problem");
    std::vector<LedgerEntry> entries = store->ledger();
    if (append && !entries.empty())
        throw InputError({.file = source.string()},
                         "the registry holds " + std::to_string(entries.size()) +
                             " ledger entries (recorded plans, observations, lab results or cases); "
                             "--append adds stations only, and records move only with their whole "
                             "registry into a database that holds none (leave out --append)");
    return entries;
}

} // namespace

ImportData gis::read_import_sources(const std::vector<fs::path>& sources, const ImportOptions& options) {
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
            Location where{
                .file = one.stations_file, .fid = one.fids[k], .feature = id, .field = "station_id"};
            where.layer = "stations";
            data.origins.push_back(where);
            if (!inserted) {
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

ImportSummary gis::import_to_registry(const std::vector<fs::path>& sources, const fs::path& registry,
                                      bool append, ImportOptions options) {
    // Held from the first look at the registry to the last rename: no other writer can slip in
    // between (docs/registry.md, "One writer at a time").
    const RegistryLock lock(registry, LockMode::write);
    const std::unique_ptr<detail::RegistryStore> store = detail::open_store(registry);
    if (append) {
        if (!store->exists())
            throw InputError({.file = registry.string()},
                             "registry does not exist (leave out --append to create a new one)");
        GradeTable stored = store->read_grades();
        for (const Grade& g : options.grades.all())
            if (!stored.find(g.code))
                stored.add(g);
        options.grades = std::move(stored);
    } else if (store->exists()) {
        throw InputError({.file = registry.string()},
                         "registry already exists; use --append to add stations to it");
    }
    // A registry file imported into a database moves with its records and ledger, read under the
    // file's shared lock together with its layers (docs/registry.md, "Moving a registry in").
    std::optional<RegistryLock> source_lock;
    std::vector<LedgerEntry> moved;
    if (detail::is_pg_registry(registry.string()) && sources.size() == 1 &&
        !detail::is_pg_registry(sources[0].string()) && is_registry(sources[0])) {
        source_lock.emplace(sources[0], LockMode::read);
        moved = source_ledger(sources[0], append);
    }
    ImportData data = gis::read_import_sources(sources, options);
    ImportSummary summary;
    for (const LedgerEntry& e : moved)
        ++summary.moved_records[e.kind];
    summary.features = data.features;
    summary.stations = data.sites.size();
    for (const Site& s : data.sites) {
        summary.tanks += s.tanks.size();
        summary.dispensers += s.dispensers.size();
        summary.nozzles += s.nozzles.size();
    }
    if (append) {
        try {
            append_to_registry(registry, data.sites, data.grades);
        } catch (const InputError& e) {
            // A station already in the registry: name the source file it came from too.
            const Location& at = e.where();
            if (at.file != registry.string() || at.field != "station_id")
                throw;
            for (std::size_t i = 0; i < data.sites.size() && i < data.origins.size(); ++i)
                if (data.sites[i].station.station_id == at.feature)
                    throw InputError(data.origins[i], "station id '" + at.feature +
                                                          "' is already in the registry " +
                                                          registry.string());
            throw;
        }
    } else {
        Registry out;
        out.grades() = data.grades;
        out.add_all(std::move(data.sites));
        store->create_moved(out, moved);
    }
    return summary;
}

} // namespace fuelmap
