// Shared helpers for the black-box API tests (node:test + global fetch).
// The server under test comes from OW_BASE_URL, set by scripts/with-server.sh
// (`make test-api` starts the ASan server on a fresh demo database).
import assert from 'node:assert/strict'
import net from 'node:net'

export const BASE_URL = (process.env.OW_BASE_URL ?? '').replace(/\/+$/, '')
// One onewindow node itself, for the tests that probe its own HTTP parser: behind the
// two-node balancer (OW_NODE_URLS, scripts/with-server.sh) BASE_URL is nginx's, and nginx
// answers malformed requests itself.
export const NODE_URL = (process.env.OW_NODE_URLS || BASE_URL).split(' ')[0].replace(/\/+$/, '')
// Every node (scripts/with-server.sh): one on SQLite, two behind nginx on PostgreSQL.
export const NODE_URLS = (process.env.OW_NODE_URLS || BASE_URL).split(' ').filter(Boolean)
  .map((u) => u.replace(/\/+$/, ''))
if (!BASE_URL) {
  throw new Error('OW_BASE_URL is not set: run `make test-api`, or start a server and run ' +
    '`OW_BASE_URL=http://127.0.0.1:8080 node --test tests/api/`')
}

/** fetch against the server under test; the body is read once into text (and json when it parses). */
export async function call(path, { method = 'GET', headers = {}, body, duplex } = {}) {
  const res = await fetch(BASE_URL + path, { method, headers, body, duplex, redirect: 'manual' })
  const text = await res.text()
  let json
  try { json = text ? JSON.parse(text) : undefined } catch { json = undefined }
  return { status: res.status, headers: res.headers, text, json }
}

/** docs/architecture.md "Errors": {"error":{"code","field"?,"message"}} with the given
 * status and code. */
export function assertError(res, status, code) {
  assert.equal(res.status, status, `status for ${code}: ${res.text}`)
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/)
  assert.ok(res.json?.error, `an error body: ${res.text}`)
  assert.equal(res.json.error.code, code)
  assert.equal(typeof res.json.error.message, 'string')
  assert.ok(res.json.error.message.length > 0)
}

/** Every answer carries a request id to quote in a complaint or a log search. */
export function assertRequestId(res) {
  assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{16}$/)
}

/**
 * One raw HTTP/1.1 request over a socket, for what fetch would change before
 * sending: dot segments in the path (the URL parser removes them), odd framing.
 * The answer must carry a Content-Length.  Resolves with { status, headers, body }.
 */
export function rawRequest(head, body = Buffer.alloc(0)) {
  const { hostname, port } = new URL(BASE_URL)
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hostname, port: Number(port) })
    const chunks = []
    let done = false
    const finish = () => {
      if (done) return
      const buf = Buffer.concat(chunks)
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0) return
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
      const status = Number(lines[0].split(' ')[1])
      const headers = Object.fromEntries(lines.slice(1).map((l) => {
        const i = l.indexOf(':')
        return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]
      }))
      const len = Number(headers['content-length'] ?? NaN)
      const rest = buf.subarray(end + 4)
      if (Number.isNaN(len) || rest.length < len) return
      done = true
      sock.destroy()
      resolve({ status, headers, body: rest.subarray(0, len).toString('utf8') })
    }
    sock.setTimeout(10_000, () => { sock.destroy(); reject(new Error('raw request timed out')) })
    sock.on('data', (d) => { chunks.push(d); finish() })
    let error
    sock.on('error', (e) => { error = e })
    sock.on('close', () => { finish(); if (!done) reject(error ?? new Error('closed without an answer')) })
    sock.write(head)
    if (body.length) sock.write(body, () => {})
  })
}

// ---------------------------------------------------------------------------
// Signed-in requests (accounts, authz).  These go through node:http rather than
// fetch for one reason: `localAddress`.  The server throttles sign-in failures
// per client address, and every test runs from loopback; a test that needs its
// own address (brute force, the per-address throttle) binds to another 127.x.y.z
// so it neither trips nor is tripped by the others.

import http from 'node:http'

export const DEMO_PASSWORD = 'Demo@2026'
export const DEMO_USERS = ['demo-citizen', 'demo-enterprise', 'demo-agent', 'demo-clerk',
  'demo-township-clerk', 'demo-approver', 'demo-supervisor', 'demo-discloser', 'demo-admin']

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 })

/**
 * One request.  body: an object (sent as JSON), a string or a Buffer.  jar: a
 * session from signIn() (adds its cookie, and its CSRF token unless csrf: false).
 * Resolves { status, headers (a Headers), text, json, setCookie: [..] }.
 */
export function request (path, { method = 'GET', body, headers = {}, jar, csrf = true,
  localAddress, base } = {}) {
  const url = new URL((base ?? BASE_URL) + path)
  const h = { ...headers }
  let payload
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
    h['content-type'] ??= 'application/json'
    h['content-length'] = payload.length
  }
  if (jar?.cookie) h.cookie = jar.cookie
  if (jar?.csrf && csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = jar.csrf
  return new Promise((resolve, reject) => {
    const rq = http.request({
      host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: h,
      localAddress: localAddress ?? jar?.localAddress, agent: localAddress || jar?.localAddress ? undefined : keepAlive,
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const buf = Buffer.concat(chunks)
        const text = buf.toString('utf8')
        let json
        try { json = text ? JSON.parse(text) : undefined } catch { json = undefined }
        const hs = new Headers()
        for (const [k, v] of Object.entries(res.headers)) {
          for (const one of [].concat(v)) hs.append(k, one)
        }
        resolve({ status: res.statusCode, headers: hs, buf, text, json, setCookie: [].concat(res.headers['set-cookie'] ?? []) })
      })
    })
    rq.setTimeout(30_000, () => rq.destroy(new Error(`${method} ${path} timed out`)))
    rq.on('error', reject)
    if (payload) rq.write(payload)
    rq.end()
  })
}

/** The ow_session value a response set ('' when it cleared it, undefined when none). */
export function sessionCookie (res) {
  for (const c of res.setCookie ?? []) {
    const m = /^ow_session=([^;]*)/.exec(c)
    if (m) return m[1]
  }
  return undefined
}

/**
 * Sign in; resolves a session { cookie, csrf, user, res, localAddress } usable as
 * `jar` in request().  Fails the test unless the sign-in answered 200.
 */
export async function signIn (username, password = DEMO_PASSWORD, { localAddress, base } = {}) {
  const res = await request('/api/v1/session', { method: 'POST', body: { username, password }, localAddress, base })
  assert.equal(res.status, 200, `sign in as ${username}: ${res.text}`)
  const token = sessionCookie(res)
  assert.ok(token, 'a session cookie')
  return { cookie: `ow_session=${token}`, csrf: res.json.csrf_token, user: res.json.user, res, localAddress }
}

/** ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID number. */
export function idCheckChar (first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i]
  return '10X98765432'[s % 11]
}

/**
 * A valid resident ID number of the district for n >= 0: sequence n % 999 + 1 (000 is
 * not issued), born floor(n / 999) days after 1950-01-01: distinct n, distinct numbers.
 */
export function makeIdNumber (n) {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 999) * 86_400_000)
  const birth = d.toISOString().slice(0, 10).replaceAll('-', '')
  const first17 = `430903${birth}${String(n % 999 + 1).padStart(3, '0')}`
  return first17 + idCheckChar(first17)
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/** A valid unified social credit code (GB 32100-2015) of the district for n >= 0. */
export function makeUscc (n) {
  const org8 = 'MA' + String(n % 1_000_000).padStart(6, '0')
  const ow = [3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 8; i++) s += parseInt(org8[i], 36) * ow[i]
  const c9 = 11 - (s % 11)
  const first17 = '91430903' + org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9))
  let t = 0
  for (let i = 0; i < 17; i++) t += USCC_ALPHABET.indexOf(first17[i]) * (3 ** i % 31)
  return first17 + USCC_ALPHABET[(31 - (t % 31)) % 31]
}

/** A distinct, valid mainland mobile number for n. */
export function makeMobile (n) {
  return `139${String(n % 100000000).padStart(8, '0')}`
}

/** Unique-ish numbers per test run, so reruns against one server do not collide. */
/**
 * The server's clock in ms: scripts/with-server.sh runs it at a fixed instant in 2026
 * (OW_CLOCK_OFFSET_MS from the real clock), so tests date things by this, never by
 * Date.now() alone.
 */
export function serverNow () {
  return Date.now() + Number(process.env.OW_CLOCK_OFFSET_MS ?? 0)
}

/** The server's business date (Asia/Shanghai), YYYY-MM-DD, n calendar days back. */
export function serverToday (daysBack = 0) {
  return new Date(serverNow() + 8 * 3600e3 - daysBack * 86400e3).toISOString().slice(0, 10)
}

export function uniqueSeed () {
  return (Date.now() % 1_000_000) * 7 + Math.floor(Math.random() * 1000)
}
