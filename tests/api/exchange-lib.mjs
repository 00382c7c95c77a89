// Instances of onewindow for the exchange tests (docs/exchange.md): each with its own data
// directory, SQLite database, exchange key and port on loopback, started from the binary
// under test (OW_SERVER_BIN) with the clock scripts/with-server.sh set (OW_CLOCK_OFFSET_MS),
// and the envelope's canonical form and signature redone here, independently of the C
// code, to craft messages the receiver must take or refuse.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { request, signIn } from './lib.mjs'

const BIN = process.env.OW_SERVER_BIN
assert.ok(BIN, 'run under scripts/with-server.sh (OW_SERVER_BIN)')

export function freePort () {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

function run (args, env) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => { out += d })
    p.stderr.on('data', (d) => { out += d })
    p.on('close', (code) => resolve({ code, out }))
  })
}

/**
 * An instance: { name, role, dir, port, url, env, key: {keyId, publicKey}, start(), kill(sig), stop() }.
 * Its own SQLite database even when the suite runs on PostgreSQL: the three instances are
 * three organisations, each with its own database.
 */
export async function makeInstance ({ name, role = 'district', city = '', retryMaxS = 1, root, holderKey = '' }) {
  const dir = fs.mkdtempSync(path.join(root ?? os.tmpdir(), `ow-ex-${name}-`))
  const env = {
    ...process.env,
    OW_DATABASE: '',
    OW_TRUSTED_PROXIES: '',
    OW_EXCHANGE_INSTANCE: name,
    OW_INSTANCE_ROLE: role,
    OW_EXCHANGE_CITY: city,
    OW_EXCHANGE_RETRY_MAX_S: String(retryMaxS),
    OW_EXCHANGE_HOLDER_KEY: holderKey,
  }
  // a district's case numbers start with its region code (430903-20261124-00011)
  if (role === 'district') env.OW_REGION_CODE = name
  const data = path.join(dir, 'var')
  // joined to the city after the demo data was loaded: the demo's own cases stay home
  const init = await run(['--data-dir', data, 'init', '--demo'], { ...env, OW_EXCHANGE_CITY: '' })
  assert.equal(init.code, 0, init.out)
  const k = spawnSync(BIN, ['--data-dir', data, 'exchange', 'key'], { env, encoding: 'utf8' })
  assert.equal(k.status, 0, k.stderr)
  const [inst, keyId, publicKey] = k.stdout.trim().split(' ')
  assert.equal(inst, name)
  const port = await freePort()
  const me = {
    name, role, dir, data, port, env, url: `http://127.0.0.1:${port}`, key: { keyId, publicKey }, proc: null,
    logs: [],
    cli (...args) {
      const r = spawnSync(BIN, ['--data-dir', data, ...args], { env, encoding: 'utf8' })
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`)
      return r.stdout
    },
    async start () {
      const log = fs.openSync(path.join(dir, `server-${me.logs.length}.log`), 'w')
      me.logs.push(log)
      for (let attempt = 0; attempt < 50; attempt++) {
        const p = spawn(BIN, ['--data-dir', data, 'serve', '--listen', `127.0.0.1:${port}`], {
          env, stdio: ['ignore', log, log],
        })
        me.proc = p
        let exited = false
        p.once('exit', () => { exited = true })
        for (let i = 0; i < 300 && !exited; i++) {
          try {
            const r = await request('/api/v1/health', { base: me.url })
            if (r.status === 200) return me
          } catch { /* not listening yet */ }
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        if (!exited) throw new Error(`${name} did not answer on ${port}`)
        await new Promise((resolve) => setTimeout(resolve, 200)) // the port is not free yet
      }
      throw new Error(`${name} could not listen on ${port}`)
    },
    kill (signal = 'SIGKILL') {
      const p = me.proc
      me.proc = null
      if (!p || p.exitCode !== null) return Promise.resolve(p?.exitCode)
      return new Promise((resolve) => { p.once('exit', (code, sig) => resolve(code ?? sig)); p.kill(signal) })
    },
    async stop () {
      const code = await me.kill('SIGTERM')
      for (const fd of me.logs.splice(0)) fs.closeSync(fd)
      return code
    },
    /** the instance's directory, once it stopped cleanly (kept for inspection otherwise) */
    remove () { if (!process.env.OW_TEST_KEEP) fs.rmSync(dir, { recursive: true, force: true }) },
    signIn (user) { return signIn(user, undefined, { base: me.url }) },
    secretKey () {
      // exchange.key: "{key_id} {created_at} {libsodium secret key: seed || public, hex}"
      const line = fs.readFileSync(path.join(data, 'exchange.key'), 'utf8').trim().split('\n').pop()
      const [kid, , sk] = line.split(' ')
      return { keyId: kid, key: privateKeyFromSeed(Buffer.from(sk.slice(0, 64), 'hex')) }
    },
  }
  return me
}

/** peer add on `on` for `peer` */
export function register (on, peer, role) {
  on.cli('exchange', 'peer', 'add', peer.name, peer.url, peer.key.publicKey, '--role', role, '--name', peer.name)
}

export function privateKeyFromSeed (seed) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed])
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
}

export function publicKeyHex (privateKey) {
  const der = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return der.subarray(der.length - 32).toString('hex')
}

export function keyIdOf (publicHex) {
  return crypto.createHash('sha256').update(Buffer.from(publicHex, 'hex')).digest('hex').slice(0, 16)
}

// jansson's JSON_COMPACT | JSON_SORT_KEYS for the plain payloads the tests send
function canonical (v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
  if (v && typeof v === 'object') {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}'
  }
  return JSON.stringify(v)
}

export function payloadHash (payload) {
  return crypto.createHash('sha256').update(canonical(payload)).digest('hex')
}

/** A signed envelope, as docs/exchange.md "The canonical form" says. */
export function envelope ({ id, sender, receiver, at, type, payload, keyId, key }) {
  const lines = ['ow-exchange-1', id, sender, receiver, String(at), type, keyId, payloadHash(payload)]
  const sig = crypto.sign(null, Buffer.from(lines.join('\n') + '\n'), key).toString('base64')
  return { v: 1, id, sender, receiver, at, type, key_id: keyId, payload, sig }
}

/** Verify a receipt with the receiver's public key (hex). */
export function receiptVerifies (r, publicHex) {
  const lines = ['ow-receipt-1', r.message_id, r.sender, r.receiver, String(r.at), r.status, r.payload_hash, r.key_id]
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicHex, 'hex')])
  const pub = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' })
  return crypto.verify(null, Buffer.from(lines.join('\n') + '\n'), pub, Buffer.from(r.sig, 'base64'))
}

export function post (inst, messages) {
  return request('/api/v1/exchange/messages', { method: 'POST', base: inst.url, body: { messages } })
}

/** Wait until fn() resolves truthy (polling), or fail after ms. */
export async function until (fn, ms = 60_000, what = 'condition') {
  const end = Date.now() + ms
  let last
  while (Date.now() < end) {
    last = await fn()
    if (last) return last
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`)
}
