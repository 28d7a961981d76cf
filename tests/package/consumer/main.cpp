// SPDX-License-Identifier: MIT
// A program outside the fuelmap tree that links the installed library.
#include <fuelmap/grade.hpp>

#include <iostream>

int main() {
    const fuelmap::GradeTable grades = fuelmap::GradeTable::builtin();
    const fuelmap::Grade* g = grades.find("95#");
    if (!g)
        return 1;
    std::cout << g->code << " " << fuelmap::to_string(g->family) << "\n";
    return 0;
}
