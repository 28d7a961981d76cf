// SPDX-License-Identifier: MIT
/// @file audit_printer.hpp
/// @brief The printed report of an audit, as text or as one JSON document, written as the findings
/// come (docs/audit.md §6, "Outputs").
#pragma once

#include <fuelmap/audit.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace fuelmap {

/// What an AuditPrinter writes.
struct AuditPrintOptions {
    /// Text (one block per station, then a summary line) or JSON (one document).
    enum class Format { text, json };
    Format format = Format::text; ///< the format
    bool problems_only = false;   ///< leave consistent and unverified findings out (still counted)
    std::string registry;         ///< the registry's path, as JSON "registry"
    std::string round;            ///< the round audited, as JSON "round" ("" = null)
};

/// Prints findings station by station through a 1 MiB buffer (a national audit has millions), and
/// the summary on finish(): per class counts and the number of critical findings. The JSON document
/// is nlohmann's dump(2) of {registry, round, stations, findings, summary, critical}, byte for byte,
/// with invalid UTF-8 replaced by U+FFFD (only a registry edited by hand can hold it); the text keeps
/// the bytes.
class AuditPrinter final : public AuditSink {
public:
    /// Prints to @p out, which must outlive the printer.
    AuditPrinter(AuditPrintOptions options, std::ostream& out);

    void begin(std::size_t stations, std::size_t nozzles) override;
    void station(std::span<AuditFinding> findings) override;
    /// Writes the summary and what is left in the buffer. Throws nothing but std::bad_alloc (stream
    /// errors are left in @p out's state).
    void finish();
    /// The critical findings seen so far.
    [[nodiscard]] std::size_t critical() const noexcept { return m_critical; }

private:
    void add_text(const AuditFinding& f);
    void add_json(const AuditFinding& f);
    void flush(bool always);
    [[nodiscard]] std::string json_document(bool with_summary) const;

    AuditPrintOptions m_opt;
    std::ostream& m_out;
    std::string m_buf;
    std::string m_station;
    std::size_t m_stations = 0;
    std::vector<std::size_t> m_counts; // per AuditClass, indexed by its value
    std::size_t m_critical = 0;
    bool m_any = false;
};

} // namespace fuelmap
