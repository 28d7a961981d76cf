// SPDX-License-Identifier: MIT
#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/seed.hpp>

#include "util/file.hpp"

#include <openssl/rand.h>

#include <array>

namespace fuelmap {

std::string new_seed() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw Error("the operating system gave no random bytes (OpenSSL RAND_bytes failed)");
    return to_hex(bytes.data(), bytes.size());
}

std::string seed_commitment(std::string_view seed) {
    std::string input = "fuelmap-seed-commitment-v1:";
    input.append(seed);
    return sha256_hex(input);
}

std::string read_seed_file(const std::filesystem::path& path) {
    std::string seed = detail::read_whole_file(path, "the seed file");
    while (!seed.empty() &&
           (seed.back() == '\n' || seed.back() == '\r' || seed.back() == ' ' || seed.back() == '\t'))
        seed.pop_back();
    if (seed.empty())
        throw InputError({.file = path.string()}, "the seed file is empty");
    if (seed.find('\n') != std::string::npos)
        throw InputError({.file = path.string(), .line = 2}, "the seed must be one line");
    return seed;
}

} // namespace fuelmap
