// SPDX-License-Identifier: MIT
#include "util/source_checks.hpp"

#include "util/output_guard.hpp"

#include <fuelmap/error.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace fuelmap::detail {

void refuse_special_input(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return;
    throw InputError({.file = path.string()}, "the input is " + describe_file_type(st.st_mode) +
                                                  ", not a regular file: fuelmap reads only regular files "
                                                  "and directories");
}

namespace {

// The 1-based line of byte @p offset of @p path.
std::int64_t line_of(const std::filesystem::path& path, std::uint64_t offset) {
    std::ifstream in(path, std::ios::binary);
    std::int64_t line = 1;
    for (char c; offset > 0 && in.get(c); --offset)
        line += c == '\n';
    return line;
}

} // namespace

void refuse_nul_bytes(const std::filesystem::path& path, const std::string& driver) {
    const bool json = driver == "GeoJSON" || driver == "GeoJSONSeq";
    if (!json && driver != "CSV")
        return;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return;             // GDAL has read it: a file that cannot be opened again is not ours to judge
    std::string data;       // the tail of the previous chunk (see below), then this chunk
    std::uint64_t base = 0; // file offset of data[0]
    std::vector<char> buf(std::size_t{1} << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0)
            break;
        const std::size_t carried = data.size();
        data.append(buf.data(), got);
        if (const void* nul = std::memchr(data.data() + carried, '\0', got))
            throw InputError({.file = path.string(),
                              .line = line_of(path, base + static_cast<std::uint64_t>(
                                                               static_cast<const char*>(nul) - data.data()))},
                             "a NUL byte: a text field would be cut at it; remove it");
        // "\u0000" in a JSON string is a NUL once decoded: the 'u' after an odd run of backslashes.
        for (std::size_t at = json ? data.find("u0000") : std::string::npos; at != std::string::npos;
             at = data.find("u0000", at + 1)) {
            std::size_t backslashes = 0;
            while (backslashes < at && data[at - 1 - backslashes] == '\\')
                ++backslashes;
            if (backslashes % 2 == 1)
                throw InputError(
                    {.file = path.string(), .line = line_of(path, base + at)},
                    "a \\u0000 (NUL) in a JSON string: a text field would be cut at it; remove it");
        }
        // Keep the last 4 bytes and the run of backslashes before them: an escape may span two chunks.
        std::size_t keep = std::min<std::size_t>(4, data.size());
        while (keep < data.size() && data[data.size() - keep - 1] == '\\')
            ++keep;
        base += data.size() - keep;
        data.erase(0, data.size() - keep);
    }
}

} // namespace fuelmap::detail
