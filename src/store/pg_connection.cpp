// SPDX-License-Identifier: MIT
#include "store/pg_connection.hpp"

#include <charconv>

namespace fuelmap::detail {

namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

// PostgreSQL's messages end in a line feed, sometimes with further lines (DETAIL, HINT): one line.
std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text)
        out += c == '\n' ? ' ' : c;
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

bool is_pg_registry(std::string_view registry) noexcept {
    return starts_with_nocase(registry, "pg:") || starts_with_nocase(registry, "postgresql://") ||
           starts_with_nocase(registry, "postgres://");
}

std::string pg_conninfo(std::string_view registry) {
    if (starts_with_nocase(registry, "pg:"))
        registry.remove_prefix(3);
    return std::string(registry);
}

std::unique_ptr<pqxx::connection> pg_connect(const std::string& registry) {
    try {
        auto c = std::make_unique<pqxx::connection>(pg_conninfo(registry));
        c->set_client_encoding("UTF8");
        pqxx::nontransaction setup(*c);
        setup.exec0("SET TIME ZONE 'UTC'");
        setup.exec0("SET client_min_messages = warning");
        setup.commit();
        return c;
    } catch (const std::exception& e) {
        throw InputError({.file = registry},
                         "cannot connect to the registry database: " + one_line(e.what()));
    }
}

std::string_view pg_text(const pqxx::field& f) noexcept {
    return f.is_null() ? std::string_view() : std::string_view(f.c_str(), f.size());
}

std::int64_t pg_int64(const pqxx::field& f) noexcept {
    std::int64_t v = 0;
    const std::string_view s = pg_text(f);
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

double pg_real(const pqxx::field& f) noexcept {
    double v = 0;
    const std::string_view s = pg_text(f);
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

InputError pg_error(const std::string& registry, const std::string& what, const std::exception& e) {
    return InputError({.file = registry}, what + ": " + one_line(e.what()));
}

} // namespace fuelmap::detail
