// SPDX-License-Identifier: MIT
#include "store/pg_qgis_tables.hpp"

#include "store/pg_connection.hpp"
#include "store/pg_registry.hpp"
#include "store/qgis_style.hpp"

#include <algorithm>

namespace fuelmap::detail {

namespace {

// The table QGIS's PostgreSQL provider creates when it first saves a style in a database.
constexpr const char* layer_styles_sql =
    "CREATE TABLE IF NOT EXISTS layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, "
    "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, "
    "styleqml xml, stylesld xml, useasdefault boolean, description text, "
    "owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, "
    "type varchar)";

// The table QGIS's PostgreSQL project storage creates (QgsPostgresProjectStorage).
constexpr const char* qgis_projects_sql =
    "CREATE TABLE IF NOT EXISTS qgis_projects (name text PRIMARY KEY, metadata jsonb, content bytea)";

// A value in a libpq connection string, quoted as libpq and QGIS read it.
std::string conn_value(std::string_view v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

// A table or schema name quoted as in SQL (and in QGIS's data sources).
std::string quoted_name(std::string_view name) {
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Where the project opens: the box of the stations, with a margin (as for a GeoPackage).
QgisExtent stations_extent(pqxx::transaction_base& tx) {
    QgisExtent e;
    const pqxx::row r = tx.exec1("SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) "
                                 "FROM (SELECT ST_Extent(geom) AS b FROM stations) s");
    if (r[0].is_null())
        return e;
    const double dx = std::max(0.01, (pg_real(r[2]) - pg_real(r[0])) * 0.05);
    const double dy = std::max(0.01, (pg_real(r[3]) - pg_real(r[1])) * 0.05);
    return {pg_real(r[0]) - dx, pg_real(r[1]) - dy, pg_real(r[2]) + dx, pg_real(r[3]) + dy};
}

} // namespace

bool pg_may_write_qgis_tables(pqxx::transaction_base& tx) {
    return tx
        .exec1("SELECT CASE WHEN to_regclass('layer_styles') IS NULL THEN "
               "has_schema_privilege(current_schema(), 'CREATE') ELSE "
               "has_table_privilege('layer_styles', 'INSERT') AND "
               "has_table_privilege('layer_styles', 'DELETE') END AND "
               "CASE WHEN to_regclass('qgis_projects') IS NULL THEN has_schema_privilege(current_schema(), "
               "'CREATE') "
               "ELSE has_table_privilege('qgis_projects', 'INSERT') AND "
               "has_table_privilege('qgis_projects', 'UPDATE') END")[0]
        .as<bool>();
}

void pg_write_qgis_tables(pqxx::transaction_base& tx, const std::string& name) {
    pg_check_registry(tx, name);
    const GradeTable grades = pg_read_grades(tx, name);
    auto& conn = tx.conn();
    const std::string schema(pg_text(tx.exec1("SELECT current_schema()")[0]));
    const std::string dbname = conn.dbname() != nullptr ? conn.dbname() : "";
    std::string where = "dbname=" + conn_value(dbname);
    if (const char* host = conn.hostname(); host != nullptr && *host != '\0')
        where += " host=" + conn_value(host);
    if (const char* port = conn.port(); port != nullptr && *port != '\0')
        where += " port=" + std::string(port);
    if (const char* user = conn.username(); user != nullptr && *user != '\0')
        where += " user=" + conn_value(user);
    const QgisSource source{.provider = "postgres",
                            .geometry_column = "geom",
                            .datasource = [&](std::string_view layer, const char* geometry) {
                                std::string s = where + " key='fid'";
                                if (geometry != nullptr)
                                    s += " srid=4326 type=" + std::string(geometry);
                                s += " checkPrimaryKeyUnicity='0' table=" + quoted_name(schema) + "." +
                                     quoted_name(layer);
                                return geometry != nullptr ? s + " (geom)" : s;
                            }};
    const QgisStyles styles = make_qgis_styles(grades, source, stations_extent(tx));

    tx.exec0(layer_styles_sql);
    tx.exec_params0("DELETE FROM layer_styles WHERE f_table_catalog = $1 AND f_table_schema = $3 "
                    "AND stylename = $2",
                    dbname, std::string(qgis_style_name), schema);
    // QGIS looks a geometryless table's style up with f_geometry_column IS NULL.
    for (const QgisLayerStyle& s : styles.layers) {
        tx.exec_params0(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, "
            "stylename, styleqml, stylesld, useasdefault, description, owner, ui) VALUES ($1::varchar, "
            "$8::varchar, $2::varchar, "
            "NULLIF($3::varchar, ''), "
            "$4, XMLPARSE(DOCUMENT $5::text), XMLPARSE(DOCUMENT NULLIF($6::text, '')), NOT EXISTS (SELECT 1 "
            "FROM layer_styles "
            "WHERE f_table_catalog = $1 AND f_table_schema = $8 AND f_table_name = $2 AND "
            "useasdefault), "
            "$7, 'fuelmap', NULL)",
            dbname, s.table, s.geometry_column, std::string(qgis_style_name), s.qml, s.sld, s.description,
            schema);
    }
    const std::string qgz = make_qgz(styles.project_qgs);
    tx.exec0(qgis_projects_sql);
    tx.exec_params0("INSERT INTO qgis_projects (name, metadata, content) VALUES ($1, jsonb_build_object("
                    "'last_modified_time', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), "
                    "'last_modified_user', 'fuelmap'), $2) ON CONFLICT (name) DO UPDATE SET metadata = "
                    "EXCLUDED.metadata, "
                    "content = EXCLUDED.content",
                    std::string(qgis_style_name),
                    pqxx::binarystring(reinterpret_cast<const unsigned char*>(qgz.data()), qgz.size()));
}

} // namespace fuelmap::detail
