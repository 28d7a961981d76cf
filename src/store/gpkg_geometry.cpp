// SPDX-License-Identifier: MIT
#include "store/gpkg_geometry.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace fuelmap::detail {

namespace {

class WkbReader {
public:
    WkbReader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    bool ok() const { return m_ok; }

    void set_little_endian(bool little) { m_little = little; }

    std::uint8_t byte() {
        if (m_pos + 1 > m_size) {
            m_ok = false;
            return 0;
        }
        return m_data[m_pos++];
    }

    std::uint32_t u32() {
        std::uint32_t v = 0;
        read(&v, 4);
        return v;
    }

    double f64() {
        std::uint64_t v = 0;
        read(&v, 8);
        return std::bit_cast<double>(v);
    }

    void skip(std::size_t n) {
        if (m_pos + n > m_size)
            m_ok = false;
        else
            m_pos += n;
    }

private:
    template <typename T> void read(T* out, std::size_t n) {
        if (m_pos + n > m_size) {
            m_ok = false;
            return;
        }
        std::uint8_t buf[8];
        std::memcpy(buf, m_data + m_pos, n);
        const bool host_little = std::endian::native == std::endian::little;
        if (host_little != m_little)
            for (std::size_t i = 0; i < n / 2; ++i)
                std::swap(buf[i], buf[n - 1 - i]);
        std::memcpy(out, buf, n);
        m_pos += n;
    }

    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    bool m_little = true;
    bool m_ok = true;
};

// Skips the GeoPackage header; returns false for an empty or malformed blob.
bool skip_header(WkbReader& r) {
    if (r.byte() != 'G' || r.byte() != 'P')
        return false;
    r.byte(); // version
    std::uint8_t flags = r.byte();
    if (flags & 0x10) // empty geometry
        return false;
    r.set_little_endian(flags & 0x01);
    r.u32(); // srs_id
    static constexpr std::size_t envelope_sizes[] = {0, 32, 48, 48, 64, 0, 0, 0};
    r.skip(envelope_sizes[(flags >> 1) & 0x07]);
    return r.ok();
}

// Reads a WKB geometry header and returns its 2D type (1 point, 3 polygon, 6 multipolygon) and
// the number of coordinates per vertex.
bool wkb_type(WkbReader& r, std::uint32_t& type, int& dims) {
    r.set_little_endian(r.byte() == 1);
    std::uint32_t raw = r.u32();
    dims = 2;
    if (raw & 0x80000000u)
        ++dims; // EWKB Z flag
    if (raw & 0x40000000u)
        ++dims; // EWKB M flag
    raw &= 0x0fffffffu;
    if (raw >= 3000) {
        dims = 4;
        raw -= 3000;
    } else if (raw >= 2000 || raw >= 1000) {
        dims = 3;
        raw %= 1000;
    }
    type = raw;
    return r.ok();
}

} // namespace

std::optional<GeoPoint> decode_gpkg_point(const void* blob, std::size_t size) {
    if (blob == nullptr || size == 0)
        return std::nullopt;
    WkbReader r(static_cast<const std::uint8_t*>(blob), size);
    std::uint32_t type = 0;
    int dims = 2;
    if (!skip_header(r) || !wkb_type(r, type, dims) || type != 1)
        return std::nullopt;
    GeoPoint p{r.f64(), r.f64()};
    if (!r.ok() || p.lon != p.lon || p.lat != p.lat) // NaN coordinates encode an empty point
        return std::nullopt;
    return p;
}

std::vector<GeoPoint> decode_gpkg_outer_ring(const void* blob, std::size_t size) {
    std::vector<GeoPoint> ring;
    if (blob == nullptr || size == 0)
        return ring;
    WkbReader r(static_cast<const std::uint8_t*>(blob), size);
    std::uint32_t type = 0;
    int dims = 2;
    if (!skip_header(r) || !wkb_type(r, type, dims))
        return ring;
    if (type == 6) { // multipolygon: read its first polygon
        if (r.u32() == 0 || !wkb_type(r, type, dims))
            return ring;
    }
    if (type != 3 || r.u32() == 0)
        return ring;
    std::uint32_t n = r.u32();
    if (!r.ok() || n > size / 16)
        return ring;
    ring.reserve(n);
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
        GeoPoint p{r.f64(), r.f64()};
        r.skip(static_cast<std::size_t>(dims - 2) * 8);
        ring.push_back(p);
    }
    if (!r.ok())
        ring.clear();
    return ring;
}

} // namespace fuelmap::detail
