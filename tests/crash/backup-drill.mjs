#!/usr/bin/env node
// The restore drill (issue 17, src/backup/backup.h, docs/operations.md "Backups and
// restore"): back up under write load, restore into a new place, and every write
// acknowledged before the backup began is there; `audit verify` and `files check` pass.
//
//   node tests/crash/backup-drill.mjs [--bin build-asan/onewindow] [--db sqlite|postgres]
//
// One round: `init --demo`, `serve`; clients register citizens, file cases as
// demo-citizen and upload PDFs to one of them as fast as they can; meanwhile `onewindow
// backup DIR --key-out KEY` runs; the load goes on after it.  Then the server stops, and
// `onewindow restore DIR --key KEY` fills a new data directory (on PostgreSQL also a new
// cluster directory, started with scripts/pg.sh).  A server on the restored installation
// must show every registration and every case acknowledged before the backup began, every
// upload acknowledged before it must be in the restored file store with its SHA-256, and
// `audit verify` and `files check` (on PostgreSQL after `--fix --min-age-s 0`: the base
// backup ends after the files were listed, see backup.h) must exit 0.  A backup whose
// manifest no longer matches (one byte of a file changed) must be refused.
import { spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { request as req, runCli, scratch, startServer } from './lib.mjs'

const args = process.argv.slice(2)
let bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
let backend = 'sqlite'
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bin') bin = args[++i]
  else if (args[i] === '--db') backend = args[++i]
  else { console.error(`unknown argument ${args[i]}`); process.exit(2) }
}
const pgsh = join(import.meta.dirname, '..', '..', 'scripts', 'pg.sh')

const base = scratch('onewindow-drill.', { OW_REGISTER_MAX: '0', OW_DATABASE: '' })
const { dir } = base
chmodSync(dir, 0o755) // PostgreSQL's own user must get through to its cluster directory
const problems = []
const clusters = []
function pgStart (sub) {
  const r = spawnSync(pgsh, ['start', join(dir, sub)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`pg.sh start ${sub}: ${r.stderr}`)
  clusters.push(sub)
  return r.stdout.trim()
}
const pgStop = (sub) => spawnSync(pgsh, ['stop', join(dir, sub)])

function idNumber (n) {
  const d = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 999) * 86_400_000)
  const first17 = `430903${d.toISOString().slice(0, 10).replaceAll('-', '')}${String(n % 999 + 1).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[s % 11]
}
function pdf (size) {
  const b = randomBytes(size)
  Buffer.from('%PDF-1.4\n').copy(b)
  return b
}
async function signIn (port, username) {
  const r = await req(port, 'POST', '/api/v1/session', { json: { username, password: 'Demo@2026' } })
  if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`)
  return { cookie: r.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0], csrf: r.json.csrf_token }
}

async function drill () {
  const src = { ...base, data: join(dir, 'var'), env: { ...base.env } }
  if (backend === 'postgres') src.env.OW_DATABASE = pgStart('pg')
  else delete src.env.OW_DATABASE
  const init = runCli(bin, src, ['init', '--demo'])
  if (init.status !== 0) throw new Error(`init: ${init.out}`)
  const srv = await startServer(bin, src)
  const citizen = await signIn(srv.port, 'demo-citizen')
  const items = await req(srv.port, 'GET', '/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const first = await req(srv.port, 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, ...citizen })
  if (first.status !== 201) throw new Error(`case: ${first.status} ${first.text}`)
  const uploadPath = `/api/v1/cases/${first.json.id}/materials/upload?material=${encodeURIComponent('居民户口簿')}&filename=scan.pdf`

  const acked = { accounts: [], cases: [], uploads: [] } // each with the time of its answer
  let stop = false
  let n = 0
  const ok = (r, what) => {
    if (r.status !== 503 && r.status !== 429) throw new Error(`${what} answered ${r.status}: ${r.text}`)
  }
  const registrar = async () => {
    while (!stop) {
      const k = n++
      const body = { kind: 'citizen', id_number: idNumber(k), name: `备份演练${k}`, mobile: `137${String(k).padStart(8, '0')}`, password: 'Drill#2026x' }
      const r = await req(srv.port, 'POST', '/api/v1/accounts', { json: body })
      if (r.status === 202) acked.accounts.push({ name: body.name, id_number: body.id_number, at: Date.now() })
      else ok(r, 'registration')
    }
  }
  const filer = async () => {
    while (!stop) {
      const r = await req(srv.port, 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, ...citizen })
      if (r.status === 201) acked.cases.push({ id: r.json.id, number: r.json.case_no, at: Date.now() })
      else ok(r, 'case')
    }
  }
  const uploader = async () => {
    while (!stop) {
      const body = pdf(16384 + Math.floor(Math.random() * 256 * 1024))
      const r = await req(srv.port, 'POST', uploadPath, { body, ...citizen, type: 'application/pdf' })
      if (r.status === 201) acked.uploads.push({ sha: createHash('sha256').update(body).digest('hex'), at: Date.now() })
      else ok(r, 'upload')
    }
  }
  const load = [registrar(), registrar(), filer(), filer(), uploader(), uploader()]
  await sleep(1500)
  const bk = join(dir, 'backup')
  const key = join(dir, 'kept-apart.key')
  const began = Date.now()
  const backup = await new Promise((resolve) => {
    const p = spawn(bin, ['--data-dir', src.data, 'backup', bk, '--key-out', key], { env: src.env })
    let out = ''
    p.stdout.on('data', (d) => { out += d })
    p.stderr.on('data', (d) => { out += d })
    p.on('exit', (status) => resolve({ status, out }))
  })
  const ended = Date.now()
  await sleep(500)
  stop = true
  await Promise.all(load)
  srv.proc.kill('SIGTERM')
  const { code } = await srv.exited
  if (code !== 0) problems.push(`server exited with ${code}: ${srv.stderr().slice(-400)}`)
  if (backup.status !== 0) throw new Error(`backup: ${backup.out}`)
  const manifest = JSON.parse(readFileSync(join(bk, 'manifest.json'), 'utf8'))
  if (manifest.files.some((f) => f.path.endsWith('secret.key'))) problems.push('the key is inside the backup')
  if (manifest.key.sha256 !== createHash('sha256').update(readFileSync(key)).digest('hex')) problems.push('the manifest names another key')

  // restore into a new data directory (and cluster)
  const dst = { ...base, data: join(dir, 'restored'), env: { ...base.env } }
  delete dst.env.OW_DATABASE
  const restoreArgs = ['restore', bk, '--key', key]
  if (backend === 'postgres') restoreArgs.push('--pgdata', join(dir, 'pg2', 'data'))
  const restore = runCli(bin, dst, restoreArgs)
  if (restore.status !== 0) throw new Error(`restore: ${restore.out}`)
  if (backend === 'postgres') {
    if (process.getuid() === 0) spawnSync('chown', ['-R', 'postgres:', join(dir, 'pg2')])
    dst.env.OW_DATABASE = pgStart('pg2')
    const fix = runCli(bin, dst, ['files', 'check', '--fix', '--min-age-s', '0'])
    if (fix.status !== 0) problems.push(`files check --fix: ${fix.out.trim()}`)
  }
  const check = runCli(bin, dst, ['files', 'check', '--min-age-s', '0'])
  if (check.status !== 0) problems.push(`files check: ${check.out.trim()}`)
  const verify = runCli(bin, dst, ['audit', 'verify'])
  if (verify.status !== 0) problems.push(`audit verify: ${verify.out.trim()}`)

  const before = (list) => list.filter((a) => a.at < began)
  const again = await startServer(bin, dst)
  try {
    const admin = await signIn(again.port, 'demo-admin')
    for (const a of before(acked.accounts)) {
      const r = await req(again.port, 'GET', `/api/v1/users?kind=citizen&per_page=100&q=${encodeURIComponent(a.name)}`, admin)
      const found = r.status === 200 ? r.json.items.filter((u) => u.name === a.name) : []
      if (found.length !== 1 || found[0].id_number !== `430903********${a.id_number.slice(14)}`) problems.push(`account ${a.name} missing: ${r.status}`)
    }
    const mine = await signIn(again.port, 'demo-citizen')
    for (const c of before(acked.cases)) {
      const r = await req(again.port, 'GET', `/api/v1/cases/${c.id}`, mine)
      if (r.status !== 200 || !c.number || r.json.case_no !== c.number) problems.push(`case ${c.id} ${c.number} missing: ${r.status}`)
    }
  } finally {
    again.proc.kill('SIGTERM')
    await again.exited
  }
  for (const u of before(acked.uploads)) {
    const p = join(dst.data, 'files', u.sha.slice(0, 2), u.sha.slice(2, 4), u.sha)
    if (!existsSync(p)) problems.push(`upload ${u.sha} missing`)
    else if (createHash('sha256').update(readFileSync(p)).digest('hex') !== u.sha) problems.push(`upload ${u.sha} differs`)
  }

  // a damaged backup is refused before anything is written
  const victim = manifest.files.find((f) => f.bytes > 0)
  const vp = join(bk, victim.path)
  const bytes = readFileSync(vp)
  bytes[bytes.length >> 1] ^= 0xff
  writeFileSync(vp, bytes)
  const bad = { ...base, data: join(dir, 'refused'), env: dst.env }
  const refused = runCli(bin, bad, [...restoreArgs.slice(0, 4), ...(backend === 'postgres' ? ['--pgdata', join(dir, 'pg3', 'data')] : [])])
  if (refused.status === 0 || !refused.out.includes(victim.path)) problems.push(`a damaged backup was not refused: ${refused.out.trim()}`)
  if (existsSync(join(dir, 'refused', 'onewindow.db')) || existsSync(join(dir, 'pg3', 'data', 'PG_VERSION'))) problems.push('a refused restore wrote files')

  const counts = ['accounts', 'cases', 'uploads'].map((k) => `${before(acked[k]).length}/${acked[k].length} ${k}`).join(', ')
  console.log(`backup-drill (${backend}): backup took ${ended - began} ms under load; acknowledged before it began / in all: ${counts}; ` +
    `restored: ${verify.out.trim()}; ${check.out.trim().split('\n').pop()}`)
  if (before(acked.accounts).length === 0 || before(acked.uploads).length === 0 || before(acked.cases).length === 0) problems.push('the load acknowledged too little before the backup to prove anything')
}

let failed = false
try {
  await drill()
} catch (e) {
  problems.push(e.stack ?? String(e))
} finally {
  for (const c of clusters) pgStop(c)
}
const reports = readdirSync(dir).filter((f) => f.startsWith('asan') || f.startsWith('ubsan'))
for (const f of reports) problems.push(readFileSync(join(dir, f), 'utf8'))
if (problems.length) failed = true
for (const p of problems.slice(0, 20)) console.log(`   ${p}`)
if (failed) {
  console.log(`backup-drill (${backend}): FAILED (kept ${dir})`)
  process.exit(1)
}
console.log(`backup-drill (${backend}): every write acknowledged before the backup is in the restore`)
rmSync(dir, { recursive: true, force: true })
