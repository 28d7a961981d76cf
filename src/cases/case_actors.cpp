// SPDX-License-Identifier: MIT
// The actors list of follow-up cases.
#include <fuelmap/case_actors.hpp>
#include <fuelmap/error.hpp>

#include "util/file.hpp"
#include "util/table_csv.hpp"

namespace fuelmap {

std::vector<CaseActor> read_case_actors(const std::filesystem::path& path) {
    const std::string file = path.string();
    const detail::CsvTable table =
        detail::parse_csv_table(detail::read_whole_file(path, "the actors list"), file);
    const std::size_t id_col = table.column("id", file);
    const std::size_t name_col = table.column("name", file);
    const std::size_t role_col = table.column("role", file);
    std::vector<CaseActor> out;
    std::set<std::string> seen;
    for (const detail::CsvRow& row : table.rows) {
        CaseActor a{detail::CsvTable::get(row, id_col), detail::CsvTable::get(row, name_col),
                    detail::CsvTable::get(row, role_col)};
        if (a.id.empty())
            throw InputError({.file = file, .line = row.line, .field = "id"}, "empty actor id");
        if (!seen.insert(a.id).second)
            throw InputError({.file = file, .line = row.line, .feature = a.id, .field = "id"},
                             "actor '" + a.id + "' is listed twice");
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace fuelmap
