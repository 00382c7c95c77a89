#!/usr/bin/env node
// TCP proxies of the failover test (tests/ha/failover.mjs): in front of each PostgreSQL
// node for the onewindow nodes, and between each node's Patroni and etcd, so that a round
// can cut one node off from both.  In a process of their own so that the test's
// synchronous calls (ha.sh, the CLI) never hold up their traffic.
//
//   node tests/ha/pg-proxy.mjs LISTEN:TARGET…   (LISTEN 0: any free port) prints one line:
//   the proxies' ports, in order; then reads "cut N" / "heal N" (N from 1) on stdin,
//   answering "ok" to each.
//
// While cut, nothing passes either way on a proxy's connections (what arrives is read and
// dropped, so this machine's kernel still acknowledges it: only the client's own deadline
// ends its wait) and new connections are accepted and never answered.  heal closes what
// was cut and lets new connections through again.  Otherwise a proxy stands for its node
// as it is: while nothing listens on the node's port the proxy does not listen either, so
// a client is refused at once, as by a dead host, and libpq moves on to the next host (a
// connection accepted and then closed would end its whole attempt instead).
import net from 'node:net'
import { createInterface } from 'node:readline'

async function proxy (listen, port) {
  const p = { cut: false, socks: new Set() }
  const track = (x) => { p.socks.add(x); x.on('close', () => p.socks.delete(x)); x.on('error', () => {}) }
  p.server = net.createServer((c) => {
    track(c)
    if (p.cut) { c.on('data', () => {}); return }
    const u = net.connect(port, '127.0.0.1')
    track(u)
    c.on('data', (d) => { if (!p.cut) u.write(d) })
    u.on('data', (d) => { if (!p.cut) c.write(d) })
    c.on('close', () => { if (!p.cut) u.destroy() })
    u.on('close', () => { if (!p.cut) c.destroy() })
  })
  await new Promise((resolve) => p.server.listen(listen, '127.0.0.1', resolve))
  p.port = p.server.address().port
  p.listening = true
  // follow the node's liveness every 100 ms (not while cut: a cut host is not refused)
  const follow = () => {
    if (p.cut) return setTimeout(follow, 100)
    const probe = net.connect(port, '127.0.0.1')
    const next = (up) => {
      probe.destroy()
      if (up && !p.listening) {
        p.listening = true
        p.server.listen(p.port, '127.0.0.1')
      } else if (!up && p.listening && !p.cut) {
        p.listening = false
        p.server.close()
      }
      setTimeout(follow, 100)
    }
    probe.once('connect', () => next(true))
    probe.once('error', () => next(false))
  }
  follow()
  return p
}

const proxies = await Promise.all(process.argv.slice(2).map((a) => proxy(...a.split(':').map(Number))))
console.log(proxies.map((p) => p.port).join(' '))
const rl = createInterface({ input: process.stdin })
rl.on('line', (line) => {
  const [cmd, n] = line.trim().split(/\s+/)
  const p = proxies[Number(n) - 1]
  if (!p || (cmd !== 'cut' && cmd !== 'heal')) { console.log(`error: ${line}`); return }
  if (cmd === 'cut') {
    p.cut = true
    if (!p.listening) { p.listening = true; p.server.listen(p.port, '127.0.0.1') }
  }
  else { for (const x of p.socks) x.destroy(); p.cut = false }
  console.log('ok')
})
rl.on('close', () => process.exit(0))
