// SPDX-License-Identifier: MIT
// fuelmap audit: declared nozzle→tank links against observations and paired lab samples, station by
// station; text, JSON or any GDAL vector format. Rules: docs/audit.md.
#include "audit/audit_json.hpp"
#include "cli/command.hpp"
#include "util/output_guard.hpp"

#include <fuelmap/audit_results.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fuelmap::cli {

namespace {

struct AuditCliOptions {
    AuditRequest request;
    std::string observations, lab, precision, limits;
    std::string format = "text";
    std::string output;
    std::string gdal_format = "GeoJSON";
    bool problems_only = false;
};

// Invalid UTF-8 (only a registry edited by hand can hold it: observation and lab files are checked)
// becomes U+FFFD in JSON, which cannot carry it; the text output keeps the bytes. Findings are written
// without nlohmann (detail/audit_json.hpp), byte for byte as this would write them.
std::string dump_json(const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Writes the findings as they come, station by station, through a buffer: a national audit has
// millions of them. Counts the classes for the summary at the end.
class AuditOutput final : public AuditSink {
public:
    AuditOutput(const AuditCliOptions& options, std::ostream& out) : m_opt(options), m_out(out) {}

    // Called once the input is read and checked: a bad input leaves an earlier -o file alone.
    void begin(std::size_t stations, std::size_t) override {
        m_stations = stations;
        if (!m_opt.output.empty())
            m_file.emplace(m_opt.output, m_opt.gdal_format);
        if (m_opt.format == "json") {
            // The document is dump(2) of {registry, round, stations, findings, summary, critical}:
            // written up to the findings array now, which is then filled finding by finding.
            const std::string head = dump_json(document(nullptr));
            m_buf.append(head, 0, head.find(findings_key) + findings_key.size());
        }
    }

    void station(std::span<AuditFinding> findings) override {
        if (m_file)
            m_file->write(findings);
        for (const AuditFinding& f : findings) {
            ++m_counts[static_cast<std::size_t>(f.cls)];
            m_critical += is_critical(f.cls) ? 1 : 0;
            if (m_opt.problems_only && (f.cls == AuditClass::consistent || f.cls == AuditClass::unverified))
                continue;
            if (m_opt.format == "json")
                add_json(f);
            else
                add_text(f);
            flush(false);
        }
    }

    // Completes the -o file, then writes the summary and what is left in the buffer.
    void finish() {
        if (m_file)
            m_file->finish();
        if (m_opt.format == "json") {
            nlohmann::ordered_json summary = nlohmann::ordered_json::object();
            for (AuditClass c : all_audit_classes())
                summary[std::string(to_string(c))] = m_counts[static_cast<std::size_t>(c)];
            const std::string whole = dump_json(document(summary));
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

    std::size_t critical() const noexcept { return m_critical; }

private:
    static constexpr std::string_view findings_key = "\"findings\": ";

    nlohmann::ordered_json document(const nlohmann::ordered_json& summary) const {
        nlohmann::ordered_json j;
        j["registry"] = m_opt.request.registry.string();
        j["round"] = m_opt.request.round.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(m_opt.request.round);
        j["stations"] = m_stations;
        j["findings"] = nlohmann::ordered_json::array();
        j["summary"] = summary;
        j["critical"] = m_critical;
        return j;
    }

    void add_json(const AuditFinding& f) {
        m_buf.append(m_any ? ",\n" : "[\n");
        m_any = true;
        detail::append_finding_json(m_buf, f, "    "); // the two levels the finding sits at
    }

    void add_text(const AuditFinding& f) {
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

    void flush(bool always) {
        if (always || m_buf.size() >= (1u << 20)) {
            m_out.write(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
            m_buf.clear();
        }
    }

    const AuditCliOptions& m_opt;
    std::ostream& m_out;
    std::optional<AuditFindingsWriter> m_file;
    std::string m_buf;
    std::string m_station;
    std::size_t m_stations = 0;
    std::array<std::size_t, 9> m_counts{};
    std::size_t m_critical = 0;
    bool m_any = false;
};

int run_audit(AuditCliOptions& opt, std::ostream& out) {
    AuditRequest& req = opt.request;
    if (!opt.observations.empty())
        req.observations = opt.observations;
    if (!opt.lab.empty())
        req.lab = opt.lab;
    if (!opt.precision.empty())
        req.precision = opt.precision;
    if (!opt.limits.empty())
        req.limits = opt.limits;
    if (!opt.output.empty())
        detail::OutputGuard()
            .input(req.registry, "the registry")
            .input(opt.observations, "the observations file")
            .input(opt.lab, "the lab results file")
            .input(opt.precision, "the precision table")
            .input(opt.limits, "the grade limits table")
            .check_file(opt.output);
    AuditOutput output(opt, out);
    audit_registry(req, output);
    output.finish();
    return output.critical() > 0 ? exit_findings : exit_ok;
}

} // namespace

Runner setup_audit(CLI::App& app) {
    auto opt = std::make_shared<AuditCliOptions>();
    app.add_option("-r,--registry", opt->request.registry, "Registry GeoPackage")->required();
    app.add_option("stations", opt->request.stations, "Only these stations");
    app.add_option("--observations", opt->observations,
                   "Extra observations file (checked like `fuelmap observe`, not recorded)");
    app.add_option("--lab", opt->lab, "Extra lab results file (checked like `fuelmap lab`, not recorded)");
    app.add_option("--round", opt->request.round,
                   "Audit the stations of this round's recorded plan, with its samples' results only");
    app.add_flag("--all", opt->request.all_stations,
                 "Audit every station (default: stations with evidence, or the round's stations)");
    app.add_option("--precision", opt->precision,
                   "Precision table CSV (default: shipped data/precision.csv)");
    app.add_option("--limits", opt->limits, "Grade limits CSV (default: shipped data/grade_limits.csv)");
    app.add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"text", "json"}));
    app.add_flag("--problems", opt->problems_only,
                 "Leave consistent and unverified findings out of the output");
    app.add_option("-o,--output", opt->output, "Also write the findings as points to this file");
    app.add_option("-f,--gdal-format", opt->gdal_format,
                   "GDAL vector driver for -o (GeoJSON, GPKG, KML, CSV …)");
    app.footer("Classes: consistent, cross-connection, transposition, hidden-tank, mislabelled-tank,\n"
               "different-fuel, non-conforming, inconclusive, unverified (see docs/audit.md).\n"
               "Exit status: 0 nothing critical, 1 a critical finding (cross-connection, transposition,\n"
               "hidden-tank, mislabelled-tank, different-fuel, non-conforming), 2 bad input.");
    return [opt] { return run_audit(*opt, std::cout); };
}

} // namespace fuelmap::cli
