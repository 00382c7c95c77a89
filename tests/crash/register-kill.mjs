#!/usr/bin/env node
// Crash safety of the first real write endpoint (issue 4, docs/style.md "Tests"):
// nothing acknowledged is lost when the server dies mid-write.
//
//   node tests/crash/register-kill.mjs [--bin build-asan/onewindow] [--clients 16] [N]
//
// Once: a fresh data directory with `init --demo`.  Then N times, on that same
// directory: start `serve` (port 0 + --port-file), let 16 clients register
// citizens with distinct valid ID numbers as fast as they can, SIGKILL the server
// at a random moment of the burst, start it again, sign in as demo-admin and
// check that every registration that was answered 202 is there (GET
// /api/v1/users?q=NAME: one account, the masked ID number matches), stop it, and run
// `onewindow audit verify`, which must exit 0.  The binary comes from --bin,
// OW_SERVER_BIN or build-asan/onewindow; N defaults to 20 (`make test`), `make
// crash` runs 200.  Exit 0 when every iteration held, 1 otherwise.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs, request as req, runCli, scratch, startServer as start } from './lib.mjs'

const { bin, clients, iterations } = parseArgs({ clients: 16, iterations: 20 })
// one address registers them all: no registration throttle here (register_max 0)
const s = scratch('onewindow-crash.', { OW_REGISTER_MAX: '0' })
const { dir } = s
const run = (cmdArgs) => runCli(bin, s, cmdArgs)
const startServer = () => start(bin, s)

// ---- numbers ----
function idNumber (n) {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 999) * 86_400_000)
  const first17 = `430903${d.toISOString().slice(0, 10).replaceAll('-', '')}${String(n % 999 + 1).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[s % 11] // ISO 7064 MOD 11-2
}

let nextNumber = 0
const everAcked = []

async function iteration (k) {
  const srv = await startServer()
  const acked = []
  let stop = false
  let sent = 0
  let lost = 0
  const client = async () => {
    while (!stop) {
      const n = nextNumber++
      const body = { kind: 'citizen', id_number: idNumber(n), name: `崩溃测试${n}`, mobile: `139${String(n).padStart(8, '0')}`, password: 'Crash#2026x' }
      sent++
      try {
        const res = await req(srv.port, 'POST', '/api/v1/accounts', { json: body })
        // 202: accepted (the answer is the same whether the number was new or not; these are new)
        if (res.status === 202) acked.push({ name: body.name, id_number: body.id_number })
        else if (res.status !== 503) throw new Error(`registration answered ${res.status}: ${res.text}`)
      } catch (e) {
        if (e.message.startsWith('registration answered')) throw e
        lost++ // the server died under this request: it may or may not be stored
        if (srv.proc.exitCode !== null || srv.proc.signalCode) return
        await sleep(5)
      }
    }
  }
  const running = Array.from({ length: clients }, client)
  // kill somewhere in the burst, once writes are flowing
  const delay = 150 + Math.floor(Math.random() * 700)
  await sleep(delay)
  srv.proc.kill('SIGKILL')
  await srv.exited
  stop = true
  await Promise.all(running)

  const again = await startServer()
  let missing = []
  try {
    const signin = await req(again.port, 'POST', '/api/v1/session', { json: { username: 'demo-admin', password: 'Demo@2026' } })
    if (signin.status !== 200) throw new Error(`admin sign-in after restart: ${signin.status} ${signin.text}`)
    const cookie = signin.headers['set-cookie'].find((c) => c.startsWith('ow_session=')).split(';')[0]
    // this round's acknowledgements, and a sample of the earlier rounds'
    const sample = everAcked.length ? Array.from({ length: 10 }, () => everAcked[Math.floor(Math.random() * everAcked.length)]) : []
    for (const a of [...acked, ...sample]) {
      const res = await req(again.port, 'GET', `/api/v1/users?kind=citizen&per_page=100&q=${encodeURIComponent(a.name)}`, { cookie })
      const want = `430903********${a.id_number.slice(14)}`
      const found = res.status === 200 ? res.json.items.filter((u) => u.name === a.name) : []
      if (found.length !== 1 || found[0].id_number !== want) {
        missing.push(`${a.name}: ${res.status} ${res.text.slice(0, 120)}`)
      }
    }
  } finally {
    again.proc.kill('SIGTERM')
    const { code, signal } = await again.exited
    if (code !== 0) missing.push(`restarted server exited with ${code ?? signal}: ${again.stderr().slice(-500)}`)
  }
  everAcked.push(...acked)
  const verify = run(['audit', 'verify'])
  const ok = missing.length === 0 && verify.status === 0
  console.log(`${ok ? 'ok' : 'FAIL'} ${k}: killed after ${delay} ms; ${sent} sent, ${acked.length} acknowledged, ` +
    `${lost} cut off; ${verify.out.trim()}`)
  for (const m of missing.slice(0, 10)) console.log(`   missing: ${m}`)
  if (verify.status !== 0) console.log(`   audit verify exit ${verify.status}`)
  return ok
}

const init = run(['init', '--demo'])
if (init.status !== 0) { console.error(`init failed: ${init.out}`); process.exit(1) }
const t0 = Date.now()
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
const secs = ((Date.now() - t0) / 1000).toFixed(1)
if (failed) {
  console.log(`register-kill: FAILED (kept ${dir})`)
  writeFileSync(join(dir, 'acked.json'), JSON.stringify(everAcked))
  process.exit(1)
}
console.log(`register-kill: ${iterations} kills, ${everAcked.length} acknowledged registrations all found, audit chain intact (${secs} s)`)
rmSync(dir, { recursive: true, force: true })
