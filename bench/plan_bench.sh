#!/usr/bin/env bash
# Benchmark of fuelmap plan and fuelmap verify on the national-scale synthetic registry
# (target: each under 1 s end to end on 120,000 stations), with a design that uses strata,
# risk weights, a certainty set, grades, and the schedule: INSPECTORS (default 100) inspectors in
# standing teams of an enforcement officer and a lab engineer, a workload cap, a window of 19
# working days, 4 stations a day, one depot; SAMPLE (default 3000) stations drawn, so that the teams
# drive about 800 routes.
#
#   bench/plan_bench.sh [FUELMAP_BINARY] [WORK_DIR]
#   VS=OTHER_BINARY bench/plan_bench.sh FUELMAP_BINARY WORK_DIR
#
# With VS set, every run times FUELMAP_BINARY and then OTHER_BINARY on the same inputs (a fresh
# copy of the registry each), and the end prints, per command, the medians and the median of the
# per-run ratios (wall and CPU): the figures to compare two versions by, since this machine's speed
# can drift by half between runs minutes apart.
#
# The registry (fuelmap synth --stations 120000 --seed 1) is made once in WORK_DIR and reused.
# A registry written by a fuelmap without the layout cache (docs/registry.md) is read through its
# nozzle and supply tables on every run: remake it with this build to time the usual case.
# Each line gives wall-clock seconds and, in brackets, CPU seconds (user + system) of the command.
# Each run writes its field lists into a new directory, as a round does, removed at the end: files
# replaced or deleted just before (the lists of the previous run) make creating files markedly
# slower on some file systems (ext4 without a journal skips every inode freed in the last minute,
# six while its inode table is not yet written back: a benchmark started within minutes of a mass
# deletion nearby, such as the test suite's or an earlier benchmark's, times that kernel work too).
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
# One timed plan and verify of binary $1 (label $2) in run $3: prints a line and appends
# "label command wall cpu" lines to $WORK/pairs.txt.
time_round() {
    local bin=$1 label=$2 run=$3
    cp "$REG" "$WORK/run.gpkg"
    sync "$WORK/run.gpkg" # else plan's commit would wait for the whole copy to reach the disk
    local start mid end plan_cpu verify_cpu
    start=$(date +%s.%N)
    plan_cpu=$(cpu "$bin" plan -r "$WORK/run.gpkg" --design "$WORK/design.json" --seed "$SEED" \
        -o "$WORK/plan.json" --csv-dir "$WORK/lists-$label-$run" --geojson "$WORK/plan.geojson")
    mid=$(date +%s.%N)
    verify_cpu=$(cpu "$bin" verify "$WORK/plan.json" -r "$WORK/run.gpkg")
    end=$(date +%s.%N)
    local plan_wall verify_wall
    plan_wall=$(echo "$mid - $start" | bc)
    verify_wall=$(echo "$end - $mid" | bc)
    printf 'run %d%s: plan %.2f s [%s CPU], verify %.2f s [%s CPU] (%s stations, %s drawn, %s inspectors, %s routes)\n' \
        "$run" "${VS:+ $label}" "$plan_wall" "$plan_cpu" "$verify_wall" "$verify_cpu" "$STATIONS" \
        "$SAMPLE" "$INSPECTORS" "$(grep -c '"distance_m"' "$WORK/plan.json")"
    printf '%s plan %s %s\n%s verify %s %s\n' "$label" "$plan_wall" "$plan_cpu" "$label" "$verify_wall" \
        "$verify_cpu" >> "$WORK/pairs.txt"
}
: > "$WORK/pairs.txt"
for run in $(seq 1 "$RUNS"); do
    cat > "$WORK/design.json" <<JSON
{"round": "bench-$run", "sample_size": $SAMPLE, "strata": ["province", "ownership"], "min_per_stratum": 1,
 "weight_field": "risk_weight", "certainty": ["$CERT1", "$CERT2"], "grades": ["92#", "95#", "0#"],
 "inspectors": "inspectors.csv", "workload_cap": 80, "stations_per_day": 4,
 "team_roles": ["enforcement", "laboratory"], "depot": {"lon": "116.397", "lat": "39.909"},
 "window": {"start": "2026-03-02", "end": "2026-03-27", "holidays": ["2026-03-16"]}}
JSON
    time_round "$FUELMAP" A "$run"
    if [[ -n ${VS:-} ]]; then
        time_round "$VS" B "$run"
    fi
done
if [[ -n ${VS:-} ]]; then
    echo "A = $FUELMAP, B = $VS; medians of $RUNS runs each, and the median of the per-run ratios A/B:"
    for cmd in plan verify; do
        for what in wall CPU; do
            col=$([[ $what == wall ]] && echo 3 || echo 4)
            awk -v cmd="$cmd" -v col="$col" -v what="$what" '
                function median(v, n,   i, j, t) {
                    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
                    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
                }
                $2 == cmd && $1 == "A" { a[++na] = $col }
                $2 == cmd && $1 == "B" { b[++nb] = $col }
                END {
                    for (i = 1; i <= na; i++) r[i] = a[i] / b[i]
                    printf "%-6s %-4s A %.2f s, B %.2f s, A/B %.2f\n", cmd, what, median(a, na), median(b, nb), median(r, na)
                }' "$WORK/pairs.txt"
        done
    done
fi
rm -rf "$WORK"/lists-*
