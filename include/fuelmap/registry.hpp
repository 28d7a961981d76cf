// SPDX-License-Identifier: MIT
/// @file registry.hpp
/// @brief The station registry in memory: the grade table and every station's site.
#pragma once

#include <fuelmap/grade.hpp>
#include <fuelmap/site.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// All stations of a registry with their sites, ordered by station id, plus the grade table.
class Registry {
public:
    /// An empty registry with the built-in grade table.
    Registry();

    /// The grade table (built-in grades plus those stored in the registry).
    [[nodiscard]] const GradeTable& grades() const noexcept { return m_grades; }
    /// The grade table, for extension.
    [[nodiscard]] GradeTable& grades() noexcept { return m_grades; }

    /// Every site, ordered by station id.
    [[nodiscard]] const std::vector<Site>& sites() const noexcept { return m_sites; }
    /// Number of stations.
    [[nodiscard]] std::size_t size() const noexcept { return m_sites.size(); }
    /// The site of a station, or nullptr.
    [[nodiscard]] const Site* find(std::string_view station_id) const noexcept;

    /// Adds a site, keeping the order by station id. @throws InputError when the id is taken.
    void add(Site site);
    /// Adds many sites at once (faster than one by one). @throws InputError on a duplicate id;
    /// the registry is unchanged then.
    void add_all(std::vector<Site> sites);

private:
    GradeTable m_grades;
    std::vector<Site> m_sites;
};

} // namespace fuelmap
