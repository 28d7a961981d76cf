// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/registry.hpp>

#include <algorithm>

namespace fuelmap {

namespace {
bool by_id(const Site& a, const Site& b) {
    return a.station.station_id < b.station.station_id;
}
} // namespace

Registry::Registry() : m_grades(GradeTable::builtin()) {}

const Site* Registry::find(std::string_view station_id) const noexcept {
    auto it = std::lower_bound(m_sites.begin(), m_sites.end(), station_id,
                               [](const Site& s, std::string_view id) { return s.station.station_id < id; });
    if (it != m_sites.end() && it->station.station_id == station_id)
        return &*it;
    return nullptr;
}

void Registry::add(Site site) {
    auto it = std::lower_bound(m_sites.begin(), m_sites.end(), site, by_id);
    if (it != m_sites.end() && it->station.station_id == site.station.station_id)
        throw InputError({.layer = "stations", .feature = site.station.station_id, .field = "station_id"},
                         "station id '" + site.station.station_id + "' is already in the registry");
    m_sites.insert(it, std::move(site));
}

void Registry::add_all(std::vector<Site> sites) {
    // A registry file holds its stations in strictly increasing id order already: one pass finds
    // that (sorted, no id twice), and sorting would only move them.
    auto not_before = [](const Site& a, const Site& b) {
        return !(a.station.station_id < b.station.station_id);
    };
    if (std::adjacent_find(sites.begin(), sites.end(), not_before) != sites.end()) {
        std::stable_sort(sites.begin(), sites.end(), by_id);
        auto same_id = [](const Site& a, const Site& b) {
            return a.station.station_id == b.station.station_id;
        };
        if (auto dup = std::adjacent_find(sites.begin(), sites.end(), same_id); dup != sites.end())
            throw InputError({.layer = "stations", .feature = dup->station.station_id, .field = "station_id"},
                             "station id '" + dup->station.station_id + "' appears twice");
    }
    for (const Site& s : sites)
        if (find(s.station.station_id))
            throw InputError({.layer = "stations", .feature = s.station.station_id, .field = "station_id"},
                             "station id '" + s.station.station_id + "' is already in the registry");
    if (m_sites.empty()) {
        m_sites = std::move(sites);
        return;
    }
    std::vector<Site> merged;
    merged.reserve(m_sites.size() + sites.size());
    std::merge(std::make_move_iterator(m_sites.begin()), std::make_move_iterator(m_sites.end()),
               std::make_move_iterator(sites.begin()), std::make_move_iterator(sites.end()),
               std::back_inserter(merged), by_id);
    m_sites = std::move(merged);
}

} // namespace fuelmap
