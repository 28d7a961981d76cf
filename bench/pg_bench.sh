#!/usr/bin/env bash
# The PostgreSQL/PostGIS workload of issue 15, on a synthetic registry (120,000 stations by default):
#   (a) fuelmap import of the registry GeoPackage into PostGIS vs ogr2ogr -f PostgreSQL of the same
#       layers into another database (ratio, target <= 1);
#   (b) plan --frame-digest, plan (recorded) and verify on PostGIS (target <= 2 s each);
#   (c) 8 concurrent fuelmap observe processes of 10,000 rows each: wall clock, rows per second,
#       and proof that all 80,000 rows and ledger entries landed (counts, ledger verify).
# A throwaway server (scripts/pg_test_server.sh: fsync off, as for the tests) runs in WORK_DIR/pg.
# Not part of ctest.
#
#   bench/pg_bench.sh [STATIONS] [WORK_DIR]       (defaults: 120000, out/pg-bench)
# Environment: BUILD_DIR (default build-bench, configured Release), SEED (default 1),
# WRITERS (default 8), ROWS (rows per writer, default 10000), KEEP_REGISTRY=1 to reuse
# WORK_DIR/registry.gpkg.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATIONS="${1:-120000}"
WORK="${2:-$ROOT/out/pg-bench}"
BUILD="${BUILD_DIR:-$ROOT/build-bench}"
SEED="${SEED:-1}"
WRITERS="${WRITERS:-8}"
ROWS="${ROWS:-10000}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

if [[ ! -x "$BUILD/fuelmap" || -n "${REBUILD:-}" ]]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFUELMAP_BUILD_TESTS=OFF \
        -DFUELMAP_BUILD_EXAMPLES=OFF -DFUELMAP_BUILD_BENCH=OFF >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target fuelmap_cli >/dev/null
fi
FUELMAP="$BUILD/fuelmap"
source "$ROOT/bench/lib.sh" # measure, ratio

PGDIR="$WORK/pg"
SERVER="$("$ROOT/scripts/pg_test_server.sh" start "$PGDIR")"
trap '"$ROOT/scripts/pg_test_server.sh" stop "$PGDIR"' EXIT
ADMIN="${SERVER#PG:}"
psql_admin() { psql "$ADMIN" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
for db in imported ogr; do
    psql_admin "CREATE DATABASE $db"
done
psql "${ADMIN/dbname=postgres/dbname=ogr}" -qAtX -c "CREATE EXTENSION postgis"
PG_IMPORTED="PG:${ADMIN/dbname=postgres/dbname=imported}"
PG_OGR="PG:${ADMIN/dbname=postgres/dbname=ogr}"

REG="$WORK/registry.gpkg"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -z "${KEEP_REGISTRY:-}" || ! -f "$REG" ]]; then
    rm -f "$REG"
    echo "== fuelmap synth --stations $STATIONS --seed $SEED"
    "$FUELMAP" synth --stations "$STATIONS" --seed "$SEED" -o "$REG" --quiet
fi
n_no="$(sqlite3 "$REG" "SELECT count(*) FROM nozzles")"

echo "== (a) ogr2ogr -f PostgreSQL vs fuelmap import into PostGIS"
LAYERS=(stations tanks dispensers nozzles sites supplies grades)
read -r ogr_s ogr_mib < <(measure ogr2ogr -f PostgreSQL "$PG_OGR" "$REG" "${LAYERS[@]}")
read -r import_s import_mib < <(measure "$FUELMAP" import "$REG" -r "$PG_IMPORTED" --quiet)

echo "== (b) plan and verify on PostGIS"
DESIGN="$ROOT/maps/rounds/2026-12.design.json"
SEED_HEX=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
read -r digest_s digest_mib < <(measure "$FUELMAP" plan -r "$PG_IMPORTED" --design "$DESIGN" --frame-digest)
read -r plan_s plan_mib < <(measure "$FUELMAP" plan -r "$PG_IMPORTED" --design "$DESIGN" --seed "$SEED_HEX" \
    -o "$WORK/plan.json")
read -r verify_s verify_mib < <(measure "$FUELMAP" verify "$WORK/plan.json" -r "$PG_IMPORTED")
read -r gverify_s gverify_mib < <(measure "$FUELMAP" verify "$WORK/plan.json" -r "$REG")

echo "== (c) $WRITERS concurrent observe runs of $ROWS rows each"
# Writer w observes nozzles w*ROWS+1 … (w+1)*ROWS (by fid) with its supply tanks.
for ((w = 0; w < WRITERS; w++)); do
    {
        echo "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at"
        sqlite3 -csv "$REG" "SELECT n.station_id, n.nozzle_no,
            (SELECT group_concat(tank_no, '+') FROM (SELECT tank_no FROM supplies s
              WHERE s.station_id = n.station_id AND s.nozzle_no = n.nozzle_no ORDER BY leg)),
            'pipe_tracing', 'I0$w', '2026-12-0$((w % 9 + 1))T09:30:00+08:00' FROM nozzles n
            ORDER BY n.fid LIMIT $ROWS OFFSET $((w * ROWS))"
    } >"$WORK/obs$w.csv"
done
start_ns="$(date +%s%N)"
pids=()
for ((w = 0; w < WRITERS; w++)); do
    "$FUELMAP" observe -r "$PG_IMPORTED" "$WORK/obs$w.csv" --quiet >"$WORK/obs$w.out" 2>&1 &
    pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
observe_s="$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
rows_landed="$(psql "${PG_IMPORTED#PG:}" -qAtX -c "SELECT count(*) FROM fuelmap_observations")"
entries="$(psql "${PG_IMPORTED#PG:}" -qAtX -c "SELECT count(*) FROM fuelmap_ledger WHERE kind = 'observation'")"
ledger="$("$FUELMAP" ledger verify -r "$PG_IMPORTED" 2>&1 || true)"

echo
echo "PostGIS workload: $STATIONS stations, $n_no nozzles (seed $SEED), $(nproc) CPUs, $(date -u +%Y-%m-%d)"
echo "load average before the run: $LOAD_BEFORE (seconds are wall clock)"
printf '%-44s %10s %10s %8s\n' "step" "seconds" "peak MiB" "ratio"
printf '%-44s %10s %10s %8s\n' "ogr2ogr -f PostgreSQL (7 layers)" "$ogr_s" "$ogr_mib" "1.00"
printf '%-44s %10s %10s %8s\n' "fuelmap import -r PG:" "$import_s" "$import_mib" "$(ratio "$import_s" "$ogr_s")"
printf '%-44s %10s %10s\n' "plan --frame-digest on PostGIS" "$digest_s" "$digest_mib"
printf '%-44s %10s %10s\n' "plan (recorded) on PostGIS" "$plan_s" "$plan_mib"
printf '%-44s %10s %10s %8s\n' "verify on PostGIS" "$verify_s" "$verify_mib" "$(ratio "$verify_s" "$gverify_s")"
printf '%-44s %10s %10s %8s\n' "verify on the GeoPackage (for comparison)" "$gverify_s" "$gverify_mib" "1.00"
printf '%-44s %10s %10s\n' "$WRITERS x observe of $ROWS rows, concurrent" "$observe_s" ""
echo "observe throughput: $(awk -v r="$((WRITERS * ROWS))" -v s="$observe_s" 'BEGIN { printf "%.0f", r / s }') rows/s;" \
    "failed runs: $failed; rows landed: $rows_landed of $((WRITERS * ROWS)); observation ledger entries: $entries"
echo "$ledger"
