// SPDX-License-Identifier: MIT
/// @file schedule.hpp
/// @brief Private: the schedule of a round (docs/sampling.md section 8): standing teams drawn by
/// tickets, the selected stations grouped into routes per county, routes given to team-days by
/// tickets under the conflict rules, and each route's visiting order and distance.
#pragma once

#include <fuelmap/design.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/ticket.hpp>

#include <string>
#include <vector>

namespace fuelmap::detail {

/// The working days of a window in calendar order (section 8.2).
[[nodiscard]] std::vector<std::string> working_days(const VisitWindow& window);

/// The standing teams of the round (section 8.1). @throws InputError (field "team_roles") when
/// the roles cannot be met, naming the role and how many stations are left unscheduled.
[[nodiscard]] std::vector<Team> form_teams(const Design& design, const TicketMaker& tickets,
                                           std::size_t selected_stations);

/// Schedules the selected stations of @p plan (sections 8.2 to 8.5): fills plan.teams and
/// plan.routes, each selection's team and date, and puts the selections in route order. Does
/// nothing without inspectors. Never changes which stations are selected.
/// @throws InputError naming the binding constraint (field "window", "workload_cap",
/// "inspectors" or "team_roles") and how many stations are left over, or naming a station
/// without a location.
void schedule_round(const Registry& registry, const Design& design, const DrawContext& context,
                    const TicketMaker& tickets, Plan& plan);

} // namespace fuelmap::detail
