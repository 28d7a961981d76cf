// SPDX-License-Identifier: MIT
/// @file sampling_fixtures.hpp
/// @brief Test helpers for the draw and the schedule: a design from JSON text and a draw context.
#pragma once

#include <fuelmap/design.hpp>
#include <fuelmap/sampler.hpp>

#include <string>

namespace fuelmap::testing {

/// The design written in @p json, as if read from "design.json" in the current folder.
/// @throws InputError as parse_design().
inline Design design(const std::string& json) {
    return parse_design(json, "design.json", ".");
}

/// A draw context naming the registry "reg.gpkg" (what messages and the plan show).
inline DrawContext draw_context() {
    DrawContext c;
    c.registry_file = "reg.gpkg";
    return c;
}

} // namespace fuelmap::testing
