#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster: initdb in a fresh temporary directory
# (as the postgres user when we are root: initdb refuses root), listening on a Unix socket and
# 127.0.0.1 only, stopped and removed when the command ends.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "PostgreSQL is not installed (make system-deps)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/labinov-pg.XXXXXX)
PORT=${PGPORT_TEST:-$(( 54000 + RANDOM % 1000 ))}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$DIR/data" -U labinov --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-k $DIR -h 127.0.0.1 -p $PORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
as_pg "$PGBIN/createdb" -h "$DIR" -p "$PORT" -U labinov labinov
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PORT"
export DATABASE_URL="postgres://labinov@127.0.0.1:$PORT/labinov"
"$@"
