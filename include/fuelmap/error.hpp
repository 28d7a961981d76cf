// SPDX-License-Identifier: MIT
/// @file error.hpp
/// @brief The exceptions fuelmap throws, and the location an input error points at.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fuelmap {

/// Where in an input a problem was found. Empty parts are left out of the message.
struct Location {
    std::string file{};     ///< path of the input file (or registry)
    std::string layer{};    ///< layer or table name
    std::int64_t line = -1; ///< 1-based line (text inputs) or -1
    std::int64_t fid = -1;  ///< feature id inside the layer or -1
    std::string feature{};  ///< the real-world id, e.g. "370602-0001/T3"
    std::string field{};    ///< field (column, key) name

    /// "FILE: layer 'L', line N, feature F (ID), field 'X'" with the empty parts omitted.
    [[nodiscard]] std::string to_string() const;
};

/// Base of every exception fuelmap throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input (file, layer, feature, field or value); the CLI maps it to exit code 2.
class InputError : public Error {
public:
    /// @param where the place in the input; @param what the problem, in plain words.
    InputError(Location where, const std::string& what);

    /// The place in the input the error points at.
    [[nodiscard]] const Location& where() const noexcept { return m_where; }
    /// The problem without the location.
    [[nodiscard]] const std::string& problem() const noexcept { return m_problem; }

private:
    Location m_where;
    std::string m_problem;
};

/// Bad usage: an option or argument that makes no sense; exit code 2.
class UsageError : public Error {
public:
    using Error::Error;
};

} // namespace fuelmap
