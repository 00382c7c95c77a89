#!/bin/sh
# bench/assessment.sh BINARY — a year's assessment scores on a million cases (issue 21:
# all 35 departments and 15 township centres in under 2 s), run by `make bench`.
#
# On a demo database with OW_BENCH_CASES (default 1,000,000) synthetic cases spread over
# the year up to the server's today (`onewindow seed --cases N`), the supervisor sets up a
# department scheme with every computed metric a department has and a township scheme with
# every one a township has, then:
#   1. GET /api/v1/assessment/schemes/{id}/scores?period=<year> — the live computation of
#      the whole year for every unit, OW_BENCH_RUNS times for each kind (curl's total time
#      over loopback, the request thread's full work);
#   2. POST /api/v1/assessment/sheets — publishing the year (the same computation on the
#      writer, plus storing every figure and the records behind them), once per kind.
# Writes bench/RESULTS-assessment.md.  OW_BENCH_KEEP=DIR reuses DIR's seeded database.
set -eu

bin=${1:?usage: bench/assessment.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
ncases=${OW_BENCH_CASES:-1000000}
runs=${OW_BENCH_RUNS:-7}
for tool in curl sqlite3 node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool not found (scripts/deps.sh bench)" >&2; exit 1; }
done
out="bench/out/assessment-$(date +%Y%m%d-%H%M%S)"
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
"$bin" --data-dir "$data" serve --listen 127.0.0.1:0 --port-file "$out/port" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
i=0
while [ ! -s "$out/port" ]; do i=$((i + 1)); [ $i -gt 600 ] && { echo "server did not start"; exit 1; }; sleep 0.1; done
base="http://127.0.0.1:$(cat "$out/port")/api/v1"
OW_BASE="$base" OW_RUNS="$runs" OW_CASES="$total_cases" OW_OUT="$out" node - <<'JS'
const base = process.env.OW_BASE, runs = Number(process.env.OW_RUNS)
const login = await fetch(base + '/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo-supervisor', password: 'Demo@2026' }) })
const cookie = login.headers.get('set-cookie').split(';')[0]
const { csrf_token: csrf } = await login.json()
const call = async (method, path, body) => {
  const t0 = process.hrtime.bigint()
  const r = await fetch(base + path, { method, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })
  const text = await r.text()
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`)
  return { json: JSON.parse(text), ms }
}
const meta = (await call('GET', '/meta')).json
const year = Number(meta.today.slice(0, 4))
const metrics = (await call('GET', '/assessment/metrics')).json.metrics
const rows = []
for (const kind of ['department', 'township']) {
  const ms = metrics.filter((m) => m.kinds.includes(kind))
  const w = Math.floor(100 / ms.length)
  const indicators = ms.map((m, i) => ({ name: m.name, metric: m.code, rule: m.type === 'rate' ? 'rate' : (m.code === 'publications' ? 'target' : 'deduct'),
    weight: i === 0 ? 100 - w * (ms.length - 1) : w, params: m.type === 'rate' ? {} : m.code === 'publications' ? { target: 2 } : { per: 1 } }))
  const existing = (await call('GET', `/assessment/schemes?year=${year}`)).json.items.find((s) => s.unit_kind === kind)
  const s = existing ?? (await call('POST', '/assessment/schemes', { year, unit_kind: kind, name: `基准测试方案（${kind}）`, indicators })).json
  if (s.state === 'draft') await call('POST', `/assessment/schemes/${s.id}/transitions`, { action: 'issue' })
  const times = []
  let units = 0
  for (let i = 0; i < runs + 1; i++) {
    const r = await call('GET', `/assessment/schemes/${s.id}/scores?period=${year}`)
    units = r.json.units.length
    if (i) times.push(r.ms) // the first warms the page cache
  }
  times.sort((a, b) => a - b)
  const pub = await call('POST', '/assessment/sheets', { scheme_id: s.id, period: String(year), note: '基准测试' })
  rows.push({ kind, units, indicators: indicators.length, min: times[0], median: times[Math.floor(times.length / 2)], max: times.at(-1), publish: pub.ms })
}
const fmt = (x) => x.toFixed(0)
const total = rows.reduce((a, r) => a + r.median, 0)
const lines = [
  '# Assessment benchmark (issue 21)', '',
  `\`bench/assessment.sh\`, ${new Date().toISOString()} UTC, ${process.env.OW_CASES} cases, the year ${year} up to ${meta.today}; ${runs} timed runs after one warm-up, milliseconds over loopback.`, '',
  '| units | computed indicators | live year (min / median / max) | publish the year (one run) |', '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.units} ${r.kind === 'department' ? 'departments' : 'township centres'} | ${r.indicators} | ${fmt(r.min)} / ${fmt(r.median)} / ${fmt(r.max)} | ${fmt(r.publish)} |`), '',
  `Both kinds together (medians): ${fmt(total)} ms — requirement: under 2,000 ms. ${total < 2000 ? 'Met.' : 'NOT met.'}`, '',
  `Machine load during the run: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15-minute averages).`, '',
]
const { writeFileSync } = await import('node:fs')
writeFileSync('bench/RESULTS-assessment.md', lines.join('\n'))
writeFileSync(process.env.OW_OUT + '/results.json', JSON.stringify(rows, null, 1))
console.log(lines.join('\n'))
JS
