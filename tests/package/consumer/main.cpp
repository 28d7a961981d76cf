// SPDX-License-Identifier: MIT
// A program outside the fuelmap tree that links the installed library.
#include <fuelmap/fuelmap.hpp> // the umbrella header: every public header compiles outside the tree

#include <iostream>

int main() {
    const fuelmap::GradeTable grades = fuelmap::GradeTable::builtin();
    const fuelmap::Grade* g = grades.find("95#");
    if (!g)
        return 1;
    std::cout << g->code << " " << fuelmap::to_string(g->family) << "\n";
    return 0;
}
