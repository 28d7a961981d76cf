// SPDX-License-Identifier: MIT
/// @file fuelmap.hpp
/// @brief Every public header of the fuelmap library at once. Each header holds one concept and can
/// be included on its own; none includes GDAL or SQLite.
#pragma once

#include <fuelmap/audit.hpp>
#include <fuelmap/audit_printer.hpp>
#include <fuelmap/audit_results.hpp>
#include <fuelmap/case.hpp>
#include <fuelmap/case_actors.hpp>
#include <fuelmap/case_registry.hpp>
#include <fuelmap/case_rules.hpp>
#include <fuelmap/case_stats.hpp>
#include <fuelmap/checkpoint.hpp>
#include <fuelmap/china_crs.hpp>
#include <fuelmap/design.hpp>
#include <fuelmap/diagram.hpp>
#include <fuelmap/error.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/geo.hpp>
#include <fuelmap/grade.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/lab_result.hpp>
#include <fuelmap/ledger.hpp>
#include <fuelmap/observation.hpp>
#include <fuelmap/plan.hpp>
#include <fuelmap/plan_outputs.hpp>
#include <fuelmap/precision.hpp>
#include <fuelmap/progress.hpp>
#include <fuelmap/publish.hpp>
#include <fuelmap/registry.hpp>
#include <fuelmap/registry_file.hpp>
#include <fuelmap/registry_lock.hpp>
#include <fuelmap/rfc3797.hpp>
#include <fuelmap/round_stats.hpp>
#include <fuelmap/sampler.hpp>
#include <fuelmap/seed.hpp>
#include <fuelmap/site.hpp>
#include <fuelmap/station_graph.hpp>
#include <fuelmap/synth.hpp>
#include <fuelmap/ticket.hpp>
#include <fuelmap/validation.hpp>
#include <fuelmap/verify.hpp>
