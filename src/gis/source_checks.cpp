// SPDX-License-Identifier: MIT
#include "gis/source_checks.hpp"

#include "util/output_guard.hpp"

#include <fuelmap/error.hpp>

#include <sys/stat.h>

#include <cstdint>
#include <fstream>

namespace fuelmap::detail {

void refuse_special_input(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
        return;
    throw InputError({.file = path.string()}, "the input is " + describe_file_type(st.st_mode) +
                                                  ", not a regular file: fuelmap reads only regular files "
                                                  "and directories");
}

void refuse_nul_bytes(const std::filesystem::path& path, const std::string& driver) {
    const bool json = driver == "GeoJSON" || driver == "GeoJSONSeq";
    if (!json && driver != "CSV")
        return;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return; // GDAL has read it: a file that cannot be opened again is not ours to judge
    std::int64_t line = 1;
    std::size_t backslashes = 0; // consecutive backslashes before the current byte
    std::string window;          // the bytes after an unescaped backslash, up to "u0000"
    char buf[1 << 16];
    while (in) {
        in.read(buf, sizeof buf);
        for (std::streamsize k = 0; k < in.gcount(); ++k) {
            const char c = buf[k];
            if (c == '\0')
                throw InputError({.file = path.string(), .line = line},
                                 "a NUL byte: a text field would be cut at it; remove it");
            if (json) {
                if (!window.empty() || (c == 'u' && backslashes % 2 == 1)) {
                    window.push_back(c);
                    if (window.size() == 5) {
                        if (window == "u0000")
                            throw InputError({.file = path.string(), .line = line},
                                             "a \\u0000 (NUL) in a JSON string: a text field would be cut "
                                             "at it; remove it");
                        window.clear();
                    }
                }
                backslashes = c == '\\' ? backslashes + 1 : 0;
            }
            line += c == '\n';
        }
    }
}

} // namespace fuelmap::detail
