// SPDX-License-Identifier: MIT
/// @file case_actors.hpp
/// @brief Who may act on a case: the inspectors of the case's round (from its recorded plan), the
/// labs of the round's recorded lab results, and the offices and officers of an actors list
/// (CSV "id,name,role"). See docs/cases.md, "Actors".
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// One entry of an actors list.
struct CaseActor {
    std::string id;   ///< actor id, unique in the list
    std::string name; ///< name, UTF-8
    std::string role; ///< e.g. "office", "lab", "officer"
};

/// Reads an actors list: CSV, UTF-8, header with at least "id,name,role" ('#' lines are comments).
/// @throws InputError naming the file, line and field on a missing column, an empty or repeated id.
[[nodiscard]] std::vector<CaseActor> read_case_actors(const std::filesystem::path& path);

/// The actors known for a round's cases.
class CaseActors {
public:
    /// Adds an actor id.
    void add(std::string id) { m_ids.insert(std::move(id)); }
    /// True when @p id is known.
    [[nodiscard]] bool knows(std::string_view id) const { return m_ids.count(std::string(id)) > 0; }
    /// The known ids, sorted.
    [[nodiscard]] const std::set<std::string>& ids() const noexcept { return m_ids; }

private:
    std::set<std::string> m_ids;
};

} // namespace fuelmap
