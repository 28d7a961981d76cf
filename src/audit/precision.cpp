// SPDX-License-Identifier: MIT
#include <fuelmap/precision.hpp>

#include "util/file.hpp"
#include "util/table_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

namespace fuelmap {

namespace {

// Comparisons at a limit are made with this relative slack, so that 95.2 − 95.0 (which binary
// floating point gives as 0.2000000000000028) counts as exactly 0.2. Results are reported to a few
// decimals, so the slack never decides a real case.
bool beyond(double x, double bound) noexcept {
    return x > bound + 1e-9 * std::max(1.0, std::fabs(bound));
}

std::string normalise(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t')
            continue;
        if (c == 'X') {
            out += 'x';
        } else if (text.substr(i, 2) == "\xC2\xB7" || text.substr(i, 2) == "\xC3\x97") { // · or ×
            out += '*';
            ++i;
        } else {
            out += c;
        }
    }
    return out;
}

// Position of the binary + or - in "a+b" (not a sign, not an exponent sign), or npos.
std::size_t binary_sign(const std::string& s) {
    for (std::size_t i = s.size(); i-- > 1;)
        if ((s[i] == '+' || s[i] == '-') && s[i - 1] != 'e' && s[i - 1] != 'E')
            return i;
    return std::string::npos;
}

std::filesystem::path shipped_file(const std::string& name) {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("FUELMAP_DATA_DIR"); env && *env)
        dirs.emplace_back(env);
#ifdef FUELMAP_DATA_DIR
    dirs.emplace_back(FUELMAP_DATA_DIR);
#endif
#ifdef FUELMAP_SOURCE_DATA_DIR
    dirs.emplace_back(FUELMAP_SOURCE_DATA_DIR);
#endif
    for (const auto& d : dirs) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(d / name, ec))
            return d / name;
    }
    throw Error("cannot find the shipped table " + name +
                " (looked in $FUELMAP_DATA_DIR, the installed data directory and the source tree)");
}

std::string require(const detail::CsvRow& row, std::size_t col, const std::string& name,
                    const std::string& file) {
    std::string v = detail::CsvTable::get(row, col);
    if (v.empty())
        throw InputError({.file = file, .line = row.line, .field = name}, "empty " + name);
    return v;
}

std::string confidence_of(const detail::CsvRow& row, std::size_t col, const std::string& file) {
    std::string v = detail::CsvTable::get(row, col);
    if (v != "checked" && v != "recalled")
        throw InputError({.file = file, .line = row.line, .field = "confidence"},
                         "confidence must be 'checked' or 'recalled', not '" + v + "'");
    return v;
}

} // namespace

PrecisionFormula PrecisionFormula::constant(double value) {
    PrecisionFormula f;
    f.m_a = value;
    f.m_text = detail::format_number(value);
    return f;
}

PrecisionFormula PrecisionFormula::parse(std::string_view text, const Location& where) {
    const std::string s = normalise(text);
    auto fail = [&]() -> PrecisionFormula {
        throw InputError(where, "'" + std::string(text) +
                                    "' is not a precision formula (use a constant, a*X^b or a+b*X)");
    };
    auto number = [&](const std::string& part, double& out) {
        if (!detail::parse_number(part, out))
            fail();
    };
    PrecisionFormula f;
    f.m_text = s;
    const std::size_t x = s.find('x');
    if (x == std::string::npos) {
        number(s, f.m_a);
        f.m_kind = Kind::constant;
        if (f.m_a < 0)
            fail();
        return f;
    }
    if (s.find('x', x + 1) != std::string::npos || x < 2 || s[x - 1] != '*')
        return fail();
    const std::string head = s.substr(0, x - 1);
    const std::string tail = s.substr(x + 1);
    if (!tail.empty()) {
        if (tail.front() != '^')
            return fail();
        f.m_kind = Kind::power;
        number(head, f.m_a);
        number(tail.substr(1), f.m_b);
        return f;
    }
    f.m_kind = Kind::linear;
    const std::size_t sign = binary_sign(head);
    if (sign == std::string::npos) {
        f.m_a = 0.0;
        number(head, f.m_b);
    } else {
        number(head.substr(0, sign), f.m_a);
        number(head.substr(sign + 1), f.m_b);
        if (head[sign] == '-')
            f.m_b = -f.m_b;
    }
    return f;
}

double PrecisionFormula::at(double x) const noexcept {
    switch (m_kind) {
    case Kind::constant:
        return m_a;
    case Kind::power:
        return m_a * std::pow(std::fabs(x), m_b);
    case Kind::linear:
        return m_a + m_b * x;
    }
    return m_a;
}

PrecisionTable PrecisionTable::parse_csv(std::string_view text, const std::string& file) {
    const detail::CsvTable t = detail::parse_csv_table(text, file);
    const std::size_t c_property = t.column("property", file), c_method = t.column("method", file),
                      c_unit = t.column("unit", file), c_r = t.column("r", file), c_R = t.column("R", file),
                      c_conf = t.column("confidence", file), c_source = t.column("source", file);
    PrecisionTable table;
    for (const detail::CsvRow& row : t.rows) {
        PrecisionEntry e;
        e.property = require(row, c_property, "property", file);
        e.method = require(row, c_method, "method", file);
        e.unit = require(row, c_unit, "unit", file);
        const std::string feature = e.property + " " + e.method;
        e.r = PrecisionFormula::parse(require(row, c_r, "r", file),
                                      {.file = file, .line = row.line, .feature = feature, .field = "r"});
        e.R = PrecisionFormula::parse(require(row, c_R, "R", file),
                                      {.file = file, .line = row.line, .feature = feature, .field = "R"});
        e.confidence = confidence_of(row, c_conf, file);
        e.source = require(row, c_source, "source", file);
        if (table.find(e.property, e.method))
            throw InputError({.file = file, .line = row.line, .feature = feature, .field = "method"},
                             "property '" + e.property + "' with method '" + e.method + "' is listed twice");
        table.m_entries.push_back(std::move(e));
    }
    return table;
}

PrecisionTable PrecisionTable::read(const std::filesystem::path& path) {
    return parse_csv(detail::read_whole_file(path, "file"), path.string());
}

PrecisionTable PrecisionTable::shipped() {
    return read(shipped_file("precision.csv"));
}

const PrecisionEntry* PrecisionTable::find(std::string_view property,
                                           std::string_view method) const noexcept {
    for (const PrecisionEntry& e : m_entries)
        if (e.property == property && e.method == method)
            return &e;
    return nullptr;
}

bool PrecisionTable::has_property(std::string_view property) const noexcept {
    return std::any_of(m_entries.begin(), m_entries.end(),
                       [&](const PrecisionEntry& e) { return e.property == property; });
}

std::vector<std::string> PrecisionTable::methods_of(std::string_view property) const {
    std::vector<std::string> out;
    for (const PrecisionEntry& e : m_entries)
        if (e.property == property)
            out.push_back(e.method);
    return out;
}

void PrecisionTable::add(PrecisionEntry entry) {
    if (find(entry.property, entry.method))
        throw InputError({.feature = entry.property + " " + entry.method, .field = "method"},
                         "property '" + entry.property + "' with method '" + entry.method +
                             "' is already in the precision table");
    m_entries.push_back(std::move(entry));
}

std::string_view to_string(LimitKind kind) noexcept {
    return kind == LimitKind::min ? "min" : "max";
}

GradeLimits GradeLimits::parse_csv(std::string_view text, const std::string& file) {
    const detail::CsvTable t = detail::parse_csv_table(text, file);
    const std::size_t c_grade = t.column("grade", file), c_property = t.column("property", file),
                      c_kind = t.column("kind", file), c_value = t.column("value", file),
                      c_unit = t.column("unit", file), c_conf = t.column("confidence", file),
                      c_source = t.column("source", file);
    GradeLimits limits;
    std::set<std::string> seen;
    for (const detail::CsvRow& row : t.rows) {
        GradeLimit l;
        l.grade = require(row, c_grade, "grade", file);
        l.property = require(row, c_property, "property", file);
        const std::string feature = l.grade + " " + l.property;
        const std::string kind = require(row, c_kind, "kind", file);
        if (kind == "min")
            l.kind = LimitKind::min;
        else if (kind == "max")
            l.kind = LimitKind::max;
        else
            throw InputError({.file = file, .line = row.line, .feature = feature, .field = "kind"},
                             "kind must be 'min' or 'max', not '" + kind + "'");
        const std::string value = require(row, c_value, "value", file);
        if (!detail::parse_number(value, l.value))
            throw InputError({.file = file, .line = row.line, .feature = feature, .field = "value"},
                             "'" + value + "' is not a number");
        l.unit = require(row, c_unit, "unit", file);
        l.confidence = confidence_of(row, c_conf, file);
        l.source = require(row, c_source, "source", file);
        if (!seen.insert(feature + " " + kind).second)
            throw InputError({.file = file, .line = row.line, .feature = feature, .field = "kind"},
                             "the " + kind + " limit of " + l.property + " for grade " + l.grade +
                                 " is listed twice");
        limits.m_limits.push_back(std::move(l));
    }
    return limits;
}

GradeLimits GradeLimits::read(const std::filesystem::path& path) {
    return parse_csv(detail::read_whole_file(path, "file"), path.string());
}

GradeLimits GradeLimits::shipped() {
    return read(shipped_file("grade_limits.csv"));
}

std::vector<const GradeLimit*> GradeLimits::of_grade(std::string_view grade) const {
    std::vector<const GradeLimit*> out;
    for (const GradeLimit& l : m_limits)
        if (l.grade == grade)
            out.push_back(&l);
    return out;
}

PairJudgement judge_pair(double a, double b, const PrecisionEntry& precision, bool two_labs) {
    PairJudgement j;
    j.difference = std::fabs(a - b);
    j.level = (a + b) / 2.0;
    j.two_labs = two_labs;
    j.critical_difference = two_labs ? precision.R.at(j.level) : precision.r.at(j.level);
    j.same = !beyond(j.difference, j.critical_difference);
    return j;
}

std::string_view to_string(Conformity c) noexcept {
    switch (c) {
    case Conformity::conforming:
        return "conforming";
    case Conformity::inconclusive:
        return "inconclusive";
    case Conformity::non_conforming:
        return "non-conforming";
    }
    return "conforming";
}

LimitJudgement judge_limit(double value, const GradeLimit& limit, const PrecisionEntry& precision) {
    LimitJudgement j;
    j.limit = limit.value;
    j.reproducibility = precision.R.at(limit.value);
    j.guard_band = guard_band_factor * j.reproducibility;
    // Work on the "excess" beyond the limit so that both sides share one comparison.
    const bool is_min = limit.kind == LimitKind::min;
    j.threshold = is_min ? limit.value - j.guard_band : limit.value + j.guard_band;
    const double excess = is_min ? limit.value - value : value - limit.value;
    if (!beyond(excess, 0.0))
        j.verdict = Conformity::conforming;
    else if (beyond(excess, j.guard_band))
        j.verdict = Conformity::non_conforming;
    else
        j.verdict = Conformity::inconclusive;
    return j;
}

} // namespace fuelmap
