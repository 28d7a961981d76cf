// SPDX-License-Identifier: MIT
#include "gis/vector_rows.hpp"

#include "gis/gdal_util.hpp"
#include "util/table_csv.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace fuelmap::detail {

std::string VectorRow::get(const std::string& name) const {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
}

Location VectorRow::at(const std::string& feature, const std::string& field) const {
    Location l = origin;
    l.feature = feature;
    l.field = field;
    return l;
}

std::vector<VectorRow> read_vector_rows(const std::filesystem::path& path,
                                        const std::vector<std::string>& required) {
    const std::string file = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError({.file = file}, "file does not exist");
    ensure_gdal();
    // Keep every CSV column as text: station and nozzle numbers such as "007" must not become 7.
    const char* open_options[] = {"AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=NO", nullptr};
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
    if (!ds)
        throw InputError({.file = file}, "cannot open as a vector source: " + last_gdal_error());
    if (ds->GetLayerCount() < 1)
        throw InputError({.file = file}, "the source has no layer");
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
            if (type == OFTReal || type == OFTInteger || type == OFTInteger64) {
                const double v = feature->GetFieldAsDouble(i);
                row.numbers[name] = v;
                row.fields[name] = type == OFTReal ? format_number(v) : trim(feature->GetFieldAsString(i));
            } else {
                std::string text = trim(feature->GetFieldAsString(i));
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

} // namespace fuelmap::detail
