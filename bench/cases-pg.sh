#!/bin/sh
# bench/cases-pg.sh BINARY — the PostgreSQL run of the cases benchmark (issue 16's "bench"),
# run by `make bench-cases` right after bench/cases.sh (the SQLite run) in the same run.
#
# On a throwaway PostgreSQL 15 cluster with production durability (scripts/pg.sh: fsync=on,
# synchronous_commit=on) holding OW_BENCH_PG_CASES synthetic cases (`onewindow seed`, the
# same generator as the SQLite run, straight into PostgreSQL):
#   1. the reference: `pgbench` running a one-row INSERT transaction (its own table, each
#      statement its own transaction, synchronous_commit=on) on the same cluster at the
#      same concurrency as the submits;
#   2. POST /api/v1/cases — durable online submits through two onewindow nodes sharing the
#      database and the data directory (docs/operations.md), the load generator split
#      across both nodes' ports (half the connections each; req/s added, p99 the worse
#      of the two);
#   3. GET /api/v1/cases?queue=review — demo-approver's department queue, split the same
#      way;
#   4. GET /api/v1/stats/cases for the last full month (by department), demo-supervisor,
#      at OW_BENCH_STATS_CONNECTIONS' first count (the requirement's row of the SQLite run).
# Appends a PostgreSQL section to bench/RESULTS-cases.md (which bench/cases.sh has just
# written) with the verdicts of issue 16 — submits ≥ 1.0× pgbench, review queue p99 <
# 20 ms, month statistics p99 < 200 ms — and, when OW_BENCH_PREVIOUS names the
# RESULTS-cases.md of the run before, one table comparing the SQLite figures with it.
#   OW_BENCH_PG_CASES=1000000  OW_BENCH_DURATION=10s  OW_BENCH_PG_CONNECTIONS=64
#   OW_BENCH_STATS_CONNECTIONS="8 …"  OW_BENCH_PREVIOUS=FILE
set -eu

bin=${1:?usage: bench/cases-pg.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
ncases=${OW_BENCH_PG_CASES:-1000000}
duration=${OW_BENCH_DURATION:-10s}
conns=${OW_BENCH_PG_CONNECTIONS:-64}
stats_c=$(echo "${OW_BENCH_STATS_CONNECTIONS:-8}" | awk '{ print $1 }')
previous=${OW_BENCH_PREVIOUS:-}
for tool in wrk curl node pgbench; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found (scripts/deps.sh bench)" >&2; exit 1; }
done
[ -f bench/RESULTS-cases.md ] || { echo "bench: run bench/cases.sh first" >&2; exit 1; }

out="$root/bench/out/cases-pg-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
data="$out/var"
pgdir="$out/pg"
psql=/usr/lib/postgresql/15/bin/psql
pids=""
cleanup() {
  for p in $pids; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  scripts/pg.sh stop "$pgdir"
  return 0
}
trap cleanup EXIT INT TERM
echo "bench: PostgreSQL run in $out"
# Loading the synthetic cases is not what is measured: it runs with fsync and synchronous
# commit off; the cluster is then stopped (a checkpoint) and started again with the
# production settings of scripts/pg.sh for everything measured.
pg_url=$(PG_OPTS="-c fsync=off -c synchronous_commit=off" scripts/pg.sh start "$pgdir")
pg_port=$(cat "$pgdir/port")
export OW_DATABASE="$pg_url"
q() { "$psql" -h 127.0.0.1 -p "$pg_port" -U onewindow -d onewindow -qAt -c "$1"; }

"$bin" --data-dir "$data" init --demo >"$out/init.log" 2>&1 || { cat "$out/init.log"; exit 1; }
echo "bench: seeding $ncases cases into PostgreSQL"
t0=$(date +%s)
"$bin" --data-dir "$data" seed --cases "$ncases" | tail -1
seed_s=$(($(date +%s) - t0))
scripts/pg.sh stop "$pgdir"
PG_OPTS="" scripts/pg.sh start "$pgdir" "$pg_port" >/dev/null
q "ANALYZE" >/dev/null
total_cases=$(q "SELECT count(*) FROM cases")
review_open=$(q "SELECT count(*) FROM cases WHERE dept_id = (SELECT id FROM orgs WHERE code = 'D05')
  AND state IN ('review', 'suspended')")
settings=$(q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
  WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes')")

# ---- 1. the reference: pgbench, one-row INSERT transactions, same cluster, same run ----
q "CREATE TABLE bench_raw(id bigserial PRIMARY KEY, v text NOT NULL)" >/dev/null
echo "INSERT INTO bench_raw(v) VALUES ('row');" >"$out/raw.sql"
echo "bench: pgbench one-row INSERT c$conns"
PGOPTIONS="-c synchronous_commit=on" pgbench -n -h 127.0.0.1 -p "$pg_port" -U onewindow \
  -f "$out/raw.sql" -c "$conns" -j 2 -T "${duration%s}" onewindow >"$out/pgbench.txt" 2>&1
raw_rate=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$out/pgbench.txt")
echo "bench: pgbench: $raw_rate one-row INSERT transactions/s"

# ---- two nodes on the one database and data directory ----
urls=""
for n in 1 2; do
  "$bin" --data-dir "$data" serve --listen 127.0.0.1:0 --port-file "$out/port$n" >"$out/server$n.log" 2>&1 &
  pids="$pids $!"
  i=0
  while [ ! -s "$out/port$n" ]; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "bench: node $n did not start"; tail "$out/server$n.log"; exit 1; }
    sleep 0.05
  done
  urls="$urls http://127.0.0.1:$(cat "$out/port$n")"
done
url1=$(echo "$urls" | awk '{ print $1 }')
url2=$(echo "$urls" | awk '{ print $2 }')

session() { # USER -> "Cookie: …|X-CSRF-Token: …", valid on both nodes (sessions live in the database)
  curl -fsS -D "$out/h-$1" -o "$out/s-$1.json" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$url1/api/v1/session"
  cookie=$(awk -F'[: ;]+' 'tolower($1) == "set-cookie" { print $2; exit }' "$out/h-$1")
  csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$out/s-$1.json")
  echo "Cookie: $cookie|X-CSRF-Token: $csrf"
}
citizen=$(session demo-citizen)
approver=$(session demo-approver)
supervisor=$(session demo-supervisor)
item=$(curl -fsS "$url1/api/v1/items?q=%E5%86%85%E5%9C%B0%E5%B1%85%E6%B0%91%E7%BB%93%E5%A9%9A%E7%99%BB%E8%AE%B0" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.find(i=>i.name==="内地居民结婚登记").id))')

. bench/cases-lib.sh
# split NAME CONNS HEADERS METHOD PATH [BODY]: wrk against both nodes at once, half the
# connections each; sets NAME_rps (sum), NAME_p50/NAME_p99 (the worse node), NAME_err.
split() {
  half=$(($2 / 2))
  [ "$half" -lt 1 ] && half=1
  for n in 1 2; do
    eval "u=\$url$n"
    OW_BENCH_METHOD=$4 OW_BENCH_HEADERS="$3" OW_BENCH_BODY="${6:-}" \
      wrk -t1 -c"$half" -d"$duration" --timeout 30s --latency -s bench/post.lua "$u$5" \
      >"$out/wrk-$1-node$n.txt" 2>&1 &
    eval "w$n=\$!"
  done
  wait "$w1" || true
  wait "$w2" || true
  f1="$out/wrk-$1-node1.txt" f2="$out/wrk-$1-node2.txt"
  eval "$1_rps=$(awk '/^Requests\/sec:/ { s += $2 } END { printf "%.0f", s }' "$f1" "$f2")"
  eval "$1_p50=$(awk -v a="$(pct_of "$f1" 50%)" -v b="$(pct_of "$f2" 50%)" 'BEGIN { print (a + 0 > b + 0 ? a : b) }')"
  eval "$1_p99=$(awk -v a="$(pct_of "$f1" 99%)" -v b="$(pct_of "$f2" 99%)" 'BEGIN { print (a + 0 > b + 0 ? a : b) }')"
  eval "$1_err=$(($(errors_of "$f1") + $(errors_of "$f2")))"
}

stats_period=$(TZ=Asia/Shanghai node -e '
  const t = new Date(); const y = t.getFullYear(), m = t.getMonth();
  const d = (yy, mm, dd) => new Date(Date.UTC(yy, mm, dd)).toISOString().slice(0, 10);
  console.log(d(y, m - 1, 1), d(y, m, 0))')
month_from=$(echo "$stats_period" | cut -d" " -f1)
month_to=$(echo "$stats_period" | cut -d" " -f2)

# Statistics first, on the database as seeded (as the SQLite run does).
echo "bench: GET /api/v1/stats/cases (month) c$stats_c over two nodes"
split month "$stats_c" "$supervisor" GET "/api/v1/stats/cases?from=$month_from&to=$month_to&by=department"
echo "bench: POST /api/v1/cases c$conns over two nodes"
split submit "$conns" "$citizen" POST /api/v1/cases \
  "{\"item_id\":$item,\"materials\":[$mats],\"idempotency_key\":\"bench-pg-{n}\"}"
echo "bench: GET /api/v1/cases?queue=review c$conns over two nodes"
split review "$conns" "$approver" GET "/api/v1/cases?queue=review"
for p in $pids; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
pids=""
load=$(cut -d" " -f1-3 /proc/loadavg)

verdict_submit=$(awk -v r="$submit_rps" -v raw="$raw_rate" -v e="$submit_err" 'BEGIN {
  x = raw > 0 ? r / raw : 0
  printf "%s: %s durable submits/s through two nodes = %.2f× pgbench'"'"'s one-row INSERT transactions (needs ≥ 1.0)%s",
    (x >= 1.0 && e == 0) ? "**met**" : "**NOT met**", r, x, (e > 0 ? ", with " e " failed answers" : "") }')
verdict_lim() { # p99 err limit what
  awk -v p="$1" -v e="$2" -v lim="$3" -v what="$4" 'BEGIN {
    printf "%s: %s p99 %.2f ms (needs < %d)%s", (p + 0 < lim && e == 0) ? "**met**" : "**NOT met**",
      what, p, lim, (e > 0 ? ", with " e " failed answers" : "") }'
}
verdict_review=$(verdict_lim "$review_p99" "$review_err" 20 "review queue")
verdict_month=$(verdict_lim "$month_p99" "$month_err" 200 "statistics for a month")

# The SQLite rows of this run and of the run before, side by side.
sqlite_row() { # FILE PATTERN CONNS COLUMN(3 req/s, 5 p99): the first table's row
  [ -f "$1" ] || { echo "—"; return; }
  awk -F'|' -v pat="$2" -v c="$3" -v col="$4" 'index($2, pat) && $3 + 0 == c && !seen++ {
    gsub(/ /, "", $(col + 1)); print $(col + 1) }' "$1" | head -1
}
compare_row() { # LABEL PATTERN CONNS COL
  was=$(sqlite_row "$previous" "$2" "$3" "$4")
  now=$(sqlite_row bench/RESULTS-cases.md "$2" "$3" "$4")
  echo "| $1 | ${was:-—} | ${now:-—} |"
}
raw_of() { awk -F'\\*\\*' '/raw durable commit rate/ { print $2; exit }' "$1"; }
compare=""
if [ -n "$previous" ]; then
  compare=$(
    echo "| raw durable commits/s (SQLite's own reference) | $(raw_of "$previous") | $(raw_of bench/RESULTS-cases.md) |"
    compare_row "submit req/s, 64 connections" "**submit**" 64 3
    compare_row "submit p99 ms, 64 connections" "**submit**" 64 5
    compare_row "review queue p99 ms, 64 connections" "(民政局) " 64 5
    compare_row "month statistics p99 ms, 8 connections (as seeded)" "**month**" 8 5
    compare_row "year statistics p99 ms, 8 connections (as seeded)" "**year** \`GET /api/v1/stats/cases" 8 5
  )
fi
{
  echo
  echo "## PostgreSQL: two nodes on one database (issue 16)"
  echo
  echo "Generated by \`make bench-cases\` (bench/cases-pg.sh) on $(date '+%Y-%m-%d %H:%M %Z'), right after the SQLite run above."
  echo
  echo "- database: PostgreSQL 15, a throwaway cluster on the same disk (scripts/pg.sh), $settings"
  echo "- cases: **$total_cases** before the run (\`onewindow seed --cases $ncases\` into PostgreSQL with fsync off, $seed_s s)$( [ "$ncases" -lt 1000000 ] && echo "; **not the million the issue names**: OW_BENCH_PG_CASES=$ncases was what fitted in the time this run had on the shared machine" ); 民政局's review queue holds $review_open open cases"
  echo "- two \`onewindow serve\` nodes on the one database and data directory; load \`wrk -t1 -c<N/2> -d$duration --latency\` against each node at once (req/s added, p50/p99 the worse node's)"
  echo "- reference in the same run: \`pgbench -c $conns -j 2 -T ${duration%s}\` running \`INSERT INTO bench_raw(v) VALUES ('row')\`, each its own transaction, synchronous_commit=on: **$raw_rate** transactions/s"
  echo
  echo "Requirements (issue #16):"
  echo "- submit: $verdict_submit"
  echo "- $verdict_review"
  echo "- $verdict_month"
  echo
  echo "| endpoint (two nodes) | connections | req/s | p50 ms | p99 ms | failed |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| **submit** \`POST /api/v1/cases\` | $conns | $submit_rps | $submit_p50 | $submit_p99 | $submit_err |"
  echo "| **review queue** \`GET /api/v1/cases?queue=review\` (民政局) | $conns | $review_rps | $review_p50 | $review_p99 | $review_err |"
  echo "| **month** \`GET /api/v1/stats/cases?by=department\` ($month_from – $month_to) | $stats_c | $month_rps | $month_p50 | $month_p99 | $month_err |"
  echo
  echo "Load average at the end of the PostgreSQL run (the machine may be shared): $load"
  echo
  if [ -n "$previous" ]; then
    echo "## SQLite: this run against the run before"
    echo
    echo "The SQLite figures must not fall (issue 16). The run before: \"$(awk '/^Generated by/ { print; exit }' "$previous" | sed 's/^Generated by //')\", $(awk -F'[:;]' '/^- database:/ { print $2; exit }' "$previous" | sed 's/^ *//'); this run: $(awk -F'[:;]' '/^- database:/ { print $2; exit }' bench/RESULTS-cases.md | sed 's/^ *//')."
    echo
    echo "| SQLite figure | run before | this run |"
    echo "|---|---:|---:|"
    echo "$compare"
    echo
  fi
  echo "Raw output: bench/out/$(basename "$out")/ (not committed)."
} >>bench/RESULTS-cases.md
echo "bench: appended the PostgreSQL run to bench/RESULTS-cases.md"
