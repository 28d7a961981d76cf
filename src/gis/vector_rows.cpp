// SPDX-License-Identifier: MIT
#include "gis/vector_rows.hpp"

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"
#include "util/csv_cell.hpp"
#include "util/source_checks.hpp"
#include "util/table_csv.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace fuelmap::detail {

namespace {
// A date, date-time or time field of a source that types them (GeoPackage, spreadsheets) as ISO 8601,
// "2026-12-02T09:10:00+08:00", not GDAL's own "2026/12/02 09:10:00+08": seconds always, fractions only
// when there are any, the zone as GDAL knows it (none when it does not).
std::string iso8601_of(OGRFeature& feature, int i, OGRFieldType type) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, tz = 0;
    float second = 0;
    feature.GetFieldAsDateTime(i, &year, &month, &day, &hour, &minute, &second, &tz);
    char buf[64];
    std::string out;
    if (type != OFTTime) {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
        out = buf;
    }
    if (type == OFTDate)
        return out;
    const int whole = static_cast<int>(second);
    const int millis =
        std::min(999, static_cast<int>(std::lround((second - static_cast<float>(whole)) * 1000)));
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", hour, minute, whole);
    out += (out.empty() ? "" : "T") + std::string(buf);
    if (millis > 0) {
        std::snprintf(buf, sizeof buf, ".%03d", millis);
        out += buf;
    }
    if (tz == 100) {
        out += "Z";
    } else if (tz > 1) {
        const int offset = (tz - 100) * 15; // minutes east of UTC
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                      std::abs(offset) % 60);
        out += buf;
    }
    return out;
}

} // namespace

} // namespace fuelmap::detail

namespace fuelmap {

std::vector<detail::VectorRow> gis::read_vector_rows(const std::filesystem::path& path,
                                                     const std::vector<std::string>& required) {
    using namespace detail;
    const std::string file = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError({.file = file}, "file does not exist");
    refuse_special_input(path); // a FIFO or /dev/zero would hang the reader
    ensure_gdal();
    // Keep every CSV column as text: station and nozzle numbers such as "007" must not become 7;
    // keep GeoJSON dates as written (GDAL would type them as dates and print them its own way).
    const char* open_options[] = {"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO", "DATE_AS_STRING=YES",
                                  nullptr};
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
    if (!ds)
        throw InputError({.file = file}, "cannot open as a vector source: " + last_gdal_error());
    if (ds->GetLayerCount() < 1)
        throw InputError({.file = file}, "the source has no layer");
    if (std::filesystem::is_regular_file(path, ec))
        refuse_nul_bytes(path, ds->GetDriverName());
    OGRLayer* layer = ds->GetLayer(0);
    const std::string layer_name = layer->GetName();
    const bool is_csv = std::string(ds->GetDriverName()) == "CSV";
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (const std::string& name : required)
        if (defn->GetFieldIndex(name.c_str()) < 0)
            throw InputError({.file = file, .layer = is_csv ? "" : layer_name, .field = name},
                             "missing column '" + name + "'");
    std::vector<VectorRow> rows;
    layer->ResetReading();
    for (auto& feature : *layer) {
        VectorRow row;
        row.origin.file = file;
        if (is_csv) {
            row.origin.line = feature->GetFID() + 1; // the CSV driver numbers data rows from 1
        } else {
            row.origin.layer = layer_name;
            row.origin.fid = feature->GetFID();
        }
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            OGRFieldDefn* fd = defn->GetFieldDefn(i);
            const std::string name = fd->GetNameRef();
            if (!feature->IsFieldSetAndNotNull(i)) {
                row.fields[name] = "";
                continue;
            }
            const OGRFieldType type = fd->GetType();
            if (type == OFTInteger64 &&
                (feature->GetFieldAsInteger64(i) == std::numeric_limits<GIntBig>::max() ||
                 feature->GetFieldAsInteger64(i) == std::numeric_limits<GIntBig>::min())) {
                // GDAL saturates a larger integer (1e26 in a GeoJSON) to the 64-bit limits: never a value.
                Location l = row.origin;
                l.field = name;
                throw InputError(l, "integer out of range (beyond what 64 bits hold): " +
                                        std::string(feature->GetFieldAsString(i)));
            }
            if (type == OFTDate || type == OFTDateTime || type == OFTTime) {
                row.fields[name] = iso8601_of(*feature, i, type); // GPKG, XLSX … dates
            } else if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
                const double v = feature->GetFieldAsDouble(i);
                row.numbers[name] = v;
                row.fields[name] = type == OFTReal ? format_number(v) : trim(feature->GetFieldAsString(i));
            } else {
                std::string text = trim(feature->GetFieldAsString(i));
                if (is_csv) // the inverse of the spreadsheet escape fuelmap writes (docs/formats.md)
                    text = restore_csv_text(text);
                if (const std::size_t at = find_invalid_utf8(text); at != std::string::npos) {
                    Location l = row.origin;
                    l.field = name;
                    throw InputError(l, describe_invalid_utf8(text, at));
                }
                row.fields[name] = std::move(text);
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace fuelmap
