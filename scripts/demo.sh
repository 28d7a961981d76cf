#!/usr/bin/env bash
# Installs what is missing, builds, and runs fuelmap's main job on the bundled example registry:
# validate every station and print one of them. Output goes to out/demo/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
FUELMAP="$BUILD_DIR/fuelmap"
OUT="$ROOT/out/demo"
rm -rf "$OUT"
mkdir -p "$OUT"

REG="$OUT/registry.gpkg"
echo "== import the example layouts in maps/ into $REG"
"$FUELMAP" import "$ROOT/maps/example" -r "$REG" --quiet
echo "== validate every station"
"$FUELMAP" validate -r "$REG" --quiet | tail -n 3
first="$("$FUELMAP" export -r "$REG" --layer stations -f CSV -o /vsistdout/ | sed -n 2p | cut -d, -f1 | tr -d '"')"
echo "== one station: $first"
"$FUELMAP" show -r "$REG" "$first"
echo
echo "Output is in $OUT (open registry.gpkg in QGIS)."
