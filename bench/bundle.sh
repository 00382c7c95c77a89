#!/bin/sh
# bench/bundle.sh BINARY — bundle submission on the cases benchmark's database (issue 22;
# `make bench-cases` runs it after bench/cases.sh).
#
# On a database holding OW_BENCH_CASES (default 1,000,000) synthetic cases (`onewindow
# seed --cases N`), demo-citizen submits, each request with its own idempotency key:
#   1. the reference, measured in the same run: POST /api/v1/cases — one 内地居民结婚登记
#      (one case, its history row, audit rows, the daily number);
#   2. POST /api/v1/bundles/{id}/applications — 出生一件事: three child cases filed through
#      the cases module, the bundle's row and number, its three children, its audit row,
#      all in one writer transaction.
# Writes bench/RESULTS-bundle.md: the bundle submit's p99 against the requirement (< 50 ms,
# issue 22) and its rate as a ratio of the single-case submit's.
#   OW_BENCH_CASES=1000000  OW_BENCH_DURATION=10s  OW_BENCH_CONNECTIONS="8 64"
#   OW_BENCH_KEEP=DIR: reuse DIR's seeded database
set -eu

bin=${1:?usage: bench/bundle.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
ncases=${OW_BENCH_CASES:-1000000}
duration=${OW_BENCH_DURATION:-10s}
connections=${OW_BENCH_CONNECTIONS:-8 64}
for tool in wrk curl sqlite3 node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found (scripts/deps.sh bench)" >&2; exit 1; }
done

out="bench/out/bundle-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
out=$(cd "$out" && pwd)
data=${OW_BENCH_KEEP:-$out/var}
echo "bench: working in $out, data in $data"
if [ ! -f "$data/onewindow.db" ]; then
  "$bin" --data-dir "$data" init --demo >"$out/init.log" 2>&1 || { cat "$out/init.log"; exit 1; }
  echo "bench: seeding $ncases cases"
  "$bin" --data-dir "$data" seed --cases "$ncases" | tail -1
fi
total_cases=$(sqlite3 "$data/onewindow.db" "SELECT count(*) FROM cases")

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; return 0; }
trap cleanup EXIT INT TERM
rm -f "$out/port"
"$bin" --data-dir "$data" serve --listen 127.0.0.1:0 --port-file "$out/port" >"$out/server.log" 2>&1 &
server_pid=$!
i=0
while [ ! -s "$out/port" ]; do
  i=$((i + 1))
  [ $i -gt 300 ] && { echo "bench: server did not start"; tail "$out/server.log"; exit 1; }
  sleep 0.05
done
url="http://127.0.0.1:$(cat "$out/port")"

curl -fsS -D "$out/h" -o "$out/s.json" -H 'Content-Type: application/json' \
  -d '{"username":"demo-citizen","password":"Demo@2026"}' "$url/api/v1/session"
cookie=$(awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }' "$out/h")
csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$out/s.json")
citizen="Cookie: $cookie|X-CSRF-Token: $csrf"
item=$(curl -fsS "$url/api/v1/items?q=%E5%86%85%E5%9C%B0%E5%B1%85%E6%B0%91%E7%BB%93%E5%A9%9A%E7%99%BB%E8%AE%B0" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.find(i=>i.name==="内地居民结婚登记").id))')
bundle=$(curl -fsS "$url/api/v1/bundles" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.find(b=>b.name==="出生一件事").id))')

. bench/cases-lib.sh
birth='"form":{"child_name":"张小满","child_gender":"女","birth_date":"2026-11-20","birth_cert_no":"R430900001","address":"赫山区桃花仑街道"},"materials":["出生医学证明","父母双方居民户口簿","父母双方居民身份证","近期免冠彩色照片"]'
rows="$out/rows.md"
: >"$rows"
verdict=""
for c in $connections; do
  f="$out/wrk-case-c$c.txt"
  echo "bench: POST /api/v1/cases c$c (the reference)"
  OW_BENCH_HEADERS="$citizen" OW_BENCH_BODY="{\"item_id\":$item,\"materials\":[$mats],\"idempotency_key\":\"bc{n}\"}" \
    wrk -t1 -c"$c" -d"$duration" --latency -s bench/post.lua "$url/api/v1/cases" >"$f" 2>&1 || true
  case_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$f")
  echo "| one case \`POST /api/v1/cases\` (reference) | $c | $case_rps | $(pct_of "$f" 50%) | $(pct_of "$f" 99%) | $(errors_of "$f") |" >>"$rows"
  g="$out/wrk-bundle-c$c.txt"
  echo "bench: POST /api/v1/bundles/$bundle/applications c$c"
  OW_BENCH_HEADERS="$citizen" OW_BENCH_BODY="{$birth,\"idempotency_key\":\"bb{n}\"}" \
    wrk -t1 -c"$c" -d"$duration" --latency -s bench/post.lua "$url/api/v1/bundles/$bundle/applications" >"$g" 2>&1 || true
  b_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$g")
  b_p99=$(pct_of "$g" 99%)
  echo "| **出生一件事** \`POST /api/v1/bundles/{id}/applications\` (3 child cases) | $c | $b_rps | $(pct_of "$g" 50%) | $b_p99 | $(errors_of "$g") |" >>"$rows"
  ratio=$(awk -v a="$b_rps" -v b="$case_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')
  met=$(awk -v p="$b_p99" 'BEGIN { print (p + 0 < 50 && p != "?") ? "met" : "NOT met" }')
  verdict="$verdict- at $c connections: **$met**: bundle submit p99 $b_p99 ms (needs < 50); $b_rps bundles/s = ${ratio}× the single-case submits of the same run ($case_rps/s), each bundle filing 3 cases
"
done

{
  echo "# Bundle submission benchmark (issue 22)"
  echo
  echo "Generated by \`bench/bundle.sh BINARY\` (run by \`make bench-cases\` after bench/cases.sh; OW_BENCH_KEEP=${OW_BENCH_KEEP:-unset}) on $(date -u '+%Y-%m-%d %H:%M') UTC."
  echo
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- database: $total_cases cases before the run (\`onewindow seed --cases $ncases\` on the demo district), SQLite (WAL, synchronous=FULL, group commit)"
  echo "- load: \`wrk -t1 -c<N> -d$duration --latency\`, keep-alive, loopback, demo-citizen, a fresh idempotency key per request"
  echo
  printf '%s' "$verdict"
  echo
  echo "| endpoint | connections | req/s | p50 ms | p99 ms | failed |"
  echo "|---|---:|---:|---:|---:|---:|"
  cat "$rows"
  echo
  echo "Raw wrk output: bench/out/$(basename "$out")/ (not committed)."
} >bench/RESULTS-bundle.md
cat bench/RESULTS-bundle.md
