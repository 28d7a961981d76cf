// SPDX-License-Identifier: MIT
/// @file publish.hpp
/// @brief A sampling round in public (三公开): a self-contained static site with the design, the
/// seed commitment and its reveal, the registry digest with the published frame text, the plan, lab
/// results, round statistics and an in-browser verifier. Layout and rules: docs/publish.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fuelmap {

/// What to publish, and where.
struct PublishRequest {
    std::filesystem::path registry;              ///< the registry GeoPackage
    std::string round;                           ///< the round to publish
    std::filesystem::path output;                ///< the site's directory (created when missing)
    std::string lang = "zh";                     ///< the page's default language: "zh" or "en"
    bool before_reveal = false;                  ///< publish only what is committed (no plan, no frame)
    std::optional<std::filesystem::path> design; ///< before the draw: the design to be drawn
    std::optional<std::string> commitment;       ///< before the draw: the published seed commitment
};

/// One file of the site.
struct PublishedFile {
    std::string name;        ///< path inside the site's directory, '/'-separated
    std::string sha256;      ///< lowercase hex SHA-256 of its bytes
    std::uint64_t bytes = 0; ///< its size
};

/// What publish_round() wrote.
struct PublishResult {
    bool revealed = false;            ///< true: the full site; false: only what is committed
    std::vector<PublishedFile> files; ///< every file written, in the order of SHA256SUMS
};

/// Writes the site of round @p request.round into @p request.output: index.html, assets/ (the
/// JavaScript verifier, the page's script and style), the data files and SHA256SUMS. Each file is
/// written whole (a file that exists is replaced only by a complete new one).
/// @throws InputError when the round has no recorded plan (and no design and commitment were
/// given for a site before the reveal), when the registry's frame no longer hashes to the plan's
/// registry digest, on a bad language, or when an output cannot be written.
PublishResult publish_round(const PublishRequest& request);

} // namespace fuelmap
