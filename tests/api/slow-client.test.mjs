// Slow clients (hardening #24; src/http/server.c conn_watchdog): a client that keeps a
// connection busy by sending one header line (or one body byte) every little while is
// never idle, so the idle timeout never cuts it; the whole request must arrive within
// request_timeout_s.  This file starts its own server with OW_REQUEST_TIMEOUT_S=2 (on a
// fresh data directory, next to the one under test) so the test takes seconds.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'

const BIN = process.env.OW_SERVER_BIN
if (!BIN) throw new Error('run under scripts/with-server.sh (OW_SERVER_BIN)')
const TIMEOUT_S = 2

let dir, server, port

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'onewindow-slow-'))
  const init = spawnSync(BIN, ['--data-dir', join(dir, 'var'), 'init'], { encoding: 'utf8' })
  assert.equal(init.status, 0, init.stderr)
  server = spawn(BIN, ['--data-dir', join(dir, 'var'), 'serve', '--listen', '127.0.0.1:0',
    '--port-file', join(dir, 'port')], {
    env: { ...process.env, OW_REQUEST_TIMEOUT_S: String(TIMEOUT_S), OW_IDLE_TIMEOUT_S: '30' },
    stdio: 'ignore',
  })
  for (let i = 0; i < 300 && !(existsSync(join(dir, 'port')) && readFileSync(join(dir, 'port'), 'utf8')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  port = Number(readFileSync(join(dir, 'port'), 'utf8'))
  assert.ok(port > 0, 'the test server started')
})

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.on('exit', resolve))
    server.kill('SIGTERM')
    const code = await exited
    assert.equal(code, 0, 'the test server stopped cleanly')
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/**
 * Opens a connection, writes `first`, then `piece(i)` every `everyMs` until the server
 * closes the connection or `capMs` passes.  Resolves { closedAfterMs | null, text }.
 */
function trickle (first, piece, everyMs, capMs = 8000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port })
    const started = Date.now()
    const chunks = []
    let i = 0
    let closedAfterMs = null
    const tick = setInterval(() => { if (!sock.destroyed) sock.write(piece(i++)) }, everyMs)
    const cap = setTimeout(() => sock.destroy(), capMs)
    sock.on('data', (d) => chunks.push(d))
    sock.on('error', () => {})
    sock.on('end', () => { closedAfterMs ??= Date.now() - started })
    sock.on('close', () => {
      closedAfterMs ??= Date.now() - started < capMs ? Date.now() - started : null
      clearInterval(tick)
      clearTimeout(cap)
      resolve({ closedAfterMs, text: Buffer.concat(chunks).toString('utf8') })
    })
    sock.write(first)
  })
}

test('a request head trickling one header line at a time is cut at request_timeout_s', async () => {
  const r = await trickle('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n', (i) => `X-Slow-${i}: ${i}\r\n`, 300)
  assert.ok(r.closedAfterMs !== null, 'the server closed the connection (not the 8-second cap)')
  assert.ok(r.closedAfterMs >= TIMEOUT_S * 1000 - 100, `not before the deadline: ${r.closedAfterMs} ms`)
  assert.ok(r.closedAfterMs < TIMEOUT_S * 1000 + 1500, `at about the deadline: ${r.closedAfterMs} ms`)
  assert.equal(r.text, '', 'no answer to a request that never arrived')
})

test('a body trickling one byte at a time is cut at request_timeout_s', async () => {
  const head = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 1000\r\n\r\n'
  const r = await trickle(head, () => ' ', 300)
  assert.ok(r.closedAfterMs !== null, 'the server closed the connection (not the 8-second cap)')
  assert.ok(r.closedAfterMs < TIMEOUT_S * 1000 + 1500, `at about the deadline: ${r.closedAfterMs} ms`)
})

test('a kept-alive connection serves requests that each arrive in time', async () => {
  const probe = 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n'
  // a whole request every 0.9 s for longer than request_timeout_s: each one is on time
  const r = await trickle(probe, () => probe, 900, 3500)
  assert.equal(r.closedAfterMs, null, `kept open: ${r.text.slice(0, 200)}`)
  assert.ok((r.text.match(/HTTP\/1\.1 200 /g) ?? []).length >= 4, r.text.slice(0, 300))
})
