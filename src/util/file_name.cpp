// SPDX-License-Identifier: MIT
#include "util/file_name.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>

#include <algorithm>
#include <cctype>

namespace fuelmap::detail {

namespace {

bool kept(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || c == '.';
}

// Compared case-insensitively: two stems that differ only in case are one file on some file systems.
std::string folded(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

std::string sanitise_file_stem(std::string_view name) {
    std::string s;
    for (char c : name.substr(0, std::min(name.size(), max_file_stem)))
        s.push_back(kept(c) ? c : '_');
    if (s.empty())
        s = "_";
    else if (s.front() == '.')
        s.front() = '_';
    return s;
}

void UniqueFileStems::add(const std::string& key, const std::string& name) {
    const auto [it, inserted] = m_names.emplace(key, name);
    if (!inserted && it->second != name)
        throw InputError({.feature = key},
                         "one id named two ways for a file name: '" + it->second + "' and '" + name + "'");
}

std::map<std::string, std::string> UniqueFileStems::stems() const {
    std::map<std::string, int> uses; // folded name → how many items that sanitising leaves alone want it
    for (const auto& [key, name] : m_names)
        if (sanitise_file_stem(name) == name)
            ++uses[folded(name)];
    std::map<std::string, std::string> out;
    std::map<std::string, std::string> owner; // folded final stem → key
    for (const auto& [key, name] : m_names) {
        std::string stem = sanitise_file_stem(name);
        if (stem != name || uses[folded(stem)] > 1) {
            const Sha256Digest d = sha256(key);
            stem += "-" + to_hex(d.data(), d.size()).substr(0, 8);
        }
        const auto [it, inserted] = owner.emplace(folded(stem), key);
        if (!inserted)
            throw InputError({.feature = key}, "the file name '" + stem + "' would be shared with '" +
                                                   it->second +
                                                   "': refusing to overwrite one with the other");
        out.emplace(key, std::move(stem));
    }
    return out;
}

} // namespace fuelmap::detail
