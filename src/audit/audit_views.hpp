// SPDX-License-Identifier: MIT
/// @file audit_views.hpp
/// @brief Private: the audit on observations held as views (an ObservationTable), as
/// audit_registry() reads them from a registry.
#pragma once

#include <fuelmap/audit.hpp>

#include "audit/observation_table.hpp"
#include "util/threading.hpp"

#include <iterator>
#include <span>

namespace fuelmap::detail {

/// An AuditSink that keeps every finding in a report.
class ReportSink final : public AuditSink {
public:
    /// Fills @p report (which must outlive the sink).
    explicit ReportSink(AuditReport& report) : m_report(report) {}
    void begin(std::size_t stations, std::size_t nozzles) override {
        m_report.stations = stations;
        m_report.findings.reserve(m_report.findings.size() + nozzles);
    }
    void station(std::span<AuditFinding> findings) override {
        m_report.findings.insert(m_report.findings.end(), std::make_move_iterator(findings.begin()),
                                 std::make_move_iterator(findings.end()));
    }

private:
    AuditReport& m_report;
};

/// fuelmap::audit_each() on observation views, with a choice of threading (a worker audits blocks
/// of stations ahead; the sink sees the same findings in the same order either way).
/// @throws InputError as audit(); rethrows what the sink throws.
void audit_each(const Registry& registry, std::span<const ObservationView> observations,
                std::span<const LabResult> results, const PrecisionTable& precision,
                const GradeLimits& limits, const AuditOptions& options, AuditSink& sink, Threading threading);

} // namespace fuelmap::detail
