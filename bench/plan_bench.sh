#!/usr/bin/env bash
# Benchmark of fuelmap plan and fuelmap verify on the national-scale synthetic registry
# (target: each under 1 s end to end on 120,000 stations), with a design that uses strata,
# risk weights, a certainty set, grades, and the schedule: INSPECTORS (default 100) inspectors in
# standing teams of an enforcement officer and a lab engineer, a workload cap, a window of 19
# working days, 4 stations a day, one depot; SAMPLE (default 3000) stations drawn, so that the teams
# drive about 800 routes.
#
#   bench/plan_bench.sh [FUELMAP_BINARY] [WORK_DIR]
#
# The registry (fuelmap synth --stations 120000 --seed 1) is made once in WORK_DIR and reused.
# A registry written by a fuelmap without the layout cache (docs/registry.md) is read through its
# nozzle and supply tables on every run: remake it with this build to time the usual case.
# Each line gives wall-clock seconds and, in brackets, CPU seconds (user + system) of the command.
# Each run writes its field lists into a new directory, as a round does, removed at the end: files
# replaced or deleted just before (the lists of the previous run) make creating files markedly
# slower on some file systems (ext4 without a journal skips inodes freed in the last 30 s).
set -euo pipefail
FUELMAP=${1:-build/fuelmap}
WORK=${2:-/tmp/fuelmap-plan-bench}
STATIONS=${STATIONS:-120000}
RUNS=${RUNS:-3}
INSPECTORS=${INSPECTORS:-100}
SAMPLE=${SAMPLE:-3000}
mkdir -p "$WORK"
REG="$WORK/synth-$STATIONS.gpkg"
if [[ ! -f $REG ]]; then
    echo "making $REG (once) ..."
    "$FUELMAP" synth --stations "$STATIONS" -o "$REG" --seed 1
fi
# The inspectors spread over real county codes of the registry, so that the own-district rule bites.
sqlite3 "$REG" "SELECT DISTINCT county FROM stations ORDER BY county" > "$WORK/counties.txt"
awk -v n="$INSPECTORS" 'BEGIN { print "id,name,district,role" } { c[NR] = $1 } END { for (i = 0; i < n; i++) printf "I%03d,inspector %d,%s,%s\n", i, i, c[i % NR + 1], (i % 2 ? "laboratory" : "enforcement") }' \
    "$WORK/counties.txt" > "$WORK/inspectors.csv"
CERT1=$(sqlite3 "$REG" "SELECT station_id FROM stations WHERE status = 'open' ORDER BY station_id LIMIT 1 OFFSET 10")
CERT2=$(sqlite3 "$REG" "SELECT station_id FROM stations WHERE status = 'open' ORDER BY station_id LIMIT 1 OFFSET 5000")
SEED=$("$FUELMAP" seed new --json | sed -n 's/.*"seed": "\(.*\)".*/\1/p')
if [[ -z $(sqlite3 "$REG" "SELECT name FROM sqlite_master WHERE name = 'fuelmap_frame_layouts'") ]]; then
    echo "note: $REG has no layout cache (written by an older fuelmap): timing the table scan" >&2
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cpu
for run in $(seq 1 "$RUNS"); do
    cp "$REG" "$WORK/run.gpkg"
    sync "$WORK/run.gpkg" # else plan's commit would wait for the whole copy to reach the disk
    cat > "$WORK/design.json" <<JSON
{"round": "bench-$run", "sample_size": $SAMPLE, "strata": ["province", "ownership"], "min_per_stratum": 1,
 "weight_field": "risk_weight", "certainty": ["$CERT1", "$CERT2"], "grades": ["92#", "95#", "0#"],
 "inspectors": "inspectors.csv", "workload_cap": 80, "stations_per_day": 4,
 "team_roles": ["enforcement", "laboratory"], "depot": {"lon": "116.397", "lat": "39.909"},
 "window": {"start": "2026-03-02", "end": "2026-03-27", "holidays": ["2026-03-16"]}}
JSON
    start=$(date +%s.%N)
    plan_cpu=$(cpu "$FUELMAP" plan -r "$WORK/run.gpkg" --design "$WORK/design.json" --seed "$SEED" \
        -o "$WORK/plan.json" --csv-dir "$WORK/lists-$run" --geojson "$WORK/plan.geojson")
    mid=$(date +%s.%N)
    verify_cpu=$(cpu "$FUELMAP" verify "$WORK/plan.json" -r "$WORK/run.gpkg")
    end=$(date +%s.%N)
    printf 'run %d: plan %.2f s [%s CPU], verify %.2f s [%s CPU] (%s stations, %s drawn, %s inspectors, %s routes)\n' \
        "$run" "$(echo "$mid - $start" | bc)" "$plan_cpu" "$(echo "$end - $mid" | bc)" "$verify_cpu" "$STATIONS" \
        "$SAMPLE" "$INSPECTORS" "$(grep -c '"distance_m"' "$WORK/plan.json")"
done
rm -rf "$WORK"/lists-*
