// SPDX-License-Identifier: MIT
/// @file grade.hpp
/// @brief Fuel grades (92#, 95#, 0# …) and the grade table that ships with fuelmap.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// Broad fuel family; a gasoline nozzle must never draw from a diesel tank.
enum class GradeFamily { gasoline, diesel, other };

/// "gasoline", "diesel" or "other".
[[nodiscard]] std::string_view to_string(GradeFamily f) noexcept;
/// Parses a family name; std::nullopt when unknown.
[[nodiscard]] std::optional<GradeFamily> parse_grade_family(std::string_view s) noexcept;

/// One fuel grade as sold at the pump.
struct Grade {
    std::string code;                        ///< the label, e.g. "95#", "0#", "E10-92#"
    GradeFamily family = GradeFamily::other; ///< gasoline / diesel / other
    std::optional<int> min_octane;           ///< minimum research octane number (gasoline only)
    std::optional<int> max_pour_point_c;     ///< highest pour point in °C (diesel only: 0# → 0)
    std::string standard;                    ///< specification it is sold under, e.g. "GB 17930"
    std::string description;                 ///< plain-words description

    friend bool operator==(const Grade&, const Grade&) = default;
};

/// The number a blend's label must lie between: octane for gasoline, pour point for diesel.
[[nodiscard]] std::optional<int> blend_rank(const Grade& g) noexcept;

/// The set of known grades. Ordered by code; lookups by exact code.
class GradeTable {
public:
    /// The grade table shipped with fuelmap (Chinese and European retail grades).
    [[nodiscard]] static GradeTable builtin();

    /// The grade with this code, or nullptr.
    [[nodiscard]] const Grade* find(std::string_view code) const noexcept;
    /// Adds or replaces the grade with the same code.
    void add(Grade grade);
    /// All grades, ordered by code.
    [[nodiscard]] const std::vector<Grade>& all() const noexcept { return m_grades; }

private:
    std::vector<Grade> m_grades;
};

} // namespace fuelmap
