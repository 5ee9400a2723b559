#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite: its own data folder, on localhost only, on its own port.
#
#   .ci/postgres.sh start   create the folder (first time), start the server, create the test role and
#                           database; prints the URL to give the tests as PUTUO_TEST_DATABASE_URL
#   .ci/postgres.sh url     print that URL
#   .ci/postgres.sh stop    stop the server (the folder stays; `start` reuses it)
#   .ci/postgres.sh status  say whether it runs
#
# Both start and stop may be run again at any time. Settings (environment):
#   PUTUO_PG_DIR   the data folder             (default /tmp/putuo-ci-postgres)
#   PUTUO_PG_PORT  the port on 127.0.0.1       (default 55432)
#   PUTUO_PG_BIN   the folder of initdb/pg_ctl (default: the newest /usr/lib/postgresql/*/bin, else PATH)
# PostgreSQL refuses to run as root: run as root, the server runs as the `postgres` user (made by the
# Debian package; created here if missing). The server is for tests only: no password (trust on
# 127.0.0.1), no fsync.
set -euo pipefail

PG_DIR="${PUTUO_PG_DIR:-/tmp/putuo-ci-postgres}"
PG_PORT="${PUTUO_PG_PORT:-55432}"
PG_ROLE="putuo"
PG_DATABASE="putuo_test"
DATA="$PG_DIR/data"
LOG="$PG_DIR/server.log"

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
    if [ -n "${PUTUO_PG_BIN:-}" ]; then
        [ -x "$PUTUO_PG_BIN/pg_ctl" ] || die "PUTUO_PG_BIN=$PUTUO_PG_BIN has no pg_ctl"
        echo "$PUTUO_PG_BIN"; return
    fi
    local newest
    newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$newest" ] && [ -x "$newest/pg_ctl" ]; then echo "$newest"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    die "no PostgreSQL server found: install it (Debian: apt-get install postgresql) or set PUTUO_PG_BIN"
}

# Runs a command as the server's owner: this user, or `postgres` when this is root.
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
    else
        "$@"
    fi
}

url() { echo "postgresql+psycopg://$PG_ROLE@127.0.0.1:$PG_PORT/$PG_DATABASE"; }

running() { [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir "$PG_DIR" --shell /bin/sh postgres || die "cannot create the postgres user"
    fi
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = "0" ]; then chown postgres "$PG_DIR"; fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed in $DATA (log above)"; }
    fi
    if running; then
        echo "postgres.sh: already running on port $PG_PORT ($DATA)" >&2
    else
        if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
            die "port $PG_PORT on 127.0.0.1 is taken by another program: choose another with PUTUO_PG_PORT"
        fi
        # The socket goes into the data folder, so no system folder (/var/run/postgresql) is needed.
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-h 127.0.0.1 -p $PG_PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null || { tail -n 20 "$LOG" >&2 || true; die "the server did not start (log: $LOG)"; }
    fi
    local psql=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
    if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != "1" ]; then
        # CREATEDB: the test fixtures make a database per test from a migrated template.
        "${psql[@]}" -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB" || die "cannot create the role $PG_ROLE"
    fi
    if [ "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != "1" ]; then
        "${psql[@]}" -c "CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE" || die "cannot create the database $PG_DATABASE"
    fi
    url
}

stop() {
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || die "the server in $DATA did not stop (log: $LOG)"
        echo "postgres.sh: stopped ($DATA)" >&2
    else
        echo "postgres.sh: not running ($DATA)" >&2
    fi
}

BIN="$(find_bin)"
case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    status) if running; then echo "running on port $PG_PORT ($DATA)"; else echo "not running ($DATA)"; exit 3; fi ;;
    *) die "usage: $0 start|stop|url|status" ;;
esac
