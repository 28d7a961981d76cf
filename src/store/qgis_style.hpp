// SPDX-License-Identifier: MIT
/// @file qgis_style.hpp
/// @brief Private: what fuelmap gives QGIS to open a registry styled and ready to edit: a default
/// style (QML) per layer for the layer_styles table and a QGIS project with the layers, their
/// relations and value maps (docs/qgis.md). Made from the registry's grades and the diagrams'
/// palette; written into a registry by the store (store/qgis_tables.hpp), whatever the backend.
#pragma once

#include <fuelmap/grade.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fuelmap::detail {

/// The style name of fuelmap's rows in layer_styles and the name of its project in qgis_projects.
inline constexpr const char* qgis_style_name = "fuelmap";

/// Where QGIS finds the registry's layers.
struct QgisSource {
    std::string provider;        ///< QGIS provider key: "ogr" for a GeoPackage, "postgres" for PostGIS
    std::string geometry_column; ///< the geometry column of the spatial layers ("geom")
    /// The data source of layer @p layer whose QGIS geometry type is @p geometry ("Point",
    /// "Polygon"; nullptr for a table without geometry), e.g. "./registry.gpkg|layername=tanks".
    std::function<std::string(std::string_view layer, const char* geometry)> datasource;
};

/// The box the project opens on (WGS84 degrees): the registry's stations, China when it has none.
struct QgisExtent {
    double xmin = 73.0;  ///< west
    double ymin = 18.0;  ///< south
    double xmax = 135.0; ///< east
    double ymax = 54.0;  ///< north
};

/// One layer's default style: a row of layer_styles.
struct QgisLayerStyle {
    std::string table;           ///< f_table_name: the registry layer
    std::string geometry_column; ///< f_geometry_column ("" for a table without geometry)
    std::string qml;             ///< styleQML: renderer, labels, value maps, aliases
    std::string sld;             ///< styleSLD: the renderer as OGC SLD 1.1, for other clients
    std::string description;     ///< description
};

/// Everything fuelmap stores in a registry for QGIS.
struct QgisStyles {
    std::vector<QgisLayerStyle> layers; ///< one default style per registry layer
    std::string project_qgs;            ///< the QGIS project (.qgs XML) with every layer and relation
};

/// The styles and project of a registry whose grades are @p grades (tanks and nozzles are
/// coloured by grade with grade_colour(), the diagrams' palette).
[[nodiscard]] QgisStyles make_qgis_styles(const GradeTable& grades, const QgisSource& source,
                                          const QgisExtent& extent);

/// @p qgs zipped as QGIS stores a project (.qgz: one entry "fuelmap.qgs"), by the GDAL module.
/// @throws Error when the archive cannot be made.
[[nodiscard]] std::string make_qgz(const std::string& qgs);

} // namespace fuelmap::detail
