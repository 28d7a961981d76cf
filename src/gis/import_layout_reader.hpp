// SPDX-License-Identifier: MIT
/// @file import_layout_reader.hpp
/// @brief Private: the layout layers of an import source (grades, tanks, dispensers, nozzles, supplies,
/// sites) read into the sites of its stations (LayoutReader).
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

// ----- layout element layers -----

class LayoutReader {
public:
    LayoutReader(SourceSites& sites, GradeTable& grades, const ImportMapping& mapping,
                 const ImportLimits& limits, Progress& progress)
        : m_sites(sites), m_grades(grades), m_mapping(mapping), m_limits(limits), m_progress(progress) {}

    void grades(const SourceLayer& layer) {
        LayerReader r(layer, nullptr, m_limits);
        if (empty(layer))
            return;
        const int code = r.required("code"), family = r.required("family");
        const int octane = r.index("min_octane"), pour = r.index("max_pour_point_c");
        const int standard = r.index("standard"), description = r.index("description");
        for (auto& f : *layer.layer) {
            r.count(*f);
            Grade g;
            g.code = r.text(*f, code, "");
            if (g.code.empty())
                throw InputError(r.where(*f, "", "code"), "empty grade code");
            const std::string fam = r.text(*f, family, g.code);
            auto parsed = parse_grade_family(fam);
            if (!parsed)
                throw InputError(r.where(*f, g.code, "family"),
                                 "unknown grade family '" + fam + "' (gasoline, diesel, other)");
            g.family = *parsed;
            if (auto v = r.integer(*f, octane, g.code))
                g.min_octane = static_cast<int>(*v);
            if (auto v = r.integer(*f, pour, g.code))
                g.max_pour_point_c = static_cast<int>(*v);
            g.standard = r.text(*f, standard, g.code);
            g.description = r.text(*f, description, g.code);
            m_grades.add(std::move(g));
            m_progress.tick();
        }
    }

    void tanks(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("tank_no"), grade = r.required("grade");
        const int capacity = r.index("capacity_l"), manifold = r.index("manifold_group"),
                  status = r.index("status");
        Trim<Tank> trim(m_sites.sites, &Site::tanks);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Tank t;
            t.tank_no = number_of(r, *f, no, station, "tank");
            const std::string id = element_id(station, t.tank_no);
            if (site.find_tank(t.tank_no))
                throw InputError(r.where(*f, id, "tank_no"),
                                 "duplicate tank number '" + t.tank_no + "' at station " + station);
            t.grade = grade_of(r, *f, grade, id);
            if (auto v = r.integer(*f, capacity, id)) {
                if (*v < 0)
                    throw InputError(r.where(*f, id, "capacity_l"), "capacity is negative");
                t.capacity_l = *v;
            }
            t.manifold_group = r.text(*f, manifold, id);
            if (std::string s = r.text(*f, status, id); !s.empty())
                t.status = std::move(s);
            t.position = r.point(*f, id, origin(site));
            site.tanks.push_back(std::move(t));
            m_progress.tick();
        }
        trim.finish();
    }

    void dispensers(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("dispenser_no");
        const int island = r.index("island"), points = r.index("fuelling_points");
        Trim<Dispenser> trim(m_sites.sites, &Site::dispensers);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Dispenser d;
            d.dispenser_no = number_of(r, *f, no, station, "dispenser");
            const std::string id = element_id(station, d.dispenser_no);
            if (site.find_dispenser(d.dispenser_no))
                throw InputError(r.where(*f, id, "dispenser_no"),
                                 "duplicate dispenser number '" + d.dispenser_no + "' at station " + station);
            d.island = r.text(*f, island, id);
            if (auto v = r.integer(*f, points, id)) {
                if (*v < 1 || *v > 99)
                    throw InputError(r.where(*f, id, "fuelling_points"),
                                     "fuelling points must be a small positive number, not " +
                                         std::to_string(*v));
                d.fuelling_points = static_cast<int>(*v);
            }
            d.position = r.point(*f, id, origin(site));
            site.dispensers.push_back(std::move(d));
            m_progress.tick();
        }
        trim.finish();
    }

    void nozzles(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("nozzle_no"),
                  disp = r.required("dispenser_no");
        const int grade = r.required("grade"), point = r.index("fuelling_point"), status = r.index("status");
        Trim<Nozzle> trim(m_sites.sites, &Site::nozzles);
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            trim.at(site);
            const std::string& station = site.station.station_id;
            Nozzle n;
            n.nozzle_no = number_of(r, *f, no, station, "nozzle");
            const std::string id = element_id(station, n.nozzle_no);
            if (site.find_nozzle(n.nozzle_no))
                throw InputError(r.where(*f, id, "nozzle_no"),
                                 "duplicate nozzle number '" + n.nozzle_no + "' at station " + station);
            n.dispenser_no = r.text(*f, disp, id);
            if (n.dispenser_no.empty())
                throw InputError(r.where(*f, id, "dispenser_no"), "empty dispenser number");
            if (!site.find_dispenser(n.dispenser_no))
                throw InputError(r.where(*f, id, "dispenser_no"),
                                 "unknown dispenser '" + n.dispenser_no +
                                     "' (not in the dispensers layer for station " + station + ")");
            if (auto v = r.integer(*f, point, id)) {
                if (*v < 1 || *v > 99)
                    throw InputError(r.where(*f, id, "fuelling_point"),
                                     "fuelling point must be a small positive number, not " +
                                         std::to_string(*v));
                n.fuelling_point = static_cast<int>(*v);
            }
            n.grade = grade_of(r, *f, grade, id);
            if (std::string s = r.text(*f, status, id); !s.empty())
                n.status = std::move(s);
            n.position = r.point(*f, id, origin(site));
            site.nozzles.push_back(std::move(n));
            m_progress.tick();
        }
        trim.finish();
    }

    void supplies(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id"), no = r.required("nozzle_no"), tank = r.required("tank_no");
        const int fraction = r.required("fraction"), leg_field = r.index("leg");
        // The first supply feature of each nozzle, to point at when its fractions do not add up
        // (one per nozzle of a national registry: kept small, the element id found again on error).
        std::vector<std::pair<Nozzle*, std::int64_t>> seen;
        if (r.count_hint() > 0)
            seen.reserve(static_cast<std::size_t>(r.count_hint()));
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            const std::string& station = site.station.station_id;
            const std::string nozzle_no = r.text(*f, no, station);
            const std::string id = element_id(station, nozzle_no);
            Nozzle* n = const_cast<Nozzle*>(site.find_nozzle(nozzle_no));
            if (n == nullptr)
                throw InputError(r.where(*f, id, "nozzle_no"),
                                 "supply to unknown nozzle '" + nozzle_no +
                                     "' (not in the nozzles layer for station " + station + ")");
            SupplyLeg leg;
            leg.tank_no = r.text(*f, tank, id);
            if (!site.find_tank(leg.tank_no))
                throw InputError(r.where(*f, id, "tank_no"), "supply from unknown tank '" + leg.tank_no +
                                                                 "' (not in the tanks layer for station " +
                                                                 station + ")");
            auto frac = r.real(*f, fraction, id);
            if (!frac || !(*frac > 0.0 && *frac <= 1.0))
                throw InputError(r.where(*f, id, "fraction"),
                                 "fraction must be in (0, 1], not " +
                                     (frac ? std::to_string(*frac) : std::string("empty")));
            leg.fraction = *frac;
            std::size_t position = n->supply.size() + 1;
            if (auto v = r.integer(*f, leg_field, id)) {
                if (*v < 1 || *v > 2)
                    throw InputError(r.where(*f, id, "leg"), "leg must be 1 or 2, not " + std::to_string(*v));
                position = static_cast<std::size_t>(*v);
            }
            if (position > 2)
                throw InputError(r.where(*f, id, "leg"), "more than two supply legs (a blend has two tanks)");
            if (n->supply.empty())
                seen.emplace_back(n, f->GetFID());
            if (n->supply.size() < position)
                n->supply.resize(position, SupplyLeg{"", -1.0});
            if (n->supply[position - 1].fraction >= 0.0)
                throw InputError(r.where(*f, id, "leg"), "duplicate supply leg " + std::to_string(position));
            n->supply[position - 1] = std::move(leg);
            m_progress.tick();
        }
        for (const auto& [n, fid] : seen) {
            auto where = [&, n = n, fid = fid] {
                Location l{.file = layer.file,
                           .layer = layer.name,
                           .fid = fid,
                           .feature = element_id(station_of(n), n->nozzle_no),
                           .field = "fraction"};
                if (layer.line_offset >= 0)
                    l.line = fid + layer.line_offset;
                return l;
            };
            double sum = 0.0;
            for (std::size_t i = 0; i < n->supply.size(); ++i) {
                if (n->supply[i].fraction < 0.0)
                    throw InputError(where(), "supply leg " + std::to_string(i + 1) + " is missing");
                sum += n->supply[i].fraction;
            }
            if (std::fabs(sum - 1.0) > 1e-6)
                throw InputError(where(), "supply fractions sum to " + std::to_string(sum) + ", not 1");
        }
    }

    void sites(const SourceLayer& layer) {
        LayerReader r(layer, &m_mapping, m_limits, true);
        if (empty(layer))
            return;
        const int sid = r.required("station_id");
        for (auto& f : *layer.layer) {
            r.count(*f);
            Site& site = site_of(r, *f, sid);
            const std::string& station = site.station.station_id;
            if (!site.outline.empty())
                throw InputError(r.where(*f, station, "station_id"),
                                 "duplicate site outline for station " + station);
            site.outline = r.ring(*f, station, origin(site));
            m_progress.tick();
        }
    }

private:
    // Layers usually come station by station: a station's list is trimmed to its size when the
    // next station starts, and every list at the end, so that the growth slack of millions of
    // elements is never held at once.
    template <typename T> class Trim {
    public:
        Trim(std::vector<Site>& sites, std::vector<T> Site::*list) : m_sites(sites), m_list(list) {}
        void at(Site& site) {
            if (&site == m_current)
                return;
            if (m_current != nullptr)
                (m_current->*m_list).shrink_to_fit();
            m_current = &site;
        }
        void finish() {
            for (Site& site : m_sites)
                (site.*m_list).shrink_to_fit();
        }

    private:
        std::vector<Site>& m_sites;
        std::vector<T> Site::*m_list;
        Site* m_current = nullptr;
    };

    // The station a nozzle belongs to (for error messages only: a linear search).
    const std::string& station_of(const Nozzle* n) const {
        for (const Site& site : m_sites.sites)
            if (!site.nozzles.empty() && !std::less<const Nozzle*>()(n, site.nozzles.data()) &&
                std::less<const Nozzle*>()(n, site.nozzles.data() + site.nozzles.size()))
                return site.station.station_id;
        static const std::string none;
        return none;
    }

    static bool empty(const SourceLayer& layer) {
        layer.layer->ResetReading();
        if (layer.layer->GetFeatureCount(FALSE) == 0)
            return true;
        OGRFeatureUniquePtr first(layer.layer->GetNextFeature());
        layer.layer->ResetReading();
        return first == nullptr;
    }

    Site& site_of(const LayerReader& r, const OGRFeature& f, int field) {
        // Layers are usually grouped by station: try the last one first.
        const char* id = f.IsFieldSetAndNotNull(field) ? f.GetFieldAsString(field) : "";
        if (m_last != nullptr && m_last->station.station_id == id)
            return *m_last;
        auto it = m_sites.index.find(id);
        if (it == m_sites.index.end()) {
            const std::string s = id;
            r.check_utf8(f, s, "", field);
            throw InputError(r.where(f, s, "station_id"), s.empty() ? std::string("empty station id")
                                                                    : "unknown station '" + s +
                                                                          "' (not in the stations layer " +
                                                                          m_sites.stations_file + ")");
        }
        m_last = &m_sites.sites[it->second];
        return *m_last;
    }

    std::string number_of(const LayerReader& r, const OGRFeature& f, int field, const std::string& station,
                          const char* what) {
        std::string no = r.text(f, field, station);
        if (no.empty())
            throw InputError(r.where(f, station, r.defn().GetFieldDefn(field)->GetNameRef()),
                             std::string("empty ") + what + " number");
        return no;
    }

    std::string grade_of(const LayerReader& r, const OGRFeature& f, int field, const std::string& id) {
        std::string g = r.text(f, field, id);
        if (!m_grades.find(g))
            throw InputError(r.where(f, id, "grade"),
                             g.empty() ? std::string("empty grade")
                                       : "unknown grade '" + g +
                                             "' (not in the grade table; add it to a grades layer)");
        return g;
    }

    const GeoPoint* origin(const Site& site) const {
        return site.station.location ? &*site.station.location : nullptr;
    }

    SourceSites& m_sites;
    GradeTable& m_grades;
    const ImportMapping& m_mapping;
    const ImportLimits& m_limits;
    Progress& m_progress;
    Site* m_last = nullptr;
};

} // namespace fuelmap::detail::import_reading
