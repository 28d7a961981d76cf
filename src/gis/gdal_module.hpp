// SPDX-License-Identifier: MIT
/// @file gdal_module.hpp
/// @brief Private: what the GDAL module (libfuelmap_gdal.so, the sources of src/gis/) does for the
/// rest of fuelmap. GDAL and the ~110 libraries it loads take longer to load than a whole `fuelmap
/// seed` takes to run, so the module is loaded on first use (src/gis_calls/): commands that never
/// read or write a GIS format start without it. No GDAL type crosses this interface.
#pragma once

#include <fuelmap/audit_results.hpp>
#include <fuelmap/diagram.hpp>
#include <fuelmap/export.hpp>
#include <fuelmap/import.hpp>
#include <fuelmap/registry.hpp>

#include "gis/vector_rows.hpp"

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace fuelmap::detail {

/// A findings file being written (AuditFindingsWriter's file): written beside its target and put in
/// place whole by finish(); dropped before that, it leaves nothing.
class FindingsFile {
public:
    virtual ~FindingsFile() = default;
    /// Writes @p findings. @throws Error when writing fails.
    virtual void write(std::span<const AuditFinding> findings) = 0;
    /// Commits, closes and puts the file in place. @throws Error naming the file when that fails.
    virtual void finish() = 0;
};

/// The GDAL module's functions; each is documented where the rest of fuelmap declares it.
class GdalModule {
public:
    virtual ~GdalModule() = default;
    /// fuelmap::import_to_registry()
    virtual ImportSummary import_to_registry(const std::vector<std::filesystem::path>& sources,
                                             const std::filesystem::path& registry, bool append,
                                             ImportOptions options) const = 0;
    /// fuelmap::read_import_sources()
    virtual ImportData read_import_sources(const std::vector<std::filesystem::path>& sources,
                                           const ImportOptions& options) const = 0;
    /// fuelmap::load_mapping()
    virtual ImportMapping load_mapping(const std::filesystem::path& path) const = 0;
    /// fuelmap::export_registry()
    virtual ExportResult export_registry(const std::filesystem::path& registry,
                                         const std::filesystem::path& out,
                                         const ExportOptions& options) const = 0;
    /// fuelmap::format_for_path()
    virtual std::string format_for_path(const std::filesystem::path& out) const = 0;
    /// detail::create_gpkg_registry() (store/registry_writer.hpp)
    virtual void create_gpkg_registry(const std::filesystem::path& path, const Registry& registry) const = 0;
    /// detail::append_to_gpkg_registry() (store/registry_writer.hpp)
    virtual void append_to_gpkg_registry(const std::filesystem::path& path, std::span<const Site> sites,
                                         const GradeTable& grades) const = 0;
    /// fuelmap::read_regions()
    virtual std::vector<DiagramRegion> read_regions(const std::filesystem::path& path,
                                                    const std::string& name_field) const = 0;
    /// detail::read_vector_rows() (gis/vector_rows.hpp)
    virtual std::vector<VectorRow> read_vector_rows(const std::filesystem::path& path,
                                                    const std::vector<std::string>& required) const = 0;
    /// detail::make_qgz() (store/qgis_style.hpp)
    virtual std::string make_qgz(const std::string& qgs) const = 0;
    /// The file of an AuditFindingsWriter: @p path with the GDAL driver @p driver.
    virtual std::unique_ptr<FindingsFile> create_findings_file(const std::filesystem::path& path,
                                                               const std::string& driver) const = 0;
};

/// The name of the module's entry point, `extern "C" const GdalModule* fuelmap_gdal_module()`.
inline constexpr const char* gdal_module_entry = "fuelmap_gdal_module";

/// The module's file name; it is looked for beside the library that holds the rest of fuelmap.
inline constexpr const char* gdal_module_file = "libfuelmap_gdal.so";

/// The GDAL module, loaded on the first call (thread-safe). @throws Error naming the module's file
/// when it cannot be loaded.
[[nodiscard]] const GdalModule& gdal_module();

} // namespace fuelmap::detail
