#!/usr/bin/env bash
# The whole suite: SQLite and a throw-away PostgreSQL 15 side by side (two processes on two cores),
# then the browser tests on SQLite. Exits non-zero if any part failed; every part always runs.
set -uo pipefail
PY=${1:?usage: test-all.sh PYTHON}
cd "$(dirname "$0")/.."
mkdir -p var
PG_LOG=var/test-postgres.log
bash scripts/with-postgres.sh "$PY" -m pytest -q -p no:cacheprovider -m "not e2e" > "$PG_LOG" 2>&1 &
pg=$!
"$PY" -m pytest -q -p no:cacheprovider -m "not e2e"
sqlite=$?
wait "$pg"
postgres=$?
echo
echo "== PostgreSQL run (full log: $PG_LOG) =="
tail -n 40 "$PG_LOG"
echo
echo "== browser tests (SQLite) =="
"$PY" -m pytest -q -p no:cacheprovider -m e2e
e2e=$?
echo
echo "SQLite: exit $sqlite; PostgreSQL: exit $postgres; browser: exit $e2e"
[ "$sqlite" -eq 0 ] && [ "$postgres" -eq 0 ] && [ "$e2e" -eq 0 ]
