#!/usr/bin/env bash
# Two writers at once, many times: repeats the two-writer tests (every pair of import --append,
# observe, lab and plan on a registry of 20,000 stations, with and without waiting for the lock)
# ROUNDS times and reports the failures. Usage: bench/two_writers.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-10}
"$BUILD/tests/fuelmap_cli_tests" --gtest_filter='TwoWriters.*' --gtest_repeat="$ROUNDS" \
    --gtest_brief=1 2>&1 | tail -20
