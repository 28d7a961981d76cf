// SPDX-License-Identifier: MIT
/// @file hash.hpp
/// @brief SHA-256 and MD5 digests (OpenSSL) as bytes and lowercase hex.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fuelmap {

/// A SHA-256 digest.
using Sha256Digest = std::array<std::uint8_t, 32>;
/// An MD5 digest (only for RFC 3797 compatibility).
using Md5Digest = std::array<std::uint8_t, 16>;

/// SHA-256 of the bytes of @p data.
[[nodiscard]] Sha256Digest sha256(std::string_view data);
/// MD5 of the bytes of @p data.
[[nodiscard]] Md5Digest md5(std::string_view data);
/// Lowercase hex of any byte sequence.
[[nodiscard]] std::string to_hex(const std::uint8_t* data, std::size_t size);
/// Lowercase hex of SHA-256 of @p data.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// SHA-256 over data given in pieces: hash.update(a); hash.update(b); hash.hex().
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    /// Feeds more bytes.
    void update(std::string_view data);
    /// Finishes and returns the digest; the object cannot be updated afterwards.
    [[nodiscard]] Sha256Digest digest();
    /// Finishes and returns the digest as lowercase hex.
    [[nodiscard]] std::string hex();

private:
    void* m_ctx;
};

} // namespace fuelmap
