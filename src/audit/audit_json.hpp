// SPDX-License-Identifier: MIT
/// @file audit_json.hpp
/// @brief Private: an audit finding as JSON text, written straight into the CLI's output buffer.
#pragma once

#include <fuelmap/audit.hpp>

#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Appends @p f as the object {station_id, element, element_no, grade, class, critical, message,
/// evidence, position ([lon, lat] or null)}, byte for byte as nlohmann's dump(2) of it with
/// error_handler_t::replace, each line (the first too) preceded by @p indent; no final newline.
void append_finding_json(std::string& out, const AuditFinding& f, std::string_view indent);

} // namespace fuelmap::detail
