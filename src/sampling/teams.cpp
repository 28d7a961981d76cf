// SPDX-License-Identifier: MIT
// Standing teams: inspectors in ticket order of "team/ID", the required roles dealt first, the
// other seats after, one team after the other (docs/sampling.md section 8.1).
#include <fuelmap/error.hpp>

#include "sampling/route.hpp"
#include "sampling/schedule.hpp"

#include <algorithm>

namespace fuelmap::detail {

std::vector<Team> form_teams(const Design& design, const TicketMaker& tickets,
                             std::size_t selected_stations) {
    std::vector<std::pair<std::string, const Inspector*>> order;
    for (const Inspector& ins : design.inspectors)
        order.emplace_back(tickets.ticket("team/" + ins.id), &ins);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return ticket_less(a.first, a.second->id, b.first, b.second->id);
    });
    const auto size = static_cast<std::size_t>(design.team_size);
    const std::size_t count = order.size() / size;
    std::vector<std::vector<const Inspector*>> seats(count);
    std::vector<bool> placed(order.size(), false);
    for (const std::string& role : design.team_roles) {
        std::size_t next = 0;
        for (std::size_t i = 0; i < order.size() && next < count; ++i)
            if (!placed[i] && order[i].second->role == role) {
                placed[i] = true;
                seats[next++].push_back(order[i].second);
            }
        if (next < count)
            throw InputError({.file = design.file, .field = "team_roles"},
                             "cannot give each of the " + std::to_string(count) + " teams of " +
                                 std::to_string(size) + " a member with role '" + role + "': only " +
                                 std::to_string(next) + " unplaced inspectors have it; all " +
                                 std::to_string(selected_stations) + " selected stations are left over");
    }
    std::size_t i = 0;
    for (std::size_t seat = design.team_roles.size(); seat < size; ++seat)
        for (std::size_t t = 0; t < count; ++t) {
            while (placed[i])
                ++i;
            placed[i] = true;
            seats[t].push_back(order[i].second);
        }
    const std::size_t width = std::max<std::size_t>(2, std::to_string(count).size());
    std::vector<Team> teams;
    for (std::size_t t = 0; t < count; ++t) {
        std::sort(seats[t].begin(), seats[t].end(),
                  [](const Inspector* a, const Inspector* b) { return a->id < b->id; });
        Team team;
        const std::string number = std::to_string(t + 1);
        team.name = "T" + std::string(width - number.size(), '0') + number;
        for (const Inspector* member : seats[t])
            team.members.push_back(member->id);
        // The depot, else the base of the member first in id order (every inspector has one then).
        const std::string& lon = design.depot ? design.depot->lon : seats[t].front()->base_lon;
        const std::string& lat = design.depot ? design.depot->lat : seats[t].front()->base_lat;
        team.base_lon_e6 = parse_micro_degrees(lon).value_or(0);
        team.base_lat_e6 = parse_micro_degrees(lat).value_or(0);
        teams.push_back(std::move(team));
    }
    return teams;
}

} // namespace fuelmap::detail
