#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through ctest.
#   scripts/test.sh             the normal build (warnings are errors)
#   scripts/test.sh --sanitize  the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/test.sh --tsan      the same suite under ThreadSanitizer (build-tsan; slow: a developer
#                               tool, not run by CI; TSAN_JOBS=N sets ctest -j, default 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CMAKE_ARGS=(-DFUELMAP_WERROR=ON)
BUILD_DIR="$ROOT/build"
if [ "${1:-}" = "--sanitize" ]; then
    CMAKE_ARGS+=(-DFUELMAP_SANITIZE=ON)
    BUILD_DIR="$ROOT/build-sanitize"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
    export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    shift
elif [ "${1:-}" = "--tsan" ]; then
    CMAKE_ARGS+=(-DFUELMAP_TSAN=ON)
    BUILD_DIR="$ROOT/build-tsan"
    # halt_on_error: the first race fails its test; second_deadlock_stack: both stacks of a
    # lock-order report. The suppressions name only third-party code (see the file).
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$ROOT/tests/tsan.supp"
    # Every test runs 5-15x slower under TSan, and each one's threads need the cores.
    CTEST_JOBS="${TSAN_JOBS:-2}"
    shift
fi
source "$ROOT/scripts/setup.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j "${CTEST_JOBS:-$(nproc 2>/dev/null || echo 2)}" "$@"
