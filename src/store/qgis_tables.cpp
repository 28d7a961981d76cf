// SPDX-License-Identifier: MIT
#include "store/qgis_tables.hpp"

#include <fuelmap/error.hpp>
#include <fuelmap/hash.hpp>

#include "store/registry_db.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

namespace fuelmap::detail {

namespace {

// The columns QGIS (through OGR) gives layer_styles in a GeoPackage.
constexpr const char* layer_styles_columns =
    "\"id\" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \"f_table_catalog\" TEXT(256), "
    "\"f_table_schema\" TEXT(256), \"f_table_name\" TEXT(256), \"f_geometry_column\" TEXT(256), "
    "\"styleName\" TEXT(30), \"styleQML\" TEXT, \"styleSLD\" TEXT, \"useAsDefault\" BOOLEAN, "
    "\"description\" TEXT, \"owner\" TEXT(30), \"ui\" TEXT(30), "
    "\"update_time\" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

// Where the project opens: the box of the stations as the GeoPackage records it.
QgisExtent stations_extent(SQLite::Database& db) {
    QgisExtent e;
    SQLite::Statement q(db,
                        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'stations'");
    if (q.executeStep() && !q.getColumn(0).isNull() && !q.getColumn(3).isNull()) {
        // A margin round the stations (one station alone would give an empty box).
        const double dx = std::max(0.01, (q.getColumn(2).getDouble() - q.getColumn(0).getDouble()) * 0.05);
        const double dy = std::max(0.01, (q.getColumn(3).getDouble() - q.getColumn(1).getDouble()) * 0.05);
        e = {q.getColumn(0).getDouble() - dx, q.getColumn(1).getDouble() - dy,
             q.getColumn(2).getDouble() + dx, q.getColumn(3).getDouble() + dy};
    }
    return e;
}

} // namespace

void write_qgis_tables(SQLite::Database& db, const QgisStyles& styles) {
    if (!db.tableExists("layer_styles")) {
        db.exec(std::string("CREATE TABLE \"layer_styles\" (") + layer_styles_columns + ")");
        SQLite::Statement reg(db,
                              "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, "
                              "description, last_change) VALUES ('layer_styles', 'attributes', "
                              "'layer_styles', 'QGIS layer styles', strftime('%Y-%m-%dT%H:%M:%fZ','now'))");
        reg.exec();
    }
    SQLite::Statement remove(db, "DELETE FROM layer_styles WHERE styleName = ?");
    remove.bind(1, qgis_style_name);
    remove.exec();
    SQLite::Statement insert(
        db,
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
        "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
        "VALUES ('', '', ?1, ?2, ?3, ?4, ?5, NOT EXISTS (SELECT 1 FROM layer_styles WHERE f_table_name = ?1 "
        "AND useAsDefault), ?6, 'fuelmap', NULL)");
    for (const QgisLayerStyle& s : styles.layers) {
        insert.reset();
        insert.bind(1, s.table);
        insert.bind(2, s.geometry_column);
        insert.bind(3, qgis_style_name);
        insert.bind(4, s.qml);
        insert.bind(5, s.sld);
        insert.bind(6, s.description);
        insert.exec();
    }
    // QGIS keeps the zipped project as hex text (QgsGeoPackageProjectStorage).
    const std::string qgz = make_qgz(styles.project_qgs);
    db.exec("CREATE TABLE IF NOT EXISTS qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)");
    SQLite::Statement project(
        db, "INSERT OR REPLACE INTO qgis_projects (name, metadata, content) VALUES (?1, "
            "'{\"last_modified_time\": \"' "
            "|| strftime('%Y-%m-%dT%H:%M:%S','now') || '\", \"last_modified_user\": \"fuelmap\" }', ?2)");
    project.bind(1, qgis_style_name);
    project.bind(2, to_hex(reinterpret_cast<const std::uint8_t*>(qgz.data()), qgz.size()));
    project.exec();
}

void write_qgis_styles(const std::filesystem::path& path, const std::string& file_name) {
    RegistryDb rdb(path, true);
    try {
        GradeTable grades = GradeTable::builtin();
        read_grades(rdb.db(), path.string(), grades);
        SQLite::Transaction tx(rdb.db());
        const QgisSource source{.provider = "ogr",
                                .geometry_column = "geom",
                                .datasource = [&](std::string_view layer, const char*) {
                                    return "./" + file_name + "|layername=" + std::string(layer);
                                }};
        write_qgis_tables(rdb.db(), make_qgis_styles(grades, source, stations_extent(rdb.db())));
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw Error(path.string() + ": cannot write the QGIS styles: " + e.what());
    }
}

} // namespace fuelmap::detail
