// SPDX-License-Identifier: MIT
#include <fuelmap/plan_outputs.hpp>

#include "util/csv_cell.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

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
    // Written straight into the text, byte for byte as nlohmann's dump(1) of the same document: a
    // json value per feature cost ~20 µs each (3,000 features, 65 ms of every national plan).
    using detail::append_json_string;
    std::string out = "{\n \"type\": \"FeatureCollection\",\n \"name\": ";
    append_json_string(out, plan.round);
    out += ",\n \"features\": [";
    auto property = [&out](std::string_view key, std::string_view value, bool last = false) {
        out += "    \"";
        out += key;
        out += "\": ";
        append_json_string(out, value);
        out += last ? "\n" : ",\n";
    };
    std::string samples;
    for (std::size_t i = 0; i < plan.selections.size(); ++i) {
        const Selection& s = plan.selections[i];
        const Site* site = registry.find(s.station_id);
        out += i ? ",\n  {\n   \"type\": \"Feature\",\n   \"geometry\": "
                 : "\n  {\n   \"type\": \"Feature\",\n   \"geometry\": ";
        if (site && site->station.location) {
            out += "{\n    \"type\": \"Point\",\n    \"coordinates\": [\n     ";
            detail::append_json_number(out, site->station.location->lon);
            out += ",\n     ";
            detail::append_json_number(out, site->station.location->lat);
            out += "\n    ]\n   }";
        } else {
            out += "null";
        }
        out += ",\n   \"properties\": {\n";
        samples.clear();
        for (const PlannedSample& p : s.samples) {
            if (!samples.empty())
                samples += ", ";
            samples += p.grade;
            samples += ' ';
            samples += p.nozzle_no;
        }
        property("station_id", s.station_id);
        property("name", site ? std::string_view(site->station.name) : "");
        property("stratum", s.stratum);
        property("reason", s.reason);
        property("inclusion_probability", s.inclusion_probability);
        property("date", s.date);
        property("team", detail::join(s.team, " "));
        property("samples", samples, true);
        out += "   }\n  }";
    }
    out += plan.selections.empty() ? "]\n}\n" : "\n ]\n}\n";
    return out;
}

} // namespace fuelmap
