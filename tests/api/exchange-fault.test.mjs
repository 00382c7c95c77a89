// The fault test of issue 19: the city is killed (SIGKILL) and restarted 10 times while
// both districts keep filing and deciding cases; afterwards every message has arrived
// exactly once — each district's outbox is empty, the city's figures per district equal
// what the district did, and the city's log has every message id applied once (a receipt
// lost with the killed process made the district retry, and the retry was a duplicate).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'

import { request } from './lib.mjs'
import { makeInstance, register, until } from './exchange-lib.mjs'

const KILLS = 10

async function item (inst, name) {
  const r = await request('/api/v1/items?q=' + encodeURIComponent(name), { base: inst.url })
  const it = r.json.items.find((i) => i.name === name)
  const g = await request(`/api/v1/items/${it.id}`, { base: inst.url })
  return { id: it.id, materials: g.json.materials.filter((m) => m.required === 'yes').map((m) => m.name) }
}

// File, approve at the window and deliver, until stop() says so; answers the count.
async function keepFiling (inst, state) {
  const [citizen, clerk] = await Promise.all(['demo-citizen', 'demo-clerk'].map((u) => inst.signIn(u)))
  const it = await item(inst, '补领结婚证、离婚证')
  let n = 0
  while (!state.stop || n < 20) {
    const r = await request('/api/v1/cases', { method: 'POST', base: inst.url, jar: citizen, body: { item_id: it.id, materials: it.materials } })
    assert.equal(r.status, 201, r.text)
    for (const body of [{ action: 'approve', comment: '当场办结' }, { action: 'deliver', delivery: 'window' }]) {
      const t = await request(`/api/v1/cases/${r.json.id}/transitions`, { method: 'POST', base: inst.url, jar: clerk, body })
      assert.equal(t.status, 200, t.text)
    }
    n++
  }
  return n
}

let city, a, b
before(async () => {
  ;[city, a, b] = await Promise.all([
    makeInstance({ name: '4309', role: 'city' }),
    makeInstance({ name: '430903', city: '4309' }),
    makeInstance({ name: '430921', city: '4309' }),
  ])
  register(a, city, 'city')
  register(b, city, 'city')
  register(city, a, 'district')
  register(city, b, 'district')
  await Promise.all([city.start(), a.start(), b.start()])
})
after(async () => {
  for (const i of [a, b, city]) {
    if (!i) continue
    assert.equal(await i.stop(), 0, `${i.name} stopped cleanly`)
    i.remove()
  }
})

test(`the city killed and restarted ${KILLS} times while both districts file: every message arrives exactly once`, async () => {
  const state = { stop: false }
  const filing = Promise.all([keepFiling(a, state), keepFiling(b, state)])
  for (let k = 0; k < KILLS; k++) {
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700))
    await city.kill('SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 500))
    await city.start()
  }
  state.stop = true
  const [na, nb] = await filing

  // both outboxes drain (exchange_retry_max_s = 1 in these instances)
  for (const inst of [a, b]) {
    await until(async () => {
      const h = await request('/api/v1/health', { base: inst.url })
      return h.json.details.exchange.queue_depth === 0 && h.json.details.exchange.given_up === 0
    }, 120_000, `${inst.name}'s outbox drained`)
  }
  const sup = await city.signIn('demo-supervisor')
  const stats = await request('/api/v1/exchange/city', { base: city.url, jar: sup })
  const d = Object.fromEntries(stats.json.districts.map((x) => [x.district, x]))
  assert.deepEqual([d['430903'].cases, d['430903'].accepted, d['430903'].decided, d['430903'].concluded], [na, na, na, na])
  assert.deepEqual([d['430921'].cases, d['430921'].accepted, d['430921'].decided, d['430921'].concluded], [nb, nb, nb, nb])
  assert.equal(stats.json.total.concluded, na + nb)

  // every message id applied exactly once at the city …
  const applied = []
  for (let page = 1; ; page++) {
    const r = await request(`/api/v1/exchange/log?direction=in&status=applied&per_page=100&page=${page}`, { base: city.url, jar: sup })
    applied.push(...r.json.items.filter((x) => x.type.startsWith('case.')))
    if (r.json.items.length < 100) break
  }
  assert.equal(applied.length, 3 * (na + nb))
  assert.equal(new Set(applied.map((x) => x.message_id)).size, applied.length)
  // … and the districts really had to retry: the kills cost attempts
  let retries = 0
  for (const inst of [a, b]) {
    const s = await inst.signIn('demo-supervisor')
    const r = await request('/api/v1/exchange/log?direction=out&status=retry&per_page=1', { base: inst.url, jar: s })
    retries += r.json.total
    const st = await request('/api/v1/exchange/status', { base: inst.url, jar: s })
    assert.ok(st.json.outbox.delivered >= 3 * (inst === a ? na : nb))
  }
  assert.ok(retries > 0, 'the districts retried while the city was down')
})
