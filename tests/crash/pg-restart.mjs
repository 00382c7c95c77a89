#!/usr/bin/env node
// onewindow rides through the loss of its PostgreSQL server (issue 17; src/store/db.h
// "Failover", docs/decisions/0006-high-availability.md): kill -9 of every process of a
// throwaway cluster (scripts/pg.sh) under load, then the cluster back on the same port.
//
//   node tests/crash/pg-restart.mjs [--bin build-asan/onewindow] [N]
//
// Each round, with clients registering citizens, filing cases as demo-citizen and moving
// them (the applicant withdraws every other one):
//   - while the server is down every answer is 503 with Retry-After (never another 5xx,
//     never a success), and GET /api/v1/health answers 503 "degraded";
//   - once it is back, onewindow reconnects by itself: health answers 200 "ok" and writes
//     succeed again, with no restart of onewindow (the time this takes is printed);
// and at the end every write answered 2xx is there (each account, each case with its
// number and its last acknowledged state), no case number is given twice, and `audit
// verify` passes.  N rounds (default 3).
import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { request as req, runCli, scratch, startServer } from './lib.mjs'

const args = process.argv.slice(2)
let bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
let rounds = 3
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bin') bin = args[++i]
  else if (/^\d+$/.test(args[i])) rounds = Number(args[i])
  else { console.error(`unknown argument ${args[i]}`); process.exit(2) }
}
const pgsh = join(import.meta.dirname, '..', '..', 'scripts', 'pg.sh')
const s = scratch('onewindow-pgkill.', { OW_REGISTER_MAX: '0', OW_DATABASE: '' })
chmodSync(s.dir, 0o755)
s.data = join(s.dir, 'var')
const pgdir = join(s.dir, 'pg')
let port = ''
function pgStart () {
  const r = spawnSync(pgsh, ['start', pgdir, ...(port ? [port] : [])], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`pg.sh start: ${r.stderr}`)
  port = readFileSync(join(pgdir, 'port'), 'utf8').trim()
  return r.stdout.trim()
}
/** kill -9 of the postmaster and of each of its children, by their process ids. */
function pgKill () {
  const pid = Number(readFileSync(join(pgdir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
  const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter(Boolean)
  for (const p of [pid, ...kids]) { try { process.kill(p, 'SIGKILL') } catch {} }
  return { pid, kids: kids.length }
}
/** Once the postmaster is dead (gone, or a zombie that this machine's first process
 * may never reap, which pg_ctl would take for a running server), its lock file goes,
 * as after the machine restarted. */
async function pgDead (pid) {
  for (let i = 0; i < 100; i++) {
    let state = ''
    try { state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] } catch {}
    if (state === '' || state === 'Z') {
      rmSync(join(pgdir, 'data', 'postmaster.pid'), { force: true })
      rmSync(join(pgdir, `.s.PGSQL.${port}.lock`), { force: true })
      return
    }
    await sleep(20)
  }
  throw new Error(`postmaster ${pid} still alive after SIGKILL`)
}

function idNumber (n) {
  const d = new Date(Date.UTC(1970, 0, 1) + Math.floor(n / 999) * 86_400_000)
  const first17 = `430903${d.toISOString().slice(0, 10).replaceAll('-', '')}${String(n % 999 + 1).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let t = 0
  for (let i = 0; i < 17; i++) t += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[t % 11]
}
async function signIn (p, username) {
  const r = await req(p, 'POST', '/api/v1/session', { json: { username, password: 'Demo@2026' } })
  if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`)
  return { cookie: r.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0], csrf: r.json.csrf_token }
}

const problems = []
const accounts = []
const cases = new Map() // id -> { case_no, state }
let down = false // between the kill and the cluster answering again
let killedAt = Infinity
let n = 0
let srv = null
function judge (r, what) {
  if (r.status === 503) {
    if (!r.headers['retry-after']) problems.push(`${what}: 503 without Retry-After`)
    return
  }
  if (r.status >= 500) problems.push(`${what}: ${r.status} ${r.text.slice(0, 160)}`)
  else if (r.status !== 429) problems.push(`${what}: unexpected ${r.status} ${r.text.slice(0, 160)}`)
}

async function main () {
  s.env.OW_DATABASE = pgStart()
  const init = runCli(bin, s, ['init', '--demo'])
  if (init.status !== 0) throw new Error(`init: ${init.out}`)
  srv = await startServer(bin, s)
  const citizen = await signIn(srv.port, 'demo-citizen')
  const items = await req(srv.port, 'GET', '/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  let stop = false
  let downSuccesses = 0
  // a request sent once every process of the cluster was dead that still succeeded
  const during = (r, sent) => { if (down && sent > killedAt && r.status < 300) downSuccesses++ }
  const registrar = async () => {
    while (!stop) {
      const k = n++
      const body = { kind: 'citizen', id_number: idNumber(k), name: `故障切换${k}`, mobile: `136${String(k).padStart(8, '0')}`, password: 'Fail#2026x' }
      try {
        const sent = Date.now()
        const r = await req(srv.port, 'POST', '/api/v1/accounts', { json: body })
        during(r, sent)
        if (r.status === 202) accounts.push(body)
        else judge(r, 'registration')
      } catch (e) { problems.push(`registration: ${e.message}`) }
      if (down) await sleep(50)
    }
  }
  const filer = async () => {
    while (!stop) {
      try {
        const sent = Date.now()
        const r = await req(srv.port, 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, ...citizen })
        during(r, sent)
        if (r.status === 201) {
          cases.set(r.json.id, { case_no: r.json.case_no, state: r.json.state })
          if (r.json.id % 2 === 0) {
            const wsent = Date.now()
            const w = await req(srv.port, 'POST', `/api/v1/cases/${r.json.id}/transitions`, { json: { action: 'withdraw', reason: '故障切换测试' }, ...citizen })
            during(w, wsent)
            if (w.status === 200) cases.get(r.json.id).state = w.json.state
            else judge(w, 'withdraw')
          }
        } else judge(r, 'case')
      } catch (e) { problems.push(`case: ${e.message}`) }
      if (down) await sleep(50)
    }
  }
  const load = [registrar(), registrar(), filer(), filer()]
  for (let k = 1; k <= rounds; k++) {
    await sleep(800)
    down = true
    const killed = pgKill()
    await pgDead(killed.pid)
    killedAt = Date.now()
    await sleep(300)
    const h = await req(srv.port, 'GET', '/api/v1/health')
    if (h.status !== 503 || h.json?.status !== 'degraded') problems.push(`health while down: ${h.status} ${h.text}`)
    await sleep(1200)
    pgStart()
    down = false
    killedAt = Infinity
    const back = Date.now()
    let healthy = 0
    for (let i = 0; i < 200 && !healthy; i++) {
      const r = await req(srv.port, 'GET', '/api/v1/health')
      if (r.status === 200 && r.json.status === 'ok') healthy = Date.now()
      else await sleep(50)
    }
    if (!healthy) problems.push(`round ${k}: health not ok 10 s after the cluster came back`)
    const before = cases.size
    await sleep(600)
    console.log(`round ${k}: killed the postmaster and ${killed.kids} children; health ok ${healthy - back} ms after the cluster answered; ` +
      `${cases.size - before} cases filed in the next 600 ms`)
    if (cases.size === before) problems.push(`round ${k}: no write succeeded after the reconnection`)
  }
  stop = true
  await Promise.all(load)
  if (downSuccesses) problems.push(`${downSuccesses} requests succeeded while no database was up`)

  // every acknowledged write is there
  const admin = await signIn(srv.port, 'demo-admin')
  for (const a of accounts) {
    const r = await req(srv.port, 'GET', `/api/v1/users?kind=citizen&per_page=100&q=${encodeURIComponent(a.name)}`, admin)
    const found = r.status === 200 ? r.json.items.filter((u) => u.name === a.name) : []
    if (found.length !== 1) problems.push(`account ${a.name}: ${found.length} found`)
  }
  const mine = await signIn(srv.port, 'demo-citizen')
  const numbers = new Set()
  for (const [id, c] of cases) {
    const r = await req(srv.port, 'GET', `/api/v1/cases/${id}`, mine)
    if (r.status !== 200 || r.json.case_no !== c.case_no || r.json.state !== c.state) problems.push(`case ${id} ${c.case_no}/${c.state}: ${r.status} ${r.json?.case_no}/${r.json?.state}`)
    if (numbers.has(c.case_no)) problems.push(`case number ${c.case_no} given twice`)
    numbers.add(c.case_no)
  }
  srv.proc.kill('SIGTERM')
  const { code } = await srv.exited
  if (code !== 0) problems.push(`server exited with ${code}: ${srv.stderr().slice(-400)}`)
  if (problems.length) writeFileSync(join(s.dir, 'server.log'), srv.stderr())
  const verify = runCli(bin, s, ['audit', 'verify'])
  if (verify.status !== 0) problems.push(`audit verify: ${verify.out}`)
  console.log(`pg-restart: ${rounds} kills; ${accounts.length} registrations and ${cases.size} cases acknowledged, all found; ${verify.out.trim()}`)
}

try {
  await main()
} catch (e) {
  problems.push(e.stack ?? String(e))
} finally {
  if (srv && srv.proc.exitCode === null && !srv.proc.signalCode) srv.proc.kill('SIGKILL')
  spawnSync(pgsh, ['stop', pgdir])
}
for (const f of readdirSync(s.dir).filter((f) => f.startsWith('asan') || f.startsWith('ubsan'))) problems.push(readFileSync(join(s.dir, f), 'utf8'))
for (const p of problems.slice(0, 20)) console.log(`   ${p}`)
if (problems.length) {
  console.log(`pg-restart: FAILED (kept ${s.dir})`)
  process.exit(1)
}
rmSync(s.dir, { recursive: true, force: true })
