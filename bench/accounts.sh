#!/bin/sh
# Account benchmarks in detail (issue 4 and the write figures of issue 2).  `make
# bench` (bench/run.sh) measures the same two cases (bench/cases.txt: signin,
# org-rename@demo-admin) next to the others; this script runs each on a server of
# its own, so the writer's group-commit figures ("stopped" log line: batches, jobs,
# max_batch) belong to that case alone:
#   1. sign-ins per second, and per core (the argon2id pool has one thread per core);
#      wrk's timeout is 10 s so queued sign-ins count as slow, not as errors
#   2. a cheap real write, PUT /api/v1/orgs/{id} by demo-admin (one writer job and an
#      audit row each): requests per second, jobs per batch, and the audit chain after.
# Usage: bench/accounts.sh BINARY [SECONDS] [CONNECTIONS]      (Release build)
set -eu
bin=$1
secs=${2:-10}
conns=${3:-16}
here=$(cd "$(dirname "$0")" && pwd)
cores=$(nproc)

start_server() {
  dir=$(mktemp -d /tmp/onewindow-bench.XXXXXX)
  "$bin" --data-dir "$dir/var" init --demo >"$dir/init.log" 2>&1
  "$bin" --data-dir "$dir/var" serve --listen 127.0.0.1:0 --port-file "$dir/port" >"$dir/server.log" 2>&1 &
  pid=$!
  i=0
  while [ ! -s "$dir/port" ]; do
    i=$((i + 1)); [ $i -gt 300 ] && { echo "server did not start"; cat "$dir/server.log"; exit 1; }
    sleep 0.1
  done
  url="http://127.0.0.1:$(cat "$dir/port")"
}

stop_server() {
  kill -TERM "$pid"; wait "$pid" || true
  stopped=$(grep '"stopped"' "$dir/server.log" | tail -1)
  rm -rf "$dir"
}

field() { # field NAME JSONLINE
  echo "$2" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }

echo "# onewindow account benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $cores cores, ${secs}s, $conns connections"

# ---- 0. what the machine can hash right now (shared machines: the yardstick) ----
capacity=""
lib="$(dirname "$bin")/libowlib.a"
if [ -f "$lib" ] && command -v cc >/dev/null 2>&1; then
  tool=$(mktemp /tmp/onewindow-pwcap.XXXXXX)
  if cc -O2 -std=c17 -D_GNU_SOURCE -I"$here/../src" "$here/pw_capacity.c" "$lib" \
       $(pkg-config --libs libsodium) -lpthread -o "$tool" 2>/dev/null; then
    capacity=$("$tool" "$cores" 5)
  fi
  rm -f "$tool"
fi

# ---- 1. sign-in ----
start_server
OW_BENCH_METHOD=POST OW_BENCH_BODY='{"username":"demo-citizen","password":"Demo@2026"}' \
  wrk -t 1 -c "$conns" -d "${secs}s" --timeout 10s --latency -s "$here/post.lua" "$url/api/v1/session" >"$dir/wrk-signin.txt"
signin=$(rps <"$dir/wrk-signin.txt")
signin_p99=$(sed -n 's/^ *99% *\([0-9.a-z]*\).*/\1/p' "$dir/wrk-signin.txt")
signin_non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$dir/wrk-signin.txt")
stop_server
per_core=$(echo "$signin $cores" | awk '{printf "%.1f", $1 / $2}')
[ -n "$capacity" ] && echo "argon2id capacity just before: $capacity verifies/s with $cores threads" \
  "(ow_pw_verify alone); sign-in reached $(echo "$signin $capacity" | awk '{printf "%.0f", 100 * $1 / $2}')% of it"
echo "sign-in: $signin/s, $per_core/s per core (pool of $cores), p99 $signin_p99, non-2xx ${signin_non2xx:-0};" \
     "writer batches $(field batches "$stopped") jobs $(field jobs "$stopped") max_batch $(field max_batch "$stopped")"

# ---- 2. organisation rename ----
start_server
resp=$(curl -s -D "$dir/h" -H 'Content-Type: application/json' \
  -d '{"username":"demo-admin","password":"Demo@2026"}' "$url/api/v1/session")
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(ow_session=[^;]*\).*/\1/p' "$dir/h")
csrf=$(echo "$resp" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
org=$(curl -s "$url/api/v1/orgs?kind=window" | sed -n 's/^{"items":\[{"id":\([0-9]*\),.*/\1/p')
[ -n "$cookie" ] && [ -n "$csrf" ] && [ -n "$org" ] || { echo "bench setup failed: $resp"; exit 1; }
OW_BENCH_METHOD=PUT OW_BENCH_BODY='{"name":"基准测试窗口{n}"}' OW_BENCH_HEADERS="Cookie: $cookie|X-CSRF-Token: $csrf" \
  wrk -t 1 -c "$conns" -d "${secs}s" --latency -s "$here/post.lua" "$url/api/v1/orgs/$org" >"$dir/wrk-rename.txt"
rename=$(rps <"$dir/wrk-rename.txt")
rename_p99=$(sed -n 's/^ *99% *\([0-9.a-z]*\).*/\1/p' "$dir/wrk-rename.txt")
rename_non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$dir/wrk-rename.txt")
audit_rows=$("$bin" --data-dir "$dir/var" audit verify | sed -n 's/.*intact: \([0-9]*\) rows.*/\1/p')
stop_server
b=$(field batches "$stopped"); j=$(field jobs "$stopped")
echo "org rename (PUT /api/v1/orgs/{id}): $rename/s, p99 $rename_p99, non-2xx ${rename_non2xx:-0}; writer batches $b" \
     "jobs $j ($(echo "$j $b" | awk '{printf "%.1f", $1 / ($2 ? $2 : 1)}') jobs/batch) max_batch $(field max_batch "$stopped");" \
     "audit chain intact with $audit_rows rows"
