// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>

#include <string>

namespace fuelmap {

std::string Location::to_string() const {
    std::string out = file.empty() ? std::string("<input>") : file;
    std::string rest;
    auto add = [&rest](const std::string& part) {
        if (!rest.empty())
            rest += ", ";
        rest += part;
    };
    if (!layer.empty())
        add("layer '" + layer + "'");
    if (line >= 0)
        add("line " + std::to_string(line));
    if (fid >= 0 || !feature.empty()) {
        std::string f = "feature";
        if (fid >= 0)
            f += " " + std::to_string(fid);
        if (!feature.empty())
            f += " (" + feature + ")";
        add(f);
    }
    if (!field.empty())
        add("field '" + field + "'");
    if (!rest.empty())
        out += ": " + rest;
    return out;
}

InputError::InputError(Location where, const std::string& what)
    : Error(where.to_string() + ": " + what), m_where(std::move(where)), m_problem(what) {}

} // namespace fuelmap
