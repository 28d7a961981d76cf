// SPDX-License-Identifier: MIT
// The functions the rest of fuelmap (and the public API) declares and the GDAL module does: each
// hands its call to the module (gis/gdal_module.hpp), which is loaded on the first of them.
#include <fuelmap/diagram.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/import.hpp>

#include "gis/gdal_module.hpp"
#include "gis/vector_rows.hpp"
#include "store/qgis_style.hpp"
#include "store/registry_writer.hpp"

namespace fuelmap {

ImportSummary import_to_registry(const std::vector<std::filesystem::path>& sources,
                                 const std::filesystem::path& registry, bool append, ImportOptions options) {
    return detail::gdal_module().import_to_registry(sources, registry, append, std::move(options));
}

ImportData read_import_sources(const std::vector<std::filesystem::path>& sources,
                               const ImportOptions& options) {
    return detail::gdal_module().read_import_sources(sources, options);
}

ImportMapping load_mapping(const std::filesystem::path& path) {
    return detail::gdal_module().load_mapping(path);
}

std::string format_for_path(const std::filesystem::path& out) {
    return detail::gdal_module().format_for_path(out);
}

ExportResult export_registry(const std::filesystem::path& registry, const std::filesystem::path& out,
                             const ExportOptions& options) {
    return detail::gdal_module().export_registry(registry, out, options);
}

std::vector<DiagramRegion> read_regions(const std::filesystem::path& path, const std::string& name_field) {
    return detail::gdal_module().read_regions(path, name_field);
}

namespace detail {

void create_gpkg_registry(const std::filesystem::path& path, const Registry& registry) {
    gdal_module().create_gpkg_registry(path, registry);
}

void append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                             const GradeTable& grades) {
    gdal_module().append_to_gpkg_registry(path, sites, grades);
}

std::vector<VectorRow> read_vector_rows(const std::filesystem::path& path,
                                        const std::vector<std::string>& required) {
    return gdal_module().read_vector_rows(path, required);
}

std::string make_qgz(const std::string& qgs) {
    return gdal_module().make_qgz(qgs);
}

} // namespace detail

} // namespace fuelmap
