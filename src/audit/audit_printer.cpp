// SPDX-License-Identifier: MIT
#include <fuelmap/audit_printer.hpp>

#include "audit/audit_json.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string_view>

namespace fuelmap {

namespace {

constexpr std::string_view findings_key = "\"findings\": ";

std::string dump_json(const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace

AuditPrinter::AuditPrinter(AuditPrintOptions options, std::ostream& out)
    : m_opt(std::move(options)), m_out(out), m_counts(all_audit_classes().size(), 0) {}

// The JSON document with an empty findings array: written up to that array in begin(), which is then
// filled finding by finding; the rest is written by finish(). Findings are written without nlohmann
// (audit_json.hpp), byte for byte as it would write them.
std::string AuditPrinter::json_document(bool with_summary) const {
    nlohmann::ordered_json j;
    j["registry"] = m_opt.registry;
    j["round"] = m_opt.round.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m_opt.round);
    j["stations"] = m_stations;
    j["findings"] = nlohmann::ordered_json::array();
    nlohmann::ordered_json summary = nullptr;
    if (with_summary) {
        summary = nlohmann::ordered_json::object();
        for (AuditClass c : all_audit_classes())
            summary[std::string(to_string(c))] = m_counts[static_cast<std::size_t>(c)];
    }
    j["summary"] = summary;
    j["critical"] = m_critical;
    return dump_json(j);
}

void AuditPrinter::begin(std::size_t stations, std::size_t) {
    m_stations = stations;
    if (m_opt.format == AuditPrintOptions::Format::json) {
        const std::string head = json_document(false);
        m_buf.append(head, 0, head.find(findings_key) + findings_key.size());
    }
}

void AuditPrinter::station(std::span<AuditFinding> findings) {
    for (const AuditFinding& f : findings) {
        ++m_counts[static_cast<std::size_t>(f.cls)];
        m_critical += is_critical(f.cls) ? 1 : 0;
        if (m_opt.problems_only && (f.cls == AuditClass::consistent || f.cls == AuditClass::unverified))
            continue;
        if (m_opt.format == AuditPrintOptions::Format::json)
            add_json(f);
        else
            add_text(f);
        flush(false);
    }
}

void AuditPrinter::finish() {
    if (m_opt.format == AuditPrintOptions::Format::json) {
        const std::string whole = json_document(true);
        const std::size_t tail = whole.find(findings_key) + findings_key.size() + 2; // after "[]"
        m_buf.append(m_any ? "\n  ]" : "[]").append(whole, tail).append("\n");
    } else {
        m_buf += std::to_string(m_stations) + " station(s) audited:";
        bool first = true;
        for (AuditClass c : all_audit_classes()) {
            m_buf.append(first ? " " : ", ")
                .append(std::to_string(m_counts[static_cast<std::size_t>(c)]))
                .append(" ")
                .append(to_string(c));
            first = false;
        }
        m_buf += "; " + std::to_string(m_critical) + " critical\n";
    }
    flush(true);
}

void AuditPrinter::add_json(const AuditFinding& f) {
    m_buf.append(m_any ? ",\n" : "[\n");
    m_any = true;
    detail::append_finding_json(m_buf, f, "    "); // the two levels the finding sits at
}

void AuditPrinter::add_text(const AuditFinding& f) {
    if (f.station_id != m_station) {
        m_station = f.station_id;
        m_buf.append("station ").append(m_station).append("\n");
    }
    m_buf.append("  ")
        .append(is_critical(f.cls) ? "CRITICAL " : "")
        .append(to_string(f.cls))
        .append("  ")
        .append(f.element_kind)
        .append(" ")
        .append(f.element_no)
        .append(" (")
        .append(f.grade)
        .append("): ")
        .append(f.message)
        .append("\n");
    for (const std::string& e : f.evidence)
        m_buf.append("      - ").append(e).append("\n");
}

void AuditPrinter::flush(bool always) {
    if (always || m_buf.size() >= (1u << 20)) {
        m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        m_buf.clear();
    }
}

} // namespace fuelmap
