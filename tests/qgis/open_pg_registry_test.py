#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Real QGIS (Debian's python3-qgis, headless) opens a fuelmap registry held in PostgreSQL/PostGIS.

The example is imported into a new database of the suite's server; every layer opened on its own
through QGIS's PostgreSQL provider gets fuelmap's default style from public.layer_styles, the
project stored in public.qgis_projects opens with every layer valid, the relations and value maps,
and a station's site is rendered to PNG (the same checks as for a GeoPackage,
open_registry_test.py). No password is written into the project. An edit through QGIS's provider
(a station's new name) lands in the database, and `fuelmap qgis -r PG:…` writes the styles again.

Run by ctest (test qgis_opens_pg_registry, fixture fuelmap_pg):
open_pg_registry_test.py FUELMAP SOURCE_DIR WORK_DIR, with FUELMAP_TEST_PG set to the server
("PG:host=SOCKET_DIR port=… user=… dbname=postgres").
"""
import io
import os
import shutil
import sys
import zipfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import open_registry_test as common
from qgis.core import QgsApplication, QgsProject, QgsVectorLayer

DATABASE = "fuelmap_qgis_test"


def server():
    """The suite's server as libpq keywords, from FUELMAP_TEST_PG."""
    conninfo = os.environ.get("FUELMAP_TEST_PG", "")
    if not conninfo.startswith("PG:"):
        sys.exit("FUELMAP_TEST_PG is not set (run through ctest, fixture fuelmap_pg)")
    return dict(item.split("=", 1) for item in conninfo[3:].split())


def psql(keys, dbname, sql):
    conninfo = " ".join("%s=%s" % (k, v) for k, v in keys.items() if k != "dbname") + " dbname=" + dbname
    return common.run("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql)


def main():
    fuelmap, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    keys = server()
    psql(keys, "postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % DATABASE)
    psql(keys, "postgres", "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'" % DATABASE)
    registry = "PG:host=%s port=%s user=%s dbname=%s" % (keys["host"], keys["port"], keys["user"], DATABASE)
    common.run(fuelmap, "import", os.path.join(source, "maps", "example"), "-r", registry, "--quiet")

    qgz = psql(keys, DATABASE, "SELECT encode(content, 'hex') FROM qgis_projects WHERE name = 'fuelmap'").strip()
    common.check(len(qgz) > 0, "the project is stored in qgis_projects")
    with zipfile.ZipFile(io.BytesIO(bytes.fromhex(qgz))) as archive:
        project_qgs = archive.read("fuelmap.qgs").decode("utf-8")
    common.check("dbname='%s'" % DATABASE in project_qgs, "the project's layers are in the database")
    common.check("password" not in project_qgs, "no password in the stored project")
    defaults = psql(keys, DATABASE, "SELECT count(*) FROM layer_styles WHERE f_table_catalog = '%s' AND "
                    "f_table_schema = 'public' AND stylename = 'fuelmap' AND useasdefault" % DATABASE)
    common.check(defaults.strip() == str(len(common.LAYERS)), "a default style per layer, got %s" % defaults.strip())

    # QGIS's project storage takes the server from the URI; a Unix socket directory is no URL host,
    # so libpq's environment gives it.
    os.environ["PGHOST"] = keys["host"]
    os.environ["PGPORT"] = keys["port"]
    os.environ["PGUSER"] = keys["user"]
    base = "dbname='%s' host='%s' port=%s user='%s' key='fid'" % (DATABASE, keys["host"], keys["port"], keys["user"])

    def layer_source(name):
        if name in ("supplies", "grades"):
            return base + ' table="public"."%s"' % name
        kind = "Polygon" if name == "sites" else "Point"
        return base + ' srid=4326 type=%s table="public"."%s" (geom)' % (kind, name)

    app = QgsApplication([], False)
    app.initQgis()
    common.check_registry(registry, layer_source, "postgres",
                          "postgresql://?dbname=%s&schema=public&project=fuelmap" % DATABASE,
                          os.path.join(work, "example_pg.png"))

    # An edit through QGIS's provider lands in the database.
    project = QgsProject.instance()
    project.clear()
    stations = QgsVectorLayer(layer_source("stations"), "stations", "postgres")
    station = next(stations.getFeatures())
    new_name = station["name"] + "（QGIS）"
    ok = stations.dataProvider().changeAttributeValues(
        {station.id(): {stations.fields().indexOf("name"): new_name}})
    common.check(ok, "QGIS changes the station's name")
    stored = psql(keys, DATABASE, "SELECT name FROM stations WHERE station_id = '%s'" % station["station_id"])
    common.check(stored.strip() == new_name, "the new name is in the database: %s" % stored.strip())

    # `fuelmap qgis -r PG:…` writes the styles again (one fuelmap row per layer, still the default).
    common.run(fuelmap, "qgis", "-r", registry)
    again = psql(keys, DATABASE, "SELECT count(*) FROM layer_styles WHERE stylename = 'fuelmap' AND useasdefault")
    common.check(again.strip() == str(len(common.LAYERS)), "fuelmap qgis rewrites the styles, got %s" % again.strip())
    app.exitQgis()
    psql(keys, "postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % DATABASE)

    if common.failures:
        print("%d check(s) failed" % len(common.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
