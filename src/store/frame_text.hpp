// SPDX-License-Identifier: MIT
/// @file frame_text.hpp
/// @brief Private: the one writer of the frame text, the text every plan's registry digest hangs on
/// (docs/sampling.md section 10). Every line and number format of the frame is written here: the
/// in-memory frame, the streamed digests of a registry file and the layout cache all call it.
#pragma once

#include <fuelmap/hash.hpp>
#include <fuelmap/registry.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// Appends @p s to @p out as a frame-text field: `\` `TAB` `LF` `CR` escaped as `\\` `\t` `\n` `\r`.
void append_frame_field(std::string& out, std::string_view s);

/// Appends a supply fraction as the frame text writes it: the shortest decimal that reads back as
/// the same double, without exponent for ordinary values and without a trailing `.0`.
void append_frame_fraction(std::string& out, double fraction);

/// Appends the first two lines: `fuelmap-frame-v1` and `fields` with the design's station fields.
void append_frame_header(std::string& out, const std::vector<std::string>& fields);

/// Appends the value of station field @p field to @p out as the frame text writes it (unescaped):
/// the position in whole microdegrees for `lon_e6` and `lat_e6` (the schedule's fields), else
/// Station::append_field(); false, with @p out unchanged, where the station has none.
bool append_frame_value(const Station& s, const std::string& field, std::string& out);

/// Appends the `S` line of station @p s with the values of @p fields (`\N` where it has none).
void append_station_line(std::string& out, const Station& s, const std::vector<std::string>& fields);

/// Appends the `N` lines of a station's nozzles, in ascending nozzle_no (byte order), each with
/// its supply legs in the order given.
void append_nozzle_lines(std::string& out, const std::vector<Nozzle>& nozzles);

/// Appends the start of an `N` line, up to the tab before its supply legs. A nozzle's line is
/// this, then append_supply_leg() for each leg, then a line feed.
void append_nozzle_head(std::string& out, std::string_view nozzle_no, std::string_view grade,
                        std::string_view status);

/// Appends one supply leg of an `N` line, `tank=fraction`, after a comma unless it is the @p first.
void append_supply_leg(std::string& out, bool first, std::string_view tank_no, double fraction);

/// Reads back the N lines of one station as append_nozzle_lines() writes them (docs/sampling.md
/// section 10, "Reading the frame text back") into @p nozzles: number, grade, status and supply legs
/// of each nozzle, nothing else. False, with @p nozzles unspecified, when the text cannot be read
/// back for certain: a nozzle with more than one leg (a `,` in the legs, which a tank number may
/// also hold), or text that append_nozzle_lines() would not write from what was read.
[[nodiscard]] bool read_nozzle_lines(std::string_view lines, std::vector<Nozzle>& nozzles);

/// Appends the draw context's lines: an `L` line per station of @p last_teams (ascending station
/// id), then an `F` line per station of @p failed_stations (in the order given: ascending), then a
/// `C` line per station of @p case_stations (certainty_from_cases, ascending).
void append_context_lines(std::string& out, const std::map<std::string, std::vector<std::string>>& last_teams,
                          const std::vector<std::string>& failed_stations,
                          const std::vector<std::string>& case_stations = {});

/// The frame text hashed as it is written, a megabyte at a time: the header, then each station's
/// S line (station()) followed by its N lines (appended to the text station() returns), then the
/// draw context's lines (hex()).
class FrameHasher {
public:
    /// Starts the text with the header of @p fields (kept by reference: it must outlive this).
    explicit FrameHasher(const std::vector<std::string>& fields);
    /// Appends the S line of @p s; returns the text, to which the caller appends its N lines.
    std::string& station(const Station& s);
    /// Appends @p tail and returns the SHA-256 (hex) of the whole text. Call once, last.
    [[nodiscard]] std::string hex(std::string_view tail);

private:
    const std::vector<std::string>& m_fields;
    Sha256 m_hash;
    std::string m_buffer;
};

/// The N lines of one station, built from its nozzle and supply rows in any order.
class StationLines {
public:
    /// Forgets the rows of the previous station (keeps the memory).
    void clear();
    /// Adds a nozzles row.
    void add_nozzle(std::string_view nozzle_no, std::string_view grade, std::string_view status);
    /// Adds a supplies row (leg number as stored; the caller rejects non-integer legs).
    void add_leg(std::string_view nozzle_no, std::int64_t leg, std::string_view tank_no, double fraction);
    /// True when no row was added since clear().
    [[nodiscard]] bool empty() const noexcept { return m_nozzles.empty() && m_legs.empty(); }
    /// Appends the station's N lines (nozzles by nozzle_no, their legs by leg number) to @p out.
    /// False, with @p out unchanged, when the rows do not form a layout: a leg of no nozzle, a
    /// nozzle number or (nozzle, leg) given twice.
    [[nodiscard]] bool append_to(std::string& out);

private:
    struct Span {
        std::uint32_t off = 0, len = 0;
    };
    struct NozzleRow {
        Span nozzle_no, grade, status;
        std::uint32_t first_leg = 0, legs = 0;
    };
    struct LegRow {
        Span nozzle_no, tank_no;
        std::int64_t leg = 0;
        double fraction = 0;
    };
    Span keep(std::string_view s);
    [[nodiscard]] std::string_view view(Span s) const noexcept;

    std::string m_arena;
    std::vector<NozzleRow> m_nozzles;
    std::vector<LegRow> m_legs;
};

} // namespace fuelmap::detail
