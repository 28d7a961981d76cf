// SPDX-License-Identifier: MIT
/// @file lab_result.hpp
/// @brief Laboratory results of the samples of a plan (nozzle-outlet and tank samples): one row
/// per sample, property and method. Import format and rules: docs/audit.md.
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/plan.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

class Registry;
class PrecisionTable;

/// Where a sample was drawn.
enum class SampleSource { nozzle, tank };

/// "nozzle" or "tank".
[[nodiscard]] std::string_view to_string(SampleSource s) noexcept;

/// One test result of one sample.
struct LabResult {
    std::string sample_id;                      ///< id from the plan (written on the can)
    std::string station_id;                     ///< registry code
    SampleSource source = SampleSource::nozzle; ///< nozzle outlet or tank
    std::string element_no;                     ///< nozzle_no or tank_no
    std::string depth;    ///< tank samples: "upper", "middle", "lower", "composite" or ""
    std::string property; ///< e.g. "RON"
    double value = 0.0;   ///< the result
    std::string unit;     ///< must be the precision table's unit for the property
    std::string method;   ///< test method, as in the precision table
    std::string lab;      ///< laboratory id
    Location origin{};    ///< where it was read (file, line or fid)
};

/// Checks results against the registry, the precision table and the plans: known station, known
/// nozzle or tank, a sample id that one of @p plans lists for that station and element, a
/// (property, method) in the precision table and its unit, a known depth, no duplicate
/// (sample, property, method, lab). @throws InputError at the result's origin naming the feature
/// and the field.
void check_lab_results(const std::vector<LabResult>& results, const Registry& registry,
                       const PrecisionTable& precision, const std::vector<Plan>& plans);

/// Reads results from a CSV file or any GDAL vector source with the columns sample_id,
/// station_id, source, nozzle_no, tank_no, depth, property, value, unit, method, lab (a source
/// may leave out nozzle_no, tank_no or depth when it never needs them). @throws InputError naming
/// file, line or feature id, and field.
[[nodiscard]] std::vector<LabResult> read_lab_file(const std::filesystem::path& path);

/// Checks @p results (against the plans recorded in the registry and @p extra_plans) and stores
/// them in table fuelmap_lab_results with one ledger entry each, in one transaction: all or
/// nothing. Returns the number stored. @throws InputError on any bad row or a result already
/// recorded; the registry is then unchanged.
std::size_t record_lab_results(const std::filesystem::path& registry, const std::vector<LabResult>& results,
                               const PrecisionTable& precision, const std::vector<Plan>& extra_plans = {});

/// The results recorded in a registry, in the order they were stored (empty when none).
/// @throws InputError when the file is not a registry.
[[nodiscard]] std::vector<LabResult> read_recorded_lab_results(const std::filesystem::path& registry);

} // namespace fuelmap
