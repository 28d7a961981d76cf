// SPDX-License-Identifier: MIT
// The mapping file of `fuelmap import --mapping`: JSON → ImportMapping.
#include <fuelmap/china_crs.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>

#include "gis/gdal_util.hpp"
#include "gis/import_fields.hpp"
#include "gis/module_functions.hpp"
#include "util/file.hpp"
#include "util/json_document.hpp"
#include "util/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace fuelmap {

namespace {

[[noreturn]] void bad(const std::filesystem::path& path, const std::string& key, const std::string& what) {
    throw InputError({.file = path.string(), .field = key}, what);
}

std::string text(const std::filesystem::path& path, const std::string& key, const nlohmann::json& v) {
    if (!v.is_string())
        bad(path, key, "must be a string");
    std::string s = v.get<std::string>();
    if (!detail::is_valid_utf8(s))
        bad(path, key, "is not valid UTF-8");
    return s;
}

void check_station_field(const std::filesystem::path& path, const std::string& key,
                         const std::string& field) {
    const auto& known = detail::station_fields();
    if (std::find(known.begin(), known.end(), field) == known.end())
        bad(path, key,
            "unknown station field '" + field +
                "' (station_id, name, operator, brand, ownership, province, city, county, address, "
                "status, annual_volume_m3, risk_weight)");
}

std::map<std::string, std::string> string_map(const std::filesystem::path& path, const std::string& key,
                                              const nlohmann::json& v, bool station_keys) {
    if (!v.is_object())
        bad(path, key, "must be an object");
    std::map<std::string, std::string> out;
    for (const auto& [k, value] : v.items()) {
        if (station_keys)
            check_station_field(path, key + "." + k, k);
        out[k] = value.is_number_integer() ? std::to_string(value.get<std::int64_t>())
                                           : text(path, key + "." + k, value);
    }
    return out;
}

// Refused here, naming the mapping file, rather than at the first layer read.
void check_crs(const std::filesystem::path& path, const std::string& crs) {
    if (parse_china_crs(crs))
        return;
    detail::ensure_gdal();
    OGRSpatialReference srs;
    if (crs.empty() || srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
        bad(path, "crs",
            "unknown CRS '" + crs +
                "': neither GCJ-02 nor BD-09 nor a CRS that PROJ knows (e.g. EPSG:4490, EPSG:4547, WKT or "
                "PROJ text)");
}

} // namespace

ImportMapping gis::load_mapping(const std::filesystem::path& path) {
    const nlohmann::json j = detail::parse_json_object(detail::read_whole_file(path, "the mapping file"),
                                                       path.string(), "mapping");
    ImportMapping m;
    for (const auto& [key, v] : j.items()) {
        if (key == "comment" || key == "description")
            continue;
        if (key == "layer")
            m.layer = text(path, key, v);
        else if (key == "fields")
            m.fields = string_map(path, key, v, true);
        else if (key == "constants")
            m.constants = string_map(path, key, v, true);
        else if (key == "defaults")
            m.defaults = string_map(path, key, v, true);
        else if (key == "values") {
            if (!v.is_object())
                bad(path, key, "must be an object of objects");
            for (const auto& [field, table] : v.items()) {
                check_station_field(path, key + "." + field, field);
                m.values[field] = string_map(path, key + "." + field, table, false);
            }
        } else if (key == "id_prefix")
            m.id_prefix = text(path, key, v);
        else if (key == "ignore") {
            if (!v.is_array())
                bad(path, key, "must be an array of field names");
            for (const auto& f : v)
                m.ignore.push_back(text(path, key, f));
        } else if (key == "attributes") {
            if (!v.is_boolean())
                bad(path, key, "must be true or false");
            m.keep_attributes = v.get<bool>();
        } else if (key == "crs") {
            m.crs = text(path, key, v);
            check_crs(path, m.crs);
        } else if (key == "local_metres") {
            if (!v.is_boolean())
                bad(path, key, "must be true or false");
            m.local_metres = v.get<bool>();
        } else
            bad(path, key,
                "unknown key (known: layer, fields, constants, defaults, values, id_prefix, ignore, "
                "attributes, "
                "crs, local_metres, comment)");
    }
    for (const auto& [field, value] : m.values)
        if (!m.fields.count(field))
            bad(path, "values." + field, "a values table for a field that 'fields' does not map");
    return m;
}

} // namespace fuelmap
