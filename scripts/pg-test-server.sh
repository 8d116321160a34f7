#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for AR Desk's tests.
#
#   scripts/pg-test-server.sh start   create and start it, print the environment the tests read
#   scripts/pg-test-server.sh stop    stop it and delete its folder
#   scripts/pg-test-server.sh env     print the environment again (after start)
#
# The cluster lives in $AR_DESK_PG_DIR (default /tmp/ar-desk-pg), listens on 127.0.0.1 port
# $AR_DESK_PG_PORT (default 55432) and trusts local connections: it exists for tests only.
# Debian's postgresql (15 or later) must be installed; the machine's own clusters are left alone.
#
#   eval "$(scripts/pg-test-server.sh start)"   # exports AR_DESK_TEST_DATABASE_URL
#   npx vitest run --project postgres
#   scripts/pg-test-server.sh stop
set -euo pipefail

DIR="${AR_DESK_PG_DIR:-${TMPDIR:-/tmp}/ar-desk-pg}"
PORT="${AR_DESK_PG_PORT:-55432}"

say() { echo "[pg-test-server] $*" >&2; }
die() { say "$*"; exit 1; }

bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)"
  echo "$d"
}

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

print_env() {
  echo "export AR_DESK_TEST_DATABASE_URL='postgres://postgres@127.0.0.1:$PORT/postgres'"
  echo "export AR_DESK_PG_DIR='$DIR'"
  echo "export AR_DESK_PG_PORT='$PORT'"
}

case "${1:-}" in
  start)
    BIN="$(bindir)"
    if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      say "already running in $DIR"
      print_env
      exit 0
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
      "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$DIR/server.log" >&2; die "the server did not start"; }
    say "running on 127.0.0.1:$PORT, data in $DIR/data"
    print_env
    ;;
  stop)
    if [ -d "$DIR/data" ]; then
      BIN="$(bindir)"
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
    ;;
  env)
    print_env
    ;;
  *)
    die "usage: $0 start|stop|env"
    ;;
esac
