#!/usr/bin/env bash
# Installs the Debian packages fuelmap needs (with sudo when not root) and configures and builds
# it. Sourced by demo.sh and test.sh; BUILD_DIR and CMAKE_ARGS may be set by the caller.
set -euo pipefail

FUELMAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$FUELMAP_ROOT/build}"
CMAKE_ARGS=("${CMAKE_ARGS[@]:-}")

PACKAGES=(
    build-essential cmake pkg-config ccache
    libboost-graph-dev libgdal-dev gdal-bin libsqlitecpp-dev libsqlite3-dev
    libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libssl-dev
    libgoogle-perftools-dev
    libcairo2-dev fonts-noto-cjk poppler-utils librsvg2-bin sqlite3 time
    nodejs chromium
    python3-qgis
    libpqxx-dev libpq-dev postgresql-15 postgresql-15-postgis-3
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "fuelmap setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

JOBS="$(nproc 2>/dev/null || echo 2)"
cmake -S "$FUELMAP_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS[@]+"${CMAKE_ARGS[@]}"} >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
