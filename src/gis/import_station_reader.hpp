// SPDX-License-Identifier: MIT
/// @file import_station_reader.hpp
/// @brief Private: the stations of an import source, from a layout's stations layer or a station list
/// with a field mapping (StationReader, read_stations).
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry.hpp>

#include "gis/gdal_util.hpp"
#include "gis/import_fields.hpp"
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
#include <string>
#include <unordered_map>
#include <vector>

#include "gis/import_layer_reader.hpp"

namespace fuelmap::detail::import_reading {

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
                if (used[static_cast<std::size_t>(i)] || is_coordinate_field(detail::ascii_lower(name)) ||
                    reader.is_driver_field(detail::ascii_lower(name)) ||
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

inline void read_stations(const SourceLayer& layer, const ImportMapping& mapping, bool layout,
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

} // namespace fuelmap::detail::import_reading
