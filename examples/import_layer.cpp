// SPDX-License-Identifier: MIT
// DEMONSTRATES: importing a station list (one point layer, here an OpenStreetMap-like GeoJSON
// export) into a new registry with a field mapping, then reading it back.
//
//   example_import_layer SOURCE.geojson MAPPING.json OUT.gpkg
//
// Simpler first: walk_station.cpp (reading a registry).
#include <fuelmap/error.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry_file.hpp>

#include <iostream>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: example_import_layer SOURCE MAPPING.json OUT.gpkg\n";
        return 2;
    }
    try {
        fuelmap::ImportOptions options;
        options.mapping = fuelmap::load_mapping(argv[2]);
        // Station lists carry no layouts; the registry still gets the full grade table.
        std::filesystem::remove(argv[3]);
        fuelmap::ImportSummary summary = fuelmap::import_to_registry({argv[1]}, argv[3], false, options);
        fuelmap::Registry registry = fuelmap::read_registry(argv[3]);
        std::cout << "imported " << summary.stations << " stations from " << summary.features
                  << " features\n";
        for (const fuelmap::Site& site : registry.sites()) {
            const fuelmap::Station& s = site.station;
            std::cout << s.station_id << "  " << fuelmap::to_string(s.ownership) << "  " << s.name;
            if (auto hours = s.field("opening_hours"))
                std::cout << "  (opening_hours " << *hours << ")";
            std::cout << "\n";
        }
        std::cout << "registry " << argv[3] << " holds " << registry.size() << " stations\n";
        return 0;
    } catch (const fuelmap::Error& e) {
        std::cerr << "example_import_layer: " << e.what() << "\n";
        return 2;
    }
}
