// Shared helpers for the black-box API tests (node:test + global fetch).
// The server under test comes from OW_BASE_URL, set by scripts/with-server.sh
// (`make test-api` starts the ASan server on a fresh demo database).
import assert from 'node:assert/strict'
import net from 'node:net'

export const BASE_URL = (process.env.OW_BASE_URL ?? '').replace(/\/+$/, '')
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

/** DESIGN.md 4: {"error":{"code","field"?,"message"}} with the given status and code. */
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
