#!/usr/bin/env bash
# Benchmark of fuelmap observe at national scale: one observation per nozzle of a registry
# (1,934,388 rows for `fuelmap synth --stations 120000 --seed 1`), recorded in one transaction with
# one ledger entry each. The registry is copied first (observe writes it); the source is only read.
#
#   bench/observe_bench.sh [FUELMAP_BINARY] [REGISTRY] [WORK_DIR]
#   (defaults: build-bench/fuelmap, out/bench/imported.gpkg as written by bench/national.sh,
#    /tmp/fuelmap-observe-bench)
#
# The CSV (columns of docs/formats.md "Observations"; observed_tanks = the nozzle's supply tanks
# in leg order joined by '+') is made once per registry with sqlite3 and reused. Prints wall-clock
# seconds, CPU seconds (user + system) and peak memory of the observe command, then times
# `fuelmap audit -r REG --problems` end to end on the registry that now records those observations
# (AUDIT_RUNS times, default 3; 0 skips it; KEEP=1 keeps that registry as WORK_DIR/run.gpkg).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUELMAP=${1:-$ROOT/build-bench/fuelmap}
REG=${2:-$ROOT/out/bench/imported.gpkg}
WORK=${3:-/tmp/fuelmap-observe-bench}
mkdir -p "$WORK"
[[ -f $REG ]] || { echo "no registry $REG (make one with bench/national.sh)" >&2; exit 2; }
source "$ROOT/bench/lib.sh" # TIME

CSV="$WORK/observations.csv"
STAMP="$WORK/observations.source"
if [[ ! -f $CSV || "$(cat "$STAMP" 2>/dev/null)" != "$(stat -c '%n %s %Y' "$REG")" ]]; then
    echo "making $CSV from $REG (once) ..."
    {
        echo "station_id,nozzle_no,observed_tanks,method,inspectors,observed_at"
        sqlite3 -csv "$REG" "SELECT n.station_id, n.nozzle_no,
            (SELECT group_concat(tank_no, '+') FROM (SELECT tank_no FROM supplies s
              WHERE s.station_id = n.station_id AND s.nozzle_no = n.nozzle_no ORDER BY leg)),
            'pipe_tracing', 'I01;I07', '2024-05-17T09:30:00+08:00' FROM nozzles n ORDER BY n.fid"
    } >"$CSV"
    stat -c '%n %s %Y' "$REG" >"$STAMP"
fi
ROWS=$(($(wc -l <"$CSV") - 1))

cp "$REG" "$WORK/run.gpkg"
sync "$WORK/run.gpkg" # else the commit would wait for the whole copy to reach the disk
"$TIME" -f '%e %U %S %M' -o "$WORK/time.log" "$FUELMAP" observe -r "$WORK/run.gpkg" "$CSV" -q
read -r wall user sys kib <"$WORK/time.log"
recorded=$(sqlite3 "$WORK/run.gpkg" "SELECT count(*) FROM fuelmap_observations")
printf 'observe: %s rows, %s recorded, %.2f s [%.2f CPU], peak %.0f MiB (load before: %s)\n' \
    "$ROWS" "$recorded" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$kib / 1024" | bc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
for ((run = 1; run <= ${AUDIT_RUNS:-3}; run++)); do
    "$TIME" -f '%e %U %S %M' -o "$WORK/time.log" "$FUELMAP" audit -r "$WORK/run.gpkg" --problems \
        >/dev/null || [[ $? == 1 ]]
    read -r wall user sys kib <"$WORK/time.log"
    printf 'audit --problems: %.2f s [%.2f CPU], peak %.0f MiB\n' "$wall" "$(echo "$user + $sys" | bc)" \
        "$(echo "$kib / 1024" | bc)"
done
[[ ${KEEP:-0} == 1 ]] || rm -f "$WORK/run.gpkg"
