// SPDX-License-Identifier: MIT
// The schedule of a round (docs/sampling.md section 8): working days, routes grouped per county,
// routes given to team-days by tickets under the conflict rules, visiting order and distance.
// Exact integers throughout; every tie has a written rule.
#include <fuelmap/error.hpp>

#include "sampling/route.hpp"
#include "sampling/schedule.hpp"
#include "sampling/ticket_digits.hpp"
#include "util/iso_day.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace fuelmap::detail {

namespace {

// A group of stations of one city that one team visits on one day.
struct Group {
    std::vector<std::size_t> stations; // indexes into the selections, in the order they joined
    std::string seed_id;               // the station that started the group
    std::string ticket;                // ticket of "SEED/route"
    std::vector<std::size_t> eligible; // teams allowed by the conflict rules (ascending)
    std::size_t team = 0;              // when placed
    std::string date;                  // when placed ("" = not placed)
};

// floor(a / b) for b > 0.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && (a < 0));
}

// Section 8.4: per city (byte order), the farthest station from the city's centre starts a
// group; the stations nearest to that seed join it while at least one team stays allowed the group,
// until it holds stations_per_day. @p allowed[i][t]: team t may visit station i (section 8.5).
std::vector<Group> group_stations(const std::vector<Selection>& selections,
                                  const std::vector<std::string>& city, const std::vector<MicroPoint>& at,
                                  const std::vector<std::vector<char>>& allowed, std::size_t per_day) {
    std::map<std::string, std::vector<std::size_t>> by_city;
    for (std::size_t i = 0; i < selections.size(); ++i)
        by_city[city[i]].push_back(i);
    auto id = [&](std::size_t i) -> const std::string& { return selections[i].station_id; };
    std::vector<Group> groups;
    for (auto& [code, members] : by_city) {
        std::int64_t sum_lon = 0, sum_lat = 0;
        for (std::size_t i : members) {
            sum_lon += at[i].lon;
            sum_lat += at[i].lat;
        }
        const auto n = static_cast<std::int64_t>(members.size());
        const MicroPoint centre{floor_div(sum_lon, n), floor_div(sum_lat, n)};
        std::vector<std::size_t> left = members;
        while (!left.empty()) {
            std::size_t seed_pos = 0;
            std::int64_t far = -1;
            for (std::size_t p = 0; p < left.size(); ++p) {
                const std::int64_t d = straight_metres(centre, at[left[p]]);
                if (d > far || (d == far && id(left[p]) < id(left[seed_pos]))) {
                    far = d;
                    seed_pos = p;
                }
            }
            const std::size_t seed = left[seed_pos];
            left.erase(left.begin() + static_cast<std::ptrdiff_t>(seed_pos));
            std::vector<std::pair<std::int64_t, std::size_t>> near;
            for (std::size_t i : left)
                near.emplace_back(straight_metres(at[seed], at[i]), i);
            std::sort(near.begin(), near.end(), [&](const auto& a, const auto& b) {
                return a.first != b.first ? a.first < b.first : id(a.second) < id(b.second);
            });
            Group g;
            g.seed_id = id(seed);
            g.stations.push_back(seed);
            std::vector<char> teams = allowed[seed];
            const bool any_allowed = std::find(teams.begin(), teams.end(), 1) != teams.end();
            std::set<std::size_t> taken;
            for (std::size_t k = 0; k < near.size() && g.stations.size() < per_day; ++k) {
                const std::vector<char>& other = allowed[near[k].second];
                std::vector<char> both(teams.size());
                bool some = false;
                for (std::size_t t = 0; t < teams.size(); ++t)
                    some |= (both[t] = static_cast<char>(teams[t] && other[t])) != 0;
                // A seed no team may visit goes alone (and is refused by the conflict rules).
                if (!some || !any_allowed)
                    continue;
                teams = std::move(both);
                g.stations.push_back(near[k].second);
                taken.insert(near[k].second);
            }
            for (std::size_t t = 0; t < teams.size(); ++t)
                if (teams[t])
                    g.eligible.push_back(t);
            std::erase_if(left, [&](std::size_t i) { return taken.count(i) > 0; });
            groups.push_back(std::move(g));
        }
    }
    return groups;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

std::vector<std::string> working_days(const VisitWindow& w) {
    std::set<std::string> holidays(w.holidays.begin(), w.holidays.end());
    std::vector<std::string> days;
    for (auto day = parse_iso_day(w.start); day <= parse_iso_day(w.end); day += std::chrono::days(1)) {
        const std::chrono::weekday wd(day);
        if (!w.weekends && (wd == std::chrono::Saturday || wd == std::chrono::Sunday))
            continue;
        std::string text = format_iso_day(day);
        if (!holidays.count(text))
            days.push_back(std::move(text));
    }
    return days;
}

void schedule_round(const Registry& registry, const Design& design, const DrawContext& context,
                    const TicketMaker& tickets, Plan& plan) {
    if (design.inspectors.empty())
        return;
    const std::string& dfile = design.file;
    std::vector<Selection>& selections = plan.selections;
    const std::vector<std::string> days = working_days(*design.window);
    if (days.empty())
        throw InputError({.file = dfile, .field = "window"}, "the window has no working day; all " +
                                                                 std::to_string(selections.size()) +
                                                                 " selected stations are left over");
    plan.teams = form_teams(design, tickets, selections.size());
    const std::vector<Team>& teams = plan.teams;

    // Where each selected station is, its city and county.
    std::vector<MicroPoint> at;
    std::vector<std::string> city, county;
    for (const Selection& s : selections) {
        const Station& station = registry.find(s.station_id)->station;
        if (!station.location)
            throw InputError({.file = context.registry_file,
                              .layer = "stations",
                              .feature = s.station_id,
                              .field = "geom"},
                             "has no location: routes need the position of every selected station");
        at.push_back(micro_point(*station.location));
        city.push_back(station.city);
        county.push_back(station.county);
    }
    // The conflict rules per team and station: no member from the station's county, not the team of
    // the station's last visit.
    std::map<std::string, const Inspector*> inspector;
    for (const Inspector& i : design.inspectors)
        inspector.emplace(i.id, &i);
    std::vector<std::vector<const std::string*>> districts(teams.size()); // of each team's members
    for (std::size_t t = 0; t < teams.size(); ++t)
        for (const std::string& m : teams[t].members)
            districts[t].push_back(&inspector.at(m)->district);
    std::vector<std::vector<char>> allowed(selections.size(), std::vector<char>(teams.size(), 0));
    for (std::size_t i = 0; i < selections.size(); ++i) {
        auto last = context.last_teams.find(selections[i].station_id);
        for (std::size_t t = 0; t < teams.size(); ++t)
            allowed[i][t] = static_cast<char>(
                std::none_of(districts[t].begin(), districts[t].end(),
                             [&](const std::string* district) { return *district == county[i]; }) &&
                !(last != context.last_teams.end() && last->second == teams[t].members));
    }
    std::vector<Group> groups =
        group_stations(selections, city, at, allowed, static_cast<std::size_t>(design.stations_per_day));
    for (Group& g : groups)
        g.ticket = tickets.ticket(g.seed_id + "/route");
    // Team-days: working days on which no member is unavailable.
    std::vector<std::vector<std::string>> free_days(teams.size());
    for (std::size_t t = 0; t < teams.size(); ++t)
        for (const std::string& day : days)
            if (std::none_of(teams[t].members.begin(), teams[t].members.end(), [&](const std::string& m) {
                    const std::vector<std::string>& off = inspector.at(m)->unavailable;
                    return std::find(off.begin(), off.end(), day) != off.end();
                }))
                free_days[t].push_back(day);
    const std::size_t team_days = [&] {
        std::size_t n = 0;
        for (const auto& f : free_days)
            n += f.size();
        return n;
    }();

    // Most constrained groups first, then in ticket order of their seed's "/route" ticket.
    std::vector<Group*> order;
    for (Group& g : groups)
        order.push_back(&g);
    std::sort(order.begin(), order.end(), [](const Group* a, const Group* b) {
        if (a->eligible.size() != b->eligible.size())
            return a->eligible.size() < b->eligible.size();
        return ticket_less(a->ticket, a->seed_id, b->ticket, b->seed_id);
    });
    std::vector<std::int64_t> load(teams.size(), 0);
    std::size_t left_conflict = 0, left_cap = 0, left_days = 0;
    for (Group* g : order) {
        const auto size = static_cast<std::int64_t>(g->stations.size());
        std::vector<std::size_t> candidates;
        bool capped = false;
        for (std::size_t t : g->eligible) {
            if (free_days[t].empty())
                continue;
            if (design.workload_cap && load[t] + size > *design.workload_cap) {
                capped = true;
                continue;
            }
            candidates.push_back(t);
        }
        if (candidates.empty()) {
            (g->eligible.empty() ? left_conflict : capped ? left_cap : left_days) += g->stations.size();
            continue;
        }
        // The team and then the day whose ticket comes first (compared without their strings).
        const std::string team_prefix = g->seed_id + "/route/team/";
        TicketValue best_ticket;
        std::size_t best = candidates.front();
        for (std::size_t t : candidates) {
            const TicketValue tk = TicketValue::of(tickets, team_prefix + teams[t].name);
            if (t == candidates.front() || ticket_before(tk, teams[t].name, best_ticket, teams[best].name)) {
                best_ticket = tk;
                best = t;
            }
        }
        std::vector<std::string>& free = free_days[best];
        const std::string day_prefix = g->seed_id + "/route/date/";
        std::size_t day = 0;
        TicketValue day_ticket;
        for (std::size_t d = 0; d < free.size(); ++d) {
            const TicketValue tk = TicketValue::of(tickets, day_prefix + free[d]);
            if (d == 0 || ticket_before(tk, free[d], day_ticket, free[day])) {
                day_ticket = tk;
                day = d;
            }
        }
        g->team = best;
        g->date = free[day];
        free.erase(free.begin() + static_cast<std::ptrdiff_t>(day));
        load[best] += size;
    }
    if (const std::size_t left = left_conflict + left_cap + left_days; left > 0) {
        // The binding constraint: the one that leaves the most stations over (ties: in this order).
        const std::size_t most = std::max({left_days, left_cap, left_conflict});
        const char* field = most == left_days ? "window" : most == left_cap ? "workload_cap" : "inspectors";
        std::string why;
        if (most == left_days)
            why = "too few team-days (window, stations_per_day " + std::to_string(design.stations_per_day) +
                  ", unavailable dates): " + plural(teams.size(), "team", "teams") + " have " +
                  plural(team_days, "team-day", "team-days") + " for " +
                  plural(groups.size(), "route", "routes");
        else if (most == left_cap)
            why = "workload_cap " + std::to_string(*design.workload_cap) +
                  " stations per inspector: every team allowed to drive a route is full";
        else
            why = "the conflict rules (no member from the station's county, not the team of its last "
                  "visit) leave no team for a route";
        throw InputError({.file = dfile, .field = field},
                         "cannot schedule " + std::to_string(left) + " of " +
                             std::to_string(selections.size()) + " selected stations: " + why +
                             " (left over: " + std::to_string(left_days) + " for want of team-days, " +
                             std::to_string(left_cap) + " over the workload cap, " +
                             std::to_string(left_conflict) + " by the conflict rules)");
    }

    // Visiting order and distance of each route; routes by date, then team name.
    std::sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) {
        return a.date != b.date ? a.date < b.date : teams[a.team].name < teams[b.team].name;
    });
    std::vector<Selection> ordered;
    ordered.reserve(selections.size());
    for (const Group& g : groups) {
        const Team& team = teams[g.team];
        std::vector<MicroPoint> stops;
        std::vector<std::string> ids;
        for (std::size_t i : g.stations) {
            stops.push_back(at[i]);
            ids.push_back(selections[i].station_id);
        }
        const MicroPoint base{team.base_lon_e6, team.base_lat_e6};
        const std::vector<std::size_t> visit = visiting_order(base, stops, ids);
        Route route;
        route.date = g.date;
        route.team = team.name;
        route.straight_m = tour_metres(base, stops, visit);
        route.distance_m = route.straight_m * 13 / 10;
        for (std::size_t k : visit) {
            Selection s = std::move(selections[g.stations[k]]);
            s.team = team.members;
            s.date = g.date;
            route.stations.push_back(s.station_id);
            ordered.push_back(std::move(s));
        }
        plan.routes.push_back(std::move(route));
    }
    selections = std::move(ordered);
}

} // namespace fuelmap::detail
