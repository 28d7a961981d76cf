// SPDX-License-Identifier: MIT
/// @file frame_source.hpp
/// @brief Private: the registry as a draw reads it (docs/sampling.md section 10): the stations,
/// the frame digest streamed from the stored nozzle and supply rows, and the layouts of the
/// stations drawn, read on demand. No database type shows here: a second backend implements it.
#pragma once

#include <fuelmap/registry.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// One registry opened for a draw or its verification.
class FrameSource {
public:
    virtual ~FrameSource() = default;

    /// The registry's grades and stations (no layouts), in ascending station id; without their
    /// details (name, operator, brand, address, attributes) when the frame was opened without.
    [[nodiscard]] virtual const Registry& stations() const = 0;

    /// The stations @p ids (each a station of stations(), ascending) with every field, details
    /// included: the rows of the stations a draw picked, for its outputs. No layouts.
    /// @throws InputError when the registry is malformed or no longer holds one of them.
    [[nodiscard]] virtual Registry station_rows(const std::vector<std::string>& ids);

    /// SHA-256 (hex) of the frame text: the header with @p fields, each station's S and N lines,
    /// then @p tail (the draw context's lines). Call at most once, before nozzles() unless
    /// nozzles_beside_digest().
    /// @throws InputError when rows belong to no station or nozzle, or the registry is malformed.
    [[nodiscard]] virtual std::string digest(const std::vector<std::string>& fields,
                                             std::string_view tail) = 0;

    /// The nozzles of @p site, a site of stations(), read once and kept: of each, what the frame
    /// text carries (number, grade, status, supply legs); other fields may be left empty.
    /// @throws InputError when the registry is malformed.
    [[nodiscard]] virtual const std::vector<Nozzle>& nozzles(const Site& site) = 0;

    /// True when nozzles() may be called on one thread while digest() runs on another.
    [[nodiscard]] virtual bool nozzles_beside_digest() const noexcept { return false; }

    /// After a digest() taken beside nozzles(): true when the nozzles given so far were read from
    /// text the digest did not hash (a layout cache that could not give the digest). nozzles() then
    /// reads afresh what the digest read, and the caller draws again.
    [[nodiscard]] virtual bool draw_again() { return false; }
};

/// Opens the registry file @p path for a draw: reads its stations, with their details when
/// @p station_details (and, when @p use_layout_cache, its layout cache beside them).
/// @throws InputError as read_registry().
[[nodiscard]] std::unique_ptr<FrameSource>
open_gpkg_frame_source(const std::filesystem::path& path, bool use_layout_cache, bool station_details);

/// A registry already read into memory (stations with their layouts, from one consistent snapshot)
/// for a draw: the digest is the frame text of @p registry, its layouts are those read.
[[nodiscard]] std::unique_ptr<FrameSource> open_memory_frame_source(Registry registry);

} // namespace fuelmap::detail
