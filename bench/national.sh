#!/usr/bin/env bash
# The national-scale workload of issue 2 ("Speed"): a synthetic registry of 120,000 stations
# (about 1.9 million nozzles), then
#   (a) fuelmap synth of it,
#   (b) ogr2ogr copying its layers to a new GeoPackage vs fuelmap import of it,
#   (c) load + validate of every station (fuelmap_load_validate) with peak memory,
# all from one run, with the ratios side by side. Not part of ctest.
#
#   bench/national.sh [STATIONS] [WORK_DIR]       (defaults: 120000, out/bench)
# Environment: BUILD_DIR (default build-bench, configured Release with the benchmarks on),
# SEED (default 1), KEEP_REGISTRY=1 to reuse WORK_DIR/national.gpkg from an earlier run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATIONS="${1:-120000}"
WORK="${2:-$ROOT/out/bench}"
BUILD="${BUILD_DIR:-$ROOT/build-bench}"
SEED="${SEED:-1}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

if [[ ! -x "$BUILD/fuelmap" || ! -x "$BUILD/bench/fuelmap_load_validate" || -n "${REBUILD:-}" ]]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFUELMAP_BUILD_BENCH=ON \
        -DFUELMAP_BUILD_TESTS=OFF -DFUELMAP_BUILD_EXAMPLES=OFF >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target fuelmap_cli fuelmap_load_validate >/dev/null
fi
FUELMAP="$BUILD/fuelmap"
LOADVAL="$BUILD/bench/fuelmap_load_validate"
source "$ROOT/bench/lib.sh" # measure, ratio

REG="$WORK/national.gpkg"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== (a) fuelmap synth --stations $STATIONS --seed $SEED"
synth_s="(kept)"; synth_mib=""
if [[ -n "${KEEP_REGISTRY:-}" && -f "$REG" ]]; then
    echo "   (KEEP_REGISTRY: reusing $REG)"
else
    rm -f "$REG"
    read -r synth_s synth_mib < <(measure "$FUELMAP" synth --stations "$STATIONS" --seed "$SEED" -o "$REG" --quiet)
fi
counts="$(sqlite3 "$REG" "SELECT (SELECT count(*) FROM stations), (SELECT count(*) FROM tanks),
    (SELECT count(*) FROM dispensers), (SELECT count(*) FROM nozzles), (SELECT count(*) FROM supplies)" | tr '|' ' ')"
read -r n_st n_tk n_di n_no n_su <<<"$counts"
echo "   $n_st stations, $n_tk tanks, $n_di dispensers, $n_no nozzles, $n_su supply legs; $(du -h "$REG" | cut -f1)"

echo "== (b) ogr2ogr copy of the layers vs fuelmap import"
LAYERS=(stations tanks dispensers nozzles sites supplies grades)
rm -f "$WORK/ogr2ogr.gpkg"
read -r ogr_s ogr_mib < <(measure ogr2ogr -f GPKG "$WORK/ogr2ogr.gpkg" "$REG" "${LAYERS[@]}")
import_s="n/a"; import_mib="n/a"; import_ratio="n/a"
if "$FUELMAP" import --help >/dev/null 2>&1 && ! "$FUELMAP" import "$REG" -r /dev/null/x 2>&1 | grep -q "not implemented"; then
    rm -f "$WORK/imported.gpkg"
    read -r import_s import_mib < <(measure "$FUELMAP" import "$REG" -r "$WORK/imported.gpkg" --quiet)
    import_ratio="$(ratio "$import_s" "$ogr_s")"
else
    echo "   (fuelmap import is not available in this build)"
fi

echo "== (c) load + validate of every station"
"$LOADVAL" "$REG" >"$WORK/load_validate.out"
"$TIME" -f "%M" -o "$WORK/lv_time.log" "$LOADVAL" "$REG" >"$WORK/load_validate.out"
load_s="$(awk '/^load_seconds/ { print $2 }' "$WORK/load_validate.out")"
validate_s="$(awk '/^validate_seconds/ { print $2 }' "$WORK/load_validate.out")"
lv_s="$(awk '/^load_plus_validate_seconds/ { print $2 }' "$WORK/load_validate.out")"
lv_mib="$(awk '/^peak_rss_mib/ { printf "%.0f", $2 }' "$WORK/load_validate.out")"
findings="$(awk '/^findings/ { print $2 }' "$WORK/load_validate.out")"
load_cpu="$(awk '/^load_cpu_seconds/ { print $2 }' "$WORK/load_validate.out")"
validate_cpu="$(awk '/^validate_cpu_seconds/ { print $2 }' "$WORK/load_validate.out")"

echo
echo "national workload: $n_st stations, $n_no nozzles (seed $SEED), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
echo "load average before the run: $LOAD_BEFORE (seconds are wall clock; CPU seconds in brackets)"
printf '%-38s %10s %10s   %s\n' "step" "seconds" "peak MiB" "target / ratio"
printf '%-38s %10s %10s   %s\n' "fuelmap synth" "$synth_s" "$synth_mib" ""
printf '%-38s %10s %10s   %s\n' "ogr2ogr GPKG -> GPKG (same layers)" "$ogr_s" "$ogr_mib" "1.00"
printf '%-38s %10s %10s   %s\n' "fuelmap import GPKG -> registry" "$import_s" "$import_mib" \
    "import/ogr2ogr = $import_ratio (target <= 1)"
printf '%-38s %10s %10s   %s\n' "load (read_registry)" "$load_s" "" "[cpu $load_cpu s]"
printf '%-38s %10s %10s   %s\n' "validate (every station)" "$validate_s" "" "[cpu $validate_cpu s] $findings findings"
printf '%-38s %10s %10s   %s\n' "load + validate" "$lv_s" "$lv_mib" \
    "$(awk -v s="$lv_s" -v m="$lv_mib" 'BEGIN { printf "%.2f of 2 s, %.2f of 1024 MiB", s / 2, m / 1024 }')"
