// SPDX-License-Identifier: MIT
// fuelmap audit: declared nozzle→tank links against observations and paired lab samples, station by
// station; text, JSON or any GDAL vector format. Rules: docs/audit.md.
#include "cli/command.hpp"

#include <fuelmap/audit_results.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

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

nlohmann::ordered_json to_json(const AuditFinding& f) {
    nlohmann::ordered_json j;
    j["station_id"] = f.station_id;
    j["element"] = f.element_kind;
    j["element_no"] = f.element_no;
    j["grade"] = f.grade;
    j["class"] = std::string(to_string(f.cls));
    j["critical"] = is_critical(f.cls);
    j["message"] = f.message;
    j["evidence"] = f.evidence;
    if (f.position)
        j["position"] = {f.position->lon, f.position->lat};
    else
        j["position"] = nullptr;
    return j;
}

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
    const AuditReport report = audit_registry(req);
    std::size_t critical = 0;
    for (const AuditFinding& f : report.findings)
        critical += is_critical(f.cls) ? 1 : 0;
    auto shown = [&](const AuditFinding& f) {
        return !opt.problems_only || (f.cls != AuditClass::consistent && f.cls != AuditClass::unverified);
    };
    if (!opt.output.empty())
        write_audit_findings(report, opt.output, opt.gdal_format);
    if (opt.format == "json") {
        nlohmann::ordered_json j;
        j["registry"] = req.registry.string();
        j["round"] = req.round.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(req.round);
        j["stations"] = report.stations;
        nlohmann::ordered_json summary = nlohmann::ordered_json::object();
        for (AuditClass c : all_audit_classes())
            summary[std::string(to_string(c))] = report.count(c);
        j["summary"] = summary;
        j["critical"] = critical;
        j["findings"] = nlohmann::ordered_json::array();
        for (const AuditFinding& f : report.findings)
            if (shown(f))
                j["findings"].push_back(to_json(f));
        out << j.dump(2) << "\n";
    } else {
        std::string station;
        for (const AuditFinding& f : report.findings) {
            if (!shown(f))
                continue;
            if (f.station_id != station) {
                station = f.station_id;
                out << "station " << station << "\n";
            }
            out << "  " << (is_critical(f.cls) ? "CRITICAL " : "") << to_string(f.cls) << "  "
                << f.element_kind << " " << f.element_no << " (" << f.grade << "): " << f.message << "\n";
            for (const std::string& e : f.evidence)
                out << "      - " << e << "\n";
        }
        out << report.stations << " station(s) audited:";
        bool first = true;
        for (AuditClass c : all_audit_classes()) {
            out << (first ? " " : ", ") << report.count(c) << " " << to_string(c);
            first = false;
        }
        out << "; " << critical << " critical\n";
    }
    return critical > 0 ? exit_findings : exit_ok;
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
