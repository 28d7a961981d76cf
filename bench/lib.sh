#!/usr/bin/env bash
# Helpers shared by the bench scripts (sourced, not run): timing a command with GNU time and
# printing ratios.
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "needs GNU time (Debian package 'time')" >&2; exit 2; }

# Runs a command under GNU time; prints "seconds peak_MiB" of it. Its standard output and error go
# to $WORK/last.out and $WORK/last.err (WORK must be set); on failure prints them and returns 1.
measure() {
    local log="$WORK/time.log"
    "$TIME" -f "%e %M" -o "$log" "$@" >"$WORK/last.out" 2>"$WORK/last.err" || {
        echo "failed: $*" >&2; cat "$WORK/last.err" >&2; return 1; }
    awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$log"
}

# Runs a command (its standard output discarded); prints its CPU seconds (user + system). When the
# command fails, prints what it said and returns 1 (a bench script under `set -e` stops there).
cpu() {
    local out
    out=$( { "$TIME" -f '%U %S' "$@" > /dev/null; } 2>&1) || {
        echo "failed: $*" >&2; echo "$out" >&2; return 1; }
    echo "$out" | tail -1 | awk '{ printf "%.2f", $1 + $2 }'
}

# Prints a / b with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
