#!/usr/bin/env bash
# Route kilometres of the schedule (docs/sampling.md section 8) against the per-station dealing of
# fuelmap-sampling-1 (teams drawn afresh per station, dates dealt independently) and against a lower
# bound (per team-day, the minimum spanning tree of the base and its stations), at two scales:
#   prefecture: 150 stations in Yantai (synth of at most 1,100 stations), 60 drawn by county, 12 inspectors in
#               teams of an enforcement officer and a lab engineer, one depot, 4 stations a day;
#   province:   3,000 stations (synth, national regions), 300 drawn, 100 inspectors based at 50
#               region centres, teams of two, 5 stations a day.
#
#   bench/route_bench.sh NEW_FUELMAP OLD_FUELMAP [WORK_DIR]
#
# OLD_FUELMAP is a build of fuelmap-sampling-1 (e.g. the commit before the schedule). The old plan
# gets the same inspectors and window (its design has no stations_per_day, team_roles or depot); its
# "routes" are the stations of each (team, date) pair, ordered by the same nearest-neighbour + 2-opt
# rule from the same bases. One line of JSON per plan (bench/route_km.py).
set -euo pipefail
NEW=${1:?new fuelmap binary}
OLD=${2:?old fuelmap binary}
WORK=${3:-/tmp/fuelmap-route-bench}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$WORK"
cd "$WORK"

# compare NAME REG COMMON_KEYS OLD_INSPECTORS NEW_INSPECTORS NEW_KEYS [route_km.py options for the old plan]
compare() {
    local name=$1 reg=$2 common=$3 old_csv=$4 new_csv=$5 new_keys=$6
    shift 6
    echo "{\"round\": \"$name\", ${common/INSP/$old_csv}}" > "$name-old.json"
    echo "{\"round\": \"$name\", ${common/INSP/$new_csv}, $new_keys}" > "$name-new.json"
    "$OLD" plan -r "$reg" --design "$name-old.json" --seed bench-seed -o "$name-old-plan.json" --dry-run > /dev/null
    "$NEW" plan -r "$reg" --design "$name-new.json" --seed bench-seed -o "$name-new-plan.json" --dry-run > /dev/null
    echo "$name, old dealing: $(python3 "$HERE/route_km.py" "$reg" "$name-old-plan.json" "$@")"
    echo "$name, schedule:    $(python3 "$HERE/route_km.py" "$reg" "$name-new-plan.json")"
}

# --- prefecture ---
rm -f pref.gpkg prov.gpkg
"$NEW" synth --stations 150 --seed 11 -o pref.gpkg -q # up to 1,100 stations synth stays in Yantai
sqlite3 pref.gpkg "SELECT DISTINCT county FROM stations ORDER BY county" > pref-counties.txt
awk 'BEGIN { print "id,name,district,role" } { c[NR] = $1 } END { for (i = 0; i < 12; i++) printf "Y%02d,n%d,%s,%s\n", i, i, c[i % NR + 1], (i % 2 ? "laboratory" : "enforcement") }' \
    pref-counties.txt > pref-old.csv
compare prefecture pref.gpkg '"sample_size": 60, "strata": ["county"], "inspectors": "INSP", "workload_cap": 20,
 "window": {"start": "2026-12-01", "end": "2026-12-14"}' pref-old.csv pref-old.csv \
    '"stations_per_day": 4, "team_roles": ["enforcement", "laboratory"], "depot": {"lon": "121.447", "lat": "37.464"}' \
    --depot 121.447,37.464

# --- province ---
"$NEW" synth --stations 3000 --seed 5 -o prov.gpkg -q
# Bases: the mean position of the stations of 50 counties (one per two inspectors); districts: 100
# counties of the registry.
python3 - prov.gpkg <<'PY' > prov-new.csv
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
pos = {}
for county, geom in db.execute("SELECT county, geom FROM stations ORDER BY station_id"):
    env = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(geom[3] >> 1) & 7]
    x, y = struct.unpack('<dd' if geom[8 + env] == 1 else '>dd', geom[8 + env + 5:8 + env + 21])
    pos.setdefault(county, []).append((x, y))
counties = sorted(pos)
print("id,name,district,role,base_lon,base_lat")
for i in range(100):
    home = counties[(i * 17) % len(counties)]
    at = pos[counties[(i // 2 * 7) % len(counties)]]
    lon = sum(p[0] for p in at) / len(at)
    lat = sum(p[1] for p in at) / len(at)
    print(f"P{i:03d},n{i},{home},{'laboratory' if i % 2 else 'enforcement'},{lon:.4f},{lat:.4f}")
PY
cut -d, -f1-4 prov-new.csv > prov-old.csv
compare province prov.gpkg '"sample_size": 300, "strata": ["province"], "inspectors": "INSP", "workload_cap": 40,
 "window": {"start": "2026-11-02", "end": "2026-11-27"}' prov-old.csv prov-new.csv \
    '"stations_per_day": 5, "team_roles": ["enforcement", "laboratory"]' --inspectors prov-new.csv
