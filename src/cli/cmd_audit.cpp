// SPDX-License-Identifier: MIT
// fuelmap audit: declared nozzle→tank links against observations and paired lab samples, station by
// station; text, JSON or any GDAL vector format. Rules: docs/audit.md.
#include "cli/command.hpp"
#include "util/output_guard.hpp"

#include <CLI/CLI.hpp>

#include <fuelmap/audit_printer.hpp>
#include <fuelmap/audit_results.hpp>

#include <optional>
#include <ostream>
#include <span>
#include <string>

namespace fuelmap::cli {

namespace {

// The printed report, and the findings file of -o beside it.
class AuditOutput final : public AuditSink {
public:
    AuditOutput(const AuditCliOptions& options, std::ostream& out)
        : m_opt(options), m_printer(print_options(options), out) {}

    // Called once the input is read and checked: a bad input leaves an earlier -o file alone.
    void begin(std::size_t stations, std::size_t nozzles) override {
        if (!m_opt.output.empty())
            m_file.emplace(m_opt.output, m_opt.gdal_format);
        m_printer.begin(stations, nozzles);
    }

    void station(std::span<AuditFinding> findings) override {
        if (m_file)
            m_file->write(findings);
        m_printer.station(findings);
    }

    // Completes the -o file, then prints the summary.
    void finish() {
        if (m_file)
            m_file->finish();
        m_printer.finish();
    }

    std::size_t critical() const noexcept { return m_printer.critical(); }

private:
    static AuditPrintOptions print_options(const AuditCliOptions& opt) {
        return {.format =
                    opt.format == "json" ? AuditPrintOptions::Format::json : AuditPrintOptions::Format::text,
                .problems_only = opt.problems_only,
                .registry = opt.request.registry.string(),
                .round = opt.request.round};
    }

    const AuditCliOptions& m_opt;
    AuditPrinter m_printer;
    std::optional<AuditFindingsWriter> m_file;
};

} // namespace

int run_audit(const AuditCliOptions& opt, std::ostream& out, std::ostream&) {
    AuditRequest req = opt.request;
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
    return [opt](std::ostream& out, std::ostream& err) { return run_audit(*opt, out, err); };
}

} // namespace fuelmap::cli
