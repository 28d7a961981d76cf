// SPDX-License-Identifier: MIT
/// @file audit_site.hpp
/// @brief Private: the audit of one station, in two paths that give the same findings: the general
/// rules (audit.cpp) and the common case of a station whose every observation agrees (audit_fast.cpp);
/// audit_each.cpp runs them over a registry.
#pragma once

#include <fuelmap/audit.hpp>
#include <fuelmap/site.hpp>

#include "audit/observation_table.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// The findings of one station, in slots reused from one station to the next: their strings keep
/// their capacity, so that the common case allocates next to nothing.
class FindingSlots {
public:
    /// A slot to fill: every field but evidence is to be assigned by the caller.
    AuditFinding& add() {
        if (m_size == m_items.size())
            m_items.emplace_back();
        return m_items[m_size++];
    }
    /// Adds @p finding.
    void push(AuditFinding&& finding) { add() = std::move(finding); }
    /// The slots in use.
    [[nodiscard]] std::size_t size() const noexcept { return m_size; }
    /// Drops the slots from @p size on (kept for reuse).
    void truncate(std::size_t size) noexcept { m_size = size; }
    /// The findings in use.
    [[nodiscard]] std::span<AuditFinding> items() noexcept { return {m_items.data(), m_size}; }

private:
    std::vector<AuditFinding> m_items;
    std::size_t m_size = 0;
};

/// An index that points nowhere.
inline constexpr std::uint32_t no_index = UINT32_MAX;

/// Buffers of the common case reused from one station to the next, so that it allocates nothing but
/// the findings themselves.
struct Scratch {
    std::vector<std::uint32_t> nozzle_of;          ///< per observation: index of its nozzle, or no_index
    std::vector<std::uint32_t> begin;              ///< per nozzle: its first entry in `by_nozzle`
    std::vector<std::uint32_t> cursor;             ///< fill positions while grouping
    std::vector<const ObservationView*> by_nozzle; ///< the station's observations grouped by nozzle
    std::vector<std::string_view> seen;            ///< observed set of one nozzle
    std::vector<std::string_view> legs;            ///< declared legs of one nozzle, sorted
};

/// Equality of short numbers and ids ("N12", "370602-0001") that mostly differ in their last
/// character: checked first, inline, before a memcmp call (the audit compares millions of them).
[[nodiscard]] inline bool same(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.empty() || (a.back() == b.back() && a.compare(b) == 0));
}

/// The position of an element, or its station's location when it has none.
[[nodiscard]] std::optional<GeoPoint> position_or(const std::optional<GeoPoint>& p, const Site& site);

/// Appends "observed T1+T2 by METHOD (I01;I07, TIME)" to @p out.
void append_description(std::string& out, const ObservationView& o);

/// The rules of docs/audit.md §6 for any station; appends its findings to @p out.
void audit_site_general(const Site& site, const GradeTable& grades,
                        std::span<const ObservationView* const> observations,
                        std::span<const LabResult* const> results, const PrecisionTable& precision,
                        const GradeLimits& limits, FindingSlots& out);

/// The common case, in one pass and without the general rules' intermediate sets and strings: a
/// station without lab results whose every observed nozzle was seen on exactly its declared legs, all
/// of them tanks of the station. Emits what audit_site_general() would emit (consistent or unverified
/// nozzles, no tank findings) and returns true; otherwise emits nothing and returns false. With
/// @p of_station, every observation and result is known to be of this station.
[[nodiscard]] bool audit_agreeing_site(const Site& site, std::span<const ObservationView* const> observations,
                                       std::span<const LabResult* const> results, bool of_station, Scratch& s,
                                       FindingSlots& out);

} // namespace fuelmap::detail
