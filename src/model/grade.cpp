// SPDX-License-Identifier: MIT
#include <fuelmap/grade.hpp>

#include <algorithm>

namespace fuelmap {

std::string_view to_string(GradeFamily f) noexcept {
    switch (f) {
    case GradeFamily::gasoline:
        return "gasoline";
    case GradeFamily::diesel:
        return "diesel";
    case GradeFamily::other:
        break;
    }
    return "other";
}

std::optional<GradeFamily> parse_grade_family(std::string_view s) noexcept {
    if (s == "gasoline")
        return GradeFamily::gasoline;
    if (s == "diesel")
        return GradeFamily::diesel;
    if (s == "other")
        return GradeFamily::other;
    return std::nullopt;
}

std::optional<int> blend_rank(const Grade& g) noexcept {
    if (g.family == GradeFamily::gasoline)
        return g.min_octane;
    if (g.family == GradeFamily::diesel)
        return g.max_pour_point_c;
    return std::nullopt;
}

GradeTable GradeTable::builtin() {
    GradeTable t;
    auto gasoline = [&t](std::string code, int octane, std::string standard, std::string description) {
        t.add({std::move(code), GradeFamily::gasoline, octane, std::nullopt, std::move(standard),
               std::move(description)});
    };
    auto diesel = [&t](std::string code, int pour_point, std::string description) {
        t.add({std::move(code), GradeFamily::diesel, std::nullopt, pour_point, "GB 19147",
               std::move(description)});
    };
    gasoline("89#", 89, "GB 17930", "gasoline, RON 89");
    gasoline("92#", 92, "GB 17930", "gasoline, RON 92");
    gasoline("95#", 95, "GB 17930", "gasoline, RON 95");
    gasoline("98#", 98, "GB 17930", "gasoline, RON 98");
    gasoline("E10-89#", 89, "GB 18351", "ethanol gasoline E10, RON 89");
    gasoline("E10-92#", 92, "GB 18351", "ethanol gasoline E10, RON 92");
    gasoline("E10-95#", 95, "GB 18351", "ethanol gasoline E10, RON 95");
    gasoline("E10-98#", 98, "GB 18351", "ethanol gasoline E10, RON 98");
    diesel("5#", 5, "diesel, pour point at most 5 °C");
    diesel("0#", 0, "diesel, pour point at most 0 °C");
    diesel("-10#", -10, "diesel, pour point at most -10 °C");
    diesel("-20#", -20, "diesel, pour point at most -20 °C");
    diesel("-35#", -35, "diesel, pour point at most -35 °C");
    diesel("-50#", -50, "diesel, pour point at most -50 °C");
    t.add({"LPG", GradeFamily::other, std::nullopt, std::nullopt, "GB 19159", "liquefied petroleum gas"});
    t.add({"CNG", GradeFamily::other, std::nullopt, std::nullopt, "GB 18047", "compressed natural gas"});
    return t;
}

const Grade* GradeTable::find(std::string_view code) const noexcept {
    auto it = std::lower_bound(m_grades.begin(), m_grades.end(), code,
                               [](const Grade& g, std::string_view c) { return g.code < c; });
    if (it != m_grades.end() && it->code == code)
        return &*it;
    return nullptr;
}

void GradeTable::add(Grade grade) {
    auto it = std::lower_bound(m_grades.begin(), m_grades.end(), grade.code,
                               [](const Grade& g, const std::string& c) { return g.code < c; });
    if (it != m_grades.end() && it->code == grade.code)
        *it = std::move(grade);
    else
        m_grades.insert(it, std::move(grade));
}

} // namespace fuelmap
