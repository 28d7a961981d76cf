// SPDX-License-Identifier: MIT
// fuelmap show: prints one station with everything on its site.
#include "cli/command.hpp"
#include "cli/json_output.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/registry_file.hpp>
#include <fuelmap/station_graph.hpp>

#include <iomanip>
#include <ostream>
#include <sstream>

namespace fuelmap::cli {

namespace {

std::string position_text(const std::optional<GeoPoint>& p) {
    if (!p)
        return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(6) << p->lon << "," << p->lat;
    return s.str();
}

std::string supply_text(const Nozzle& n) {
    if (n.supply.empty())
        return "(none)";
    std::ostringstream s;
    for (std::size_t i = 0; i < n.supply.size(); ++i) {
        if (i)
            s << " + ";
        s << n.supply[i].tank_no;
        if (n.supply.size() > 1)
            s << " x" << n.supply[i].fraction;
    }
    return s.str();
}

void print_text(const Site& site, std::ostream& out) {
    const Station& s = site.station;
    out << "Station   " << s.station_id << "  " << s.name << "\n";
    out << "Operator  " << s.operator_name << (s.brand.empty() ? "" : " (" + s.brand + ")") << ", "
        << to_string(s.ownership) << "\n";
    out << "Region    " << s.province << " / " << s.city << " / " << s.county << "\n";
    out << "Address   " << s.address << "\n";
    out << "Location  " << position_text(s.location) << "   status " << s.status << "   volume "
        << s.annual_volume_m3 << " m3/yr   risk weight " << s.risk_weight << "\n";
    StationGraph graph(site);
    out << "\nTanks (" << site.tanks.size() << ")\n";
    for (const Tank& t : site.tanks) {
        out << "  " << std::left << std::setw(6) << t.tank_no << std::setw(9) << t.grade << std::right
            << std::setw(7) << t.capacity_l << " L  " << std::left << std::setw(15) << t.status;
        if (!t.manifold_group.empty())
            out << " manifold " << t.manifold_group;
        std::vector<std::string> fed = graph.nozzles_fed_by(t.tank_no);
        out << " feeds";
        for (const std::string& n : fed)
            out << " " << n;
        if (fed.empty())
            out << " nothing";
        out << "\n";
    }
    out << "\nDispensers (" << site.dispensers.size() << ")\n";
    for (const Dispenser& d : site.dispensers)
        out << "  " << std::left << std::setw(6) << d.dispenser_no << "island " << std::setw(5) << d.island
            << d.fuelling_points << " fuelling point(s)\n";
    out << "\nNozzles (" << site.nozzles.size() << ")\n";
    for (const Nozzle& n : site.nozzles)
        out << "  " << std::left << std::setw(6) << n.nozzle_no << std::setw(9) << n.grade << "dispenser "
            << std::setw(5) << n.dispenser_no << "point " << n.fuelling_point << "  <- " << supply_text(n)
            << (n.status == "in_service" ? "" : "  [" + n.status + "]") << "\n";
    out << std::right;
}

} // namespace

int run_show(const ShowCliOptions& opt, std::ostream& out, std::ostream&) {
    Registry registry = read_registry(opt.registry, ReadOptions{{opt.station}});
    const Site& site = *registry.find(opt.station);
    if (opt.format == "json")
        out << site_to_json(site).dump(2) << "\n";
    else
        print_text(site, out);
    return exit_ok;
}

Runner setup_show(CLI::App& app) {
    auto opt = std::make_shared<ShowCliOptions>();
    app.add_option("-r,--registry", opt->registry, "Registry GeoPackage")->required();
    app.add_option("station", opt->station, "Station id")->required();
    app.add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    return [opt](std::ostream& out, std::ostream& err) { return run_show(*opt, out, err); };
}

} // namespace fuelmap::cli
