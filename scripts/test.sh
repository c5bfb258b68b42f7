#!/usr/bin/env bash
# Runs the whole test suite: a private PostgreSQL on loopback for the database tests,
# then the import-layer contracts and pytest. Exit code 5 (no tests ran) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PGPORT=${REPORTSCORE_PG_PORT:-54329}
PGROOT=$(mktemp -d /tmp/reportscore-pg.XXXXXX)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
stop_pg() { :; }
if [ -n "${PGBIN}" ] && [ -x "${PGBIN}/initdb" ]; then
  RUN=""
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PGROOT"
    RUN="runuser -u postgres --"
  fi
  $RUN "$PGBIN/initdb" -D "$PGROOT/data" -A trust -U postgres -E UTF8 >"$PGROOT/initdb.log" 2>&1 \
    && $RUN "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w \
         -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    && $RUN "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres reportscore_test \
    && export REPORTSCORE_TEST_PG_URL="postgresql+psycopg2://postgres@127.0.0.1:$PGPORT/reportscore_test"
  stop_pg() { $RUN "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true; }
  [ -n "${REPORTSCORE_TEST_PG_URL:-}" ] && echo "test: PostgreSQL on 127.0.0.1:$PGPORT" || { echo "test: PostgreSQL did not start"; cat "$PGROOT"/*.log; }
fi
trap stop_pg EXIT

.venv/bin/lint-imports || exit 1
.venv/bin/python -m pytest "$@"
rc=$?
if [ $rc -eq 5 ]; then
  echo "test: pytest collected no tests: failing"
  exit 1
fi
exit $rc
