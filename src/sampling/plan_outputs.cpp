// SPDX-License-Identifier: MIT
#include <fuelmap/plan_outputs.hpp>

#include "util/csv_cell.hpp"
#include "util/text.hpp"

#include <nlohmann/json.hpp>

namespace fuelmap {

namespace {

// A field-list row, cell by cell: quoted where needed, and never run as a formula by a
// spreadsheet (docs/formats.md).
class CsvRow {
public:
    explicit CsvRow(std::string& out) : m_out(out) {}
    /// Appends one text cell.
    CsvRow& cell(std::string_view text) {
        separate();
        detail::append_csv_text_field(m_out, text);
        return *this;
    }
    /// Appends one cell of @p items joined by spaces.
    CsvRow& cell(const std::vector<std::string>& items) { return cell(detail::join(items, " ")); }
    /// Appends a cell written as is (a number).
    CsvRow& raw(std::string_view text) {
        separate();
        m_out += text;
        return *this;
    }
    /// Ends the row.
    void end() { m_out += '\n'; }

private:
    void separate() {
        if (m_started)
            m_out += ',';
        m_started = true;
    }
    std::string& m_out;
    bool m_started = false;
};

} // namespace

std::map<std::string, std::string> plan_field_lists(const Plan& plan, const Registry& registry) {
    using detail::join;
    std::map<std::string, std::string> files;
    const std::string header =
        "date,team,stop,station_id,name,address,grade,nozzle_no,nozzle_sample_id,claimed_tanks,"
        "tank_sample_ids,alternates,reason\n";
    // One list per team-day (TEAM_DATE.csv), stations in visiting order.
    std::map<std::string, std::pair<std::string, std::size_t>> route_of; // station -> file, stop
    for (const Route& r : plan.routes)
        for (std::size_t i = 0; i < r.stations.size(); ++i)
            route_of[r.stations[i]] = {r.team + "_" + r.date, i + 1};
    for (const Selection& s : plan.selections) {
        auto route = route_of.find(s.station_id);
        const std::string name = route == route_of.end() ? "unassigned" : route->second.first;
        const std::string stop = route == route_of.end() ? "" : std::to_string(route->second.second);
        std::string& text = files[name + ".csv"];
        if (text.empty())
            text = header;
        const Site* site = registry.find(s.station_id);
        const std::string_view station_name = site ? std::string_view(site->station.name) : "";
        const std::string_view address = site ? std::string_view(site->station.address) : "";
        std::vector<std::string> tanks;
        const std::vector<std::string> none;
        auto row = [&](const PlannedSample* p) {
            tanks.clear();
            if (p)
                for (const SupplyLeg& leg : p->claimed_tanks)
                    tanks.push_back(leg.tank_no);
            CsvRow(text)
                .cell(s.date)
                .cell(s.team)
                .raw(stop)
                .cell(s.station_id)
                .cell(station_name)
                .cell(address)
                .cell(p ? std::string_view(p->grade) : "")
                .cell(p ? std::string_view(p->nozzle_no) : "")
                .cell(p ? std::string_view(p->nozzle_sample_id) : "")
                .cell(tanks)
                .cell(p ? p->tank_sample_ids : none)
                .cell(p ? p->alternates : none)
                .cell(s.reason)
                .end();
        };
        if (s.samples.empty())
            row(nullptr);
        for (const PlannedSample& p : s.samples)
            row(&p);
    }
    return files;
}

std::string plan_geojson(const Plan& plan, const Registry& registry) {
    using detail::join;
    nlohmann::ordered_json fc;
    fc["type"] = "FeatureCollection";
    fc["name"] = plan.round;
    fc["features"] = nlohmann::ordered_json::array();
    for (const Selection& s : plan.selections) {
        const Site* site = registry.find(s.station_id);
        nlohmann::ordered_json f;
        f["type"] = "Feature";
        if (site && site->station.location)
            f["geometry"] = {{"type", "Point"},
                             {"coordinates", {site->station.location->lon, site->station.location->lat}}};
        else
            f["geometry"] = nullptr;
        std::vector<std::string> grades;
        for (const PlannedSample& p : s.samples)
            grades.push_back(p.grade + " " + p.nozzle_no);
        f["properties"] = {{"station_id", s.station_id},
                           {"name", site ? site->station.name : ""},
                           {"stratum", s.stratum},
                           {"reason", s.reason},
                           {"inclusion_probability", s.inclusion_probability},
                           {"date", s.date},
                           {"team", join(s.team, " ")},
                           {"samples", join(grades, ", ")}};
        fc["features"].push_back(f);
    }
    return fc.dump(1) + "\n";
}

} // namespace fuelmap
