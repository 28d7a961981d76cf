// SPDX-License-Identifier: MIT
/// @file module_functions.hpp
/// @brief Private to the GDAL module: its functions, which module_entry.cpp hands to the rest of
/// fuelmap (gis/gdal_module.hpp). Each does what the declaration of the same name outside the
/// module promises; the names differ (namespace fuelmap::gis) so that a call inside the module can
/// never reach the forwarding function of the same name in libfuelmap.
#pragma once

#include "gis/gdal_module.hpp"

namespace fuelmap::gis {

ImportSummary import_to_registry(const std::vector<std::filesystem::path>& sources,
                                 const std::filesystem::path& registry, bool append, ImportOptions options);
ImportData read_import_sources(const std::vector<std::filesystem::path>& sources,
                               const ImportOptions& options);
ImportMapping load_mapping(const std::filesystem::path& path);
ExportResult export_registry(const std::filesystem::path& registry, const std::filesystem::path& out,
                             const ExportOptions& options);
std::string format_for_path(const std::filesystem::path& out);
void create_gpkg_registry(const std::filesystem::path& path, const Registry& registry);
void append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                             const GradeTable& grades);
std::vector<DiagramRegion> read_regions(const std::filesystem::path& path, const std::string& name_field);
std::vector<detail::VectorRow> read_vector_rows(const std::filesystem::path& path,
                                                const std::vector<std::string>& required);
std::string make_qgz(const std::string& qgs);
std::unique_ptr<detail::FindingsFile> create_findings_file(const std::filesystem::path& path,
                                                           const std::string& driver);

} // namespace fuelmap::gis
