#!/usr/bin/env bash
# Installs what is missing, builds, and runs fuelmap's main job on the bundled example registry:
# import the example layouts, validate them, plan a verifiable sampling round, verify the plan,
# draw the inspectors' site plans and check the ledger. Everything is written to out/demo/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
FUELMAP="$BUILD_DIR/fuelmap"
OUT="$ROOT/out/demo"
rm -rf "$OUT"
mkdir -p "$OUT"
REG="$OUT/registry.gpkg"
DESIGN="$ROOT/maps/rounds/2026-12.design.json"

echo "== 1. import the example layouts (maps/example, 30 synthetic stations) into $REG"
"$FUELMAP" import "$ROOT/maps/example" -r "$REG" --quiet

echo "== 2. validate every station"
"$FUELMAP" validate -r "$REG" --quiet | tail -n 1

echo "== 3. before the round: publish the registry digest, the design and the seed commitment"
"$FUELMAP" seed new -o "$OUT/seed.txt"
"$FUELMAP" plan -r "$REG" --design "$DESIGN" --frame-digest

echo "== 4. after the reveal: draw the round"
"$FUELMAP" plan -r "$REG" --design "$DESIGN" --seed-file "$OUT/seed.txt" -o "$OUT/plan.json" \
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

echo "== 8. the laboratory's results of the samples (example values, one planted failure)"
node "$ROOT/scripts/demo_lab_results.js" "$OUT/plan.json" > "$OUT/lab.csv"
"$FUELMAP" lab -r "$REG" "$OUT/lab.csv"

echo "== 9. the round in public: a static site with the plan, results, statistics and a verifier"
"$FUELMAP" publish -r "$REG" --round YT-2026-12 -o "$OUT/site" --lang zh | head -n 1
# Headless Chromium opens it from file:// with no network; the page verifies the plan on load.
chromium --headless --no-sandbox --disable-gpu --proxy-server=127.0.0.1:9 --virtual-time-budget=20000 \
    --dump-dom "file://$OUT/site/index.html" 2>/dev/null | grep -o 'data-status="[a-z]*"' | head -n 1 |
    sed 's/^/in the browser: verify-result /'

echo "== 10. the registry's hash-chained ledger (the plan, every observation and lab result)"
"$FUELMAP" ledger verify -r "$REG"

echo
echo "Output is in $OUT:"
echo "  registry.gpkg     the registry (open it in QGIS as it is)"
echo "  plan.json         the published plan; teams/ a field list per team-day (TEAM_DATE.csv, stations in visiting order); selected.geojson"
echo "  diagrams/         a numbered site plan of every station (SVG)"
echo "  routes/           each team's route with the nozzles and tanks to sample highlighted (PDF)"
echo "  overview/         the round's overview map"
echo "  audit.txt         the audit of station 370602-0002 against the example observations"
echo "  lab.csv           the example lab results recorded for the round"
echo "  site/             the round's public site: open site/index.html (it verifies the plan in the browser)"
