#!/usr/bin/env node
// Disk and I/O faults (hardening issue): the disk fills up (ENOSPC) or fails (EIO) at the
// N-th write or fsync of the database or of the upload store, for many N.  While the fault
// lasts the server answers writes 201 or 503 storage_unavailable (with Retry-After) — never
// another error, never a success that was not committed — and keeps answering reads.
// After the fault clears, writes succeed again; every write it acknowledged is there, also
// after a restart; and `db check` (integrity_check, foreign_key_check), `audit verify` and
// `files check --fix` pass.
//
//   node tests/crash/disk-faults.mjs [--bin build-asan/onewindow] [N]   (N: faults per scenario)
//
// The faults come from tests/faults/faultfs.c, preloaded into the server (LD_PRELOAD) and
// steered through a control file.
import { writeFileSync, rmSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs, request as req, runCli, scratch, startServer } from './lib.mjs'

const { bin, iterations } = parseArgs({ iterations: 6 })
const shim = resolve(dirname(bin), 'libfaultfs.so')
if (!existsSync(shim)) throw new Error(`${shim} missing: build the test build (make build-asan)`)

const SCENARIOS = [
  { op: 'write', err: 'ENOSPC', path: 'onewindow.db', kind: 'cases' },
  { op: 'write', err: 'EIO', path: 'onewindow.db', kind: 'cases' },
  { op: 'fsync', err: 'EIO', path: 'onewindow.db', kind: 'cases' },
  { op: 'write', err: 'ENOSPC', path: '/files/', kind: 'uploads' },
  { op: 'fsync', err: 'EIO', path: '/files/', kind: 'uploads' },
]
// the N-th matching call fails: early ones hit the first statement of a batch, later
// ones its commit, the WAL's growth or a checkpoint
const NTH = [1, 2, 3, 5, 8, 13, 21, 34].slice(0, Math.max(1, iterations))
const BURST = 6

function pdf (size) {
  const b = randomBytes(size)
  Buffer.from('%PDF-1.4\n').copy(b)
  return b
}

async function signIn (port) {
  const r = await req(port, 'POST', '/api/v1/session', { json: { username: 'demo-citizen', password: 'Demo@2026' } })
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${r.text}`)
  return { cookie: r.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0], csrf: r.json.csrf_token }
}

function expectWriteAnswer (r, what) {
  if (r.status === 201) return true
  if (r.status === 503 && r.json?.error?.code === 'storage_unavailable' && Number(r.headers['retry-after']) > 0) return false
  throw new Error(`${what} answered ${r.status} during a disk fault: ${r.text}`)
}

async function scenario (sc) {
  const s = scratch('onewindow-diskfault.', {
    OW_FAULT_CTL: '', LD_PRELOAD: shim, OW_UPLOAD_CONCURRENCY: '64',
  })
  const ctl = join(s.dir, 'fault')
  s.env.OW_FAULT_CTL = ctl
  s.env.ASAN_OPTIONS += ':verify_asan_link_order=0'
  const init = runCli(bin, s, ['init', '--demo'])
  if (init.status !== 0) throw new Error(`init: ${init.out}`)
  let srv = await startServer(bin, s)
  let { cookie, csrf } = await signIn(srv.port)
  const items = await req(srv.port, 'GET', '/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const fileCase = async () => {
    const r = await req(srv.port, 'POST', '/api/v1/cases', {
      json: { item_id: item.id, materials: [] }, cookie, csrf,
    })
    return r
  }
  const upCase = await fileCase()
  if (upCase.status !== 201) throw new Error(`case: ${upCase.status} ${upCase.text}`)
  const upPath = `/api/v1/cases/${upCase.json.id}/materials/upload?material=${encodeURIComponent('居民户口簿')}&filename=scan.pdf`
  const ackedCases = []
  const ackedUploads = []
  let refused = 0
  for (const n of NTH) {
    writeFileSync(ctl, `${sc.op} ${sc.err} ${n} ${sc.path}\n`)
    await sleep(40) // the shim looks at the control file every 20 ms
    for (let k = 0; k < BURST; k++) {
      if (sc.kind === 'cases') {
        const r = await fileCase()
        if (expectWriteAnswer(r, 'a case')) ackedCases.push(r.json.id)
        else refused++
      } else {
        const body = pdf(32768 + Math.floor(Math.random() * 200000))
        const r = await req(srv.port, 'POST', upPath, { body, cookie, csrf, type: 'application/pdf' })
        if (expectWriteAnswer(r, 'an upload')) ackedUploads.push(createHash('sha256').update(body).digest('hex'))
        else refused++
      }
      // reads go on from what committed
      const read = await req(srv.port, 'GET', `/api/v1/cases/${upCase.json.id}`, { cookie })
      if (read.status !== 200) throw new Error(`a read answered ${read.status} during the fault: ${read.text}`)
    }
    rmSync(ctl, { force: true }) // space freed, disk replaced
    await sleep(40)
    const after = await fileCase()
    if (after.status !== 201) throw new Error(`after the fault (${sc.op} ${sc.err} N=${n}) a case answered ${after.status}: ${after.text}`)
    ackedCases.push(after.json.id)
  }
  if (refused === 0) throw new Error(`${sc.op} ${sc.err} on ${sc.path}: the fault never reached a request`)

  const check = async () => {
    for (const id of ackedCases) {
      const r = await req(srv.port, 'GET', `/api/v1/cases/${id}`, { cookie })
      if (r.status !== 200) throw new Error(`acknowledged case ${id} answers ${r.status}`)
    }
    if (ackedUploads.length) {
      const m = await req(srv.port, 'GET', `/api/v1/cases/${upCase.json.id}/materials`, { cookie })
      if (m.status !== 200) throw new Error(`materials: ${m.status} ${m.text}`)
      const text = JSON.stringify(m.json)
      const ids = (m.json.items ?? m.json).length
      if (ids < ackedUploads.length) throw new Error(`${ackedUploads.length} uploads acknowledged, ${ids} on the case: ${text.slice(0, 300)}`)
      for (const sha of ackedUploads) {
        const p = join(s.data, 'files', sha.slice(0, 2), sha.slice(2, 4), sha)
        if (!existsSync(p)) throw new Error(`acknowledged upload ${sha} is not in the store`)
      }
    }
  }
  await check()
  srv.proc.kill('SIGTERM')
  const first = await srv.exited
  if (first.code !== 0) throw new Error(`server exit ${first.code}: ${srv.stderr().slice(-2000)}`)
  srv = await startServer(bin, { ...s, env: { ...s.env, LD_PRELOAD: '' } })
  ;({ cookie, csrf } = await signIn(srv.port))
  await check()
  srv.proc.kill('SIGTERM')
  if ((await srv.exited).code !== 0) throw new Error('server exit after restart')
  const env = { ...s, env: { ...s.env, LD_PRELOAD: '' } }
  for (const args of [['db', 'check'], ['audit', 'verify'], ['files', 'check', '--fix', '--min-age-s', '0']]) {
    const r = runCli(bin, env, args)
    if (r.status !== 0) throw new Error(`${args.join(' ')} after ${sc.op} ${sc.err}: ${r.out}`)
  }
  const clean = runCli(bin, env, ['files', 'check', '--min-age-s', '0'])
  if (clean.status !== 0) throw new Error(`files check not clean: ${clean.out}`)
  rmSync(s.dir, { recursive: true, force: true })
  return { acked: ackedCases.length + ackedUploads.length, refused }
}

let failed = 0
for (const sc of SCENARIOS) {
  const label = `${sc.op} ${sc.err} on ${sc.path} (${sc.kind}), N = ${NTH.join(', ')}`
  try {
    const r = await scenario(sc)
    console.log(`ok - ${label}: ${r.acked} acknowledged, ${r.refused} refused with 503, all present after restart; db check, audit verify, files check pass`)
  } catch (e) {
    failed++
    console.log(`not ok - ${label}: ${e.message}`)
  }
}
console.log(`${SCENARIOS.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
