// SPDX-License-Identifier: MIT
#include "store/registry_layers.hpp"

#include <fuelmap/export.hpp>

namespace fuelmap {

const std::vector<std::string>& exportable_layers() {
    static const std::vector<std::string> layers = {"stations", "tanks",    "dispensers", "nozzles",
                                                    "sites",    "supplies", "grades"};
    return layers;
}

namespace detail {

namespace {

// @p text as an SQL string literal.
std::string literal(const std::string& text) {
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

} // namespace

std::string ordered_layer_query(const std::string& layer, const std::vector<std::string>& counties) {
    const std::string order = layer == "grades" ? "code" : "station_id, fid";
    std::string where;
    if (!counties.empty() && layer != "grades") {
        std::string list;
        for (const std::string& c : counties)
            list += (list.empty() ? "" : ", ") + literal(c);
        where = layer == "stations"
                    ? " WHERE county IN (" + list + ")"
                    : " WHERE station_id IN (SELECT station_id FROM stations WHERE county IN (" + list + "))";
    }
    return "SELECT * FROM \"" + layer + "\"" + where + " ORDER BY " + order;
}

std::string county_stations_query(const std::string& county) {
    return "SELECT count(*) FROM stations WHERE county = " + literal(county);
}

} // namespace detail

} // namespace fuelmap
