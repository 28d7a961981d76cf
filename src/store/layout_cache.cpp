// SPDX-License-Identifier: MIT
#include "store/layout_cache.hpp"
#include "store/frame_text.hpp"
#include "store/registry_db.hpp"
#include "store/sql_rows.hpp"

#include <fuelmap/error.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <optional>

namespace fuelmap::detail {

namespace {

// ----- schema -----

struct SchemaObject {
    std::string name;
    std::string table; // the table a trigger is on (sqlite_master.tbl_name)
    std::string sql;   // exactly as stored in sqlite_master
};

std::string mark(const std::string& id) {
    return "INSERT OR IGNORE INTO fuelmap_frame_dirty (station_id) VALUES (" + id + "); ";
}

// Marks the station of the row a REPLACE on the primary key would delete: SQLite runs no delete
// trigger for such a row (unless recursive_triggers is on), so the row it replaces is looked up
// before the change.
std::string mark_replaced(const std::string& table) {
    return "INSERT OR IGNORE INTO fuelmap_frame_dirty (station_id) SELECT station_id FROM " + table +
           " WHERE fid = NEW.fid; ";
}

SchemaObject trigger(const std::string& name, const std::string& table, const std::string& when,
                     const std::string& body) {
    return {name, table, "CREATE TRIGGER " + name + " " + when + " ON " + table + " BEGIN " + body + "END"};
}

// Every object of the cache. Changing any of these strings makes existing caches untrusted (they
// are then rebuilt by the next write of fuelmap, and read through the tables until then).
const std::vector<SchemaObject>& schema() {
    static const std::vector<SchemaObject> objects = [] {
        std::vector<SchemaObject> v;
        v.push_back({"fuelmap_frame_layouts", "fuelmap_frame_layouts",
                     "CREATE TABLE fuelmap_frame_layouts (station_id TEXT NOT NULL PRIMARY KEY, lines TEXT "
                     "NOT NULL) WITHOUT ROWID"});
        v.push_back({"fuelmap_frame_dirty", "fuelmap_frame_dirty",
                     "CREATE TABLE fuelmap_frame_dirty (station_id TEXT PRIMARY KEY)"});
        const std::pair<const char*, const char*> layout_tables[] = {
            {"nozzles", "fid, station_id, nozzle_no, grade, status"},
            {"supplies", "fid, station_id, nozzle_no, leg, tank_no, fraction"}};
        for (const auto& [table, columns] : layout_tables) {
            const std::string t = table;
            const std::string prefix = "fuelmap_frame_" + t;
            v.push_back(trigger(prefix + "_insert", t, "AFTER INSERT", mark("NEW.station_id")));
            v.push_back(trigger(prefix + "_insert_replace", t, "BEFORE INSERT", mark_replaced(t)));
            v.push_back(trigger(prefix + "_update", t, std::string("AFTER UPDATE OF ") + columns,
                                mark("OLD.station_id") + mark("NEW.station_id")));
            v.push_back(trigger(prefix + "_update_replace", t, "BEFORE UPDATE OF fid", mark_replaced(t)));
            v.push_back(trigger(prefix + "_delete", t, "AFTER DELETE", mark("OLD.station_id")));
        }
        v.push_back(trigger("fuelmap_frame_stations_update", "stations", "AFTER UPDATE OF station_id",
                            mark("OLD.station_id") + mark("NEW.station_id")));
        v.push_back(
            trigger("fuelmap_frame_stations_delete", "stations", "AFTER DELETE", mark("OLD.station_id")));
        return v;
    }();
    return objects;
}

// The rows of one station read by station id (through the unique indexes), in the order the
// sequential table scan would also accept (StationLines sorts them). False when the rows do not
// form a layout; @p any_rows tells whether the station has any row at all.
class StationRows {
public:
    explicit StationRows(SQLite::Database& db)
        : m_nozzles(db, "SELECT nozzle_no, grade, status FROM nozzles WHERE station_id = ?"),
          m_legs(db, "SELECT nozzle_no, leg, tank_no, fraction FROM supplies WHERE station_id = ?") {}

    bool lines(std::string_view station_id, std::string& out, bool& any_rows) {
        m_lines.clear();
        m_nozzles.bind_text(1, station_id);
        while (m_nozzles.next())
            m_lines.add_nozzle(m_nozzles.view(0), m_nozzles.view(1), m_nozzles.view(2));
        m_legs.bind_text(1, station_id);
        bool integer_legs = true;
        while (m_legs.next()) {
            integer_legs = integer_legs && m_legs.type(1) == SQLITE_INTEGER;
            m_lines.add_leg(m_legs.view(0), m_legs.int64(1), m_legs.view(2), m_legs.real(3));
        }
        any_rows = !m_lines.empty();
        out.clear();
        return integer_legs && m_lines.append_to(out);
    }

private:
    SqlRows m_nozzles;
    SqlRows m_legs;
    StationLines m_lines;
};

void create_schema(SQLite::Database& db) {
    for (const SchemaObject& o : schema())
        db.exec(o.sql);
}

void drop_schema(SQLite::Database& db) {
    for (const SchemaObject& o : schema())
        if (o.name != o.table)
            db.exec("DROP TRIGGER IF EXISTS " + o.name);
    for (const SchemaObject& o : schema())
        if (o.name == o.table)
            db.exec("DROP TABLE IF EXISTS " + o.name);
}

// Recomputes every dirty station (text ids only) and clears its mark; a station whose rows do not
// form a layout stays dirty, so that readers go to the table scan and report it.
void refresh_dirty(SQLite::Database& db) {
    std::vector<std::string> dirty;
    {
        SqlRows q(db, "SELECT station_id FROM fuelmap_frame_dirty WHERE typeof(station_id) = 'text'");
        while (q.next())
            dirty.emplace_back(q.view(0));
    }
    StationRows rows(db);
    SqlRows put(db, "INSERT OR REPLACE INTO fuelmap_frame_layouts (station_id, lines) VALUES (?, ?)");
    SqlRows drop(db, "DELETE FROM fuelmap_frame_layouts WHERE station_id = ?");
    SqlRows clean(db, "DELETE FROM fuelmap_frame_dirty WHERE station_id = ?");
    std::string lines;
    for (const std::string& id : dirty) {
        bool any_rows = false;
        if (!rows.lines(id, lines, any_rows))
            continue;
        if (any_rows) {
            put.bind_text(1, id);
            put.bind_text(2, lines);
            put.run();
        } else {
            drop.bind_text(1, id);
            drop.run();
        }
        clean.bind_text(1, id);
        clean.run();
    }
}

} // namespace

// ----- the cache -----

bool layout_cache_trusted(SQLite::Database& db) {
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> found; // name -> (table, sql)
    SqlRows q(db,
              "SELECT name, tbl_name, sql FROM sqlite_master WHERE name LIKE 'fuelmap\\_frame\\_%' ESCAPE "
              "'\\' OR (type = 'trigger' AND sql LIKE '%fuelmap\\_frame\\_%' ESCAPE '\\')");
    while (q.next())
        found.emplace(std::string(q.view(0)), std::pair{std::string(q.view(1)), std::string(q.view(2))});
    // Exactly our objects: none missing or changed, and no other trigger writing to the cache.
    if (found.size() != schema().size())
        return false;
    for (const SchemaObject& o : schema()) {
        auto it = found.find(o.name);
        if (it == found.end() || it->second.first != o.table || it->second.second != o.sql)
            return false;
    }
    return true;
}

LayoutCacheState layout_cache_state(SQLite::Database& db) {
    LayoutCacheState state;
    if (!layout_cache_trusted(db))
        return state;
    SqlRows q(db, "SELECT station_id FROM fuelmap_frame_dirty ORDER BY station_id");
    while (q.next()) {
        if (q.type(0) != SQLITE_TEXT)
            return state; // a mark with no usable station id: the table scan reports it
        state.dirty.emplace_back(q.view(0));
    }
    state.usable = true;
    return state;
}

bool read_layout_cache(SQLite::Database& db, const LayoutCacheState& state,
                       std::span<const std::string_view> station_ids,
                       const std::function<void(std::size_t, std::string_view)>& lines) {
    if (!state.usable)
        return false;
    auto is_station = [&](std::string_view id) {
        return std::binary_search(station_ids.begin(), station_ids.end(), id);
    };
    // The dirty stations, recomputed from their rows.
    std::map<std::string, std::string, std::less<>> dirty;
    if (!state.dirty.empty()) {
        StationRows rows(db);
        for (const std::string& id : state.dirty) {
            std::string text;
            bool any_rows = false;
            if (!rows.lines(id, text, any_rows))
                return false;
            if (any_rows && !is_station(id))
                return false; // orphans
            dirty.emplace(id, std::move(text));
        }
    }
    auto station_lines = [&](std::size_t i, std::string_view cached) {
        if (!dirty.empty())
            if (auto d = dirty.find(station_ids[i]); d != dirty.end())
                return std::string_view(d->second);
        return cached;
    };
    SqlRows q(db, "SELECT station_id, lines FROM fuelmap_frame_layouts ORDER BY station_id");
    std::size_t i = 0;
    while (q.next()) {
        if (q.type(0) != SQLITE_TEXT || q.type(1) != SQLITE_TEXT)
            return false;
        const std::string_view id = q.view(0);
        for (; i < station_ids.size() && station_ids[i] < id; ++i)
            lines(i, station_lines(i, {}));
        if (i < station_ids.size() && station_ids[i] == id) {
            lines(i, station_lines(i, q.view(1)));
            ++i;
        } else if (!dirty.count(id)) {
            return false; // the layout of a station that is gone, and no trigger saw it go
        }
    }
    for (; i < station_ids.size(); ++i)
        lines(i, station_lines(i, {}));
    return true;
}

bool read_layout_cache(SQLite::Database& db, std::span<const std::string_view> station_ids,
                       const std::function<void(std::size_t, std::string_view)>& lines) {
    return read_layout_cache(db, layout_cache_state(db), station_ids, lines);
}

CachedLines::CachedLines(SQLite::Database& db, const LayoutCacheState& state)
    : m_state(state), m_query(std::make_unique<SqlRows>(db, "SELECT lines FROM fuelmap_frame_layouts WHERE "
                                                            "station_id = ?")) {}

CachedLines::~CachedLines() = default;

std::optional<std::string> CachedLines::lines(std::string_view station_id) {
    if (!m_state.usable || std::binary_search(m_state.dirty.begin(), m_state.dirty.end(), station_id))
        return std::nullopt;
    m_query->bind_text(1, station_id);
    if (!m_query->next())
        return std::string(); // no row: a station without nozzles
    std::optional<std::string> text;
    if (m_query->type(0) == SQLITE_TEXT)
        text = m_query->text(0);
    m_query->reset();
    return text;
}

void write_layout_cache(const std::filesystem::path& file, std::span<const Site> sites) {
    try {
        SQLite::Database db = open_registry(file, OpenMode::write);
        SQLite::Transaction tx(db);
        drop_schema(db);
        create_schema(db);
        SqlRows put(db, "INSERT INTO fuelmap_frame_layouts (station_id, lines) VALUES (?, ?)");
        SqlRows dirty(db, "INSERT OR IGNORE INTO fuelmap_frame_dirty (station_id) VALUES (?)");
        StationLines builder;
        std::string text;
        for (const Site& site : sites) {
            builder.clear();
            for (const Nozzle& n : site.nozzles) {
                builder.add_nozzle(n.nozzle_no, n.grade, n.status);
                for (std::size_t leg = 0; leg < n.supply.size(); ++leg)
                    builder.add_leg(n.nozzle_no, static_cast<std::int64_t>(leg + 1), n.supply[leg].tank_no,
                                    n.supply[leg].fraction);
            }
            if (builder.empty())
                continue;
            text.clear();
            if (!builder.append_to(text)) {
                dirty.bind_text(1, site.station.station_id); // read through the tables, which report it
                dirty.run();
                continue;
            }
            put.bind_text(1, site.station.station_id);
            put.bind_text(2, text);
            put.run();
        }
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw Error(file.string() + ": cannot write the layout cache: " + e.what());
    }
}

void update_layout_cache(const std::filesystem::path& file) {
    try {
        SQLite::Database db = open_registry(file, OpenMode::write);
        SQLite::Transaction tx(db);
        if (!layout_cache_trusted(db)) {
            drop_schema(db);
            create_schema(db);
            db.exec("INSERT OR IGNORE INTO fuelmap_frame_dirty (station_id) SELECT station_id FROM nozzles");
            db.exec("INSERT OR IGNORE INTO fuelmap_frame_dirty (station_id) SELECT station_id FROM supplies");
        }
        refresh_dirty(db);
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw Error(file.string() + ": cannot write the layout cache: " + e.what());
    }
}

void refresh_layout_cache(SQLite::Database& db) {
    if (layout_cache_trusted(db))
        refresh_dirty(db);
}

} // namespace fuelmap::detail
