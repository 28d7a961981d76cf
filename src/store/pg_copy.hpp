// SPDX-License-Identifier: MIT
/// @file pg_copy.hpp
/// @brief Private: rows written into a PostgreSQL table with COPY: each field as text in its
/// shortest exact form (geometries as hex EWKB in SRID 4326), NULL kept apart.
#pragma once

#include <fuelmap/error.hpp>
#include <fuelmap/geo.hpp>

#include <pqxx/pqxx>

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// One COPY row under construction: its fields as text (hex EWKB for geometries), or NULL.
class CopyLine {
public:
    /// Adds a text field.
    CopyLine& text(std::string_view s) {
        field().assign(s);
        return *this;
    }
    /// Adds a text field, NULL when empty.
    CopyLine& text_or_null(std::string_view s) { return s.empty() ? null() : text(s); }
    /// Adds a NULL.
    CopyLine& null() {
        field();
        m_null[m_count - 1] = true;
        return *this;
    }
    /// Adds an integer.
    CopyLine& integer(std::int64_t v) { return text(std::to_string(v)); }
    /// Adds a double in its shortest exact form.
    CopyLine& real(double v) {
        char buf[32];
        const auto res = std::to_chars(buf, buf + sizeof buf, v);
        return text(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
    }
    /// Adds a point as hex EWKB (SRID 4326), or NULL.
    CopyLine& point(const std::optional<GeoPoint>& p) {
        if (!p)
            return null();
        std::string& out = field();
        header(out, 1);
        coordinate(out, *p);
        return *this;
    }
    /// Adds a polygon of one ring (closed here when open) as hex EWKB (SRID 4326).
    CopyLine& polygon(const std::vector<GeoPoint>& ring) {
        std::string& out = field();
        header(out, 3);
        const bool closed = ring.front() == ring.back();
        word(out, 1);
        word(out, static_cast<std::uint32_t>(ring.size() + (closed ? 0 : 1)));
        for (const GeoPoint& p : ring)
            coordinate(out, p);
        if (!closed)
            coordinate(out, ring.front());
        return *this;
    }
    /// The row's fields (nullptr for NULL) for stream_to; starts the next row.
    /// @throws Error when the row does not have @p N fields.
    template <std::size_t N> std::array<const char*, N> finish() {
        if (m_count != N)
            throw Error("internal error: a COPY row of " + std::to_string(m_count) + " fields, not " +
                        std::to_string(N));
        std::array<const char*, N> row{};
        for (std::size_t i = 0; i < N; ++i)
            row[i] = m_null[i] ? nullptr : m_fields[i].c_str();
        m_count = 0;
        return row;
    }

private:
    std::string& field() {
        if (m_fields.size() <= m_count) {
            m_fields.emplace_back();
            m_null.push_back(false);
        }
        m_null[m_count] = false;
        std::string& f = m_fields[m_count++];
        f.clear();
        return f;
    }
    static void bytes(std::string& out, const void* data, std::size_t n) {
        static constexpr char hex[] = "0123456789ABCDEF";
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) {
            out += hex[p[i] >> 4];
            out += hex[p[i] & 15];
        }
    }
    static void word(std::string& out, std::uint32_t v) {
        const unsigned char b[4] = {static_cast<unsigned char>(v), static_cast<unsigned char>(v >> 8),
                                    static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 24)};
        bytes(out, b, 4);
    }
    static void coordinate(std::string& out, const GeoPoint& p) {
        static_assert(std::endian::native == std::endian::little, "EWKB is written little-endian");
        bytes(out, &p.lon, 8);
        bytes(out, &p.lat, 8);
    }
    static void header(std::string& out, std::uint32_t type) {
        out += "01";                   // little-endian
        word(out, type | 0x20000000u); // with SRID
        word(out, 4326);
    }

    std::vector<std::string> m_fields;
    std::vector<bool> m_null;
    std::size_t m_count = 0;
};

/// Streams rows of @p N fields into a table's columns with COPY; complete() ends it.
template <std::size_t N> class Copy {
public:
    /// Starts COPY into @p columns (N of them) of @p table.
    Copy(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns)
        : m_stream(tx, table, columns) {}
    /// Writes the row @p line holds.
    void write(CopyLine& line) { m_stream << line.finish<N>(); }
    /// Ends the COPY. @throws pqxx exceptions (a key already stored …).
    void complete() { m_stream.complete(); }

private:
    pqxx::stream_to m_stream;
};

} // namespace fuelmap::detail
