#!/usr/bin/env node
// bench/exchange.mjs BINARY [--report FILE] — does the outbox keep up with the district
// (issue 19)?  Run by `make bench` through bench/exchange.sh.
//
// A district and a city, each a fresh demo data directory on SQLite, registered to each
// other, both at 2026-11-24 09:00 (the clock the tests use).  Then, in one run:
//
//   1. submit   the city is down.  OW_EX_CLIENTS (32) clients file 即办 cases at the
//               district for OW_EX_SECONDS (15 s): each case is three writes (file,
//               approve at the window, deliver) and queues three messages (accepted,
//               decided, concluded).  The district's own submit rate is the messages it
//               queued per second — the reference.
//   2. drain    the city starts; the time until the district's outbox is empty (polled
//               every 50 ms through GET /api/v1/health) gives messages delivered per
//               second from a full outbox.
//   3. both     the two at once: the clients file for OW_EX_SECONDS again with the city
//               up; the outbox's depth is sampled, and its depth at the end and the time
//               to drain what was left say whether delivery kept pace.
//
// The ratio delivered/s ÷ queued/s must be above 1 for the outbox to keep up.  The load
// clients, the district, the city and the sender share the machine's cores; the report
// (bench/RESULTS-exchange.md unless --report) says the load before and after.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const args = process.argv.slice(2)
const bin = resolve(args[0] ?? 'build-bench/onewindow')
const reportIdx = args.indexOf('--report')
const report = reportIdx >= 0 ? args[reportIdx + 1] : 'bench/RESULTS-exchange.md'
const CLIENTS = Number(process.env.OW_EX_CLIENTS ?? 32)
const SECONDS = Number(process.env.OW_EX_SECONDS ?? 15)
const PASSWORD = 'Demo@2026'
const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
const root = mkdtempSync(join(os.tmpdir(), 'ow-bench-exchange-'))
const baseEnv = {
  ...process.env,
  OW_CLOCK_OFFSET_MS: String(Date.parse('2026-11-24T09:00:00+08:00') - Date.now()),
  OW_LOG_LEVEL: 'warn',
  OW_DATABASE: '',
  OW_EXCHANGE_RETRY_MAX_S: '1',
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
function request (base, path, { method = 'GET', body, jar } = {}) {
  const url = new URL(base + path)
  const h = {}
  let payload
  if (body !== undefined) {
    payload = Buffer.from(JSON.stringify(body))
    h['content-type'] = 'application/json'
    h['content-length'] = payload.length
  }
  if (jar) { h.cookie = jar.cookie; h['x-csrf-token'] = jar.csrf }
  return new Promise((resolve, reject) => {
    const rq = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json
        try { json = JSON.parse(text) } catch { json = undefined }
        resolve({ status: res.statusCode, text, json, setCookie: [].concat(res.headers['set-cookie'] ?? []) })
      })
    })
    rq.on('error', reject)
    if (payload) rq.write(payload)
    rq.end()
  })
}

async function signIn (base, username) {
  const r = await request(base, '/api/v1/session', { method: 'POST', body: { username, password: PASSWORD } })
  if (r.status !== 200) throw new Error(`sign in ${username}: ${r.text}`)
  const m = /ow_session=([^;]*)/.exec(r.setCookie.join('\n'))
  return { cookie: `ow_session=${m[1]}`, csrf: r.json.csrf_token }
}

function freePort () {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)) })
  })
}

async function instance (name, role, city) {
  const data = join(root, name)
  const env = { ...baseEnv, OW_EXCHANGE_INSTANCE: name, OW_INSTANCE_ROLE: role, OW_EXCHANGE_CITY: '' }
  if (role === 'district') env.OW_REGION_CODE = name
  const init = spawnSync(bin, ['--data-dir', data, 'init', '--demo'], { env, encoding: 'utf8' })
  if (init.status !== 0) throw new Error('init failed: ' + init.stdout + init.stderr)
  env.OW_EXCHANGE_CITY = city
  const key = spawnSync(bin, ['--data-dir', data, 'exchange', 'key'], { env, encoding: 'utf8' }).stdout.trim().split(' ')
  const port = await freePort()
  const me = {
    name, data, env, port, url: `http://127.0.0.1:${port}`, publicKey: key[2], proc: null,
    cli (...a) {
      const r = spawnSync(bin, ['--data-dir', data, ...a], { env, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(a.join(' ') + ': ' + r.stdout + r.stderr)
    },
    async start () {
      me.proc = spawn(bin, ['--data-dir', data, 'serve', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] })
      for (let i = 0; i < 300; i++) {
        try { if ((await request(me.url, '/api/v1/health')).status === 200) return } catch { }
        await sleep(100)
      }
      throw new Error(name + ' did not start')
    },
    stop () {
      return new Promise((resolve) => { me.proc.once('exit', resolve); me.proc.kill('SIGTERM') })
    },
  }
  return me
}

const depth = async (inst) => (await request(inst.url, '/api/v1/health')).json.details.exchange.queue_depth

async function file (district, stopAt) {
  const [citizen, clerk] = await Promise.all([signIn(district.url, 'demo-citizen'), signIn(district.url, 'demo-clerk')])
  const items = await request(district.url, '/api/v1/items?q=' + encodeURIComponent('补领结婚证、离婚证'))
  const it = items.json.items.find((i) => i.name === '补领结婚证、离婚证')
  const g = await request(district.url, `/api/v1/items/${it.id}`)
  const materials = g.json.materials.filter((m) => m.required === 'yes').map((m) => m.name)
  let cases = 0
  const one = async () => {
    while (Date.now() < stopAt) {
      const r = await request(district.url, '/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: it.id, materials } })
      if (r.status !== 201) throw new Error('file: ' + r.text)
      for (const body of [{ action: 'approve', comment: '当场办结' }, { action: 'deliver', delivery: 'window' }]) {
        const t = await request(district.url, `/api/v1/cases/${r.json.id}/transitions`, { method: 'POST', jar: clerk, body })
        if (t.status !== 200) throw new Error('transition: ' + t.text)
      }
      cases++
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, one))
  return cases
}

async function drain (district) {
  const t0 = Date.now()
  for (;;) {
    if ((await depth(district)) === 0) return (Date.now() - t0) / 1000
    await sleep(50)
  }
}

const city = await instance('4309', 'city', '')
const district = await instance('430903', 'district', '4309')
district.cli('exchange', 'peer', 'add', '4309', city.url, city.publicKey, '--role', 'city')
city.cli('exchange', 'peer', 'add', '430903', district.url, district.publicKey, '--role', 'district')
await district.start()

// 1. submit, the city down
let t0 = Date.now()
const cases1 = await file(district, t0 + SECONDS * 1000)
const submitS = (Date.now() - t0) / 1000
const queued1 = await depth(district)
const queuedRate = queued1 / submitS

// 2. drain a full outbox
await city.start()
await sleep(0)
const drainS = await drain(district)
const deliveredRate = queued1 / drainS

// 3. both at once
const samples = []
t0 = Date.now()
const sampler = (async () => {
  while (Date.now() < t0 + SECONDS * 1000) { samples.push(await depth(district)); await sleep(250) }
})()
const cases3 = await file(district, t0 + SECONDS * 1000)
const bothS = (Date.now() - t0) / 1000
await sampler
const leftAtEnd = await depth(district)
const tailS = await drain(district)
const sup = await signIn(city.url, 'demo-supervisor')
const cityStats = (await request(city.url, '/api/v1/exchange/city', { jar: sup })).json
const atCity = cityStats.districts.find((d) => d.district === '430903')

await district.stop()
await city.stop()
rmSync(root, { recursive: true, force: true })
const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

const f = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const maxDepth = Math.max(0, ...samples)
const md = `# The exchange's outbox against the district's own submissions (issue 19)

Command: \`make bench\` (\`bench/exchange.sh build-bench/onewindow\`, the Release build);
${CLIENTS} clients, ${SECONDS} s per phase; a district and a city on SQLite on loopback, on
this project's 2-core machine shared by the load clients, both servers and the sender.
Load average before ${loadBefore}, after ${loadAfter}. Each 即办 case is three writes at
the district (file, approve at the window, deliver) and queues three messages.

| phase | what | figure |
|---|---|---:|
| 1. submit (city down) | cases filed and concluded | ${f(cases1)} in ${f(submitS, 1)} s |
| | messages queued per second (the district's own submit rate: the reference) | ${f(queuedRate, 1)} |
| 2. drain (city up) | messages in the full outbox | ${f(queued1)} |
| | time to deliver them all | ${f(drainS, 2)} s |
| | **messages delivered per second** | **${f(deliveredRate, 1)}** |
| | **ratio delivered / queued per second** | **${f(deliveredRate / queuedRate, 2)}** |
| 3. both at once | cases filed and concluded while delivering | ${f(cases3)} in ${f(bothS, 1)} s (${f(3 * cases3 / bothS, 1)} messages/s queued) |
| | outbox depth sampled every 250 ms: largest | ${f(maxDepth)} |
| | left at the end, and drained in | ${f(leftAtEnd)}, ${f(tailS, 2)} s |
| | the city's count of the district's cases afterwards | ${f(atCity?.cases ?? 0)} of ${f(cases1 + cases3)} |

The outbox ${deliveredRate > queuedRate ? 'keeps up' : 'does NOT keep up'} with the district: a full outbox empties at
${f(deliveredRate / queuedRate, 2)} times the rate at which the district fills it at its own full
submit rate. Delivery goes in batches of up to 100 messages per POST, each batch applied
by the city in one transaction and settled at the district in one more, so a backlog costs
few fsyncs per message; while both run, the sender and the filing share the district's
single writer.
`
writeFileSync(report, md)
console.log(md)
if (atCity?.cases !== cases1 + cases3) { console.error('the city did not get every case'); process.exit(1) }
