#!/usr/bin/env bash
# Regenerates the example layouts in maps/example/ (SYNTHETIC data, see maps/README.md):
# 30 stations in the 11 districts and county-level cities of 烟台市 Yantai, written by
# `fuelmap synth`, checked with `fuelmap validate` (must be clean), and exported as one GeoJSON
# file per layer with `fuelmap export`. When `fuelmap import` is available the export is imported
# back and validated again.
#
#   scripts/make_example_maps.sh            (FUELMAP=path/to/fuelmap to skip the set-up and build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${FUELMAP:-}" ]]; then
    source "$ROOT/scripts/setup.sh"
    FUELMAP="$BUILD_DIR/fuelmap"
fi
STATIONS=30
SEED=2 # chosen so that the 30 stations include two blend stations, manifold groups, idle tanks,
       # a hypermarket and fleet stations besides majors and independents
OUT="$ROOT/maps/example"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

"$FUELMAP" synth --stations "$STATIONS" --seed "$SEED" --regions yantai -o "$TMP/example.gpkg" --quiet
"$FUELMAP" validate -r "$TMP/example.gpkg" --quiet | tail -n 1
rm -rf "$OUT"
"$FUELMAP" export -r "$TMP/example.gpkg" -o "$OUT" -f GeoJSON --quiet
if "$FUELMAP" import --help >/dev/null 2>&1 && "$FUELMAP" import "$OUT" -r "$TMP/back.gpkg" --quiet 2>"$TMP/import.err"; then
    "$FUELMAP" validate -r "$TMP/back.gpkg" --quiet | tail -n 1
else
    echo "(import back skipped: $(head -n 1 "$TMP/import.err" 2>/dev/null))"
fi
echo "wrote $OUT:"
ls -1 "$OUT"
