// SPDX-License-Identifier: MIT
#include "audit/audit_json.hpp"

#include "util/json_text.hpp"

namespace fuelmap::detail {

void append_finding_json(std::string& out, const AuditFinding& f, std::string_view indent) {
    // Members sit at indent + 2 spaces, array items at indent + 4: dump(2) nested once more.
    const auto member = [&](std::string_view key) {
        out.append(indent).append("  \"").append(key).append("\": ");
    };
    const auto string_member = [&](std::string_view key, std::string_view value) {
        member(key);
        append_json_string(out, value);
        out += ",\n";
    };
    out.append(indent).append("{\n");
    string_member("station_id", f.station_id);
    string_member("element", f.element_kind);
    string_member("element_no", f.element_no);
    string_member("grade", f.grade);
    string_member("class", to_string(f.cls));
    member("critical");
    out.append(is_critical(f.cls) ? "true" : "false").append(",\n");
    string_member("message", f.message);
    member("evidence");
    if (f.evidence.empty()) {
        out += "[]";
    } else {
        out += "[\n";
        for (std::size_t i = 0; i < f.evidence.size(); ++i) {
            out.append(i == 0 ? "" : ",\n").append(indent).append("    ");
            append_json_string(out, f.evidence[i]);
        }
        out.append("\n").append(indent).append("  ]");
    }
    out += ",\n";
    member("position");
    if (f.position) {
        out.append("[\n").append(indent).append("    ");
        append_json_number(out, f.position->lon);
        out.append(",\n").append(indent).append("    ");
        append_json_number(out, f.position->lat);
        out.append("\n").append(indent).append("  ]");
    } else {
        out += "null";
    }
    out.append("\n").append(indent).append("}");
}

} // namespace fuelmap::detail
