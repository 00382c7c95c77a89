#!/bin/sh
# tests/pg/assessment-store.sh — every store function of the assessment, the work plans
# and the inspections (src/store/assessment_*store, workplan_store, inspection_store) run
# against PostgreSQL 15: a scratch cluster, the other modules' tables as stand-ins
# (stub_schema.sql, until db/migrations-pg holds their twins), db/migrations-pg/0023, then
# assessment_store_pg.c.  Not part of `make test` (it needs a PostgreSQL server binary);
# run it by hand after changing that SQL:  tests/pg/assessment-store.sh [build-dir]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-asan}
dir=$(mktemp -d /tmp/ow-pg.XXXXXX)
chown nobody "$dir" 2>/dev/null || true
as() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as "initdb -D $dir/data -A trust -U postgres" >/dev/null
as "pg_ctl -D $dir/data -o '-p 55439 -k $dir -c listen_addresses=' -l $dir/log start" >/dev/null
trap 'as "pg_ctl -D $dir/data stop -m fast" >/dev/null; rm -rf "$dir"' EXIT
sleep 1
psql -h "$dir" -p 55439 -U postgres -v ON_ERROR_STOP=1 -q -f "$root/tests/pg/stub_schema.sql"
psql -h "$dir" -p 55439 -U postgres -v ON_ERROR_STOP=1 -q -1 -f "$root/db/migrations-pg/0023_assessment.sql"
sed "s|host=/tmp/pgx|host=$dir|" "$root/tests/pg/assessment_store_pg.c" >"$dir/h.c"
cc -std=c17 -D_GNU_SOURCE -I"$root/src" "$dir/h.c" "$build/libowlib.a" \
  $(pkg-config --libs libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter pangocairo libqrencode libzip expat) \
  -lpthread -lm -o "$dir/h" $( [ -d "$build" ] && grep -q "OW_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null && echo -fsanitize=address,undefined )
"$dir/h"
