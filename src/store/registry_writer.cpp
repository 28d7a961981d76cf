// SPDX-License-Identifier: MIT
#include "store/registry_writer.hpp"

#include <fuelmap/error.hpp>

#include "store/rtree_bulk.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <array>
#include <bit>
#include <cstring>
#include <optional>

namespace fuelmap::detail {

namespace {

constexpr std::int32_t wgs84_srs_id = 4326;

// The SQLite connection to the registry file being written.
class Connection {
public:
    explicit Connection(const std::filesystem::path& path) : m_path(path) {
        if (sqlite3_open_v2(path.string().c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
            sqlite3_close(m_db);
            throw Error(path.string() + ": cannot open for writing: " + msg);
        }
        // The R-tree shadow tables are written directly; SQLite refuses that in defensive mode.
        sqlite3_db_config(m_db, SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
    }
    ~Connection() { sqlite3_close(m_db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return m_db; }
    const std::filesystem::path& path() const { return m_path; }

    [[noreturn]] void fail(const std::string& layer, const std::string& what) const {
        throw Error(m_path.string() + ": layer '" + layer + "': " + what + ": " + sqlite3_errmsg(m_db));
    }

    void exec(const std::string& sql, const std::string& layer = "") const {
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            if (layer.empty())
                throw Error(m_path.string() + ": cannot write: " + sqlite3_errmsg(m_db));
            fail(layer, "cannot write");
        }
    }

private:
    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
};

std::string sql_name(const std::string& name) {
    std::string q = "\"";
    for (char c : name)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

// Growing extent of a layer's geometries.
struct Extent {
    bool empty = true;
    double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
    void add(double x, double y) {
        if (empty || x < min_x)
            min_x = x;
        if (empty || x > max_x)
            max_x = x;
        if (empty || y < min_y)
            min_y = y;
        if (empty || y > max_y)
            max_y = y;
        empty = false;
    }
};

// GeoPackage geometry blobs as GDAL writes them: little-endian, no envelope for a point, an XY
// envelope for anything else.
class Blob {
public:
    const unsigned char* data() const { return m_bytes.data(); }
    int size() const { return static_cast<int>(m_bytes.size()); }

    void point(double x, double y) {
        m_bytes.clear();
        header(0x01);
        wkb_header(1);
        f64(x);
        f64(y);
    }

    // A polygon with one ring; @p ring is closed here when its ends differ.
    void polygon(const std::vector<GeoPoint>& ring, Extent& extent) {
        m_bytes.clear();
        header(0x03);
        Extent e;
        for (const GeoPoint& p : ring)
            e.add(p.lon, p.lat);
        f64(e.min_x);
        f64(e.max_x);
        f64(e.min_y);
        f64(e.max_y);
        extent.add(e.min_x, e.min_y);
        extent.add(e.max_x, e.max_y);
        const bool closed = ring.front() == ring.back();
        wkb_header(3);
        u32(1);
        u32(static_cast<std::uint32_t>(ring.size() + (closed ? 0 : 1)));
        for (const GeoPoint& p : ring) {
            f64(p.lon);
            f64(p.lat);
        }
        if (!closed) {
            f64(ring.front().lon);
            f64(ring.front().lat);
        }
    }

private:
    void header(unsigned char flags) {
        m_bytes.push_back('G');
        m_bytes.push_back('P');
        m_bytes.push_back(0); // version 1
        m_bytes.push_back(flags);
        u32(static_cast<std::uint32_t>(wgs84_srs_id));
    }
    void wkb_header(std::uint32_t type) {
        m_bytes.push_back(1); // little-endian
        u32(type);
    }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i, v >>= 8)
            m_bytes.push_back(static_cast<unsigned char>(v));
    }
    void f64(double d) {
        auto v = std::bit_cast<std::uint64_t>(d);
        for (int i = 0; i < 8; ++i, v >>= 8)
            m_bytes.push_back(static_cast<unsigned char>(v));
    }

    std::vector<unsigned char> m_bytes;
};

// A prepared INSERT into one layer; values are bound by position (1-based) and stay borrowed until
// the row is written.
class Insert {
public:
    Insert(const Connection& db, std::string layer, const std::vector<const char*>& columns)
        : m_db(db), m_layer(std::move(layer)) {
        std::string sql = "INSERT INTO " + sql_name(m_layer) + " (";
        std::string values;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            sql += (i ? ", " : "") + sql_name(columns[i]);
            values += i ? ", ?" : "?";
        }
        sql += ") VALUES (" + values + ")";
        if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
            db.fail(m_layer, "cannot prepare the insert");
    }
    ~Insert() { sqlite3_finalize(m_stmt); }
    Insert(const Insert&) = delete;
    Insert& operator=(const Insert&) = delete;

    Insert& text(int i, const std::string& s) {
        sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
        return *this;
    }
    Insert& text_or_null(int i, const std::string& s) { return s.empty() ? null(i) : text(i, s); }
    Insert& text(int i, std::string_view s) {
        sqlite3_bind_text(m_stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
        return *this;
    }
    Insert& integer(int i, std::int64_t v) {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    Insert& real(int i, double v) {
        sqlite3_bind_double(m_stmt, i, v);
        return *this;
    }
    Insert& null(int i) {
        sqlite3_bind_null(m_stmt, i);
        return *this;
    }
    Insert& blob(int i, const Blob& b) {
        sqlite3_bind_blob(m_stmt, i, b.data(), b.size(), SQLITE_STATIC);
        return *this;
    }

    /// Writes the row; returns its fid.
    std::int64_t run() {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE)
            m_db.fail(m_layer, "cannot write feature");
        sqlite3_clear_bindings(m_stmt);
        ++m_rows;
        return sqlite3_last_insert_rowid(m_db.get());
    }

private:
    const Connection& m_db;
    std::string m_layer;
    sqlite3_stmt* m_stmt = nullptr;
    std::size_t m_rows = 0;
};

// A point layer's spatial index and extent, gathered while its rows are written.
struct SpatialRows {
    std::vector<RtreeBox> boxes;
    Extent extent;

    // Binds the point (or NULL) at column 1 and remembers its box under the row's fid once written.
    void bind(Insert& insert, Blob& blob, const std::optional<GeoPoint>& p) {
        if (p) {
            blob.point(p->lon, p->lat);
            insert.blob(1, blob);
        } else {
            insert.null(1);
        }
    }
    void add(std::int64_t fid, const std::optional<GeoPoint>& p) {
        if (!p)
            return;
        boxes.push_back(RtreeBox::around(fid, p->lon, p->lon, p->lat, p->lat));
        extent.add(p->lon, p->lat);
    }
};

const std::array<const char*, 8> layers = {"fuelmap_meta", "grades",  "stations", "tanks",
                                           "dispensers",   "nozzles", "supplies", "sites"};

} // namespace

void write_registry_rows(const std::filesystem::path& path,
                         const std::vector<std::pair<std::string, std::string>>& meta,
                         const Registry& registry) {
    Connection db(path);
    // Index pages of the big layers stay in memory while their rows are added.
    db.exec("PRAGMA cache_size = -8192");
    db.exec("BEGIN");
    // GDAL's triggers keep feature counts and R-trees up to date row by row and call ST_*
    // functions that only GDAL's own connection has: set them aside while the rows go in, bring
    // counts and indexes up to date in bulk, then put the same triggers back.
    std::vector<std::string> triggers;
    {
        std::string sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (";
        for (std::size_t i = 0; i < layers.size(); ++i)
            sql += std::string(i ? ", " : "") + "'" + layers[i] + "'";
        sql += ") ORDER BY rowid";
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
            db.fail("sqlite_master", "cannot list triggers");
        std::vector<std::string> names;
        while (sqlite3_step(q) == SQLITE_ROW) {
            names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
            triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 1)));
        }
        sqlite3_finalize(q);
        for (const std::string& name : names)
            db.exec("DROP TRIGGER " + sql_name(name));
    }

    // A spatial layer's index and extent, right after its rows (its boxes are freed here).
    auto finish = [&](const char* layer, SpatialRows& spatial_rows) {
        SpatialRows* rows = &spatial_rows;
        const std::string rtree = std::string("rtree_") + layer + "_geom";
        sqlite3_stmt* q = nullptr;
        const std::string exists = "SELECT 1 FROM sqlite_master WHERE name = '" + rtree + "'";
        bool has_rtree = false;
        if (sqlite3_prepare_v2(db.get(), exists.c_str(), -1, &q, nullptr) == SQLITE_OK)
            has_rtree = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (has_rtree) {
            try {
                fill_rtree(db.get(), rtree, std::move(rows->boxes));
            } catch (const Error& e) {
                throw Error(path.string() + ": layer '" + layer +
                            "': cannot write the spatial index: " + e.what());
            }
        }
        if (!rows->extent.empty) {
            sqlite3_stmt* u = nullptr;
            if (sqlite3_prepare_v2(db.get(),
                                   "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? "
                                   "WHERE lower(table_name) = lower(?)",
                                   -1, &u, nullptr) != SQLITE_OK)
                db.fail(layer, "cannot update the extent");
            sqlite3_bind_double(u, 1, rows->extent.min_x);
            sqlite3_bind_double(u, 2, rows->extent.min_y);
            sqlite3_bind_double(u, 3, rows->extent.max_x);
            sqlite3_bind_double(u, 4, rows->extent.max_y);
            sqlite3_bind_text(u, 5, layer, -1, SQLITE_STATIC);
            const int rc = sqlite3_step(u);
            sqlite3_finalize(u);
            if (rc != SQLITE_DONE)
                db.fail(layer, "cannot update the extent");
        }
        rows->boxes = {};
    };

    Blob blob;
    {
        Insert insert(db, "fuelmap_meta", {"key", "value"});
        for (const auto& [key, value] : meta)
            insert.text(1, key).text(2, value).run();
    }
    {
        Insert insert(db, "grades",
                      {"code", "family", "min_octane", "max_pour_point_c", "standard", "description"});
        for (const Grade& g : registry.grades().all()) {
            insert.text(1, g.code).text(2, to_string(g.family));
            if (g.min_octane)
                insert.integer(3, *g.min_octane);
            if (g.max_pour_point_c)
                insert.integer(4, *g.max_pour_point_c);
            insert.text(5, g.standard).text(6, g.description).run();
        }
    }
    const std::vector<Site>& sites = registry.sites();
    SpatialRows stations, tanks, dispensers, nozzles;
    // Boxes are reserved layer by layer, just before they are needed.
    std::size_t n_tanks = 0, n_dispensers = 0, n_nozzles = 0;
    for (const Site& site : sites) {
        n_tanks += site.tanks.size();
        n_dispensers += site.dispensers.size();
        n_nozzles += site.nozzles.size();
    }
    {
        Insert insert(db, "stations",
                      {"geom", "station_id", "name", "operator", "brand", "ownership", "province", "city",
                       "county", "address", "status", "annual_volume_m3", "risk_weight", "attributes"});
        stations.boxes.reserve(sites.size());
        std::string attributes;
        for (const Site& site : sites) {
            const Station& s = site.station;
            stations.bind(insert, blob, s.location);
            insert.text(2, s.station_id).text(3, s.name).text(4, s.operator_name).text(5, s.brand);
            insert.text(6, to_string(s.ownership)).text(7, s.province).text(8, s.city).text(9, s.county);
            insert.text(10, s.address).text(11, s.status).integer(12, s.annual_volume_m3);
            insert.integer(13, s.risk_weight);
            if (!s.attributes.empty()) {
                attributes = nlohmann::json(s.attributes).dump();
                insert.text(14, attributes);
            }
            stations.add(insert.run(), s.location);
        }
    }
    finish("stations", stations);
    {
        tanks.boxes.reserve(n_tanks);
        Insert insert(db, "tanks",
                      {"geom", "station_id", "tank_no", "grade", "capacity_l", "manifold_group", "status"});
        for (const Site& site : sites)
            for (const Tank& t : site.tanks) {
                tanks.bind(insert, blob, t.position);
                insert.text(2, site.station.station_id).text(3, t.tank_no).text(4, t.grade);
                insert.integer(5, t.capacity_l).text_or_null(6, t.manifold_group).text(7, t.status);
                tanks.add(insert.run(), t.position);
            }
    }
    finish("tanks", tanks);
    {
        dispensers.boxes.reserve(n_dispensers);
        Insert insert(db, "dispensers", {"geom", "station_id", "dispenser_no", "island", "fuelling_points"});
        for (const Site& site : sites)
            for (const Dispenser& d : site.dispensers) {
                dispensers.bind(insert, blob, d.position);
                insert.text(2, site.station.station_id).text(3, d.dispenser_no).text(4, d.island);
                insert.integer(5, d.fuelling_points);
                dispensers.add(insert.run(), d.position);
            }
    }
    finish("dispensers", dispensers);
    {
        nozzles.boxes.reserve(n_nozzles);
        Insert insert(
            db, "nozzles",
            {"geom", "station_id", "nozzle_no", "dispenser_no", "fuelling_point", "grade", "status"});
        for (const Site& site : sites)
            for (const Nozzle& n : site.nozzles) {
                nozzles.bind(insert, blob, n.position);
                insert.text(2, site.station.station_id).text(3, n.nozzle_no).text(4, n.dispenser_no);
                insert.integer(5, n.fuelling_point).text(6, n.grade).text(7, n.status);
                nozzles.add(insert.run(), n.position);
            }
    }
    finish("nozzles", nozzles);
    {
        Insert insert(db, "supplies", {"station_id", "nozzle_no", "leg", "tank_no", "fraction"});
        for (const Site& site : sites)
            for (const Nozzle& n : site.nozzles)
                for (std::size_t i = 0; i < n.supply.size(); ++i) {
                    insert.text(1, site.station.station_id).text(2, n.nozzle_no);
                    insert.integer(3, static_cast<std::int64_t>(i + 1)).text(4, n.supply[i].tank_no);
                    insert.real(5, n.supply[i].fraction);
                    insert.run();
                }
    }
    SpatialRows outlines;
    {
        Insert insert(db, "sites", {"geom", "station_id"});
        for (const Site& site : sites) {
            if (site.outline.size() < 3)
                continue;
            Extent e;
            blob.polygon(site.outline, e);
            insert.blob(1, blob).text(2, site.station.station_id);
            const std::int64_t fid = insert.run();
            outlines.boxes.push_back(RtreeBox::around(fid, e.min_x, e.max_x, e.min_y, e.max_y));
            outlines.extent.add(e.min_x, e.min_y);
            outlines.extent.add(e.max_x, e.max_y);
        }
    }
    finish("sites", outlines);

    for (const char* layer : layers) {
        db.exec(std::string("UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM ") +
                    sql_name(layer) + ") WHERE lower(table_name) = lower('" + layer + "')",
                layer);
        db.exec(std::string("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                            "WHERE lower(table_name) = lower('") +
                    layer + "')",
                layer);
    }
    for (const std::string& sql : triggers)
        db.exec(sql);
    db.exec("COMMIT");
}

} // namespace fuelmap::detail
