// SPDX-License-Identifier: MIT
// Observations as views over a few blocks of text (the audit's reading of millions of them).
#include "audit/observation_table.hpp"

#include <algorithm>
#include <cstring>

namespace fuelmap::detail {

namespace {

constexpr std::size_t text_block_size = std::size_t{1} << 20;

} // namespace

void ObservationTable::reserve(std::size_t rows) {
    m_ranges.reserve(rows);
    m_rows.reserve(rows);
    m_parts.reserve(2 * rows);
}

std::string_view ObservationTable::keep(std::string_view text) {
    if (text.empty())
        return {};
    if (m_block_size - m_block_used < text.size()) {
        m_block_size = std::max(text_block_size, text.size());
        m_blocks.push_back(std::make_unique_for_overwrite<char[]>(m_block_size));
        m_block_used = 0;
    }
    char* at = m_blocks.back().get() + m_block_used;
    std::memcpy(at, text.data(), text.size());
    m_block_used += text.size();
    return {at, text.size()};
}

void ObservationTable::add_copy(std::string_view station_id, std::string_view nozzle_no,
                                std::string_view tanks, LinkMethod method, std::string_view inspectors,
                                std::string_view observed_at) {
    PartRanges& r = m_ranges.emplace_back();
    ObservationView& row = m_rows.emplace_back();
    row.station_id = keep(station_id);
    row.nozzle_no = keep(nozzle_no);
    row.method = method;
    row.observed_at = keep(observed_at);
    r.tanks_begin = static_cast<std::uint32_t>(m_parts.size());
    for_each_part(keep(tanks), '+', [&](std::string_view part) { m_parts.push_back(part); });
    r.tanks_count = static_cast<std::uint32_t>(m_parts.size()) - r.tanks_begin;
    r.inspectors_begin = static_cast<std::uint32_t>(m_parts.size());
    for_each_part(keep(inspectors), ';', [&](std::string_view part) { m_parts.push_back(part); });
    r.inspectors_count = static_cast<std::uint32_t>(m_parts.size()) - r.inspectors_begin;
}

void ObservationTable::add(const Observation& o) {
    PartRanges& r = m_ranges.emplace_back();
    ObservationView& row = m_rows.emplace_back();
    row.station_id = o.station_id;
    row.nozzle_no = o.nozzle_no;
    row.method = o.method;
    row.observed_at = o.observed_at;
    r.tanks_begin = static_cast<std::uint32_t>(m_parts.size());
    m_parts.insert(m_parts.end(), o.observed_tanks.begin(), o.observed_tanks.end());
    r.tanks_count = static_cast<std::uint32_t>(o.observed_tanks.size());
    r.inspectors_begin = static_cast<std::uint32_t>(m_parts.size());
    m_parts.insert(m_parts.end(), o.inspectors.begin(), o.inspectors.end());
    r.inspectors_count = static_cast<std::uint32_t>(o.inspectors.size());
}

void ObservationTable::finish() {
    const std::span<const std::string_view> parts(m_parts);
    for (std::size_t k = 0; k < m_rows.size(); ++k) {
        const PartRanges& r = m_ranges[k];
        m_rows[k].observed_tanks = parts.subspan(r.tanks_begin, r.tanks_count);
        m_rows[k].inspectors = parts.subspan(r.inspectors_begin, r.inspectors_count);
    }
}

} // namespace fuelmap::detail
