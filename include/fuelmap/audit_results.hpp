// SPDX-License-Identifier: MIT
/// @file audit_results.hpp
/// @brief The audit of a registry file: evidence recorded in it (observations, lab results of the
/// recorded plans) plus optional files, findings written to any GDAL vector format, and the
/// stations that failed a round (the certainty set of the next round). Rules: docs/audit.md.
#pragma once

#include <fuelmap/audit.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fuelmap {

/// What to audit and with which tables.
struct AuditRequest {
    std::filesystem::path registry;                    ///< the registry GeoPackage
    std::optional<std::filesystem::path> observations; ///< extra observations file (not recorded)
    std::optional<std::filesystem::path> lab;          ///< extra lab results file (not recorded)
    std::optional<std::filesystem::path> precision;    ///< precision table (default: shipped)
    std::optional<std::filesystem::path> limits;       ///< grade limits (default: shipped)
    std::string round;                 ///< when set: that round's stations and only its samples' results
    std::vector<std::string> stations; ///< when set: only these stations
    bool all_stations = false;         ///< every registry station (otherwise those with evidence)
};

/// Runs the audit of a registry. @throws InputError on a bad file, an unknown round or station, or
/// evidence that does not pass the import checks (see observation.hpp and lab_result.hpp).
[[nodiscard]] AuditReport audit_registry(const AuditRequest& request);

/// audit_registry() without keeping the findings: they go to @p sink station by station. All
/// input is read and checked before the first finding reaches the sink.
void audit_registry(const AuditRequest& request, AuditSink& sink);

/// Writes findings, as they come, as a point layer "audit_findings" (see write_audit_findings()).
/// The file is complete once finish() returned; a writer destroyed before that removes it.
class AuditFindingsWriter final : public AuditSink {
public:
    /// Starts @p path with the GDAL driver @p driver: written beside it and put in place whole by
    /// finish() (an earlier file stays as it was until then). @throws Error when the driver is
    /// unknown or cannot create vector files, or the file cannot be created.
    AuditFindingsWriter(const std::filesystem::path& path, const std::string& driver);
    ~AuditFindingsWriter() override;
    AuditFindingsWriter(const AuditFindingsWriter&) = delete;
    AuditFindingsWriter& operator=(const AuditFindingsWriter&) = delete;

    void begin(std::size_t stations, std::size_t nozzles) override;
    void station(std::span<AuditFinding> findings) override;
    /// Writes @p findings. @throws Error when writing fails.
    void write(std::span<const AuditFinding> findings);
    /// Commits and closes the file and puts it in place. @throws Error naming the file when that
    /// fails (a full disk says so); the earlier file is then left as it was.
    void finish();

private:
    struct File;
    std::unique_ptr<File> m_file;
};

/// Writes the findings as a point layer "audit_findings" (station, element, grade, class,
/// critical, message, evidence) in WGS84 to @p path with the GDAL driver @p driver (e.g.
/// "GeoJSON", "GPKG", "KML", "CSV"). @throws Error when the driver is unknown or writing fails.
void write_audit_findings(const AuditReport& report, const std::filesystem::path& path,
                          const std::string& driver);

/// The stations of round @p round (a plan recorded in @p registry) with a finding that counts as a
/// failure (is_failure(): non-conforming, cross-connection, hidden tank, transposition,
/// mislabelled tank), judged with the shipped precision and limits tables; sorted by id.
/// @throws InputError when the file is not a registry or the round has no recorded plan.
[[nodiscard]] std::vector<std::string> failed_stations(const std::filesystem::path& registry,
                                                       const std::string& round);

} // namespace fuelmap
