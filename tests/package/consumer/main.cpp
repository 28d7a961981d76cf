// SPDX-License-Identifier: MIT
// A program outside the fuelmap tree that links the installed library: it makes a registry file
// (which loads the installed GDAL module) and reads it back.
#include <fuelmap/fuelmap.hpp> // the umbrella header: every public header compiles outside the tree

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
    const fuelmap::GradeTable grades = fuelmap::GradeTable::builtin();
    const fuelmap::Grade* g = grades.find("95#");
    if (!g || argc < 2)
        return 1;
    std::cout << g->code << " " << fuelmap::to_string(g->family) << "\n";
    const std::filesystem::path file = argv[1];
    std::filesystem::remove(file);
    fuelmap::create_registry(file, fuelmap::synthesize({.stations = 3, .seed = 5}));
    std::cout << fuelmap::read_registry(file).sites().size() << " stations written and read\n";
    return 0;
}
