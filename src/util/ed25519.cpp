// SPDX-License-Identifier: MIT
#include "util/ed25519.hpp"

#include <fuelmap/error.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <optional>
#include <unistd.h>
#include <vector>

namespace fuelmap::detail {

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using File = std::unique_ptr<std::FILE, FileClose>;

std::string to_hex(const unsigned char* p, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i)
        out += {digits[p[i] >> 4], digits[p[i] & 15]};
    return out;
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view hex) {
    if (hex.size() % 2)
        return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        return -1;
    };
    std::vector<unsigned char> out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return out;
}

std::string public_hex(EVP_PKEY* key) {
    unsigned char raw[32];
    std::size_t n = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &n) != 1 || n != sizeof raw)
        throw Error("OpenSSL could not export the Ed25519 public key");
    return to_hex(raw, n);
}

// Reads a private key, or (when @p allow_public) a public key, from a PEM file.
Pkey read_key(const std::filesystem::path& pem, bool allow_public) {
    File f(std::fopen(pem.c_str(), "rb"));
    if (!f)
        throw InputError({.file = pem.string()}, "cannot read the key file");
    Pkey key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key && allow_public) {
        std::rewind(f.get());
        key.reset(PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr));
    }
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        throw InputError({.file = pem.string()}, allow_public ? "not an Ed25519 key in PEM form"
                                                              : "not an Ed25519 private key in PEM form");
    return key;
}

} // namespace

std::string ed25519_generate(const std::filesystem::path& private_pem,
                             const std::filesystem::path& public_pem) {
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
        throw Error("OpenSSL could not generate an Ed25519 key");
    Pkey key(raw);
    const int fd = ::open(private_pem.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw InputError({.file = private_pem.string()},
                         "cannot create the private key file (it must not exist yet)");
    File priv(::fdopen(fd, "wb"));
    if (!priv) {
        ::close(fd);
        throw Error(private_pem.string() + ": cannot write the private key");
    }
    if (PEM_write_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(priv.get()) != 0 || ::fsync(fd) != 0) {
        priv.reset();
        std::filesystem::remove(private_pem);
        throw Error(private_pem.string() + ": cannot write the private key");
    }
    priv.reset();
    File pub(std::fopen(public_pem.c_str(), "wb"));
    if (!pub || PEM_write_PUBKEY(pub.get(), key.get()) != 1 || std::fflush(pub.get()) != 0)
        throw Error(public_pem.string() + ": cannot write the public key");
    return public_hex(key.get());
}

std::string ed25519_public_hex(const std::filesystem::path& pem) {
    return public_hex(read_key(pem, true).get());
}

std::string ed25519_sign(const std::filesystem::path& private_pem, std::string_view message) {
    Pkey key = read_key(private_pem, false);
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
    unsigned char sig[64];
    std::size_t n = sizeof sig;
    if (!md || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(md.get(), sig, &n, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
        throw Error("OpenSSL could not sign with " + private_pem.string());
    return to_hex(sig, n);
}

bool ed25519_verify(std::string_view public_hex_text, std::string_view message,
                    std::string_view signature_hex) {
    const auto pub = from_hex(public_hex_text);
    const auto sig = from_hex(signature_hex);
    if (!pub || pub->size() != 32 || !sig || sig->size() != 64)
        return false;
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, pub->data(), pub->size()));
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
    if (!key || !md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(md.get(), sig->data(), sig->size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

} // namespace fuelmap::detail
