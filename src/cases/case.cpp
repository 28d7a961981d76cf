// SPDX-License-Identifier: MIT
// The case model: step names and case ids.
#include <fuelmap/case.hpp>

#include <array>

namespace fuelmap {

namespace {

constexpr std::array<std::pair<CaseStepKind, std::string_view>, 11> step_names = {{
    {CaseStepKind::delivered, "delivered"},
    {CaseStepKind::objection, "objection"},
    {CaseStepKind::retest, "retest"},
    {CaseStepKind::disposal, "disposal"},
    {CaseStepKind::rectification, "rectification"},
    {CaseStepKind::recheck, "recheck"},
    {CaseStepKind::penalty, "penalty"},
    {CaseStepKind::referral, "referral"},
    {CaseStepKind::reported, "reported"},
    {CaseStepKind::published, "published"},
    {CaseStepKind::closed, "closed"},
}};

} // namespace

std::string_view to_string(CaseStepKind kind) noexcept {
    for (const auto& [k, name] : step_names)
        if (k == kind)
            return name;
    return "?";
}

std::optional<CaseStepKind> parse_case_step(std::string_view name) noexcept {
    for (const auto& [k, n] : step_names)
        if (n == name)
            return k;
    return std::nullopt;
}

const std::vector<CaseStepKind>& all_case_steps() noexcept {
    static const std::vector<CaseStepKind> all = [] {
        std::vector<CaseStepKind> v;
        for (const auto& [k, name] : step_names)
            v.push_back(k);
        return v;
    }();
    return all;
}

std::string case_id_of(std::string_view round, std::string_view station_id, std::string_view grade) {
    std::string id;
    id.append(round).append("/").append(station_id).append("/").append(grade);
    return id;
}

} // namespace fuelmap
