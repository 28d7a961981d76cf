// SPDX-License-Identifier: MIT
/// @file ed25519.hpp
/// @brief Private: Ed25519 keys, signatures and their checks through OpenSSL's EVP interface.
/// Keys are PEM files (PKCS #8 private key, SubjectPublicKeyInfo public key); public keys and
/// signatures travel as lowercase hex (32 and 64 bytes).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// Makes a new key pair from the operating system's random source and writes it: the private key
/// to @p private_pem (created with mode 0600, refused if it exists), the public key to
/// @p public_pem. Returns the public key as hex. @throws Error when a file cannot be written.
std::string ed25519_generate(const std::filesystem::path& private_pem,
                             const std::filesystem::path& public_pem);

/// The public key (hex) of a PEM file holding either an Ed25519 private or public key.
/// @throws InputError naming the file when it holds no Ed25519 key.
[[nodiscard]] std::string ed25519_public_hex(const std::filesystem::path& pem);

/// Signs @p message with the private key in @p private_pem; returns the signature as hex.
/// @throws InputError naming the file when it holds no Ed25519 private key.
[[nodiscard]] std::string ed25519_sign(const std::filesystem::path& private_pem, std::string_view message);

/// True when @p signature_hex is a valid signature of @p message by the public key @p public_hex.
[[nodiscard]] bool ed25519_verify(std::string_view public_hex, std::string_view message,
                                  std::string_view signature_hex);

} // namespace fuelmap::detail
