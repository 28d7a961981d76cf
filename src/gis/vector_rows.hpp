// SPDX-License-Identifier: MIT
/// @file vector_rows.hpp
/// @brief Private: reads the first layer of any GDAL vector source (CSV, GeoJSON, GPKG, XLSX …) as
/// rows of text fields, each with its location (file, layer, line for CSV, feature id).
#pragma once

#include <fuelmap/error.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// One feature's fields as text (numbers formatted without loss) and where it was read.
struct VectorRow {
    Location origin;                           ///< file, layer, line (CSV) and fid
    std::map<std::string, std::string> fields; ///< field name → trimmed text ("" when null)
    std::map<std::string, double> numbers;     ///< fields stored as numbers by the source

    /// The text of a field ("" when absent or null).
    [[nodiscard]] std::string get(const std::string& name) const {
        auto it = fields.find(name);
        return it == fields.end() ? std::string() : it->second;
    }
    /// The row's location with feature and field filled in.
    [[nodiscard]] Location at(const std::string& feature, const std::string& field) const {
        Location l = origin;
        l.feature = feature;
        l.field = field;
        return l;
    }
};

/// Reads every feature of the first layer (in the GDAL module, gis/gdal_module.hpp). @p required columns must
/// exist (else InputError naming the file, the layer and the missing field). @throws InputError when the
/// source cannot be opened.
[[nodiscard]] std::vector<VectorRow> read_vector_rows(const std::filesystem::path& path,
                                                      const std::vector<std::string>& required);

} // namespace fuelmap::detail
