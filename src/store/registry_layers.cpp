// SPDX-License-Identifier: MIT
#include "store/registry_layers.hpp"

namespace fuelmap::detail {

std::string ordered_layer_query(const std::string& layer) {
    const std::string order = layer == "grades" ? "code" : "station_id, fid";
    return "SELECT * FROM \"" + layer + "\" ORDER BY " + order;
}

} // namespace fuelmap::detail
