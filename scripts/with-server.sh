#!/bin/sh
# Starts `onewindow serve` on a free loopback port with a fresh demo database,
# runs the given command with OW_BASE_URL pointing at it, stops the server with
# SIGTERM and fails when the command failed, the server did not stop cleanly,
# or a sanitizer reported anything.
#
# OW_TEST_DB=postgres runs it on PostgreSQL instead of SQLite: a throwaway cluster in the
# test directory (scripts/pg.sh), and OW_TEST_NODES=2 then starts two servers on it,
# sharing the data directory (files, secret key; docs/operations.md), behind nginx
# round-robin (OW_BASE_URL is nginx's address; OW_NODE_URLS lists the nodes).
# Usage: scripts/with-server.sh BINARY [--no-demo] -- COMMAND...
set -u
bin=$1; shift
demo=--demo
if [ "${1:-}" = "--no-demo" ]; then demo=""; shift; fi
[ "${1:-}" = "--" ] && shift

dir=$(mktemp -d /tmp/onewindow-test.XXXXXX)
log="$dir/server.log"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=66:log_path=$dir/asan"
# fontconfig/cairo process-lifetime caches are not leaks of ours: tests/lsan.supp.
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$dir/ubsan"
# The server under test runs at a fixed instant in 2026 (the last year with a State
# Council holiday notice in data/calendar), so deadlines computed from "today" never run
# into a year without a calendar whatever the real date is.  Its clock then moves on
# normally from there.  OW_TEST_NOW picks another instant (ISO 8601) or `real` for the
# system clock; an explicit OW_CLOCK_OFFSET_MS wins over both.  Tests read the server's
# date from OW_CLOCK_OFFSET_MS (tests/api/lib.mjs serverNow) or GET /api/v1/meta.
if [ -z "${OW_CLOCK_OFFSET_MS:-}" ]; then
  test_now=${OW_TEST_NOW:-2026-11-24T09:00:00+08:00}
  if [ "$test_now" = real ]; then
    OW_CLOCK_OFFSET_MS=0
  else
    target_ms=$(date -d "$test_now" +%s%3N) || { echo "with-server: bad OW_TEST_NOW $test_now"; exit 1; }
    OW_CLOCK_OFFSET_MS=$((target_ms - $(date +%s%3N)))
  fi
fi
export OW_CLOCK_OFFSET_MS

root=$(cd "$(dirname "$0")/.." && pwd)
nodes=1
if [ "${OW_TEST_DB:-sqlite}" = postgres ]; then
  chmod 711 "$dir" # the cluster's owner (postgres, when we are root) must reach $dir/pg
  OW_DATABASE=$("$root/scripts/pg.sh" start "$dir/pg") || { echo "with-server: PostgreSQL did not start"; exit 1; }
  export OW_DATABASE
  export OW_PG_DATA="$dir/pg/data"
  nodes=${OW_TEST_NODES:-1}
  # behind nginx every request comes from 127.0.0.1: the nodes take the client's address
  # from the X-Forwarded-For nginx sets, as in production (docs/operations.md)
  [ "$nodes" -gt 1 ] && export OW_TRUSTED_PROXIES=127.0.0.1
fi
stop_pg() { [ -n "${OW_DATABASE:-}" ] && "$root/scripts/pg.sh" stop "$dir/pg"; }

if ! "$bin" --data-dir "$dir/var" init $demo >"$dir/init.log" 2>&1; then
  echo "with-server: init failed:"; cat "$dir/init.log"; stop_pg; exit 1
fi
# start_node N: the N-th server, its log server.log (first) or server-N.log
start_node() {
  nlog=$log; [ "$1" -gt 1 ] && nlog="$dir/server-$1.log"
  "$bin" --data-dir "$dir/var" serve --listen 127.0.0.1:0 --port-file "$dir/port-$1" >"$nlog" 2>&1 &
  npid=$!
  i=0
  while [ ! -s "$dir/port-$1" ]; do
    i=$((i + 1))
    if [ $i -gt 300 ] || ! kill -0 $npid 2>/dev/null; then
      echo "with-server: server $1 did not start:"; cat "$nlog"; stop_pg; exit 1
    fi
    sleep 0.1
  done
}
start_node 1
pid=$npid
port=$(cat "$dir/port-1")
pids=$pid
OW_NODE_URLS="http://127.0.0.1:$port"
n=2
while [ $n -le "$nodes" ]; do
  start_node $n
  pids="$pids $npid"
  OW_NODE_URLS="$OW_NODE_URLS http://127.0.0.1:$(cat "$dir/port-$n")"
  n=$((n + 1))
done
export OW_NODE_URLS
if [ "$nodes" -gt 1 ]; then
  port=$("$root/scripts/nginx-lb.sh" start "$dir/nginx" $OW_NODE_URLS) ||
    { echo "with-server: nginx did not start"; kill -TERM $pids; stop_pg; exit 1; }
fi
export OW_BASE_URL="http://127.0.0.1:$port"
export OW_DATA_DIR_UNDER_TEST="$dir/var"
export OW_SERVER_PID=$pid
export OW_SERVER_LOG="$log"
export OW_SERVER_BIN="$bin"

"$@"
status=$?

[ "$nodes" -gt 1 ] && "$root/scripts/nginx-lb.sh" stop "$dir/nginx"
for p in $pids; do
  kill -TERM $p 2>/dev/null
  wait $p
  server_status=$?
  if [ $server_status -ne 0 ]; then
    echo "with-server: server $p exited with status $server_status"
    status=1
  fi
done
stop_pg
if ls "$dir"/asan* "$dir"/ubsan* >/dev/null 2>&1; then
  echo "with-server: sanitizer reports:"; cat "$dir"/asan* "$dir"/ubsan* 2>/dev/null
  status=1
fi
if grep -q '"level":"error"' "$dir"/server*.log; then
  echo "with-server: the server logged errors:"; grep -h '"level":"error"' "$dir"/server*.log | head -20
fi
if [ $status -eq 0 ]; then rm -rf "$dir"; else echo "with-server: kept $dir for inspection"; tail -20 "$log"; fi
exit $status
