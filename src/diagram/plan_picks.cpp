// SPDX-License-Identifier: MIT
// A plan's picks against the registry's station they are drawn on.
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>

namespace fuelmap {

void check_plan_picks(const Selection& selection, const Site& site, const std::string& plan_file) {
    for (const PlannedSample& s : selection.samples) {
        if (!site.find_nozzle(s.nozzle_no))
            throw InputError({.file = plan_file,
                              .feature = element_id(selection.station_id, s.nozzle_no),
                              .field = "nozzle_no"},
                             "the plan samples nozzle " + s.nozzle_no +
                                 " which the registry's station does not have");
        for (const SupplyLeg& l : s.claimed_tanks)
            if (!site.find_tank(l.tank_no))
                throw InputError({.file = plan_file,
                                  .feature = element_id(selection.station_id, l.tank_no),
                                  .field = "claimed_tanks"},
                                 "the plan samples tank " + l.tank_no +
                                     " which the registry's station does not have");
    }
}

} // namespace fuelmap
