#!/usr/bin/env bash
# A throwaway PostgreSQL/PostGIS server for the test suite (docs/registry.md, "PostgreSQL/PostGIS").
#   scripts/pg_test_server.sh start DIR   creates a cluster in DIR/data and starts it; prints the
#                                         connection (PG:host=DIR port=5432 user=fuelmap dbname=postgres)
#   scripts/pg_test_server.sh stop DIR    stops it and removes DIR
# The server listens on a Unix socket in DIR only (no TCP), trusts local connections of its one
# role `fuelmap` (a superuser of this cluster only) and keeps its data in DIR. PostgreSQL refuses to
# run as root: as root the cluster belongs to `nobody`. A cluster left behind by a killed run in
# the same DIR is stopped and replaced by `start`.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
ACTION="$1"
DIR="$2"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac

PG_BIN="${PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && PG_BIN="$candidate"
    done
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "$0: PostgreSQL server programs not found (install postgresql-15; scripts/setup.sh does)" >&2
    exit 2
fi

# Runs a server program as the cluster's owner: nobody when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

stop_server() {
    if [ -f "$DIR/data/postmaster.pid" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
}

case "$ACTION" in
start)
    stop_server
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$DIR"; fi
    as_owner "$PG_BIN/initdb" -D "$DIR/data" -U fuelmap --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
    }
    # Many test processes at once (concurrent writers), little memory, no durability needed.
    as_owner "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $DIR -p 5432 -c max_connections=200 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB" start >/dev/null || {
        cat "$DIR/server.log" >&2
        exit 1
    }
    echo "PG:host=$DIR port=5432 user=fuelmap dbname=postgres"
    ;;
stop)
    stop_server
    ;;
*)
    usage
    ;;
esac
