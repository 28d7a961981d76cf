// SPDX-License-Identifier: MIT
// The registry's layers in PostgreSQL/PostGIS: the schema, COPY of the rows, and the read back
// into the model. Text keys compare in byte order (COLLATE "C"), as in SQLite, so that ordered
// reads and unique keys agree with the GeoPackage; numbers travel as text in their shortest exact
// form, geometries as EWKB (written) and as ST_X/ST_Y (read), so every coordinate reads back as the
// same double.
#include "store/pg_registry.hpp"

#include <fuelmap/error.hpp>

#include "store/pg_connection.hpp"
#include "store/pg_copy.hpp"
#include "store/registry_format.hpp"
#include "store/station_row.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

namespace fuelmap::detail {

namespace {

// The tables of a registry. Columns as in the GeoPackage (docs/registry.md, "Layers and tables").
const char* const schema_sql[] = {
    "CREATE TABLE stations (fid bigserial PRIMARY KEY, geom geometry(Point, 4326), "
    "station_id text COLLATE \"C\" NOT NULL, name text, operator text, brand text, ownership text, "
    "province text, city text, county text, address text, status text, annual_volume_m3 bigint, "
    "risk_weight bigint, attributes text)",
    "CREATE TABLE tanks (fid bigserial PRIMARY KEY, geom geometry(Point, 4326), "
    "station_id text COLLATE \"C\" NOT NULL, tank_no text COLLATE \"C\" NOT NULL, grade text, "
    "capacity_l bigint, manifold_group text, status text)",
    "CREATE TABLE dispensers (fid bigserial PRIMARY KEY, geom geometry(Point, 4326), "
    "station_id text COLLATE \"C\" NOT NULL, dispenser_no text COLLATE \"C\" NOT NULL, island text, "
    "fuelling_points integer)",
    "CREATE TABLE nozzles (fid bigserial PRIMARY KEY, geom geometry(Point, 4326), "
    "station_id text COLLATE \"C\" NOT NULL, nozzle_no text COLLATE \"C\" NOT NULL, dispenser_no text, "
    "fuelling_point integer, grade text, status text)",
    "CREATE TABLE sites (fid bigserial PRIMARY KEY, geom geometry(Polygon, 4326), "
    "station_id text COLLATE \"C\" NOT NULL)",
    "CREATE TABLE supplies (fid bigserial PRIMARY KEY, station_id text COLLATE \"C\" NOT NULL, "
    "nozzle_no text COLLATE \"C\" NOT NULL, leg integer NOT NULL, tank_no text, "
    "fraction double precision)",
    "CREATE TABLE grades (fid bigserial PRIMARY KEY, code text COLLATE \"C\" NOT NULL, family text, "
    "min_octane integer, max_pour_point_c integer, standard text, description text)",
    "CREATE TABLE fuelmap_meta (fid bigserial PRIMARY KEY, key text COLLATE \"C\" NOT NULL, value text)",
    "CREATE UNIQUE INDEX stations_id ON stations(station_id)",
    "CREATE UNIQUE INDEX tanks_id ON tanks(station_id, tank_no)",
    "CREATE UNIQUE INDEX dispensers_id ON dispensers(station_id, dispenser_no)",
    "CREATE UNIQUE INDEX nozzles_id ON nozzles(station_id, nozzle_no)",
    "CREATE UNIQUE INDEX sites_id ON sites(station_id)",
    "CREATE UNIQUE INDEX supplies_id ON supplies(station_id, nozzle_no, leg)",
    "CREATE UNIQUE INDEX grades_id ON grades(code)",
    "CREATE UNIQUE INDEX fuelmap_meta_id ON fuelmap_meta(key)",
    "CREATE INDEX stations_geom ON stations USING gist (geom)",
    "CREATE INDEX tanks_geom ON tanks USING gist (geom)",
    "CREATE INDEX dispensers_geom ON dispensers USING gist (geom)",
    "CREATE INDEX nozzles_geom ON nozzles USING gist (geom)",
    "CREATE INDEX sites_geom ON sites USING gist (geom)",
};

// ----- writing -----

// ----- reading -----

std::optional<GeoPoint> point(const pqxx::field& x, const pqxx::field& y) {
    if (x.is_null() || y.is_null())
        return std::nullopt;
    return GeoPoint{pg_real(x), pg_real(y)};
}

// Every row of @p select (a query ending in "WHERE fid > $1" and the caller's filter, without
// ORDER BY) in fid order, fetched in batches so that a national registry is never one result in
// memory. Column 0 must be fid.
template <class Row> void each_row(pqxx::transaction_base& tx, const std::string& select, Row&& row) {
    constexpr int batch = 50000;
    const std::string sql = select + " ORDER BY fid LIMIT " + std::to_string(batch);
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        const pqxx::result r = tx.exec_params(sql, after);
        for (const pqxx::row& each : r)
            row(each);
        if (r.size() < static_cast<pqxx::result::size_type>(batch))
            return;
        after = pg_int64(r[r.size() - 1][0]);
    }
}

// The station filter of a query: " AND station_id IN ('a', 'b')", or nothing.
std::string filter_clause(pqxx::transaction_base& tx, const ReadOptions& options) {
    if (options.stations.empty())
        return "";
    std::string sql = " AND station_id IN (";
    for (std::size_t i = 0; i < options.stations.size(); ++i)
        sql += (i ? ", " : "") + tx.quote(options.stations[i]);
    return sql + ")";
}

// The sites by station id, and the errors of rows of no station.
class Sites {
public:
    Sites(std::vector<Site>& sites, const std::string& name) : m_sites(sites), m_name(name) {
        for (std::size_t i = 0; i < sites.size(); ++i)
            m_index.emplace(sites[i].station.station_id, i);
    }
    // The site of the row's station (column @p at). @throws InputError when there is none.
    Site& of(const pqxx::row& r, int at, const char* layer) {
        const std::string id(pg_text(r[at]));
        auto it = m_index.find(id);
        if (it == m_index.end())
            throw InputError(
                {.file = m_name, .layer = layer, .fid = pg_int64(r[0]), .feature = id, .field = "station_id"},
                "station '" + id + "' is not in the stations layer");
        return m_sites[it->second];
    }

private:
    std::vector<Site>& m_sites;
    const std::string& m_name;
    std::unordered_map<std::string, std::size_t> m_index;
};

// A result row as decode_station_row() reads it.
struct PgRow {
    const pqxx::row& r;
    [[nodiscard]] bool null(int i) const { return r[i].is_null(); }
    [[nodiscard]] std::string_view view(int i) const { return pg_text(r[i]); }
    [[nodiscard]] std::optional<std::string_view> text_or_null(int i) const {
        return null(i) ? std::nullopt : std::optional<std::string_view>(view(i));
    }
    [[nodiscard]] std::int64_t int64(int i) const { return pg_int64(r[i]); }
};

// What of the layouts a read takes: all of them, or what a draw reads (nozzles and supplies).
enum class Layouts { all, frame };

void read_layouts(pqxx::transaction_base& tx, const std::string& name, const std::string& filter,
                  Sites& sites, std::vector<Site>& all, Layouts what) {
    if (what == Layouts::all) {
        each_row(
            tx,
            "SELECT fid, ST_X(geom), ST_Y(geom), station_id, tank_no, grade, capacity_l, manifold_group, "
            "status FROM tanks WHERE fid > $1" +
                filter,
            [&](const pqxx::row& r) {
                Tank& t = sites.of(r, 3, "tanks").tanks.emplace_back();
                t.position = point(r[1], r[2]);
                t.tank_no = pg_text(r[4]);
                t.grade = pg_text(r[5]);
                t.capacity_l = pg_int64(r[6]);
                t.manifold_group = pg_text(r[7]);
                t.status = pg_text(r[8]);
            });
        each_row(tx,
                 "SELECT fid, ST_X(geom), ST_Y(geom), station_id, dispenser_no, island, fuelling_points "
                 "FROM dispensers WHERE fid > $1" +
                     filter,
                 [&](const pqxx::row& r) {
                     Dispenser& d = sites.of(r, 3, "dispensers").dispensers.emplace_back();
                     d.position = point(r[1], r[2]);
                     d.dispenser_no = pg_text(r[4]);
                     d.island = pg_text(r[5]);
                     d.fuelling_points = static_cast<int>(pg_int64(r[6]));
                 });
    }
    // A draw reads no nozzle position.
    const std::string position = what == Layouts::all ? "ST_X(geom), ST_Y(geom)" : "NULL, NULL";
    each_row(tx,
             "SELECT fid, " + position +
                 ", station_id, nozzle_no, dispenser_no, fuelling_point, grade, status FROM nozzles WHERE "
                 "fid > $1" +
                 filter,
             [&](const pqxx::row& r) {
                 Nozzle& n = sites.of(r, 3, "nozzles").nozzles.emplace_back();
                 n.position = point(r[1], r[2]);
                 n.nozzle_no = pg_text(r[4]);
                 n.dispenser_no = pg_text(r[5]);
                 n.fuelling_point = static_cast<int>(pg_int64(r[6]));
                 n.grade = pg_text(r[7]);
                 n.status = pg_text(r[8]);
             });
    // Supplies in (station, nozzle, leg) order: each nozzle's legs in leg order.
    {
        const pqxx::result r = tx.exec("SELECT fid, NULL, NULL, station_id, nozzle_no, tank_no, fraction "
                                       "FROM supplies WHERE true" +
                                       filter + " ORDER BY station_id, nozzle_no, leg");
        std::string current;
        std::unordered_map<std::string, Nozzle*> nozzles;
        for (const pqxx::row& row : r) {
            Site& site = sites.of(row, 3, "supplies");
            if (site.station.station_id != current) {
                current = site.station.station_id;
                nozzles.clear();
                for (Nozzle& n : site.nozzles)
                    nozzles.emplace(n.nozzle_no, &n);
            }
            const std::string nozzle_no(pg_text(row[4]));
            auto it = nozzles.find(nozzle_no);
            if (it == nozzles.end())
                throw InputError({.file = name,
                                  .layer = "supplies",
                                  .fid = pg_int64(row[0]),
                                  .feature = element_id(current, nozzle_no),
                                  .field = "nozzle_no"},
                                 "supply for unknown nozzle '" + nozzle_no + "'");
            it->second->supply.push_back({std::string(pg_text(row[5])), pg_real(row[6])});
        }
    }
    // Outlines: the exterior ring's points, without the closing repeat.
    if (what == Layouts::all) {
        const pqxx::result r =
            tx.exec("SELECT s.fid, ST_X(p.geom), ST_Y(p.geom), s.station_id FROM sites s LEFT JOIN LATERAL "
                    "ST_DumpPoints(ST_ExteriorRing(s.geom)) p ON true WHERE true" +
                    filter + " ORDER BY s.fid, p.path");
        for (const pqxx::row& row : r) {
            Site& site = sites.of(row, 3, "sites");
            if (const std::optional<GeoPoint> p = point(row[1], row[2]))
                site.outline.push_back(*p);
        }
        for (Site& site : all)
            if (site.outline.size() > 1 && site.outline.front() == site.outline.back())
                site.outline.pop_back();
    }
}

} // namespace

void pg_create_schema(pqxx::transaction_base& tx) {
    tx.exec0("CREATE EXTENSION IF NOT EXISTS postgis");
    for (const char* sql : schema_sql)
        tx.exec0(sql);
    tx.exec_params0("INSERT INTO fuelmap_meta (key, value) VALUES ('format', $1), ('version', $2)",
                    std::string(registry_format), std::string(registry_version));
}

bool pg_has_table(pqxx::transaction_base& tx, const std::string& table) {
    return !tx.exec_params1("SELECT to_regclass($1) IS NULL", table)[0].as<bool>();
}

bool pg_has_registry(pqxx::transaction_base& tx) {
    return pg_has_table(tx, "stations") && pg_has_table(tx, "fuelmap_meta");
}

void pg_check_registry(pqxx::transaction_base& tx, const std::string& name) {
    if (!pg_has_registry(tx))
        throw InputError({.file = name}, "not a fuelmap registry (no stations and fuelmap_meta tables)");
    const pqxx::result r = tx.exec("SELECT value FROM fuelmap_meta WHERE key = 'version'");
    if (r.empty() || pg_text(r[0][0]) != registry_version)
        throw InputError({.file = name, .layer = "fuelmap_meta", .field = "version"},
                         std::string("unsupported registry version (this fuelmap reads version ") +
                             registry_version + ")");
}

void pg_write_grades(pqxx::transaction_base& tx, std::span<const Grade> grades) {
    Copy<6> copy(tx, "grades",
                 {"code", "family", "min_octane", "max_pour_point_c", "standard", "description"});
    CopyLine line;
    for (const Grade& g : grades) {
        line.text(g.code).text(to_string(g.family));
        g.min_octane ? line.integer(*g.min_octane) : line.null();
        g.max_pour_point_c ? line.integer(*g.max_pour_point_c) : line.null();
        line.text(g.standard).text(g.description);
        copy.write(line);
    }
    copy.complete();
}

void pg_write_sites(pqxx::transaction_base& tx, std::span<const Site> sites) {
    CopyLine line;
    {
        Copy<14> copy(tx, "stations",
                      {"geom", "station_id", "name", "operator", "brand", "ownership", "province", "city",
                       "county", "address", "status", "annual_volume_m3", "risk_weight", "attributes"});
        for (const Site& site : sites) {
            const Station& s = site.station;
            line.point(s.location).text(s.station_id).text(s.name).text(s.operator_name).text(s.brand);
            line.text(to_string(s.ownership)).text(s.province).text(s.city).text(s.county).text(s.address);
            line.text(s.status).integer(s.annual_volume_m3).integer(s.risk_weight);
            if (s.attributes.empty())
                line.null();
            else
                line.text(nlohmann::json(s.attributes).dump());
            copy.write(line);
        }
        copy.complete();
    }
    {
        Copy<7> copy(tx, "tanks",
                     {"geom", "station_id", "tank_no", "grade", "capacity_l", "manifold_group", "status"});
        for (const Site& site : sites)
            for (const Tank& t : site.tanks) {
                line.point(t.position).text(site.station.station_id).text(t.tank_no).text(t.grade);
                line.integer(t.capacity_l).text_or_null(t.manifold_group).text(t.status);
                copy.write(line);
            }
        copy.complete();
    }
    {
        Copy<5> copy(tx, "dispensers", {"geom", "station_id", "dispenser_no", "island", "fuelling_points"});
        for (const Site& site : sites)
            for (const Dispenser& d : site.dispensers) {
                line.point(d.position).text(site.station.station_id).text(d.dispenser_no).text(d.island);
                line.integer(d.fuelling_points);
                copy.write(line);
            }
        copy.complete();
    }
    {
        Copy<7> copy(
            tx, "nozzles",
            {"geom", "station_id", "nozzle_no", "dispenser_no", "fuelling_point", "grade", "status"});
        for (const Site& site : sites)
            for (const Nozzle& n : site.nozzles) {
                line.point(n.position).text(site.station.station_id).text(n.nozzle_no).text(n.dispenser_no);
                line.integer(n.fuelling_point).text(n.grade).text(n.status);
                copy.write(line);
            }
        copy.complete();
    }
    {
        Copy<5> copy(tx, "supplies", {"station_id", "nozzle_no", "leg", "tank_no", "fraction"});
        for (const Site& site : sites)
            for (const Nozzle& n : site.nozzles)
                for (std::size_t i = 0; i < n.supply.size(); ++i) {
                    line.text(site.station.station_id)
                        .text(n.nozzle_no)
                        .integer(static_cast<std::int64_t>(i + 1));
                    line.text(n.supply[i].tank_no).real(n.supply[i].fraction);
                    copy.write(line);
                }
        copy.complete();
    }
    {
        Copy<2> copy(tx, "sites", {"geom", "station_id"});
        for (const Site& site : sites)
            if (site.outline.size() >= 3) {
                line.polygon(site.outline).text(site.station.station_id);
                copy.write(line);
            }
        copy.complete();
    }
}

GradeTable pg_read_grades(pqxx::transaction_base& tx, const std::string& name) {
    GradeTable grades = GradeTable::builtin();
    const pqxx::result r = tx.exec("SELECT fid, code, family, min_octane, max_pour_point_c, standard, "
                                   "description FROM grades ORDER BY code");
    for (const pqxx::row& row : r) {
        Grade g;
        g.code = pg_text(row[1]);
        auto family = parse_grade_family(pg_text(row[2]));
        if (!family)
            throw InputError({.file = name,
                              .layer = "grades",
                              .fid = pg_int64(row[0]),
                              .feature = g.code,
                              .field = "family"},
                             "unknown grade family '" + std::string(pg_text(row[2])) + "'");
        g.family = *family;
        if (!row[3].is_null())
            g.min_octane = static_cast<int>(pg_int64(row[3]));
        if (!row[4].is_null())
            g.max_pour_point_c = static_cast<int>(pg_int64(row[4]));
        g.standard = pg_text(row[5]);
        g.description = pg_text(row[6]);
        grades.add(std::move(g));
    }
    return grades;
}

namespace {

Registry read_registry(pqxx::transaction_base& tx, const std::string& name, const ReadOptions& options,
                       Layouts what) {
    pg_check_registry(tx, name);
    Registry registry;
    registry.grades() = pg_read_grades(tx, name);
    const std::string filter = filter_clause(tx, options);
    std::vector<Site> sites;
    each_row(tx,
             "SELECT fid, ST_X(geom), ST_Y(geom), station_id, name, operator, brand, ownership, province, "
             "city, county, address, status, annual_volume_m3, risk_weight, attributes FROM stations "
             "WHERE fid > $1" +
                 filter,
             [&](const pqxx::row& r) {
                 Station& s = sites.emplace_back().station;
                 s.location = point(r[1], r[2]);
                 decode_station_row(PgRow{r}, 3, name, s);
             });
    Sites index(sites, name);
    for (const std::string& id : options.stations)
        if (std::none_of(sites.begin(), sites.end(),
                         [&](const Site& s) { return s.station.station_id == id; }))
            throw InputError({.file = name, .layer = "stations", .feature = id, .field = "station_id"},
                             "no station '" + id + "' in the registry");
    if (options.layouts)
        read_layouts(tx, name, filter, index, sites, what);
    registry.add_all(std::move(sites));
    return registry;
}

} // namespace

Registry pg_read_registry(pqxx::transaction_base& tx, const std::string& name, const ReadOptions& options) {
    return read_registry(tx, name, options, Layouts::all);
}

Registry pg_read_frame(pqxx::transaction_base& tx, const std::string& name, const ReadOptions& options) {
    return read_registry(tx, name, options, Layouts::frame);
}

} // namespace fuelmap::detail
