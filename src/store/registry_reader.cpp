// SPDX-License-Identifier: MIT
// Reading the registry GeoPackage (the writing half is in registry_file.cpp). Rows are read with
// SQLite's C API straight from the tables; a large registry is read on two threads, each with
// its own read-only connection, with the same result and the same first error as one thread.
#include <fuelmap/error.hpp>
#include <fuelmap/registry_file.hpp>

#include "store/gpkg_geometry.hpp"
#include "store/registry_db.hpp"
#include "store/registry_format.hpp"
#include "store/registry_read.hpp"
#include "store/registry_store.hpp"
#include "store/sql_rows.hpp"
#include "store/station_layouts.hpp"
#include "store/station_row.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace fuelmap {

namespace {

using detail::registry_version;

std::string text(SQLite::Column c) {
    return c.isNull() ? std::string() : c.getString();
}

// The station filter of a query: "... WHERE station_id IN (?, ?, …)", or no filter.
std::string filter_clause(const ReadOptions& options) {
    if (options.stations.empty())
        return "";
    std::string sql = " WHERE station_id IN (";
    for (std::size_t i = 0; i < options.stations.size(); ++i)
        sql += i ? ",?" : "?";
    return sql + ")";
}

// A statement of the reader: SqlRows plus the station filter and GeoPackage points.
class Rows : public detail::SqlRows {
public:
    Rows(SQLite::Database& db, const std::string& sql) : SqlRows(db, sql) {}

    void bind_filter(const ReadOptions& options) {
        for (std::size_t i = 0; i < options.stations.size(); ++i)
            bind_text(static_cast<int>(i + 1), options.stations[i]);
    }
    std::optional<GeoPoint> point(int i) const {
        if (null(i))
            return std::nullopt;
        const std::string_view blob = view(i);
        return detail::decode_gpkg_point(reinterpret_cast<const void*>(blob.data()), blob.size());
    }
};

// Gathers the consecutive rows of one station and moves them into its site in one go, so that each
// site's vector is allocated once at its exact size (a registry holds millions of these).
template <class T> class Grouped {
public:
    explicit Grouped(std::vector<T> Site::*member) : m_member(member) {}
    Grouped(const Grouped&) = delete;
    Grouped& operator=(const Grouped&) = delete;

    T& add(Site& site) {
        if (&site != m_site) {
            flush();
            m_site = &site;
        }
        return m_rows.emplace_back();
    }
    void flush() {
        if (!m_site)
            return;
        std::vector<T>& target = m_site->*m_member;
        if (target.empty())
            target.assign(std::make_move_iterator(m_rows.begin()), std::make_move_iterator(m_rows.end()));
        else
            target.insert(target.end(), std::make_move_iterator(m_rows.begin()),
                          std::make_move_iterator(m_rows.end()));
        m_rows.clear();
        m_site = nullptr;
    }

private:
    std::vector<T> Site::*m_member;
    std::vector<T> m_rows;
    Site* m_site = nullptr;
};

// Reads the supplies table in storage order when every row names a known station and nozzle
// and each nozzle's legs come together in ascending leg order; false (with some legs read) when
// not, and the caller reads them again in key order.
template <class FindSite>
bool read_supplies_in_storage_order(SQLite::Database& db, const std::string& where,
                                    const ReadOptions& options, FindSite& find_site) {
    Rows q(db, "SELECT station_id, nozzle_no, leg, tank_no, fraction FROM supplies" + where);
    q.bind_filter(options);
    Site* site = nullptr;
    std::size_t cursor = 0;
    std::unordered_map<std::string_view, Nozzle*> lookup; // for a station whose rows are out of order
    Nozzle* previous = nullptr;
    std::int64_t previous_leg = 0;
    while (q.next()) {
        Site* row_site = find_site(q.view(0));
        if (!row_site || q.null(2))
            return false;
        if (row_site != site) {
            site = row_site;
            cursor = 0;
            lookup.clear();
        }
        const std::string_view nozzle_no = q.view(1);
        Nozzle* n = nullptr;
        auto& nozzles = site->nozzles;
        for (std::size_t k = cursor; k < nozzles.size() && k < cursor + 2; ++k)
            if (nozzles[k].nozzle_no == nozzle_no) {
                n = &nozzles[k];
                cursor = k;
                break;
            }
        if (!n) {
            if (lookup.empty())
                for (Nozzle& each : nozzles)
                    lookup.emplace(each.nozzle_no, &each);
            auto it = lookup.find(nozzle_no);
            if (it == lookup.end())
                return false;
            n = it->second;
        }
        const std::int64_t leg = q.int64(2);
        if (!n->supply.empty() && (n != previous || leg <= previous_leg))
            return false;
        n->supply.push_back({q.text(3), q.real(4)});
        previous = n;
        previous_leg = leg;
    }
    return true;
}

// The position of each site by station id: by binary search when the stations layer is in id
// order (as fuelmap writes it), else through a hash table. Of two sites with one id the first
// is found (Registry::add_all rejects the pair afterwards).
class StationIndex {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    explicit StationIndex(const std::vector<Site>& sites) : m_sites(sites) {
        const bool ordered = std::adjacent_find(sites.begin(), sites.end(), [](const Site& a, const Site& b) {
                                 return !(a.station.station_id < b.station.station_id);
                             }) == sites.end();
        if (ordered)
            return;
        m_hash.reserve(sites.size());
        for (std::size_t i = 0; i < sites.size(); ++i)
            m_hash.emplace(sites[i].station.station_id, i);
        m_hashed = true;
    }

    [[nodiscard]] std::size_t find(std::string_view id) const {
        if (m_hashed) {
            auto it = m_hash.find(std::string(id));
            return it == m_hash.end() ? npos : it->second;
        }
        auto it = std::lower_bound(m_sites.begin(), m_sites.end(), id, [](const Site& s, std::string_view v) {
            return s.station.station_id < v;
        });
        if (it == m_sites.end() || it->station.station_id != id)
            return npos;
        return static_cast<std::size_t>(it - m_sites.begin());
    }

private:
    const std::vector<Site>& m_sites;
    std::unordered_map<std::string, std::size_t> m_hash;
    bool m_hashed = false;
};

// Reads the station rows of @p q into @p sites.
void read_station_rows(Rows& q, const std::string& file, std::vector<Site>& sites) {
    while (q.next()) {
        // Filled in place: a throw drops the whole read anyway.
        Station& s = sites.emplace_back().station;
        s.location = q.point(1);
        detail::decode_station_row(q, 2, file, s);
    }
}

constexpr const char* station_columns =
    "SELECT fid, geom, station_id, name, operator, brand, ownership, province, "
    "city, county, address, status, annual_volume_m3, risk_weight, "
    "attributes FROM stations";
// The same columns without the details (ReadOptions::details): empty text in their place, so that
// one decoder reads both.
constexpr const char* station_columns_without_details =
    "SELECT fid, geom, station_id, '', '', '', ownership, province, "
    "city, county, '', status, annual_volume_m3, risk_weight, "
    "'' FROM stations";

// Below this many stations a second connection and thread cost more than they save.
constexpr std::size_t parallel_read_min_stations = 512;

// The sites of the stations layer (without their layouts), in file order. A full read of a large
// layer is cut in two fid ranges read at once, the second on a worker with its own connection;
// an error in the first range is the one a sequential scan would meet first.
std::vector<Site> read_stations(SQLite::Database& db, const std::string& file, const ReadOptions& options,
                                const std::string& where, detail::Threading threading) {
    const std::string columns = options.details ? station_columns : station_columns_without_details;
    std::vector<Site> sites;
    std::int64_t first = 0, last = -1, count = 0;
    if (options.stations.empty() && threading != detail::Threading::never) {
        // Three subqueries: min and max from the ends of the rowid b-tree, the count from an index's
        // pages without reading a row. The three aggregates in one SELECT scan every row (~20 ms on
        // 120,000 stations).
        Rows range(db, "SELECT (SELECT min(fid) FROM stations), (SELECT max(fid) FROM stations), "
                       "(SELECT count(*) FROM stations)");
        if (range.next() && !range.null(0)) {
            first = range.int64(0);
            last = range.int64(1);
            count = range.int64(2);
        }
    } else {
        sites.reserve(options.stations.size());
    }
    // Unsigned: fids may span the whole int64 range.
    const std::uint64_t span = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
    const bool parallel =
        last >= first && (threading == detail::Threading::always || span >= parallel_read_min_stations - 1);
    if (!parallel) {
        Rows q(db, columns + where);
        q.bind_filter(options);
        read_station_rows(q, file, sites);
        return sites;
    }
    const std::int64_t middle = first + static_cast<std::int64_t>(span / 2);
    // Room for every row at once: a Site is large, and moving the first half's on every growth
    // costs more than the read of a row.
    sites.reserve(static_cast<std::size_t>(count));
    std::vector<Site> second;
    std::exception_ptr second_error;
    {
        std::jthread worker([&] {
            try {
                second.reserve(static_cast<std::size_t>(count) / 2 + 1);
                SQLite::Database connection = detail::open_bulk_reader(file);
                Rows q(connection, columns + " WHERE fid > ?");
                q.bind_int64(1, middle);
                read_station_rows(q, file, second);
            } catch (...) {
                second_error = std::current_exception();
            }
        });
        Rows q(db, columns + " WHERE fid <= ?");
        q.bind_int64(1, middle);
        read_station_rows(q, file, sites);
    }
    if (second_error)
        std::rethrow_exception(second_error);
    std::move(second.begin(), second.end(), std::back_inserter(sites));
    return sites;
}

// What every layer reader shares: the file, the station filter and the sites read from the
// stations layer. Layer readers on different threads write different members of the sites
// (tanks, dispensers, nozzles with their supplies, outline) and only read the rest.
struct ReadContext {
    const std::string& file;
    const ReadOptions& options;
    const std::string& where;
    const std::string& in_file_order;
    std::vector<Site>& sites;
    const StationIndex& index;
};

// The site of a station id. Rows of one station come one after the other (fuelmap writes each
// layer in station order), so the last station found answers most lookups without a search, and
// the stations usually follow each other in the same order in every layer, so the next station
// is tried before the index. One finder per thread: the cursor is its own.
class SiteFinder {
public:
    explicit SiteFinder(const ReadContext& context) : m_context(context), m_last(context.sites.size()) {}

    Site* operator()(std::string_view id) {
        std::vector<Site>& sites = m_context.sites;
        if (m_last < sites.size()) {
            if (id == sites[m_last].station.station_id)
                return &sites[m_last];
            if (m_last + 1 < sites.size() && id == sites[m_last + 1].station.station_id)
                return &sites[++m_last];
        }
        const std::size_t found = m_context.index.find(id);
        if (found == StationIndex::npos)
            return nullptr;
        m_last = found;
        return &sites[m_last];
    }

    // The site named by column 2 of a row. @throws InputError when the station is unknown.
    Site& of(Rows& q, const char* layer, std::int64_t fid) {
        if (Site* site = (*this)(q.view(2)))
            return *site;
        const std::string id = q.text(2);
        throw InputError(
            {.file = m_context.file, .layer = layer, .fid = fid, .feature = id, .field = "station_id"},
            "station '" + id + "' is not in the stations layer");
    }

private:
    const ReadContext& m_context;
    std::size_t m_last;
};

// Lets the supplies of the first sites be read on one thread while the nozzles of later sites
// are still being read on another. The nozzle reader publishes below which site (in the order of
// the stations layer) every site has its final nozzles; the supply reader touches a site only
// below that mark, and holds the gate's lock while it works on the site. A nozzles layer that
// goes back to an earlier station "breaks" the gate (taking the lock, so never in the middle of
// a site's supplies): the supply reader then gives up and reads every supply again once all the
// nozzles are in.
class NozzleGate {
public:
    // Nozzle reader: the sites before @p site have their final nozzles.
    void done_below(std::size_t site) {
        m_done.store(site, std::memory_order_release);
        m_done.notify_all();
    }
    // Nozzle reader: about to add to a site before the mark.
    void break_order() {
        const std::lock_guard lock(m_busy);
        m_broken.store(true, std::memory_order_relaxed);
    }
    // Nozzle reader: every nozzle read (@p ok), or the read failed.
    void finish(bool ok) {
        m_failed.store(!ok, std::memory_order_relaxed);
        m_done.store(all, std::memory_order_release);
        m_done.notify_all();
    }

    // Supply reader: waits until the nozzles of @p site are final.
    void wait_for(std::size_t site) const {
        for (std::size_t done = m_done.load(std::memory_order_acquire); done <= site;
             done = m_done.load(std::memory_order_acquire))
            m_done.wait(done, std::memory_order_acquire);
    }
    void wait_finished() const { wait_for(all - 1); }
    // Supply reader: true when its reads so far may not stand (valid with the lock or once finished).
    [[nodiscard]] bool closed() const {
        return m_broken.load(std::memory_order_relaxed) || m_failed.load(std::memory_order_relaxed);
    }
    [[nodiscard]] bool failed() const { return m_failed.load(std::memory_order_relaxed); }
    [[nodiscard]] std::mutex& busy() { return m_busy; }

private:
    static constexpr std::size_t all = static_cast<std::size_t>(-1);
    std::atomic<std::size_t> m_done{0};
    std::atomic<bool> m_broken{false};
    std::atomic<bool> m_failed{false};
    std::mutex m_busy;
};

// Thrown inside a gated supply read when the gate closed: the read is abandoned.
struct GateClosed {};

// A SiteFinder for the supply reader that waits at the gate for each new site and holds the
// gate's lock while the site's rows are read.
class GatedSiteFinder {
public:
    GatedSiteFinder(const ReadContext& context, NozzleGate& gate)
        : m_finder(context), m_sites(context.sites.data()), m_gate(gate),
          m_lock(gate.busy(), std::defer_lock) {}

    Site* operator()(std::string_view id) {
        Site* site = m_finder(id);
        if (site && site != m_held) {
            if (m_lock.owns_lock())
                m_lock.unlock();
            m_held = nullptr;
            m_gate.wait_for(static_cast<std::size_t>(site - m_sites));
            m_lock.lock();
            if (m_gate.closed())
                throw GateClosed{};
            m_held = site;
        }
        return site;
    }

private:
    SiteFinder m_finder;
    const Site* m_sites;
    NozzleGate& m_gate;
    std::unique_lock<std::mutex> m_lock;
    Site* m_held = nullptr;
};

void read_tanks(SQLite::Database& db, const ReadContext& context) {
    Rows q(db, "SELECT fid, geom, station_id, tank_no, grade, capacity_l, manifold_group, status FROM tanks" +
                   context.where + context.in_file_order);
    q.bind_filter(context.options);
    SiteFinder site_of(context);
    Grouped<Tank> tanks(&Site::tanks);
    while (q.next()) {
        const std::int64_t fid = q.int64(0);
        Tank& t = tanks.add(site_of.of(q, "tanks", fid));
        t.position = q.point(1);
        t.tank_no = q.view(3);
        t.grade = q.view(4);
        t.capacity_l = q.int64(5);
        t.manifold_group = q.view(6);
        t.status = q.view(7);
    }
    tanks.flush();
}

void read_dispensers(SQLite::Database& db, const ReadContext& context) {
    Rows q(db, "SELECT fid, geom, station_id, dispenser_no, island, fuelling_points FROM dispensers" +
                   context.where + context.in_file_order);
    q.bind_filter(context.options);
    SiteFinder site_of(context);
    Grouped<Dispenser> dispensers(&Site::dispensers);
    while (q.next()) {
        Dispenser& d = dispensers.add(site_of.of(q, "dispensers", q.int64(0)));
        d.position = q.point(1);
        d.dispenser_no = q.view(3);
        d.island = q.view(4);
        d.fuelling_points = q.int32(5);
    }
    dispensers.flush();
}

// The columns of a nozzles row from geom on (geom, station_id, nozzle_no, dispenser_no,
// fuelling_point, grade, status at @p at + 0 … 6): every reader of nozzle rows decodes them here.
void read_nozzle_columns(const Rows& q, int at, Nozzle& n) {
    n.position = q.point(at);
    n.nozzle_no = q.view(at + 2);
    n.dispenser_no = q.view(at + 3);
    n.fuelling_point = q.int32(at + 4);
    n.grade = q.view(at + 5);
    n.status = q.view(at + 6);
}

// The columns every read of nozzle rows selects (see read_nozzle_columns).
constexpr const char* nozzle_columns =
    "geom, station_id, nozzle_no, dispenser_no, fuelling_point, grade, status";

// With a @p gate, tells a supply reader on another thread which sites are done (see NozzleGate).
void read_nozzles(SQLite::Database& db, const ReadContext& context, NozzleGate* gate) {
    struct Finish {
        NozzleGate* gate;
        bool ok = false;
        ~Finish() {
            if (gate)
                gate->finish(ok);
        }
    } finish{gate};
    Rows q(db, std::string("SELECT fid, ") + nozzle_columns + " FROM nozzles" + context.where +
                   context.in_file_order);
    q.bind_filter(context.options);
    SiteFinder site_of(context);
    Grouped<Nozzle> nozzles(&Site::nozzles);
    std::size_t current = 0;
    while (q.next()) {
        Site& site = site_of.of(q, "nozzles", q.int64(0));
        const auto index = static_cast<std::size_t>(&site - context.sites.data());
        if (gate && index < current) {
            gate->break_order();
            gate = nullptr;
        }
        // Adding a row of a new site moves the rows of the one before into place.
        Nozzle& n = nozzles.add(site);
        if (gate && index > current) {
            current = index;
            gate->done_below(current);
        }
        read_nozzle_columns(q, 1, n);
    }
    nozzles.flush();
    finish.ok = true;
}

void clear_supplies(const ReadContext& context) {
    for (Site& site : context.sites)
        for (Nozzle& n : site.nozzles)
            n.supply.clear();
}

// Supplies: the legs of each nozzle in leg order, after the nozzles are read. Files written by
// fuelmap hold them nozzle by nozzle with ascending legs, so they are read in storage order; any
// other arrangement, or any row that does not fit, is read again in (station, nozzle, leg) order
// below, which gives the same legs and reports a bad row the same way.
void read_supplies(SQLite::Database& db, const ReadContext& context) {
    SiteFinder find_site(context);
    if (read_supplies_in_storage_order(db, context.where, context.options, find_site))
        return;
    clear_supplies(context);
    Rows q(db, "SELECT fid, NULL, station_id, nozzle_no, tank_no, fraction FROM supplies" + context.where +
                   " ORDER BY station_id, nozzle_no, leg");
    q.bind_filter(context.options);
    SiteFinder site_of(context);
    std::string current_station;
    std::unordered_map<std::string, Nozzle*> nozzles;
    while (q.next()) {
        const std::int64_t fid = q.int64(0);
        Site& site = site_of.of(q, "supplies", fid);
        if (site.station.station_id != current_station) {
            current_station = site.station.station_id;
            nozzles.clear();
            for (Nozzle& n : site.nozzles)
                nozzles.emplace(n.nozzle_no, &n);
        }
        const std::string nozzle_no = q.text(3);
        auto it = nozzles.find(nozzle_no);
        if (it == nozzles.end())
            throw InputError({.file = context.file,
                              .layer = "supplies",
                              .fid = fid,
                              .feature = element_id(current_station, nozzle_no),
                              .field = "nozzle_no"},
                             "supply for unknown nozzle '" + nozzle_no + "'");
        it->second->supply.push_back({q.text(4), q.real(5)});
    }
}

// The supplies read while the nozzles are still being read on another thread (see NozzleGate).
// When the storage-order read cannot finish behind the gate, everything is read again as above
// once the nozzles are in.
void read_supplies(SQLite::Database& db, const ReadContext& context, NozzleGate& gate) {
    bool complete = false;
    try {
        GatedSiteFinder find_site(context, gate);
        complete = read_supplies_in_storage_order(db, context.where, context.options, find_site);
    } catch (const GateClosed&) {
    }
    gate.wait_finished();
    if (gate.failed())
        return; // the nozzles' error is the one to report
    if (complete && !gate.closed())
        return;
    clear_supplies(context);
    read_supplies(db, context);
}

void read_outlines(SQLite::Database& db, const ReadContext& context) {
    Rows q(db, "SELECT fid, geom, station_id FROM sites" + context.where);
    q.bind_filter(context.options);
    SiteFinder site_of(context);
    while (q.next()) {
        Site& site = site_of.of(q, "sites", q.int64(0));
        if (!q.null(1)) {
            const std::string_view geom = q.view(1);
            site.outline =
                detail::decode_gpkg_outer_ring(reinterpret_cast<const void*>(geom.data()), geom.size());
        }
        if (site.outline.size() > 1 && site.outline.front() == site.outline.back())
            site.outline.pop_back();
    }
}

// The layout layers in the order a sequential read visits them, which is also the order in
// which their errors are reported.
enum class LayoutLayer { tanks, dispensers, nozzles, supplies, sites };
constexpr std::size_t layout_layer_count = 5;

void read_layer(LayoutLayer layer, SQLite::Database& db, const ReadContext& context, NozzleGate* gate) {
    switch (layer) {
    case LayoutLayer::tanks:
        return read_tanks(db, context);
    case LayoutLayer::dispensers:
        return read_dispensers(db, context);
    case LayoutLayer::nozzles:
        return read_nozzles(db, context, gate);
    case LayoutLayer::supplies:
        return gate ? read_supplies(db, context, *gate) : read_supplies(db, context);
    case LayoutLayer::sites:
        return read_outlines(db, context);
    }
}

// Reads the layout layers into the sites: in sequence on @p db, or on two threads when it pays.
// This thread reads the nozzles, then the site outlines; a worker with its own read-only
// connection reads the tanks, the dispensers, then the supplies, each site's as soon as its
// nozzles are in (NozzleGate). Each chain visits its layers in the sequential order and stops at
// its first error, and the error reported is the one of the earliest layer in that order: the
// one a sequential read reports.
void read_layouts(SQLite::Database& db, const ReadContext& context, detail::Threading threading) {
    using enum LayoutLayer;
    const bool parallel =
        threading == detail::Threading::always ||
        (threading == detail::Threading::automatic && context.sites.size() >= parallel_read_min_stations);
    if (!parallel) {
        for (LayoutLayer layer : {tanks, dispensers, nozzles, supplies, sites})
            read_layer(layer, db, context, nullptr);
        return;
    }
    std::array<std::exception_ptr, layout_layer_count> errors;
    NozzleGate gate;
    auto run_chain = [&](SQLite::Database& connection, std::initializer_list<LayoutLayer> chain) {
        for (LayoutLayer layer : chain) {
            try {
                read_layer(layer, connection, context, &gate);
            } catch (...) {
                errors[static_cast<std::size_t>(layer)] = std::current_exception();
                return;
            }
        }
    };
    {
        std::jthread worker([&] {
            try {
                SQLite::Database connection = detail::open_bulk_reader(context.file);
                run_chain(connection, {tanks, dispensers, supplies});
            } catch (...) {
                errors[static_cast<std::size_t>(tanks)] = std::current_exception();
            }
        });
        run_chain(db, {nozzles, sites});
    }
    for (const std::exception_ptr& error : errors)
        if (error)
            std::rethrow_exception(error);
}
} // namespace

struct detail::StationLayouts::Statements {
    Statements(SQLite::Database& db, bool by_rowid)
        : nozzles(db, std::string("SELECT ") + nozzle_columns + " FROM nozzles WHERE " +
                          (by_rowid ? "fid BETWEEN ? AND ?" : "station_id = ?")),
          supplies(db, std::string("SELECT nozzle_no, tank_no, fraction FROM supplies WHERE ") +
                           (by_rowid ? "fid BETWEEN ? AND ?" : "station_id = ?") +
                           " ORDER BY nozzle_no, leg") {}
    Rows nozzles;
    Rows supplies;
};

detail::StationLayouts::StationLayouts(SQLite::Database& db, bool by_rowid)
    : m_q(std::make_unique<Statements>(db, by_rowid)), m_by_rowid(by_rowid) {}

detail::StationLayouts::~StationLayouts() = default;

std::vector<Nozzle> detail::StationLayouts::read(std::string_view station_id, RowRange nozzles,
                                                 RowRange supplies) {
    auto bind = [&](Rows& q, RowRange range) {
        if (m_by_rowid) {
            q.bind_int64(1, range.first);
            q.bind_int64(2, range.last);
        } else {
            q.bind_text(1, station_id);
        }
    };
    std::vector<Nozzle> list;
    bind(m_q->nozzles, nozzles);
    while (m_q->nozzles.next())
        read_nozzle_columns(m_q->nozzles, 0, list.emplace_back());
    bind(m_q->supplies, supplies);
    while (m_q->supplies.next()) {
        const std::string_view nozzle_no = m_q->supplies.view(0);
        for (Nozzle& n : list)
            if (n.nozzle_no == nozzle_no)
                n.supply.push_back({m_q->supplies.text(1), m_q->supplies.real(2)});
    }
    return list;
}

void detail::read_grades(SQLite::Database& db, const std::string& file, GradeTable& grades) {
    SQLite::Statement q(db, "SELECT fid, code, family, min_octane, max_pour_point_c, standard, "
                            "description FROM grades ORDER BY code");
    while (q.executeStep()) {
        Grade g;
        g.code = text(q.getColumn(1));
        auto family = parse_grade_family(text(q.getColumn(2)));
        if (!family)
            throw InputError({.file = file,
                              .layer = "grades",
                              .fid = q.getColumn(0).getInt64(),
                              .feature = g.code,
                              .field = "family"},
                             "unknown grade family '" + text(q.getColumn(2)) + "'");
        g.family = *family;
        if (!q.getColumn(3).isNull())
            g.min_octane = q.getColumn(3).getInt();
        if (!q.getColumn(4).isNull())
            g.max_pour_point_c = q.getColumn(4).getInt();
        g.standard = text(q.getColumn(5));
        g.description = text(q.getColumn(6));
        grades.add(std::move(g));
    }
}

GradeTable detail::read_registry_grades(const std::filesystem::path& path) {
    const std::string file = path.string();
    SQLite::Database db = detail::open_registry(path, detail::OpenMode::read);
    GradeTable grades = GradeTable::builtin();
    try {
        read_grades(db, file, grades);
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = file}, std::string("malformed registry: ") + e.what());
    }
    return grades;
}

Registry read_registry(const std::filesystem::path& path, const ReadOptions& options) {
    return detail::open_store(path)->read(options);
}

Registry detail::read_named_stations(const std::filesystem::path& path,
                                     std::vector<std::string> station_ids) {
    const std::unique_ptr<RegistryStore> store = detail::open_store(path);
    const Registry known = store->read(ReadOptions{.stations = {}, .layouts = false});
    std::sort(station_ids.begin(), station_ids.end());
    station_ids.erase(std::unique(station_ids.begin(), station_ids.end()), station_ids.end());
    std::erase_if(station_ids, [&](const std::string& id) { return !known.find(id); });
    // Beyond this many the whole registry is read (one pass, and within SQLite's limit of bound
    // parameters).
    constexpr std::size_t most_named = 10000;
    if (station_ids.size() > most_named)
        return store->read(ReadOptions{});
    if (!station_ids.empty())
        return store->read(ReadOptions{.stations = std::move(station_ids), .layouts = true});
    Registry none;
    none.grades() = known.grades();
    return none;
}

Registry detail::read_registry(const std::filesystem::path& path, const ReadOptions& options,
                               Threading threading) {
    const std::string file = path.string();
    // One reader on this connection: no need for SQLite's per-call mutex.
    SQLite::Database db = detail::open_registry(path, detail::OpenMode::bulk_read);
    Registry registry;
    try {
        {
            SQLite::Statement q(db, "SELECT value FROM fuelmap_meta WHERE key = 'version'");
            if (!q.executeStep() || text(q.getColumn(0)) != registry_version)
                throw InputError({.file = file, .layer = "fuelmap_meta", .field = "version"},
                                 std::string("unsupported registry version (this fuelmap reads version ") +
                                     registry_version + ")");
        }
        detail::read_grades(db, file, registry.grades());
        const std::string where = filter_clause(options);
        // A filtered read goes through the station_id index; keep the file order of a full read.
        const std::string in_file_order = options.stations.empty() ? "" : " ORDER BY fid";
        std::vector<Site> sites = read_stations(db, file, options, where, threading);
        if (!options.stations.empty() || options.layouts) { // the index costs a pass over every site
            const StationIndex index(sites);
            for (const std::string& id : options.stations)
                if (index.find(id) == StationIndex::npos)
                    throw InputError(
                        {.file = file, .layer = "stations", .feature = id, .field = "station_id"},
                        "no station '" + id + "' in the registry");
            if (options.layouts)
                read_layouts(db, ReadContext{file, options, where, in_file_order, sites, index}, threading);
        }
        registry.add_all(std::move(sites));
    } catch (const SQLite::Exception& e) {
        throw InputError({.file = file}, std::string("malformed registry: ") + e.what());
    }
    return registry;
}

} // namespace fuelmap
