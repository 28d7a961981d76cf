// SPDX-License-Identifier: MIT
/// @file draw.hpp
/// @brief Private: draw_plan() with a choice of worker threads for hashing tickets.
#pragma once

#include <fuelmap/checkpoint.hpp>
#include <fuelmap/sampler.hpp>

#include "store/frame_source.hpp"
#include "util/threading.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace fuelmap::detail {

/// draw_plan() of a registry in memory with a choice of threading for hashing the station and
/// team tickets; the plan (byte for byte) and the errors do not depend on it.
[[nodiscard]] Plan draw_plan(const Registry& registry, const Design& design, const std::string& seed,
                             const DrawContext& context, Threading threading);

/// A plan drawn from a registry file, before it is sealed, with the frame it was drawn from.
struct FileDraw {
    Plan plan; ///< the draw; no digest yet (seal_plan() it once the checkpoint is stamped)
    /// The ledger as the draw checked it before reading recorded evidence (the checkpoint of the
    /// draw), or nothing when the design reads no evidence or the caller had checked it.
    std::optional<LedgerCheckpoint> ledger;
    /// The frame the draw read, handed over so that the caller chooses when to free it (the
    /// stations of a national registry take a while) and reads the drawn stations' rows from it
    /// (FrameSource::station_rows()).
    std::unique_ptr<FrameSource> frame;
};

/// Whether the caller has checked the registry's ledger already, in the snapshot the draw reads.
enum class LedgerChecked { no, yes };

/// draw_plan() of a registry file without the final digest, which callers that stamp the ledger
/// checkpoint compute once with seal_plan(); also hands over the frame it read, from which the
/// outputs take the drawn stations' rows. The frame is read without the stations' details when the
/// design reads none of them. With LedgerChecked::yes the draw does not check the ledger a second
/// time before it reads recorded evidence. @throws InputError as draw_plan().
[[nodiscard]] FileDraw draw_unsealed(const std::filesystem::path& registry, const Design& design,
                                     const std::string& seed, const FrameReadOptions& options,
                                     LedgerChecked ledger = LedgerChecked::no);

/// draw_unsealed() from the frame @p source of @p registry opened beforehand (open_frame(), which
/// needs no design: a caller may open it while it reads the design). @throws InputError as draw_plan().
[[nodiscard]] FileDraw draw_unsealed(const std::filesystem::path& registry,
                                     std::unique_ptr<FrameSource> source, const Design& design,
                                     const std::string& seed, LedgerChecked ledger);

} // namespace fuelmap::detail
