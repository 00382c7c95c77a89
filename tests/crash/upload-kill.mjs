#!/usr/bin/env node
// Crash safety of uploads (issue 7, src/files/files.h): kill -9 of the server in the
// middle of many uploads leaves no row without its file; files without a row (the
// crash fell between rename and commit) and temporary files are found and removed by
// `onewindow files check --fix`.
//
//   node tests/crash/upload-kill.mjs [--bin build-asan/onewindow] [--clients 8] [N]
//
// Once: a fresh data directory with `init --demo`.  Then N times: start `serve`, sign
// in as demo-citizen, file a case, let the clients upload PDFs of random size
// (64 KB – 2 MB) to it as fast as they can, SIGKILL the server mid-burst, then:
// `files check` must report no row without its file (exit 1 only for orphans), every
// upload answered 201 must be on disk with its SHA-256, and `files check --fix
// --min-age-s 0` must leave the store clean (exit 0).  Exit 0 when every round held.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs, request as req, runCli, scratch, startServer as start } from './lib.mjs'

const { bin, clients, iterations } = parseArgs({ clients: 8, iterations: 5 })
const s = scratch('onewindow-upcrash.', { OW_UPLOAD_CASE_MAX_BYTES: String(8 * 1024 * 1024 * 1024), OW_UPLOAD_CONCURRENCY: '64' })
const { dir, data } = s
const run = (cmdArgs) => runCli(bin, s, cmdArgs)
const startServer = () => start(bin, s)

function pdf (size) {
  const b = randomBytes(size)
  Buffer.from('%PDF-1.4\n').copy(b)
  return b
}

async function iteration (k) {
  const srv = await startServer()
  const signin = await req(srv.port, 'POST', '/api/v1/session', { json: { username: 'demo-citizen', password: 'Demo@2026' } })
  if (signin.status !== 200) throw new Error(`sign-in: ${signin.status} ${signin.text}`)
  const cookie = signin.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0]
  const csrf = signin.json.csrf_token
  const items = await req(srv.port, 'GET', '/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const c = await req(srv.port, 'POST', '/api/v1/cases', { json: { item_id: item.id, materials: [] }, cookie, csrf })
  if (c.status !== 201) throw new Error(`case: ${c.status} ${c.text}`)
  const path = `/api/v1/cases/${c.json.id}/materials/upload?material=${encodeURIComponent('居民户口簿')}&filename=scan.pdf`
  const acked = []
  let stop = false
  let sent = 0
  let lost = 0
  const client = async () => {
    while (!stop) {
      const body = pdf(65536 + Math.floor(Math.random() * 2 * 1024 * 1024))
      sent++
      try {
        const r = await req(srv.port, 'POST', path, { body, cookie, csrf, type: 'application/pdf' })
        if (r.status === 201) acked.push(createHash('sha256').update(body).digest('hex'))
        else if (r.status !== 503 && r.status !== 429) throw new Error(`upload answered ${r.status}: ${r.text}`)
      } catch (e) {
        if (e.message.startsWith('upload answered')) throw e
        lost++
        if (srv.proc.exitCode !== null || srv.proc.signalCode) return
        await sleep(5)
      }
    }
  }
  const running = Array.from({ length: clients }, client)
  const delay = 200 + Math.floor(Math.random() * 800)
  await sleep(delay)
  srv.proc.kill('SIGKILL')
  await srv.exited
  stop = true
  await Promise.all(running)

  const problems = []
  const before = run(['files', 'check'])
  if (/ [1-9]\d* rows without their file/.test(before.out) || before.status > 1) problems.push(`check: ${before.out.trim()}`)
  for (const sha of acked) {
    const p = join(data, 'files', sha.slice(0, 2), sha.slice(2, 4), sha)
    if (!existsSync(p)) problems.push(`acknowledged upload ${sha} has no file`)
    else if (createHash('sha256').update(readFileSync(p)).digest('hex') !== sha) problems.push(`${sha}: content differs`)
  }
  const fix = run(['files', 'check', '--fix', '--min-age-s', '0'])
  if (fix.status !== 0) problems.push(`check --fix: ${fix.out.trim()}`)
  const after = run(['files', 'check', '--min-age-s', '0'])
  if (after.status !== 0) problems.push(`check after fix: ${after.out.trim()}`)
  const ok = problems.length === 0
  console.log(`${ok ? 'ok' : 'FAIL'} ${k}: killed after ${delay} ms; ${sent} sent, ${acked.length} acknowledged, ` +
    `${lost} cut off; before fix: ${before.out.trim().split('\n')[0]}`)
  for (const p of problems.slice(0, 10)) console.log(`   ${p}`)
  return ok
}

const init = run(['init', '--demo'])
if (init.status !== 0) { console.error(`init failed: ${init.out}`); process.exit(1) }
let failed = 0
for (let k = 1; k <= iterations; k++) {
  try {
    if (!(await iteration(k))) failed++
  } catch (e) {
    console.log(`FAIL ${k}: ${e.stack ?? e}`)
    failed++
  }
  if (failed) break
}
const reports = readdirSync(dir).filter((f) => f.startsWith('asan') || f.startsWith('ubsan'))
if (reports.length) {
  console.log('sanitizer reports:')
  for (const f of reports) console.log(readFileSync(join(dir, f), 'utf8'))
  failed++
}
if (failed) {
  console.log(`upload-kill: FAILED (kept ${dir})`)
  process.exit(1)
}
console.log(`upload-kill: ${iterations} kills, every acknowledged upload on disk, no row without its file, orphans cleaned`)
rmSync(dir, { recursive: true, force: true })
