// Request framing (RFC 9112, hardening #24; src/http/server.c framing_error): a head
// that two parsers could read differently (nginx in front, libmicrohttpd behind) is
// answered 400 with a JSON error and Connection: close, and nothing after it on the
// same connection is ever answered — the appended request is what a smuggler hides.
// Raw sockets: fetch would never send any of these.
import assert from 'node:assert/strict'
import net from 'node:net'
import { test } from 'node:test'
import { NODE_URL } from './lib.mjs'

/**
 * Writes `data` on a fresh connection and collects everything the server sends until
 * it closes the connection (or `waitMs` passes: then timedOut).  Resolves with
 * { text, timedOut, responses } where responses counts status lines.
 */
function exchange (data, waitMs = 5000) {
  const { hostname, port } = new URL(NODE_URL)
  return new Promise((resolve) => {
    const sock = net.connect({ host: hostname, port: Number(port) })
    const chunks = []
    let timedOut = false
    const timer = setTimeout(() => { timedOut = true; sock.destroy() }, waitMs)
    sock.on('data', (d) => chunks.push(d))
    sock.on('error', () => {})
    sock.on('close', () => {
      clearTimeout(timer)
      const text = Buffer.concat(chunks).toString('utf8')
      resolve({ text, timedOut, responses: (text.match(/HTTP\/1\.[01] \d{3} /g) ?? []).length })
    })
    sock.write(data)
  })
}

/** The first response of an exchange: status, lower-cased headers, parsed JSON body. */
function firstResponse (text) {
  const end = text.indexOf('\r\n\r\n')
  assert.ok(end > 0, `a response head in ${JSON.stringify(text)}`)
  const lines = text.slice(0, end).split('\r\n')
  const headers = Object.fromEntries(lines.slice(1).map((l) => {
    const i = l.indexOf(':')
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]
  }))
  const len = Number(headers['content-length'])
  const body = Buffer.from(text.slice(end + 4)).subarray(0, len).toString('utf8')
  let json
  try { json = JSON.parse(body) } catch { json = undefined }
  return { status: Number(lines[0].split(' ')[1]), headers, body, json }
}

const SMUGGLED = 'GET /api/v1/audit HTTP/1.1\r\nHost: x\r\n\r\n'
const PROBE = 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'

async function assertRejected (name, head, field) {
  // each malformed head is followed by a well-formed request that must go unanswered
  const res = await exchange(head + PROBE)
  assert.equal(res.timedOut, false, `${name}: the server closes the connection`)
  assert.equal(res.responses, 1, `${name}: exactly one answer, got ${JSON.stringify(res.text)}`)
  const r = firstResponse(res.text)
  assert.equal(r.status, 400, `${name}: ${res.text}`)
  assert.equal(r.headers.connection, 'close', name)
  assert.match(r.headers['content-type'] ?? '', /^application\/json/, name)
  assert.equal(r.json?.error?.code, 'bad_request', `${name}: ${r.body}`)
  if (field) assert.equal(r.json.error.field, field, name)
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `${name}: a Chinese message`)
}

test('a well-formed request on the same socket is answered and the connection kept', async () => {
  const res = await exchange(PROBE + PROBE, 1500)
  assert.equal(res.responses, 2, res.text)
  assert.equal(res.timedOut, true, 'keep-alive: the server leaves the connection open')
})

test('two Content-Length headers, different or equal, are 400 and close', async () => {
  const post = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
  await assertRejected('different', `${post}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x`,
    'Content-Length')
  await assertRejected('equal', `${post}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}`,
    'Content-Length')
})

test('Content-Length with Transfer-Encoding: chunked is 400, the smuggled GET unanswered', async () => {
  const head = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' + SMUGGLED
  await assertRejected('CL.TE', head, 'Content-Length')
})

test('a Transfer-Encoding other than chunked is 400 at once, not a 30-second hang', async () => {
  const post = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
  const started = Date.now()
  await assertRejected('xchunked', `${post}Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    'Transfer-Encoding')
  await assertRejected('gzip, chunked', `${post}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    'Transfer-Encoding')
  await assertRejected('two TE', `${post}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    'Transfer-Encoding')
  await assertRejected('HTTP/1.0', 'POST /api/v1/session HTTP/1.0\r\nContent-Type: application/json\r\n' +
    'Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n', 'Transfer-Encoding')
  assert.ok(Date.now() - started < 4000, 'answered without waiting for a body')
})

test('a bare CR in a header value is 400', async () => {
  await assertRejected('bare CR', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n', 'X-A')
})

test('obs-fold (a header line starting with space or tab) is 400', async () => {
  await assertRejected('space', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n')
  await assertRejected('tab', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n')
  await assertRejected('first line', 'GET /api/v1/health HTTP/1.1\r\n Host: x\r\n\r\n')
})

test('a space or a control character in the request target is 400; %20 is fine', async () => {
  await assertRejected('raw SP', 'GET /api/v1/health x HTTP/1.1\r\nHost: x\r\n\r\n', 'url')
  await assertRejected('bare CR', 'GET /api/v1/health\rx HTTP/1.1\r\nHost: x\r\n\r\n', 'url')
  await assertRejected('SP in query', 'GET /api/v1/items?q=a b HTTP/1.1\r\nHost: x\r\n\r\n', 'url')
  const encoded = await exchange('GET /api/v1/items?q=%E5%A9%9A%E5%A7%BB%20a HTTP/1.1\r\nHost: x\r\n\r\n', 1500)
  assert.equal(firstResponse(encoded.text).status, 200, encoded.text.slice(0, 300))
})

test('whitespace between a header name and its colon is 400', async () => {
  await assertRejected('name SP', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n')
})

test('HTTP/1.1 without Host, or with two, is 400; HTTP/1.0 needs none', async () => {
  await assertRejected('no Host', 'GET /api/v1/health HTTP/1.1\r\n\r\n', 'Host')
  await assertRejected('two Host', 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', 'Host')
  const old = await exchange('GET /api/v1/health HTTP/1.0\r\n\r\n')
  assert.equal(firstResponse(old.text).status, 200, old.text)
})

test('a negative or signed Content-Length is 400 and closes', async () => {
  for (const cl of ['-1', '+2', '1, 2']) {
    const res = await exchange(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: ${cl}\r\n\r\n` + PROBE)
    assert.equal(res.timedOut, false, `${cl}: closed`)
    const r = firstResponse(res.text)
    assert.equal(r.status, 400, `${cl}: ${res.text}`)
    assert.equal(r.headers.connection, 'close')
    assert.doesNotMatch(res.text, /"status":"ok"/, `${cl}: the pipelined request is not answered`)
  }
})

// libmicrohttpd rejects these Content-Length values itself, before our handler runs,
// and 0.9.75-0.9.77 write that 400's status line and headers twice (see server.c).
test('a malformed Content-Length gets one well-formed answer', {
  todo: 'libmicrohttpd 0.9.75 bug: its own 400 repeats the status line and headers',
}, async () => {
  const res = await exchange('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n')
  assert.equal(res.responses, 1, res.text)
})
