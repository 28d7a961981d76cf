#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through ctest.
#   scripts/test.sh             the normal build (warnings are errors)
#   scripts/test.sh --sanitize  the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
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
fi
source "$ROOT/scripts/setup.sh"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
