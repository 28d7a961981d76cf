// SPDX-License-Identifier: MIT
// Opens a registry and walks one station's tank → nozzle graph with fuelmap::StationGraph:
// which nozzles each tank feeds, which tanks each nozzle draws from, manifold groups, and the
// nozzles of each labelled grade.
//
//   example_walk_station REG.gpkg [STATION_ID]      (default: the first station)
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/station_graph.hpp>

#include <iostream>
#include <set>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: " << argv[0] << " REG.gpkg [STATION_ID]\n";
        return 2;
    }
    try {
        fuelmap::ReadOptions options;
        if (argc == 3)
            options.stations = {argv[2]}; // read only this station
        const fuelmap::Registry registry = fuelmap::read_registry(argv[1], options);
        if (registry.size() == 0) {
            std::cerr << argv[1] << ": the registry holds no station\n";
            return 2;
        }
        const fuelmap::Site& site = registry.sites().front();
        const fuelmap::StationGraph graph(site);
        std::cout << "station " << site.station.station_id << " " << site.station.name << ": "
                  << site.tanks.size() << " tanks, " << site.nozzles.size() << " nozzles\n";

        for (const fuelmap::Tank& tank : site.tanks) {
            std::cout << "tank " << tank.tank_no << " (" << tank.grade << ") feeds";
            for (const std::string& nozzle : graph.nozzles_fed_by(tank.tank_no))
                std::cout << " " << nozzle;
            const auto group = graph.manifold_group(tank.tank_no);
            if (group.size() > 1) {
                std::cout << "; manifolded with";
                for (const std::string& other : group)
                    if (other != tank.tank_no)
                        std::cout << " " << other;
            }
            std::cout << "\n";
        }
        std::set<std::string> grades;
        for (const fuelmap::Nozzle& nozzle : site.nozzles) {
            grades.insert(nozzle.grade);
            std::cout << "nozzle " << nozzle.nozzle_no << " (" << nozzle.grade << ") on "
                      << nozzle.dispenser_no << " draws from";
            for (const fuelmap::SupplyLeg& leg : graph.tanks_feeding(nozzle.nozzle_no))
                std::cout << " " << leg.tank_no << " x" << leg.fraction;
            std::cout << "\n";
        }
        for (const std::string& grade : grades)
            std::cout << "grade " << grade << ": " << graph.nozzles_labelled(grade).size() << " nozzle(s)\n";
    } catch (const fuelmap::Error& e) {
        std::cerr << argv[0] << ": " << e.what() << "\n";
        return 2;
    }
    return 0;
}
