// SPDX-License-Identifier: MIT
// The frame of a registry file for the draw: the stations read into memory, the nozzle and supply
// rows streamed into the digest (through the layout cache, a sequential scan, or the indexes), and
// the layouts of the stations drawn read back from the cache's lines, or by rowid range or station
// id.
#include "store/frame_source.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/frame_text.hpp"
#include "store/layout_cache.hpp"
#include "store/registry_db.hpp"
#include "store/sql_rows.hpp"
#include "store/station_layouts.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <map>
#include <optional>

namespace fuelmap::detail {

namespace {

// Streams the frame text of the registry file into SHA-256: the stations in memory, the nozzles and
// supply legs straight from the database in (station_id, nozzle_no[, leg]) order. Produces exactly
// the bytes of frame_text().
std::string stream_frame_digest_indexed(SQLite::Database& db, const std::string& file,
                                        const Registry& registry, const std::vector<std::string>& fields,
                                        std::string_view tail) {
    Sha256 hash;
    std::string buffer;
    append_frame_header(buffer, fields);
    SqlRows nq(db, "SELECT station_id, nozzle_no, grade, status FROM nozzles ORDER BY station_id, nozzle_no");
    SqlRows sq(
        db,
        "SELECT station_id, nozzle_no, tank_no, fraction FROM supplies ORDER BY station_id, nozzle_no, leg");
    bool n_ok = nq.next();
    bool s_ok = sq.next();
    auto orphan = [&](const char* layer, std::string_view station, std::string_view nozzle) {
        throw InputError(
            {.file = file, .layer = layer, .feature = element_id(station, nozzle), .field = "station_id"},
            std::string(layer) == "nozzles" ? "nozzle of a station that is not in the stations layer"
                                            : "supply for an unknown nozzle");
    };
    std::string nozzle_no;
    for (const Site& site : registry.sites()) {
        const std::string_view sid = site.station.station_id;
        append_station_line(buffer, site.station, fields);
        while (n_ok && nq.view(0) <= sid) {
            if (nq.view(0) < sid)
                orphan("nozzles", nq.view(0), nq.view(1));
            nozzle_no.assign(nq.view(1));
            append_nozzle_head(buffer, nozzle_no, nq.view(2), nq.view(3));
            bool first = true;
            while (s_ok) {
                const std::string_view ss = sq.view(0), sn = sq.view(1);
                if (ss > sid || (ss == sid && sn > std::string_view(nozzle_no)))
                    break;
                if (ss < sid || sn < std::string_view(nozzle_no))
                    orphan("supplies", ss, sn);
                append_supply_leg(buffer, first, sq.view(2), sq.real(3));
                first = false;
                s_ok = sq.next();
            }
            buffer += '\n';
            n_ok = nq.next();
        }
        if (buffer.size() > (1u << 20)) {
            hash.update(buffer);
            buffer.clear();
        }
    }
    if (n_ok)
        orphan("nozzles", nq.view(0), nq.view(1));
    if (s_ok)
        orphan("supplies", sq.view(0), sq.view(1));
    buffer += tail;
    hash.update(buffer);
    return hash.hex();
}

// Where each station's layout rows are in the file: found by the sequential pass, used to read
// the layouts of the drawn stations by rowid.
struct LayoutIndex {
    std::vector<RowRange> nozzles;  ///< per site, in registry order
    std::vector<RowRange> supplies; ///< per site, in registry order
};

// The frame text streamed with sequential table scans, for files whose nozzles and supplies rows
// come grouped per station in station-id order (as the registry writer stores them): per station
// its rows are taken while the station id matches, sorted by (nozzle_no[, leg]) in memory and
// written exactly as frame_text() does. Returns nullopt, without having thrown, when the file is
// not laid out that way (rows out of order, split groups, orphans): the caller then uses the
// index-ordered pass, which also gives the precise error for orphans.
std::optional<std::string> stream_frame_digest_sequential(SQLite::Database& db, const Registry& registry,
                                                          const std::vector<std::string>& fields,
                                                          std::string_view tail, LayoutIndex& index) {
    Sha256 hash;
    std::string buffer;
    append_frame_header(buffer, fields);
    SqlRows nq(db, "SELECT station_id, nozzle_no, grade, status, fid FROM nozzles ORDER BY fid");
    SqlRows sq(db, "SELECT station_id, nozzle_no, leg, tank_no, fraction, fid FROM supplies ORDER BY fid");
    bool n_ok = nq.next();
    bool s_ok = sq.next();
    StationLines rows; // one station's rows, in a reused arena
    const std::vector<Site>& sites = registry.sites();
    index.nozzles.assign(sites.size(), RowRange{});
    index.supplies.assign(sites.size(), RowRange{});
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const std::string_view sid = sites[i].station.station_id;
        append_station_line(buffer, sites[i].station, fields);
        rows.clear();
        if (n_ok && nq.view(0) < sid)
            return std::nullopt; // an orphan, or a station's rows after a later station's
        if (n_ok && nq.view(0) == sid) {
            index.nozzles[i].first = nq.int64(4);
            do {
                index.nozzles[i].last = nq.int64(4);
                rows.add_nozzle(nq.view(1), nq.view(2), nq.view(3));
                n_ok = nq.next();
            } while (n_ok && nq.view(0) == sid);
        }
        if (s_ok && sq.view(0) < sid)
            return std::nullopt;
        if (s_ok && sq.view(0) == sid) {
            index.supplies[i].first = sq.int64(5);
            do {
                if (!sq.is_integer(2))
                    return std::nullopt; // leg order as SQLite orders a non-integer: the indexed pass
                index.supplies[i].last = sq.int64(5);
                rows.add_leg(sq.view(1), sq.int64(2), sq.view(3), sq.real(4));
                s_ok = sq.next();
            } while (s_ok && sq.view(0) == sid);
        }
        // A leg of no nozzle (or a repeated key) goes to the index-ordered pass.
        if (!rows.append_to(buffer))
            return std::nullopt;
        if (buffer.size() > (1u << 20)) {
            hash.update(buffer);
            buffer.clear();
        }
    }
    if (n_ok || s_ok)
        return std::nullopt; // rows of no station, or out of order
    buffer += tail;
    hash.update(buffer);
    return hash.hex();
}

// The frame text from the registry's layout cache (docs/registry.md): the stations in memory and
// the N lines of each station as cached, or recomputed for stations edited since. nullopt when
// the file has no trusted cache, or the cache cannot answer (orphans, rows that form no layout).
std::optional<std::string> cached_frame_digest(SQLite::Database& db, const Registry& registry,
                                               const std::vector<std::string>& fields, std::string_view tail,
                                               const LayoutCacheState& cache) {
    const std::vector<Site>& sites = registry.sites();
    std::vector<std::string_view> ids;
    ids.reserve(sites.size());
    for (const Site& site : sites)
        ids.emplace_back(site.station.station_id);
    Sha256 hash;
    std::string buffer;
    append_frame_header(buffer, fields);
    auto lines_of = [&](std::size_t i, std::string_view lines) {
        append_station_line(buffer, sites[i].station, fields);
        buffer += lines;
        if (buffer.size() > (1u << 20)) {
            hash.update(buffer);
            buffer.clear();
        }
    };
    if (!read_layout_cache(db, cache, ids, lines_of))
        return std::nullopt;
    buffer += tail;
    hash.update(buffer);
    return hash.hex();
}

// The frame digest of a registry file: the layout cache in state @p cache when given and it can answer
// (then @p from_cache is set), else the sequential pass, or the index-ordered one when the file's
// rows are not grouped per station in station-id order. @p index is filled only by the sequential
// pass (left empty otherwise).
std::string stream_frame_digest(SQLite::Database& db, const std::string& file, const Registry& registry,
                                const std::vector<std::string>& fields, std::string_view tail,
                                LayoutIndex& index, const LayoutCacheState* cache, bool& from_cache) {
    from_cache = false;
    if (cache)
        if (std::optional<std::string> digest = cached_frame_digest(db, registry, fields, tail, *cache)) {
            from_cache = true;
            return *digest;
        }
    if (std::optional<std::string> digest = stream_frame_digest_sequential(db, registry, fields, tail, index))
        return *digest;
    index = LayoutIndex{};
    return stream_frame_digest_indexed(db, file, registry, fields, tail);
}

// Reads the layouts of single stations on demand: from their N lines in the layout cache when
// @p cache is given and they read back for certain (the lines a digest from the cache hashes),
// else from the rows: by rowid range when the sequential pass found where they are, else by
// station id through the indexes. Each station is read once. The reads run in one read
// transaction, held until the reader is dropped: one snapshot for all of them, and one lock
// instead of one per statement.
class LayoutReader {
public:
    LayoutReader(SQLite::Database& db, const Registry& registry, const LayoutIndex& index,
                 const LayoutCacheState* cache)
        : m_registry(registry), m_index(index), m_snapshot(db), m_rows(db, !index.nozzles.empty()) {
        if (cache)
            m_cached.emplace(db, *cache);
    }

    const std::vector<Nozzle>& nozzles(const Site& site) {
        const std::string& id = site.station.station_id;
        auto it = m_read.find(id);
        if (it != m_read.end())
            return it->second;
        std::vector<Nozzle> list;
        if (m_cached)
            if (const std::optional<std::string> lines = m_cached->lines(id))
                if (read_nozzle_lines(*lines, list))
                    return m_read.emplace(id, std::move(list)).first->second;
        const auto at = static_cast<std::size_t>(&site - m_registry.sites().data());
        const bool by_rowid = !m_index.nozzles.empty();
        list = m_rows.read(id, by_rowid ? m_index.nozzles.at(at) : RowRange{},
                           by_rowid ? m_index.supplies.at(at) : RowRange{});
        return m_read.emplace(id, std::move(list)).first->second;
    }

private:
    const Registry& m_registry;
    const LayoutIndex& m_index;
    SQLite::Transaction m_snapshot; // a read: rolled back when dropped
    StationLayouts m_rows;
    std::optional<CachedLines> m_cached;
    std::map<std::string, std::vector<Nozzle>> m_read;
};

class GpkgFrameSource final : public FrameSource {
public:
    GpkgFrameSource(const std::filesystem::path& path, bool use_cache, bool station_details)
        : m_path(path), m_file(path.string()), m_db(open_registry(path, OpenMode::bulk_read)),
          m_stations(
              read_registry(path, ReadOptions{.stations = {}, .layouts = false, .details = station_details})),
          m_details(station_details) {
        if (use_cache)
            m_cache = layout_cache_state(m_db);
    }

    const Registry& stations() const override { return m_stations; }

    Registry station_rows(const std::vector<std::string>& ids) override {
        if (m_details)
            return FrameSource::station_rows(ids);
        // Read by station id, in slices that stay well under SQLite's limit on bound parameters.
        constexpr std::size_t slice = 10000;
        std::vector<Site> sites;
        sites.reserve(ids.size());
        for (std::size_t from = 0; from < ids.size(); from += slice) {
            ReadOptions options{
                .stations = std::vector<std::string>(
                    ids.begin() + static_cast<std::ptrdiff_t>(from),
                    ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + slice))),
                .layouts = false,
                .details = true};
            Registry part = read_registry(m_path, options);
            for (const Site& site : part.sites())
                sites.push_back(site);
        }
        Registry rows;
        rows.add_all(std::move(sites));
        return rows;
    }

    // With a usable layout cache, the digest streams it on m_db while the nozzles come from its
    // lines, looked up on a connection of their own.
    bool nozzles_beside_digest() const noexcept override { return m_cache && m_cache->usable; }

    std::string digest(const std::vector<std::string>& fields, std::string_view tail) override {
        try {
            bool from_cache = false;
            std::string digest = stream_frame_digest(m_db, m_file, m_stations, fields, tail, m_index,
                                                     m_cache ? &*m_cache : nullptr, from_cache);
            if (!from_cache && nozzles_beside_digest())
                m_digest_from_rows = true; // the draw may have read the cache: it draws again
            return digest;
        } catch (const SQLite::Exception& e) {
            throw malformed(e);
        }
    }

    const std::vector<Nozzle>& nozzles(const Site& site) override {
        try {
            if (!m_layouts) {
                const bool beside = nozzles_beside_digest();
                m_layouts_from_lines = beside && !m_digest_from_rows;
                if (beside) {
                    // Not m_db (the digest's) nor m_index (filled by a digest from the rows).
                    if (!m_layout_db)
                        m_layout_db.emplace(open_registry(m_path, OpenMode::bulk_read));
                    m_layouts.emplace(*m_layout_db, m_stations, m_no_index,
                                      m_layouts_from_lines ? &*m_cache : nullptr);
                } else {
                    m_layouts.emplace(m_db, m_stations, m_index, nullptr);
                }
            }
            return m_layouts->nozzles(site);
        } catch (const SQLite::Exception& e) {
            throw malformed(e);
        }
    }

    bool draw_again() override {
        if (!m_digest_from_rows || !m_layouts || !m_layouts_from_lines)
            return false;
        m_layouts.reset(); // from now on the rows, as the digest read them
        return true;
    }

private:
    InputError malformed(const SQLite::Exception& e) const {
        return InputError({.file = m_file}, std::string("malformed registry: ") + e.what());
    }

    std::filesystem::path m_path;
    std::string m_file;
    SQLite::Database m_db;
    Registry m_stations;
    bool m_details;                          // m_stations hold their details
    std::optional<LayoutCacheState> m_cache; // with the layout cache: its state
    // Set by a digest beside the draw that the cache could not give.
    std::atomic<bool> m_digest_from_rows{false};
    LayoutIndex m_index;
    const LayoutIndex m_no_index;
    std::optional<SQLite::Database> m_layout_db; // the nozzles' connection, beside the digest
    std::optional<LayoutReader> m_layouts;
    bool m_layouts_from_lines = false; // m_layouts reads the cache's lines
};

} // namespace

Registry FrameSource::station_rows(const std::vector<std::string>& ids) {
    std::vector<Site> sites;
    sites.reserve(ids.size());
    for (const std::string& id : ids) {
        const Site* site = stations().find(id);
        if (!site)
            throw InputError({.layer = "stations", .feature = id, .field = "station_id"},
                             "not a station of the registry read");
        Site row;
        row.station = site->station;
        sites.push_back(std::move(row));
    }
    Registry rows;
    rows.add_all(std::move(sites));
    return rows;
}

std::unique_ptr<FrameSource> open_gpkg_frame_source(const std::filesystem::path& path, bool use_layout_cache,
                                                    bool station_details) {
    try {
        return std::make_unique<GpkgFrameSource>(path, use_layout_cache, station_details);
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = path.string()}, std::string("malformed registry: ") + e.what());
    }
}

} // namespace fuelmap::detail
