// SPDX-License-Identifier: MIT
/// @file observation_table.hpp
/// @brief Private: observations as the audit reads them. A national registry records millions of
/// observations; as fuelmap::Observation objects each costs several heap blocks (its strings, its
/// two lists and its origin), so the audit reads them into one table of views over a few large
/// blocks of text instead.
#pragma once

#include <fuelmap/observation.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// One observation: views into an ObservationTable's text or into an Observation.
struct ObservationView {
    std::string_view station_id;
    std::string_view nozzle_no;
    std::span<const std::string_view> observed_tanks;
    LinkMethod method = LinkMethod::pipe_tracing;
    std::span<const std::string_view> inspectors;
    std::string_view observed_at;
};

/// The parts of @p text between the separators @p sep, each trimmed of blanks and tabs, handed to
/// @p part in order ("T1 + T2" → "T1", "T2"; "" → one empty part).
template <class Part> void for_each_part(std::string_view text, char sep, Part&& part) {
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(sep, start);
        std::string_view piece =
            text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        const auto first = piece.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            piece = {};
        else
            piece = piece.substr(first, piece.find_last_not_of(" \t") - first + 1);
        part(piece);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
}

/// Observations held as views. Rows are added, then finish() is called; the rows are valid from
/// then on until the next add, as long as the table (and, for add(const Observation&), the
/// observation) lives.
class ObservationTable {
public:
    ObservationTable() = default;
    ObservationTable(const ObservationTable&) = delete;
    ObservationTable& operator=(const ObservationTable&) = delete;
    ObservationTable(ObservationTable&&) = default;
    ObservationTable& operator=(ObservationTable&&) = default;

    /// Reserves room for @p rows rows.
    void reserve(std::size_t rows);
    /// Adds a row whose text the table copies; @p tanks is split on '+' and @p inspectors on ';'
    /// as the registry stores them.
    void add_copy(std::string_view station_id, std::string_view nozzle_no, std::string_view tanks,
                  LinkMethod method, std::string_view inspectors, std::string_view observed_at);
    /// Adds a row viewing @p observation, which must outlive the table.
    void add(const Observation& observation);
    /// Makes the rows usable; call after the last add.
    void finish();

    /// The rows, in the order they were added (their lists are empty before finish()).
    [[nodiscard]] std::span<const ObservationView> rows() const noexcept { return m_rows; }

private:
    std::string_view keep(std::string_view text);

    struct PartRanges {
        std::uint32_t tanks_begin = 0, tanks_count = 0, inspectors_begin = 0, inspectors_count = 0;
    };
    std::vector<std::unique_ptr<char[]>> m_blocks; // text, in blocks that never move
    std::size_t m_block_used = 0, m_block_size = 0;
    std::vector<std::string_view> m_parts; // tank numbers and inspector ids of every row
    std::vector<PartRanges> m_ranges;      // per row: its parts in m_parts
    std::vector<ObservationView> m_rows;
};

/// The observations recorded in @p registry (table fuelmap_observations) in the order they were
/// stored, read into a table. @throws InputError when the file is not a registry or a stored
/// method is unknown.
[[nodiscard]] ObservationTable read_recorded_observation_table(const std::filesystem::path& registry);

} // namespace fuelmap::detail
