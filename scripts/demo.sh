#!/usr/bin/env bash
# Installs what is missing, builds, and runs fuelmap's main job on the bundled example registry:
# import the example layouts, validate them, plan a verifiable sampling round, verify the plan,
# draw the inspectors' site plans, record observations and lab results, audit the round, follow
# every failed batch through its case to closure, plan the next round from the cases and check the
# ledger. Everything is written to out/demo/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
FUELMAP="$BUILD_DIR/fuelmap"
OUT="$ROOT/out/demo"
rm -rf "$OUT"
mkdir -p "$OUT"
REG="$OUT/registry.gpkg"
DESIGN="$ROOT/maps/rounds/2026-12.design.json"
# A real round makes its seed with `fuelmap seed new` (below) and publishes the commitment first. The
# demo draws with the example round's published seed, so that the example lab results
# (maps/rounds/lab-2026-12.csv) name the samples its plan draws.
SEED="$ROOT/maps/rounds/2026-12.seed.txt"
ACTORS="$ROOT/maps/rounds/actors.csv"

echo "== 1. import the example layouts (maps/example, 30 synthetic stations) into $REG"
"$FUELMAP" import "$ROOT/maps/example" -r "$REG" --quiet

echo "== 2. validate every station"
"$FUELMAP" validate -r "$REG" --quiet | tail -n 1

echo "== 3. before the round: publish the registry digest, the design and the seed commitment"
"$FUELMAP" seed new -o "$OUT/seed.txt"
"$FUELMAP" plan -r "$REG" --design "$DESIGN" --frame-digest

echo "== 4. after the reveal: draw the round"
"$FUELMAP" plan -r "$REG" --design "$DESIGN" --seed-file "$SEED" -o "$OUT/plan.json" \
    --csv-dir "$OUT/teams" --geojson "$OUT/selected.geojson"

echo "== 5. anyone can verify the published plan"
"$FUELMAP" verify "$OUT/plan.json" -r "$REG"

echo "== 6. site plans for the inspectors: one SVG per station, one PDF route per team, the overview"
"$FUELMAP" diagram -r "$REG" -o "$OUT/diagrams" --format svg --lang zh --quiet
"$FUELMAP" diagram -r "$REG" --plan "$OUT/plan.json" -o "$OUT/routes" --format pdf --lang zh --quiet
"$FUELMAP" diagram -r "$REG" --plan "$OUT/plan.json" --overview -o "$OUT/overview" --format svg --quiet

echo "== 7. on site: inspectors record which tank each nozzle really draws from; the audit compares"
"$FUELMAP" observe -r "$REG" "$ROOT/maps/rounds/observations.csv" --quiet
# The example observations plant a cross-connection and a hidden tank: audit exits 1 on them.
"$FUELMAP" audit -r "$REG" 370602-0002 --problems | tee "$OUT/audit.txt" || [ $? -eq 1 ]

echo "== 8. the lab's results of the round's samples; the audit of the round (exit 1: failed batches)"
"$FUELMAP" lab -r "$REG" "$ROOT/maps/rounds/lab-2026-12.csv"
"$FUELMAP" audit -r "$REG" --round YT-2026-12 --problems > "$OUT/audit-round.txt" || [ $? -eq 1 ]
tail -n 1 "$OUT/audit-round.txt"

echo "== 9. follow-up cases (后处理): one per failed batch, every step dated, attributed, in the ledger"
"$FUELMAP" case open -r "$REG" --round YT-2026-12 --date 2026-12-20 --actor YT-AMR \
    --doc "烟市监抽〔2026〕12号" --actors "$ACTORS"
step() { "$FUELMAP" case advance -r "$REG" "$1" --step "$2" --date "$3" --actor "$4" --doc "$5" \
    --actors "$ACTORS" "${@:6}"; }
C1="YT-2026-12/370602-0001/92#"   # non-conforming: objection, retest confirms, rectified, penalty
step "$C1" delivered 2026-12-21 YT-07 "送达回证 2026-0101"
step "$C1" objection 2027-01-04 YT-AMR "异议申请 2027-001"
step "$C1" retest 2027-01-08 YT-LAB "复检报告 2027-0003" --property RON --method "GB/T 5487" --value 91.1
step "$C1" disposal 2027-01-09 YT-07 "查封扣押决定书 2027-004"
step "$C1" rectification 2027-01-10 YT-AMR "责令整改通知书 2027-005" --deadline 2027-02-14
"$FUELMAP" case overdue -r "$REG" --on 2027-02-15 || [ $? -eq 1 ]
step "$C1" recheck 2027-02-10 YT-03 "复查记录 2027-006" --outcome pass
step "$C1" penalty 2027-02-20 YT-AMR-LEGAL "行政处罚决定书 2027-007"
step "$C1" reported 2027-02-25 YT-AMR "报告 2027-008"
step "$C1" published 2027-03-01 YT-AMR "公告 2027-009"
step "$C1" closed 2027-03-02 YT-AMR "结案 2027-010"
C2="YT-2026-12/370602-0002/95#"   # cross-connection + different fuel: the retest conforms, which
# withdraws the lab finding only; the cross-connection seen on site is rectified and re-inspected
step "$C2" delivered 2026-12-21 YT-07 "送达回证 2026-0102"
step "$C2" objection 2026-12-28 YT-AMR "异议申请 2027-002"
step "$C2" retest 2027-01-05 YT-LAB "复检报告 2027-0004" --property RON --method "GB/T 5487" --value 95.2
step "$C2" disposal 2027-01-06 YT-07 "查封扣押决定书 2027-011"
step "$C2" rectification 2027-01-06 YT-AMR "责令整改通知书 2027-019" --deadline 2027-01-20
step "$C2" recheck 2027-01-19 YT-03 "复查记录（管线核查）2027-020" --outcome pass
step "$C2" reported 2027-01-21 YT-AMR "报告 2027-021"
step "$C2" published 2027-01-22 YT-AMR "公告 2027-022"
step "$C2" closed 2027-01-23 YT-AMR "结案 2027-023"
C3="YT-2026-12/370602-0002/0#"    # hidden tank: the re-check fails, the case is referred
step "$C3" delivered 2026-12-21 YT-07 "送达回证 2026-0103"
step "$C3" disposal 2027-01-06 YT-07 "查封扣押决定书 2027-012"
step "$C3" rectification 2027-01-07 YT-AMR "责令整改通知书 2027-013" --deadline 2027-01-31
step "$C3" recheck 2027-02-01 YT-03 "复查记录 2027-014" --outcome fail
step "$C3" referral 2027-02-03 YT-PSB "移送函 2027-015"
step "$C3" reported 2027-02-04 YT-AMR "报告 2027-016"
step "$C3" published 2027-02-05 YT-AMR "公告 2027-017"
step "$C3" closed 2027-02-06 YT-AMR "结案 2027-018"
"$FUELMAP" case list -r "$REG"
"$FUELMAP" case show -r "$REG" "$C1" > "$OUT/case.txt"
"$FUELMAP" stats -r "$REG" --round YT-2026-12 | sed -n '/follow-up cases/,$p'

echo "== 10. the next round: 370602-0002 failed its re-check, so it is a certainty pick (certainty_from_cases)"
printf '{"round": "YT-2027-03", "sample_size": 4, "certainty_from_cases": "2027-03-10"}\n' > "$OUT/next.design.json"
"$FUELMAP" plan -r "$REG" --design "$OUT/next.design.json" --seed-file "$OUT/seed.txt" \
    -o "$OUT/next-plan.json" --dry-run | head -n 1

echo "== 11. the round in public: a static site with the plan, results, cases, statistics and a verifier"
"$FUELMAP" publish -r "$REG" --round YT-2026-12 -o "$OUT/site" --lang zh | head -n 1
# Headless Chromium opens it from file:// with no network; the page verifies the plan on load.
chromium --headless --no-sandbox --disable-gpu --proxy-server=127.0.0.1:9 --virtual-time-budget=20000 \
    --dump-dom "file://$OUT/site/index.html" 2>/dev/null | grep -o 'data-status="[a-z]*"' | head -n 1 |
    sed 's/^/in the browser: verify-result /'

echo "== 12. the registry's hash-chained ledger (the plan, every observation, result, case and step)"
"$FUELMAP" ledger verify -r "$REG"

echo
echo "Output is in $OUT:"
echo "  registry.gpkg     the registry (open it in QGIS as it is)"
echo "  plan.json         the published plan; teams/ a field list per team-day (TEAM_DATE.csv, stations in visiting order); selected.geojson"
echo "  diagrams/         a numbered site plan of every station (SVG)"
echo "  routes/           each team's route with the nozzles and tanks to sample highlighted (PDF)"
echo "  overview/         the round's overview map"
echo "  audit.txt         the audit of station 370602-0002 against the example observations"
echo "  audit-round.txt   the audit of the round with the example lab results (three failed batches)"
echo "  case.txt          case YT-2026-12/370602-0001/92# from opening to closure"
echo "  site/             the round's public site: open site/index.html (it verifies the plan in the browser)"
