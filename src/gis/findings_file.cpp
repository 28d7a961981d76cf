// SPDX-License-Identifier: MIT
// The file of an AuditFindingsWriter: a point layer "audit_findings" in WGS84, in any GDAL vector
// format, written beside its target and put in place whole.
#include <fuelmap/audit_results.hpp>
#include <fuelmap/error.hpp>

#include "gis/gdal_util.hpp"
#include "gis/module_functions.hpp"
#include "gis/staged_dataset.hpp"
#include "util/csv_cell.hpp"

namespace fuelmap {

namespace {

class GdalFindingsFile final : public detail::FindingsFile {
public:
    GdalFindingsFile(const std::filesystem::path& path, const std::string& driver_name) : m_path(path) {
        detail::ensure_gdal();
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
        if (!driver || !driver->GetMetadataItem(GDAL_DCAP_VECTOR) ||
            !driver->GetMetadataItem(GDAL_DCAP_CREATE))
            throw Error("GDAL driver '" + driver_name + "' cannot create vector files");
        m_csv = std::string(driver->GetDescription()) == "CSV";
        m_staged = std::make_unique<detail::StagedDataset>(path);
        const bool zipped = driver_name == "XLSX" || driver_name == "ODS"; // written through /vsizip/
        const std::string create_path = zipped ? m_staged->plain_path() : m_staged->gdal_path();
        m_dataset.reset(driver->Create(create_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_dataset)
            throw Error(path.string() + ": cannot create: " + detail::last_gdal_error());
        auto wgs84 = detail::make_wgs84();
        OGRLayer* layer = m_dataset->CreateLayer("audit_findings", wgs84.get(), wkbPoint, nullptr);
        if (!layer)
            throw Error(path.string() + ": cannot create layer audit_findings: " + detail::last_gdal_error());
        const std::pair<const char*, OGRFieldType> fields[] = {
            {"station_id", OFTString}, {"element", OFTString}, {"element_no", OFTString},
            {"grade", OFTString},      {"class", OFTString},   {"critical", OFTInteger},
            {"message", OFTString},    {"evidence", OFTString}};
        for (const auto& [name, type] : fields) {
            OGRFieldDefn defn(name, type);
            if (layer->CreateField(&defn) != OGRERR_NONE)
                throw Error(path.string() + ": cannot create field " + name + ": " +
                            detail::last_gdal_error());
        }
        m_layer = layer;
        m_transaction =
            m_dataset->TestCapability(ODsCTransactions) && m_dataset->StartTransaction() == OGRERR_NONE;
    }

    ~GdalFindingsFile() override {
        m_dataset.reset(); // then the staged file is removed: an earlier file is left as it was
    }

    void write(std::span<const AuditFinding> findings) override {
        if (!m_dataset)
            throw Error(m_path.string() + ": the findings file is already closed");
        const bool csv = m_csv;
        auto text = [csv](OGRFeature& feature, const char* field, const std::string& value) {
            feature.SetField(field, csv ? detail::neutralise_csv_text(value).c_str() : value.c_str());
        };
        std::string evidence;
        for (const AuditFinding& f : findings) {
            OGRFeature feature(m_layer->GetLayerDefn());
            text(feature, "station_id", f.station_id);
            text(feature, "element", f.element_kind);
            text(feature, "element_no", f.element_no);
            text(feature, "grade", f.grade);
            text(feature, "class", std::string(to_string(f.cls)));
            feature.SetField("critical", is_critical(f.cls) ? 1 : 0);
            text(feature, "message", f.message);
            evidence.clear();
            for (const std::string& e : f.evidence)
                evidence.append(evidence.empty() ? "" : " | ").append(e);
            text(feature, "evidence", evidence);
            if (f.position)
                feature.SetGeometryDirectly(new OGRPoint(f.position->lon, f.position->lat));
            if (m_layer->CreateFeature(&feature) != OGRERR_NONE)
                throw Error(m_path.string() + ": cannot write a finding: " + detail::last_gdal_error());
        }
    }

    void finish() override {
        if (!m_dataset)
            return;
        const std::string path = m_path.string();
        if (m_transaction && m_dataset->CommitTransaction() != OGRERR_NONE)
            throw Error(path + ": cannot commit: " + detail::last_gdal_error());
        CPLErrorReset();
        m_dataset.reset();
        if (CPLGetLastErrorType() == CE_Failure) {
            m_staged->check(); // a full disk says so
            throw Error(path + ": cannot write: " + detail::last_gdal_error());
        }
        m_staged->commit();
    }

private:
    std::filesystem::path m_path;
    std::unique_ptr<detail::StagedDataset> m_staged; // put in place by finish(), whole
    GDALDatasetUniquePtr m_dataset;
    OGRLayer* m_layer = nullptr;
    bool m_transaction = false;
    bool m_csv = false; // text cells neutralised for spreadsheets
};

} // namespace

std::unique_ptr<detail::FindingsFile> gis::create_findings_file(const std::filesystem::path& path,
                                                                const std::string& driver) {
    return std::make_unique<GdalFindingsFile>(path, driver);
}

} // namespace fuelmap
