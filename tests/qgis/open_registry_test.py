#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Real QGIS (Debian's python3-qgis, headless) opens fuelmap registries.

For the example registry (maps/example) and a synthetic one: every layer opened on its own is valid
and editable and gets fuelmap's default style from layer_styles (tanks and nozzles categorized by
grade in the diagrams' colours, numbers and names as labels, value maps); the project stored in the
registry opens with every layer valid, the seven relations and the value maps; a station's site is
rendered to PNG and the grade colours are in the picture. Then the registry is moved (the project
still finds its layers) and renamed (it finds them again once `fuelmap qgis` has written it).

Run by ctest (test qgis_opens_registry): open_registry_test.py FUELMAP SOURCE_DIR WORK_DIR
"""
import os
import shutil
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsFeatureRequest, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsProject, QgsRectangle, QgsVectorDataProvider, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

# A few colours of the diagrams' palette (src/diagram/diagram_kit.cpp), as the diagrams draw them.
EXPECTED_COLOURS = {"92#": (27, 158, 119), "95#": (217, 95, 2), "98#": (117, 112, 179), "0#": (60, 60, 60)}
LAYERS = ["stations", "nozzles", "dispensers", "tanks", "sites", "supplies", "grades"]
RELATIONS = {
    "fuelmap_station_tanks": ("tanks", "stations", [("station_id", "station_id")]),
    "fuelmap_station_dispensers": ("dispensers", "stations", [("station_id", "station_id")]),
    "fuelmap_station_nozzles": ("nozzles", "stations", [("station_id", "station_id")]),
    "fuelmap_station_site": ("sites", "stations", [("station_id", "station_id")]),
    "fuelmap_dispenser_nozzles": ("nozzles", "dispensers", [("station_id", "station_id"), ("dispenser_no", "dispenser_no")]),
    "fuelmap_nozzle_supplies": ("supplies", "nozzles", [("station_id", "station_id"), ("nozzle_no", "nozzle_no")]),
    "fuelmap_tank_supplies": ("supplies", "tanks", [("station_id", "station_id"), ("tank_no", "tank_no")]),
}

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL: " + what)
    return condition


def run(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("command failed (%d): %s\n%s%s" % (r.returncode, " ".join(args), r.stdout, r.stderr))
    return r.stdout


def rgb(colour):
    return (colour.red(), colour.green(), colour.blue())


def value_map(layer, field):
    setup = layer.editorWidgetSetup(layer.fields().indexOf(field))
    if setup.type() != "ValueMap":
        return None
    out = {}
    for entry in setup.config().get("map", []):
        out.update({stored: shown for shown, stored in entry.items()})
    return out


def check_style(name, layer, where):
    """The default style fuelmap gives @p layer (opened on its own or from the project)."""
    check(layer.isValid(), "%s: layer %s is valid" % (where, name))
    if name in ("tanks", "nozzles"):
        r = layer.renderer()
        if check(r is not None and r.type() == "categorizedSymbol", "%s: %s categorized" % (where, name)):
            check(r.classAttribute() == "grade", "%s: %s categorized by grade" % (where, name))
            colours = {c.value(): rgb(c.symbol().color()) for c in r.categories()}
            for grade, colour in EXPECTED_COLOURS.items():
                check(colours.get(grade) == colour,
                      "%s: %s %s in %s, got %s" % (where, name, grade, colour, colours.get(grade)))
        check(layer.labelsEnabled(), "%s: %s labelled" % (where, name))
        field = "tank_no" if name == "tanks" else "nozzle_no"
        check(layer.labeling() is not None and layer.labeling().settings().fieldName == field,
              "%s: %s labelled with %s" % (where, name, field))
        grades = value_map(layer, "grade") or {}
        check("92#" in grades and "0#" in grades, "%s: %s grade value map %s" % (where, name, grades))
        statuses = value_map(layer, "status") or {}
        check("in_service" in statuses and "out_of_service" in statuses, "%s: %s status value map" % (where, name))
    if name == "stations":
        s = layer.labeling().settings() if layer.labeling() else None
        check(layer.labelsEnabled() and s is not None and s.fieldName == "name", "%s: stations labelled by name" % where)
        check(s is not None and s.format().font().family().startswith("Noto Sans CJK"),
              "%s: station labels in Noto Sans CJK" % where)
        ownership = value_map(layer, "ownership") or {}
        check(sorted(ownership) == ["hypermarket", "independent", "major", "other"], "%s: ownership value map %s" % (where, ownership))
        check("open" in (value_map(layer, "status") or {}), "%s: station status value map" % where)
    if name == "grades":
        check(sorted(value_map(layer, "family") or {}) == ["diesel", "gasoline", "other"], "%s: family value map" % where)


def check_registry(registry, layer_source, provider, project_uri, png):
    """Checks the registry @p registry: its layers opened on their own (data source
    layer_source(name) of QGIS provider @p provider) and the project stored in it (@p project_uri)."""
    print("== " + registry)
    # Each layer opened on its own (as from QGIS's browser): the default style from layer_styles.
    for name in LAYERS:
        layer = QgsVectorLayer(layer_source(name), name, provider)
        check_style(name, layer, "layer_styles")
        caps = layer.dataProvider().capabilities()
        check(bool(caps & QgsVectorDataProvider.AddFeatures) and bool(caps & QgsVectorDataProvider.ChangeAttributeValues),
              "%s editable" % name)

    # The project stored in the registry.
    project = QgsProject.instance()
    project.clear()
    check(project.read(project_uri), "the project opens")
    layers = {l.name(): l for l in project.mapLayers().values()}
    check(sorted(layers) == sorted(LAYERS), "project layers %s" % sorted(layers))
    for name, layer in layers.items():
        check_style(name, layer, "project")
    relations = project.relationManager().relations()
    check(sorted(relations) == sorted(RELATIONS), "relations %s" % sorted(relations))
    for rid, (child, parent, pairs) in RELATIONS.items():
        rel = relations.get(rid)
        if check(rel is not None and rel.isValid(), "relation %s valid" % rid):
            check(rel.referencingLayer().name() == child and rel.referencedLayer().name() == parent,
                  "relation %s: %s -> %s" % (rid, child, parent))
            got = sorted(rel.fieldPairs().items())
            check(got == sorted(pairs), "relation %s fields %s" % (rid, got))
    # A nozzle's supplies and the tank behind them, through the relations.
    nozzle = next(layers["nozzles"].getFeatures())
    legs = list(relations["fuelmap_nozzle_supplies"].getRelatedFeatures(nozzle))
    check(len(legs) >= 1, "nozzle %s/%s has its supply legs" % (nozzle["station_id"], nozzle["nozzle_no"]))
    if legs:
        tank = relations["fuelmap_tank_supplies"].getReferencedFeature(legs[0])
        check(tank.isValid() and tank["tank_no"] == legs[0]["tank_no"], "the supply leg leads to its tank")

    # Render the site of the first station, every layer, to PNG.
    station = next(layers["stations"].getFeatures())
    tanks = layers["tanks"]
    request = QgsFeatureRequest().setFilterExpression("station_id = '%s'" % station["station_id"])
    box = QgsRectangle()
    box.setMinimal()
    for layer_name in ("tanks", "nozzles", "dispensers", "sites"):
        for f in layers[layer_name].getFeatures(request):
            if not f.geometry().isEmpty():
                box.combineExtentWith(f.geometry().boundingBox())
    box.grow(0.0002)
    settings = QgsMapSettings()
    settings.setLayers([layers[n] for n in LAYERS if n not in ("supplies", "grades")])
    settings.setDestinationCrs(tanks.crs())
    settings.setExtent(box)
    settings.setOutputSize(QSize(900, 700))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    check(image.save(png, "PNG"), "map saved to " + png)
    seen = set()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            seen.add(rgb(QColor(image.pixel(x, y))))
    station_grades = {f["grade"] for f in tanks.getFeatures(request)}
    for grade in station_grades & set(EXPECTED_COLOURS):
        check(EXPECTED_COLOURS[grade] in seen, "the map shows %s tanks in %s" % (grade, EXPECTED_COLOURS[grade]))
    check(len(seen) > 20, "the map has labels and symbols (%d colours)" % len(seen))
    print("rendered %s (station %s, %d colours)" % (png, station["station_id"], len(seen)))
    project.clear()


def check_geopackage(registry, png):
    check_registry(registry, lambda name: registry + "|layername=" + name, "ogr",
                   "geopackage:" + registry + "?projectName=fuelmap", png)


def main():
    fuelmap, source, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    example = os.path.join(work, "example.gpkg")
    run(fuelmap, "import", os.path.join(source, "maps", "example"), "-r", example, "--quiet")
    synthetic = os.path.join(work, "synthetic.gpkg")
    run(fuelmap, "synth", "--stations", "25", "-o", synthetic, "--seed", "7")

    app = QgsApplication([], False)
    app.initQgis()
    check_geopackage(example, os.path.join(work, "example.png"))
    check_geopackage(synthetic, os.path.join(work, "synthetic.png"))

    # Moved to another folder, the project still finds its layers beside it; renamed, it looks for the
    # old name until `fuelmap qgis` writes it again.
    project = QgsProject.instance()
    for name, rewrite in (("example.gpkg", False), ("renamed.gpkg", True)):
        moved = os.path.join(work, "moved-" + name[:-5])
        os.makedirs(moved)
        copy = os.path.join(moved, name)
        shutil.copyfile(example, copy)
        project.clear()
        project.read("geopackage:" + copy + "?projectName=fuelmap")
        layers = list(project.mapLayers().values())
        valid = len(layers) == len(LAYERS) and all(l.isValid() for l in layers)
        check(valid != rewrite, "%s in another folder: every layer valid = %s" % (name, valid))
        if rewrite:
            project.clear()
            run(fuelmap, "qgis", "-r", copy)
            project.read("geopackage:" + copy + "?projectName=fuelmap")
            layers = list(project.mapLayers().values())
            check(len(layers) == len(LAYERS) and all(l.isValid() for l in layers),
                  "after fuelmap qgis every layer of %s is valid" % name)
    project.clear()
    app.exitQgis()

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
