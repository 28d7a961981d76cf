// SPDX-License-Identifier: MIT
// fuelmap audit: declared nozzle→tank links against observations and paired lab samples, station by
// station; text, JSON or any GDAL vector format. Rules: docs/audit.md.
#include "cli/command.hpp"

#include <fuelmap/audit_results.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
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

// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): what
// nlohmann::json's dump() accepts without throwing.
bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t n = 0;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else
            return false;
        if (static_cast<std::size_t>(end - p) <= n || p[1] < lo || p[1] > hi)
            return false;
        for (std::size_t k = 2; k <= n; ++k)
            if (p[k] < 0x80 || p[k] > 0xBF)
                return false;
        p += n + 1;
    }
    return true;
}

bool valid_utf8(const AuditFinding& f) noexcept {
    return valid_utf8(f.station_id) && valid_utf8(f.element_kind) && valid_utf8(f.element_no) &&
           valid_utf8(f.grade) && valid_utf8(f.message) &&
           std::all_of(f.evidence.begin(), f.evidence.end(),
                       [](const std::string& e) { return valid_utf8(e); });
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
    // Findings are written one at a time through a buffer: a national audit has millions of them,
    // and a JSON document of all of them at once would take gigabytes.
    std::string buf;
    auto flush = [&](bool always) {
        if (always || buf.size() >= (1u << 20)) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    };
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
        // The same bytes as dump(2) of the whole document: the head ends with `"findings": []\n}`;
        // each finding is dumped on its own and indented by the two levels it sits at.
        const std::string head = j.dump(2);
        // A string that is not UTF-8 makes dump() throw: do it before anything is written, as the
        // dump of the whole document did.
        for (const AuditFinding& f : report.findings)
            if (shown(f) && !valid_utf8(f))
                (void)to_json(f).dump(2);
        const std::size_t tail = head.size() - std::string_view("[]\n}").size();
        bool first = true;
        for (const AuditFinding& f : report.findings) {
            if (!shown(f))
                continue;
            if (first)
                buf.append(head, 0, tail).append("[\n");
            else
                buf += ",\n";
            first = false;
            const std::string one = to_json(f).dump(2); // no raw newline inside its strings
            std::size_t from = 0;
            for (std::size_t nl; (nl = one.find('\n', from)) != std::string::npos; from = nl + 1)
                buf.append("    ").append(one, from, nl + 1 - from);
            buf.append("    ").append(one, from);
            flush(false);
        }
        buf += first ? head : std::string("\n  ]\n}");
        buf += "\n";
    } else {
        std::string station;
        for (const AuditFinding& f : report.findings) {
            if (!shown(f))
                continue;
            if (f.station_id != station) {
                station = f.station_id;
                buf.append("station ").append(station).append("\n");
            }
            buf.append("  ")
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
                buf.append("      - ").append(e).append("\n");
            flush(false);
        }
        buf += std::to_string(report.stations) + " station(s) audited:";
        bool first = true;
        for (AuditClass c : all_audit_classes()) {
            buf.append(first ? " " : ", ")
                .append(std::to_string(report.count(c)))
                .append(" ")
                .append(to_string(c));
            first = false;
        }
        buf += "; " + std::to_string(critical) + " critical\n";
    }
    flush(true);
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
