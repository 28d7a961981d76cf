#!/usr/bin/env bash
# Mutation fuzzer for fuelmap's inputs; see tests/fuzz/README.md.
# Usage: tests/fuzz/mutate.sh FUELMAP [RUNS=500] [OUT=fuzz-findings]
set -euo pipefail
runs=${2:-500}
out=$(realpath -m "${3:-fuzz-findings}")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
# A copy of the binary: a rebuild during a long run must not make runs fail with exit 126.
cp "$1" "$work/fuelmap"
fuelmap="$work/fuelmap"

"$fuelmap" synth --stations 20 --seed 7 -o "$work/reg.gpkg" >/dev/null
"$fuelmap" export -r "$work/reg.gpkg" --layer stations -o "$work/stations.geojson" -q
cp "$root/maps/rounds/observations.csv" "$root/maps/rounds/2026-12.design.json" \
   "$root/maps/rounds/inspectors.csv" "$root/maps/osm_mapping.json" "$work/"

# One mutation of file $1 into $2, chosen by the run number $3.
mutate() {
    python3 - "$1" "$2" "$3" <<'PY'
import random, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(n)
data = bytearray(open(src, 'rb').read())
for _ in range(rng.randint(1, 8)):
    op = rng.randrange(7)
    at = rng.randrange(len(data) + 1) if data else 0
    if op == 0 and data:
        data[min(at, len(data) - 1)] = rng.randrange(256)
    elif op == 1:
        data[at:at] = bytes([rng.choice(b'\0=+-@\t\r"{}[],:\\\n')])
    elif op == 2 and data:
        del data[at:at + rng.randint(1, 16)]
    elif op == 3:
        piece = data[at:at + rng.randint(1, 64)]
        data[at:at] = piece * rng.randint(1, 4)
    elif op == 4:
        data = data[:at]
    elif op == 5:
        data[at:at] = rng.choice([b'2026-02-30', b'1e26', b'100000000000000000000000000', b'\\u0000',
                                  b'"round": "x", ', b'[[[[[[[[', b'=HYPERLINK("x")', b'\xff\xfe'])
    else:
        data[at:at] = str(rng.randint(-2**70, 2**70)).encode()
open(dst, 'wb').write(bytes(data))
PY
}

kept=0
for ((i = 1; i <= runs; i++)); do
    case $((i % 4)) in
    0) input=observations.csv; args=(observe -r "$work/try.gpkg" "$work/in.csv") ;;
    1) input=2026-12.design.json; args=(plan -r "$work/try.gpkg" --design "$work/in.json" --seed ab -o "$work/p.json" --dry-run) ;;
    2) input=osm_mapping.json; args=(import "$work/stations.geojson" -r "$work/new.gpkg" --mapping "$work/in.json") ;;
    3) input=stations.geojson; args=(import "$work/in.geojson" -r "$work/new.gpkg") ;;
    esac
    ext=${input##*.}
    mutate "$work/$input" "$work/in.$ext" "$i"
    cp "$work/reg.gpkg" "$work/try.gpkg"
    rm -f "$work/new.gpkg" "$work/p.json"
    set +e
    (cd "$work" && timeout 20 "$fuelmap" "${args[@]}" >/dev/null 2>"$work/err")
    rc=$?
    set -e
    bad=""
    if [ $rc -eq 124 ]; then bad="hang"
    elif [ $rc -gt 2 ]; then bad="exit-$rc"
    elif [ $rc -eq 2 ] && ! grep -q "error:" "$work/err"; then bad="silent-exit-2"
    fi
    if [ -n "$bad" ]; then
        kept=$((kept + 1))
        cp "$work/in.$ext" "$out/$i-$bad.$ext"
        printf '%s\n' "${args[*]}" > "$out/$i-$bad.cmd"
        cp "$work/err" "$out/$i-$bad.err"
    fi
done
echo "mutate.sh: $runs runs, $kept kept in $out"
[ $kept -eq 0 ]
