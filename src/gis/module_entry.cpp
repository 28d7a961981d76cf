// SPDX-License-Identifier: MIT
// The GDAL module's entry point: the one symbol the rest of fuelmap looks up when it loads the
// module (gis/gdal_module.hpp).
#include "gis/module_functions.hpp"

namespace fuelmap::gis {

namespace {

class Module final : public detail::GdalModule {
public:
    ImportSummary import_to_registry(const std::vector<std::filesystem::path>& sources,
                                     const std::filesystem::path& registry, bool append,
                                     ImportOptions options) const override {
        return gis::import_to_registry(sources, registry, append, std::move(options));
    }
    ImportData read_import_sources(const std::vector<std::filesystem::path>& sources,
                                   const ImportOptions& options) const override {
        return gis::read_import_sources(sources, options);
    }
    ImportMapping load_mapping(const std::filesystem::path& path) const override {
        return gis::load_mapping(path);
    }
    ExportResult export_registry(const std::filesystem::path& registry, const std::filesystem::path& out,
                                 const ExportOptions& options) const override {
        return gis::export_registry(registry, out, options);
    }
    std::string format_for_path(const std::filesystem::path& out) const override {
        return gis::format_for_path(out);
    }
    void create_gpkg_registry(const std::filesystem::path& path, const Registry& registry) const override {
        gis::create_gpkg_registry(path, registry);
    }
    void append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                                 const GradeTable& grades) const override {
        gis::append_to_gpkg_registry(path, sites, grades);
    }
    std::vector<DiagramRegion> read_regions(const std::filesystem::path& path,
                                            const std::string& name_field) const override {
        return gis::read_regions(path, name_field);
    }
    std::vector<detail::VectorRow> read_vector_rows(const std::filesystem::path& path,
                                                    const std::vector<std::string>& required) const override {
        return gis::read_vector_rows(path, required);
    }
    std::string make_qgz(const std::string& qgs) const override { return gis::make_qgz(qgs); }
    std::unique_ptr<detail::FindingsFile> create_findings_file(const std::filesystem::path& path,
                                                               const std::string& driver) const override {
        return gis::create_findings_file(path, driver);
    }
};

} // namespace

} // namespace fuelmap::gis

extern "C" __attribute__((visibility("default"))) const fuelmap::detail::GdalModule* fuelmap_gdal_module() {
    static const fuelmap::gis::Module module;
    return &module;
}
