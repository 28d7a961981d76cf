// SPDX-License-Identifier: MIT
#include "cli/json_output.hpp"

namespace fuelmap::cli {

namespace {
nlohmann::ordered_json position(const std::optional<GeoPoint>& p) {
    if (!p)
        return nullptr;
    return nlohmann::ordered_json::array({p->lon, p->lat});
}
} // namespace

nlohmann::ordered_json site_to_json(const Site& site) {
    const Station& s = site.station;
    nlohmann::ordered_json j;
    j["station_id"] = s.station_id;
    j["name"] = s.name;
    j["operator"] = s.operator_name;
    j["brand"] = s.brand;
    j["ownership"] = to_string(s.ownership);
    j["province"] = s.province;
    j["city"] = s.city;
    j["county"] = s.county;
    j["address"] = s.address;
    j["status"] = s.status;
    j["annual_volume_m3"] = s.annual_volume_m3;
    j["risk_weight"] = s.risk_weight;
    j["location"] = position(s.location);
    j["attributes"] = s.attributes;
    j["tanks"] = nlohmann::ordered_json::array();
    for (const Tank& t : site.tanks)
        j["tanks"].push_back({{"tank_no", t.tank_no},
                              {"grade", t.grade},
                              {"capacity_l", t.capacity_l},
                              {"manifold_group", t.manifold_group},
                              {"status", t.status},
                              {"position", position(t.position)}});
    j["dispensers"] = nlohmann::ordered_json::array();
    for (const Dispenser& d : site.dispensers)
        j["dispensers"].push_back({{"dispenser_no", d.dispenser_no},
                                   {"island", d.island},
                                   {"fuelling_points", d.fuelling_points},
                                   {"position", position(d.position)}});
    j["nozzles"] = nlohmann::ordered_json::array();
    for (const Nozzle& n : site.nozzles) {
        nlohmann::ordered_json supply = nlohmann::ordered_json::array();
        for (const SupplyLeg& leg : n.supply)
            supply.push_back({{"tank_no", leg.tank_no}, {"fraction", leg.fraction}});
        j["nozzles"].push_back({{"nozzle_no", n.nozzle_no},
                                {"dispenser_no", n.dispenser_no},
                                {"fuelling_point", n.fuelling_point},
                                {"grade", n.grade},
                                {"status", n.status},
                                {"supply", supply},
                                {"position", position(n.position)}});
    }
    nlohmann::ordered_json outline = nlohmann::ordered_json::array();
    for (const GeoPoint& p : site.outline)
        outline.push_back({p.lon, p.lat});
    j["outline"] = outline;
    return j;
}

nlohmann::ordered_json finding_to_json(const Finding& f) {
    return {{"code", f.code},
            {"severity", to_string(f.severity)},
            {"station_id", f.station_id},
            {"element", f.element},
            {"message", f.message}};
}

} // namespace fuelmap::cli
