// SPDX-License-Identifier: MIT
/// @file file_name.hpp
/// @brief Private: file names made from ids (station ids, inspector teams): sanitised, kept inside
/// their directory and unique in it. The rule is documented in docs/formats.md ("File names made
/// from ids").
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace fuelmap::detail {

/// The longest stem (in bytes) sanitise_file_stem() keeps.
inline constexpr std::size_t max_file_stem = 120;

/// @p name as one file name without directory parts: ASCII letters, digits, `-`, `_` and `.` are kept,
/// every other byte (`/`, `\`, `:`, spaces, control bytes, each byte of a non-ASCII character) becomes
/// `_`; a leading `.` becomes `_` (no hidden files, no `.` or `..`); "" becomes `_`; cut to
/// max_file_stem bytes.
[[nodiscard]] std::string sanitise_file_stem(std::string_view name);

/// Unique file stems for the items written into one directory. Each item has a key (its exact id;
/// distinct items have distinct keys) and the name a person wants to read. An item keeps
/// its name when sanitise_file_stem() leaves it alone and no other such item has the same name
/// (ignoring ASCII case); otherwise (something was replaced or cut, or two names meet) it gets
/// sanitise_file_stem(name), `-` and the first 8 hex digits of the SHA-256 of its key. The stems
/// depend only on the set of items, never on their order.
class UniqueFileStems {
public:
    /// Adds an item. @throws InputError when @p key was already added with another name.
    void add(const std::string& key, const std::string& name);

    /// The stem of every key. @throws InputError naming both keys in the (practically impossible)
    /// case that two items still share a stem: nothing is ever overwritten.
    [[nodiscard]] std::map<std::string, std::string> stems() const;

private:
    std::map<std::string, std::string> m_names; // key → name
};

} // namespace fuelmap::detail
