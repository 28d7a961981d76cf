// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>

#include <openssl/evp.h>

#include <memory>

namespace fuelmap {

namespace {
template <std::size_t N> std::array<std::uint8_t, N> evp_digest(const EVP_MD* md, std::string_view data) {
    std::array<std::uint8_t, N> out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1 || size != N)
        throw Error("OpenSSL digest failed");
    return out;
}
} // namespace

Sha256Digest sha256(std::string_view data) {
    // One context per thread, reused: EVP_Digest() sets up and fetches the algorithm on every call,
    // which costs more than hashing a short id.
    struct Free {
        void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
    };
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr); // lives as long as the process
    thread_local std::unique_ptr<EVP_MD_CTX, Free> ctx{EVP_MD_CTX_new()};
    Sha256Digest out{};
    unsigned int size = 0;
    if (!md || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1 || size != out.size())
        throw Error("OpenSSL digest failed");
    return out;
}

Md5Digest md5(std::string_view data) {
    return evp_digest<16>(EVP_md5(), data);
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        hex[2 * i] = digits[data[i] >> 4];
        hex[2 * i + 1] = digits[data[i] & 0x0f];
    }
    return hex;
}

std::string sha256_hex(std::string_view data) {
    Sha256Digest d = sha256(data);
    return to_hex(d.data(), d.size());
}

Sha256::Sha256() : m_ctx(EVP_MD_CTX_new()) {
    if (!m_ctx || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(m_ctx), EVP_sha256(), nullptr) != 1)
        throw Error("OpenSSL SHA-256 init failed");
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(m_ctx));
}

void Sha256::update(std::string_view data) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(m_ctx), data.data(), data.size()) != 1)
        throw Error("OpenSSL SHA-256 update failed");
}

Sha256Digest Sha256::digest() {
    Sha256Digest out{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(m_ctx), out.data(), &size) != 1 || size != out.size())
        throw Error("OpenSSL SHA-256 final failed");
    return out;
}

std::string Sha256::hex() {
    Sha256Digest d = digest();
    return to_hex(d.data(), d.size());
}

} // namespace fuelmap
