#!/usr/bin/env node
// The failover test (issue 17, make test-ha; docs/decisions/0006-high-availability.md):
// three PostgreSQL 15 nodes under Patroni with etcd and synchronous replication
// (scripts/ha.sh), two onewindow nodes on loopback sharing one data directory, both with
// the multi-host conninfo (target_session_attrs=read-write).
//
//   node tests/ha/failover.mjs [--bin build/onewindow] [--rounds 20] [--results FILE]
//
// Clients register citizens, file cases (the applicant withdraws every other one) and
// upload PDFs, through both nodes.  Each round takes the primary away: kill -9 of its
// postgres (every process of it: Patroni restarts it, or another node takes over), or,
// every other round, kill -9 of its Patroni and its postgres together (a dead machine:
// the synchronous standby is promoted once the leader key expires; the node is started
// again afterwards and rejoins as a standby); every third round cuts it off instead: its
// Patroni's link to etcd and the onewindow nodes' connections to its postgres go silent
// (TCP proxies stop passing bytes, tests/ha/pg-proxy.mjs; there is no netfilter here).
// Its Patroni, no longer able to renew the leader key, demotes it; the synchronous
// standby is promoted; onewindow must give up on the statements in flight by itself
// (database_query_timeout_s) and find the new primary; then the links come back and the
// old primary rejoins as a standby.  The round measures the time without a
// writable primary (RTO: from the kill to the first write sent after it that succeeds).
// Meanwhile every answer must be 2xx, or 503 with Retry-After (or 429).  Every write carries
// an Idempotency-Key and is sent again with it after a 503 until it is answered 2xx (a 503
// may follow a commit that happened: the retry then gets the first answer, marked
// Idempotent-Replayed).  At the end every write answered 2xx must be there (accounts, cases
// with their number and last state, uploads in the file store and in the case), no case
// number twice, no write done twice (the applicant's cases are exactly those filed),
// `audit verify` passes.
// RPO is the count of acknowledged writes missing: it must be 0.  The figures go to
// --results (bench/RESULTS-ha.md from make test-ha).
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import net from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { request as req, runCli, scratch, startServer } from '../crash/lib.mjs'

const args = process.argv.slice(2)
let bin = process.env.OW_SERVER_BIN || 'build/onewindow'
let rounds = 20
let results = ''
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bin') bin = args[++i]
  else if (args[i] === '--rounds') rounds = Number(args[++i])
  else if (args[i] === '--results') results = args[++i]
  else { console.error(`unknown argument ${args[i]}`); process.exit(2) }
}
const ha = join(import.meta.dirname, '..', '..', 'scripts', 'ha.sh')
const s = scratch('onewindow-ha.', { OW_REGISTER_MAX: '0', OW_DATABASE: '', OW_UPLOAD_CASE_MAX_BYTES: String(4 * 1024 * 1024 * 1024), OW_DATABASE_QUERY_TIMEOUT_S: '5' })
chmodSync(s.dir, 0o755)
s.data = join(s.dir, 'var')
const cluster = join(s.dir, 'cluster')
const sh = (...a) => {
  const r = spawnSync(ha, a, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ha.sh ${a.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}
const alive = (pid) => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z' } catch { return false } }
function children (pid) {
  return spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter(Boolean)
}

function idNumber (n) {
  const d = new Date(Date.UTC(1980, 0, 1) + Math.floor(n / 999) * 86_400_000)
  const first17 = `430903${d.toISOString().slice(0, 10).replaceAll('-', '')}${String(n % 999 + 1).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let t = 0
  for (let i = 0; i < 17; i++) t += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[t % 11]
}
function pdf (size) {
  const b = randomBytes(size)
  Buffer.from('%PDF-1.4\n').copy(b)
  return b
}
// The proxies (tests/ha/pg-proxy.mjs) for the cut rounds: 1–3 in front of the nodes'
// postgres, 4–6 between the nodes' Patroni and etcd.
let proxy = null
async function startProxies (specs) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'pg-proxy.mjs'), ...specs], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const waiting = []
  lines.on('line', (l) => waiting.shift()?.(l))
  const next = () => new Promise((resolve) => waiting.push(resolve))
  const first = await next()
  proxy = {
    child,
    ports: first.split(' ').map(Number),
    async send (cmd) {
      const answer = next()
      child.stdin.write(cmd + '\n')
      if ((await answer) !== 'ok') throw new Error(`pg-proxy: ${cmd}: ${await answer}`)
    },
  }
}

function freePort () {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)) })
  })
}

async function signIn (port, username) {
  for (let i = 0; ; i++) {
    const r = await req(port, 'POST', '/api/v1/session', { json: { username, password: 'Demo@2026' } })
    if (r.status === 200) return { cookie: r.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0], csrf: r.json.csrf_token }
    if (r.status !== 503 || i > 100) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`)
    await sleep(200)
  }
}

const problems = []
const acked = { accounts: [], cases: new Map(), uploads: [] }
const answers = { ok: 0, unavailable: 0, throttled: 0 }
let lastKill = 0
let firstWriteAfterKill = 0
function noteOk (sent) {
  answers.ok++
  if (lastKill && sent > lastKill && !firstWriteAfterKill) firstWriteAfterKill = Date.now()
}
// One write, sent until it is answered 2xx, every time with the same Idempotency-Key.
// Resolves the answer, or null when the run stopped first (then it may or may not have
// been done: counted in keyed.unresolved) or it got an answer that is a problem.
const keyed = { retried: 0, replayed: 0, unresolved: 0 }
async function once (what, send, ok) {
  const key = randomUUID()
  for (let attempt = 0; ; attempt++) {
    if (attempt) keyed.retried++
    const sent = Date.now()
    const r = await send({ 'idempotency-key': key })
    if (r.status === ok) {
      noteOk(sent)
      if (r.headers['idempotent-replayed'] === 'true') keyed.replayed++
      return r
    }
    judge(r, what)
    if (r.status !== 503 && r.status !== 429) return null
    if (stopping) { keyed.unresolved++; return { unresolved: true } }
    await sleep(100)
  }
}
let stopping = false

function judge (r, what) {
  if (r.status === 503) {
    answers.unavailable++
    if (!r.headers['retry-after']) problems.push(`${what}: 503 without Retry-After`)
  } else if (r.status === 429) {
    answers.throttled++
  } else {
    problems.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`)
  }
}

async function main () {
  // onewindow reaches each PostgreSQL node, and each node's Patroni etcd, through a proxy
  const haPorts = await Promise.all(Array.from({ length: 8 }, freePort))
  await startProxies([3, 5, 7].map((i) => `0:${haPorts[i]}`).concat([1, 2, 3].map(() => `0:${haPorts[0]}`)))
  process.env.HA_PORTS = haPorts.join(' ')
  process.env.HA_DCS = proxy.ports.slice(3).join(' ')
  sh('start', cluster)
  s.env.OW_DATABASE = `host=127.0.0.1,127.0.0.1,127.0.0.1 port=${proxy.ports.slice(0, 3).join(',')} user=onewindow dbname=onewindow target_session_attrs=read-write`
  const init = runCli(bin, s, ['init', '--demo'])
  if (init.status !== 0) throw new Error(`init: ${init.out}`)
  const s2 = { ...s, dir: join(s.dir, 'n2') }
  mkdirSync(s2.dir)
  const nodes = [await startServer(bin, s), await startServer(bin, s2)]
  const ports = nodes.map((n) => n.port)
  const citizen = await signIn(ports[0], 'demo-citizen') // sessions live in the database: both nodes know it
  const items = await req(ports[0], 'GET', '/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const up = await req(ports[0], 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, ...citizen })
  if (up.status !== 201) throw new Error(`case: ${up.status} ${up.text}`)
  acked.cases.set(up.json.id, { case_no: up.json.case_no, state: up.json.state })
  const mine = await req(ports[0], 'GET', '/api/v1/cases?per_page=1', citizen) // the demo's cases and this one
  if (mine.status !== 200) throw new Error(`case list: ${mine.status} ${mine.text}`)
  const casesBefore = mine.json.total
  const uploadPath = `/api/v1/cases/${up.json.id}/materials/upload?material=${encodeURIComponent('居民户口簿')}&filename=scan.pdf`

  let stop = false
  let n = 0
  let turn = 0
  const port = () => ports[turn++ % 2]
  const guarded = async (what, fn) => {
    try { await fn() } catch (e) { problems.push(`${what}: ${e.message}`); await sleep(100) }
  }
  const registrar = async () => {
    while (!stop) {
      await guarded('registration', async () => {
        const k = n++
        const body = { kind: 'citizen', id_number: idNumber(k), name: `高可用${k}`, mobile: `135${String(k).padStart(8, '0')}`, password: 'Ha#2026xx' }
        const r = await once('registration', (headers) => req(port(), 'POST', '/api/v1/accounts', { json: body, headers }), 202)
        if (r?.status === 202) acked.accounts.push(body)
      })
    }
  }
  const filer = async () => {
    while (!stop) {
      await guarded('case', async () => {
        const r = await once('case', (headers) => req(port(), 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, ...citizen, headers }), 201)
        if (r?.unresolved) filings.unresolved++
        if (r?.status !== 201) return
        filings.acked++
        if (acked.cases.has(r.json.id)) problems.push(`case ${r.json.id} answered to two filings`)
        acked.cases.set(r.json.id, { case_no: r.json.case_no, state: r.json.state })
        if (r.json.id % 2) return
        const w = await once('withdraw', (headers) => req(port(), 'POST', `/api/v1/cases/${r.json.id}/transitions`, { json: { action: 'withdraw', reason: '故障切换' }, ...citizen, headers }), 200)
        if (w?.status === 200) acked.cases.get(r.json.id).state = w.json.state
      })
    }
  }
  const uploader = async () => {
    while (!stop) {
      await guarded('upload', async () => {
        const body = pdf(8192 + Math.floor(Math.random() * 128 * 1024))
        const r = await once('upload', (headers) => req(port(), 'POST', uploadPath, { body, ...citizen, type: 'application/pdf', headers }), 201)
        if (r?.status === 201) acked.uploads.push(createHash('sha256').update(body).digest('hex'))
      })
    }
  }
  const filings = { acked: 0, unresolved: 0 }
  const load = [registrar(), filer(), filer(), uploader()]
  const table = []
  for (let k = 1; k <= rounds; k++) {
    await sleep(1500)
    const leader = sh('leader', cluster)
    const idx = Number(leader.slice(4))
    const [patroniPid, pmPid] = sh('pids', cluster, String(idx)).split(' ').map(Number)
    const mode = k % 3 === 0 ? 'cut' : k % 2 ? 'postgres' : 'patroni+postgres'
    const victims = mode === 'cut' ? [] : [pmPid, ...children(pmPid)]
    if (mode === 'patroni+postgres') victims.unshift(patroniPid)
    const before = answers.ok
    firstWriteAfterKill = 0
    lastKill = Date.now()
    for (const p of victims) { try { process.kill(p, 'SIGKILL') } catch {} }
    if (mode === 'cut') {
      await proxy.send(`cut ${idx}`)
      await proxy.send(`cut ${idx + 3}`)
    }
    // wait for a write sent after the kill to succeed (at most 90 s)
    for (let i = 0; i < 900 && !firstWriteAfterKill; i++) await sleep(100)
    const rto = firstWriteAfterKill ? firstWriteAfterKill - lastKill : NaN
    if (!firstWriteAfterKill) problems.push(`round ${k}: no write succeeded within 90 s of the kill`)
    let newLeader = ''
    try { newLeader = sh('leader', cluster) } catch {}
    if (mode === 'cut') {
      // the links come back: the old primary, demoted by its own Patroni, rejoins as a standby
      await proxy.send(`heal ${idx}`)
      await proxy.send(`heal ${idx + 3}`)
    } else if (mode !== 'postgres') {
      // the dead machine comes back: its Patroni rejoins it as a standby
      for (let i = 0; i < 100 && alive(patroniPid); i++) await sleep(50)
      sh('node-start', cluster, String(idx))
    }
    // before the next round: three members again, one a synchronous standby
    const clusterUrl = () => {
      const p = readFileSync(join(cluster, 'ports'), 'utf8').trim().split(' ')
      return [p[2], p[4], p[6]]
    }
    let healthy = false
    for (let i = 0; i < 600 && !healthy; i++) {
      for (const rest of clusterUrl()) {
        const r = spawnSync('curl', ['-sf', '-m', '2', `http://127.0.0.1:${rest}/cluster`], { encoding: 'utf8' })
        if (r.status !== 0) continue
        try {
          const m = JSON.parse(r.stdout).members
          healthy = m.length === 3 && m.filter((x) => x.role === 'leader' && x.state === 'running').length === 1 &&
            m.filter((x) => x.role === 'sync_standby' && ['running', 'streaming'].includes(x.state)).length === 1 &&
            m.every((x) => ['running', 'streaming'].includes(x.state))
        } catch {}
        break
      }
      if (!healthy) await sleep(200)
    }
    if (!healthy) problems.push(`round ${k}: the cluster did not get its three members back within 120 s`)
    table.push({ k, mode, leader, newLeader, rto, writes: answers.ok - before })
    console.log(`round ${k}: ${mode === 'cut' ? `${leader} cut off` : `${mode} of ${leader} killed`}; primary now ${newLeader || '?'}; RTO ${rto} ms; ${answers.ok - before} writes acknowledged during the round`)
    if (problems.length > 20) break
  }
  stop = stopping = true
  await Promise.all(load)

  // every acknowledged write is there, read through the first node
  let lost = 0
  const admin = await signIn(ports[0], 'demo-admin')
  for (const a of acked.accounts) {
    const r = await req(ports[0], 'GET', `/api/v1/users?kind=citizen&per_page=100&q=${encodeURIComponent(a.name)}`, admin)
    const found = r.status === 200 ? r.json.items.filter((u) => u.name === a.name) : []
    if (found.length !== 1) { lost++; problems.push(`account ${a.name}: ${found.length} found (${r.status})`) }
  }
  const numbers = new Map()
  for (const [id, c] of acked.cases) {
    const r = await req(ports[0], 'GET', `/api/v1/cases/${id}`, citizen)
    if (r.status !== 200 || r.json.case_no !== c.case_no || r.json.state !== c.state) { lost++; problems.push(`case ${id} ${c.case_no}/${c.state}: ${r.status} ${r.json?.case_no}/${r.json?.state}`) }
  }
  // no number given twice among all of the applicant's cases, acknowledged or not; and no
  // filing done twice: the applicant has the cases from before the load, one per
  // acknowledged filing, and at most one per filing cut short by the end of the run
  let caseTotal = -1
  for (let page = 1; ; page++) {
    const r = await req(ports[0], 'GET', `/api/v1/cases?per_page=100&page=${page}`, citizen)
    if (r.status !== 200) { problems.push(`case list: ${r.status} ${r.text.slice(0, 200)}`); break }
    caseTotal = r.json.total
    for (const c of r.json.items) {
      if (numbers.has(c.case_no) && numbers.get(c.case_no) !== c.id) problems.push(`case number ${c.case_no} given twice`)
      numbers.set(c.case_no, c.id)
    }
    if (page * 100 >= r.json.total) break
  }
  const doubled = caseTotal - casesBefore - filings.acked
  if (caseTotal >= 0 && (doubled < 0 || doubled > filings.unresolved))
    problems.push(`the applicant has ${caseTotal} cases: ${casesBefore} + ${filings.acked} acknowledged filings + at most ${filings.unresolved} unanswered`)
  const mats = await req(ports[0], 'GET', `/api/v1/cases/${up.json.id}/materials`, citizen)
  const stored = new Set(mats.status === 200 ? (mats.json.items ?? mats.json).map((m) => m.sha256) : [])
  for (const sha of acked.uploads) {
    const p = join(s.data, 'files', sha.slice(0, 2), sha.slice(2, 4), sha)
    if (!existsSync(p) || (mats.status === 200 && !stored.has(sha))) { lost++; problems.push(`upload ${sha} missing`) }
  }
  if (mats.status !== 200) problems.push(`materials: ${mats.status}`)
  for (const node of nodes) {
    node.proc.kill('SIGTERM')
    const { code } = await node.exited
    if (code !== 0) problems.push(`a node exited with ${code}: ${node.stderr().slice(-300)}`)
  }
  const verify = runCli(bin, s, ['audit', 'verify'])
  if (verify.status !== 0) problems.push(`audit verify: ${verify.out}`)

  const rtos = table.map((t) => t.rto).filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  const pct = (p) => rtos.length ? rtos[Math.min(rtos.length - 1, Math.floor(p * rtos.length))] : NaN
  const total = acked.accounts.length + acked.cases.size + acked.uploads.length
  const summary = `${table.length} rounds; RTO median ${pct(0.5)} ms, max ${rtos[rtos.length - 1]} ms; ` +
    `${total} acknowledged writes (${acked.accounts.length} registrations, ${acked.cases.size} cases, ${acked.uploads.length} uploads), ` +
    `RPO ${lost} lost; ${answers.unavailable} answers 503 with Retry-After; ${keyed.retried} retries with the ` +
    `same Idempotency-Key, ${keyed.replayed} of them answered from a write that had committed, none done twice; ${verify.out.trim()}`
  console.log(`failover: ${summary}`)
  if (results) {
    const rows = table.map((t) => `| ${t.k} | ${t.mode} | ${t.leader} | ${t.newLeader || '?'} | ${Number.isFinite(t.rto) ? t.rto : 'none'} | ${t.writes} |`).join('\n')
    writeFileSync(results, `# Failover: RTO and RPO (issue 17)

Produced by \`make test-ha\` (\`node tests/ha/failover.mjs --bin ${bin} --rounds ${rounds}\`) on
${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores shared with other work; three PostgreSQL 15 nodes under
Patroni 3.0 with etcd 3.4 (scripts/ha.sh: ttl 10 s, loop_wait 1 s, synchronous_mode on),
two onewindow nodes with the multi-host conninfo \`target_session_attrs=read-write\`, clients
registering, filing and withdrawing cases and uploading through both nodes.

RTO here is the time from the kill (or the cut) to the first write sent after it that
succeeded; RPO is the count of writes answered 2xx that are not there after all the rounds
(must be 0). Every write carries an Idempotency-Key and is sent again with it after a 503
until it is answered 2xx; the applicant's cases are counted to show none was filed twice.

**${problems.length ? 'FAILED' : 'Passed'}: ${summary}.**

Odd rounds kill -9 the primary's postgres (postmaster and every child; its Patroni restarts
it in place or the leader key moves); even rounds kill -9 its Patroni and its postgres
together, as a dead machine: the synchronous standby takes over when the leader key expires
(ttl 10 s), and the node is started again after the round and rejoins as a standby. Every
third round cuts the primary off instead: its Patroni's link to etcd and the onewindow
nodes' connections to its postgres go silent (TCP proxies stop passing bytes,
tests/ha/pg-proxy.mjs); its Patroni demotes it when it cannot renew the leader key, the
synchronous standby is promoted, onewindow drops the statements in flight at its own
deadline (\`database_query_timeout_s\`, 5 s here) and finds the new primary; then the links
come back and the old primary rejoins as a standby.

| round | taken away | primary | primary after | RTO ms | writes acknowledged in the round |
|---|---|---|---|---|---|
${rows}
`)
  }
  if (rounds >= 1 && table.length < rounds) problems.push(`only ${table.length} of ${rounds} rounds ran`)
}

try {
  await main()
} catch (e) {
  problems.push(e.stack ?? String(e))
} finally {
  spawnSync(ha, ['stop', cluster])
  proxy?.child.stdin.end()
}
for (const f of readdirSync(s.dir).filter((f) => f.startsWith('asan') || f.startsWith('ubsan'))) problems.push(readFileSync(join(s.dir, f), 'utf8'))
for (const p of problems.slice(0, 30)) console.log(`   ${p}`)
if (problems.length) {
  console.log(`failover: FAILED (kept ${s.dir})`)
  process.exit(1)
}
rmSync(s.dir, { recursive: true, force: true })
