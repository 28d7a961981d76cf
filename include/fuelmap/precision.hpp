// SPDX-License-Identifier: MIT
/// @file precision.hpp
/// @brief Test-method precision (repeatability r, reproducibility R) and grade limits, and the two
/// judgements built on them: "same fuel?" for a pair of results and "conforming?" for one result
/// against a specification limit with the ISO 4259 guard band of 0.59·R. See docs/audit.md.
#pragma once

#include <fuelmap/error.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap {

/// r or R as a function of the level X of the property: a constant "a", a power "a*X^b", or a
/// straight line "a+b*X" (also "b*X", "a-b*X"). Nothing else is accepted, so that a user-edited
/// table cannot run arbitrary expressions.
class PrecisionFormula {
public:
    /// The shape of the formula.
    enum class Kind { constant, power, linear };

    /// The constant 0.
    PrecisionFormula() = default;
    /// A constant. @p text is kept for display.
    [[nodiscard]] static PrecisionFormula constant(double value);
    /// Parses the text forms above (spaces allowed, "x" or "X", "·" for "*").
    /// @throws InputError at @p where when the text is not one of the forms or a number is not finite.
    [[nodiscard]] static PrecisionFormula parse(std::string_view text, const Location& where);

    /// The value at level @p x (for a power, x is taken as its absolute value).
    [[nodiscard]] double at(double x) const noexcept;
    /// True when the value does not depend on the level.
    [[nodiscard]] bool is_constant() const noexcept { return m_kind == Kind::constant; }
    /// The formula as written (normalised: no spaces).
    [[nodiscard]] const std::string& text() const noexcept { return m_text; }
    /// Shape of the formula.
    [[nodiscard]] Kind kind() const noexcept { return m_kind; }

private:
    Kind m_kind = Kind::constant;
    double m_a = 0.0;
    double m_b = 0.0;
    std::string m_text = "0";
};

/// One row of the precision table: a property measured by a method, in a unit.
struct PrecisionEntry {
    std::string property;   ///< e.g. "RON", "density", "sulfur"
    std::string method;     ///< e.g. "GB/T 5487", "ASTM D5453"
    std::string unit;       ///< unit results must be reported in, e.g. "kg/m3", "mg/kg", "-"
    PrecisionFormula r;     ///< repeatability limit (95 %), same operator, apparatus and lab
    PrecisionFormula R;     ///< reproducibility limit (95 %), different labs
    std::string confidence; ///< "checked" (against the standard's text) or "recalled" (not checked)
    std::string source;     ///< where the values come from
};

/// The precision table (data/precision.csv, or a user's file).
class PrecisionTable {
public:
    /// Parses CSV text with header property,method,unit,r,R,confidence,source (lines starting
    /// with '#' are comments). @throws InputError naming @p file, line and field on a bad row or a
    /// duplicate (property, method).
    [[nodiscard]] static PrecisionTable parse_csv(std::string_view text, const std::string& file);
    /// Reads a CSV file. @throws InputError when it is missing or malformed.
    [[nodiscard]] static PrecisionTable read(const std::filesystem::path& path);
    /// The table shipped with fuelmap (data/precision.csv, found in $FUELMAP_DATA_DIR, the
    /// installed data directory or the source tree). @throws Error when it cannot be found.
    [[nodiscard]] static PrecisionTable shipped();

    /// The entry for a property and method, or nullptr.
    [[nodiscard]] const PrecisionEntry* find(std::string_view property,
                                             std::string_view method) const noexcept;
    /// True when some method of this property is in the table.
    [[nodiscard]] bool has_property(std::string_view property) const noexcept;
    /// The methods listed for a property, in table order.
    [[nodiscard]] std::vector<std::string> methods_of(std::string_view property) const;
    /// Adds an entry. @throws InputError when (property, method) is already present.
    void add(PrecisionEntry entry);
    /// Every entry, in table order.
    [[nodiscard]] const std::vector<PrecisionEntry>& all() const noexcept { return m_entries; }

private:
    std::vector<PrecisionEntry> m_entries;
};

/// Which side of a specification a limit bounds.
enum class LimitKind { min, max };

/// "min" or "max".
[[nodiscard]] std::string_view to_string(LimitKind kind) noexcept;

/// One specification limit of a grade, e.g. 95# RON min 95.
struct GradeLimit {
    std::string grade;               ///< grade code, e.g. "95#"
    std::string property;            ///< property, as in the precision table
    LimitKind kind = LimitKind::min; ///< lower or upper limit
    double value = 0.0;              ///< the limit
    std::string unit;                ///< unit of the limit (must equal the precision table's)
    std::string confidence;          ///< "checked" or "recalled"
    std::string source;              ///< the specification clause
};

/// The grade limits table (data/grade_limits.csv, or a user's file).
class GradeLimits {
public:
    /// Parses CSV text with header grade,property,kind,value,unit,confidence,source.
    /// @throws InputError naming @p file, line and field on a bad row.
    [[nodiscard]] static GradeLimits parse_csv(std::string_view text, const std::string& file);
    /// Reads a CSV file. @throws InputError when it is missing or malformed.
    [[nodiscard]] static GradeLimits read(const std::filesystem::path& path);
    /// The table shipped with fuelmap (data/grade_limits.csv). @throws Error when not found.
    [[nodiscard]] static GradeLimits shipped();

    /// The limits of a grade, in table order (empty when the grade has none).
    [[nodiscard]] std::vector<const GradeLimit*> of_grade(std::string_view grade) const;
    /// Adds a limit.
    void add(GradeLimit limit) { m_limits.push_back(std::move(limit)); }
    /// Every limit, in table order.
    [[nodiscard]] const std::vector<GradeLimit>& all() const noexcept { return m_limits; }

private:
    std::vector<GradeLimit> m_limits;
};

/// The outcome of comparing two results of one property (nozzle sample vs tank sample).
struct PairJudgement {
    double difference = 0.0;          ///< |a − b|
    double level = 0.0;               ///< (a + b) / 2, where r and R are evaluated
    double critical_difference = 0.0; ///< r (same lab) or R (two labs) at that level
    bool two_labs = false;            ///< true when the results come from different labs
    bool same = true;                 ///< difference ≤ critical difference
};

/// Same fuel? |a − b| ≤ r when both results come from one lab, ≤ R when from two labs, r and R
/// taken at the mean level. A difference exactly at the limit counts as the same fuel (comparison
/// made after rounding away binary floating-point noise, see docs/audit.md).
[[nodiscard]] PairJudgement judge_pair(double a, double b, const PrecisionEntry& precision, bool two_labs);

/// Verdict on one result against one specification limit.
enum class Conformity { conforming, inconclusive, non_conforming };

/// "conforming", "inconclusive" or "non-conforming".
[[nodiscard]] std::string_view to_string(Conformity c) noexcept;

/// The outcome of judging one result against one limit.
struct LimitJudgement {
    Conformity verdict = Conformity::conforming; ///< the verdict
    double limit = 0.0;                          ///< the specification limit
    double reproducibility = 0.0;                ///< R at the limit's level
    double guard_band = 0.0;                     ///< 0.59·R
    double threshold = 0.0;                      ///< limit ∓ guard band: beyond it, non-conforming
};

/// ISO 4259 practice for a single result against a one-sided limit: within the limit →
/// conforming; beyond it by more than 0.59·R (R evaluated at the limit) → non-conforming at 95 %
/// confidence; beyond it by at most 0.59·R → inconclusive (resample). A result exactly at
/// limit − 0.59·R (for a minimum) is inconclusive.
[[nodiscard]] LimitJudgement judge_limit(double value, const GradeLimit& limit,
                                         const PrecisionEntry& precision);

/// The ISO 4259 guard-band factor 1.645/2.77 ≈ 0.59 (one-sided 95 % on a single result).
inline constexpr double guard_band_factor = 0.59;

} // namespace fuelmap
