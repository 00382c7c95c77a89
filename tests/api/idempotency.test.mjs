// Idempotency keys (issue 17 point 2; docs/api.md "Retrying a write"; src/http/server.c
// idem_step): a write sent again with the same Idempotency-Key is answered as the first
// attempt was and done once; the same key on another request is refused; keys belong to
// the signed-in user.  Under the two-node PostgreSQL run the retry goes to the other node.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { NODE_URLS, assertError, makeIdNumber, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'
import { PDF, upload } from './materials-lib.mjs'

const A = NODE_URLS[0]
const B = NODE_URLS[NODE_URLS.length - 1]

async function itemId (name) {
  const r = await request('/api/v1/items?q=' + encodeURIComponent(name))
  assert.equal(r.status, 200, r.text)
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, name)
  return it.id
}

async function myCaseCount (jar) {
  const r = await request('/api/v1/cases?per_page=1', { jar })
  assert.equal(r.status, 200, r.text)
  return r.json.total
}

test('a case filed twice with one key is filed once and answered the same both times, on either node', async () => {
  const citizen = await signIn('demo-citizen', undefined, { base: A })
  const item = await itemId('内地居民结婚登记')
  const key = randomUUID()
  const before = await myCaseCount(citizen)
  const body = { item_id: item, materials: [] }
  const first = await request('/api/v1/cases', { method: 'POST', base: A, jar: citizen, body, headers: { 'idempotency-key': key } })
  assert.equal(first.status, 201, first.text)
  assert.equal(first.headers.get('idempotent-replayed'), null)
  const again = await request('/api/v1/cases', { method: 'POST', base: B, jar: citizen, body, headers: { 'idempotency-key': key } })
  assert.equal(again.status, 201, again.text)
  assert.equal(again.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(again.json, first.json)
  assert.equal(await myCaseCount(citizen), before + 1)
  // without a key the same body is a second case, as before
  const other = await request('/api/v1/cases', { method: 'POST', base: A, jar: citizen, body })
  assert.equal(other.status, 201, other.text)
  assert.notEqual(other.json.case_no, first.json.case_no)
  assert.equal(await myCaseCount(citizen), before + 2)
})

// The answer is kept in the write's own transaction, so a retry that arrives while the
// first attempt is still running waits its turn on the writer and gets the same answer.
test('concurrent retries with one key file one case and all get its answer', async () => {
  const citizen = await signIn('demo-citizen', undefined, { base: A })
  const item = await itemId('内地居民结婚登记')
  const key = randomUUID()
  const before = await myCaseCount(citizen)
  const all = await Promise.all(Array.from({ length: 8 }, (_, i) => request('/api/v1/cases', {
    method: 'POST', base: NODE_URLS[i % NODE_URLS.length], jar: citizen,
    body: { item_id: item, materials: [] }, headers: { 'idempotency-key': key },
  })))
  for (const r of all) assert.equal(r.status, 201, r.text)
  assert.equal(new Set(all.map((r) => r.json.case_no)).size, 1)
  assert.equal(all.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 7)
  assert.equal(await myCaseCount(citizen), before + 1)
})

test('the same key on a different request is refused with 422 naming the header, and nothing is done', async () => {
  const citizen = await signIn('demo-citizen')
  const item = await itemId('内地居民结婚登记')
  const key = randomUUID()
  const first = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item, materials: [] }, headers: { 'idempotency-key': key } })
  assert.equal(first.status, 201, first.text)
  const before = await myCaseCount(citizen)
  const changed = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item, materials: [], title: '另一件' }, headers: { 'idempotency-key': key } })
  assertError(changed, 422, 'idempotency_key_reused')
  assert.equal(changed.json.error.field, 'Idempotency-Key')
  assert.match(changed.json.error.message, /幂等键/)
  // on another path too
  const w = await request(`/api/v1/cases/${first.json.id}/transitions`, { method: 'POST', jar: citizen, body: { action: 'withdraw', reason: '重复' }, headers: { 'idempotency-key': key } })
  assertError(w, 422, 'idempotency_key_reused')
  assert.equal(await myCaseCount(citizen), before)
  const still = await request(`/api/v1/cases/${first.json.id}`, { jar: citizen })
  assert.equal(still.json.state, first.json.state)
})

test('an ill-formed key is a 400 naming the header', async () => {
  const citizen = await signIn('demo-citizen')
  for (const bad of ['', 'x'.repeat(101), 'a b', '键']) {
    const r = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: 1, materials: [] }, headers: { 'idempotency-key': Buffer.from(bad).toString('latin1') } })
    if (bad === '') { assert.notEqual(r.status, 201, 'an empty key is not a key'); continue }
    assertError(r, 400, 'bad_idempotency_key')
    assert.equal(r.json.error.field, 'Idempotency-Key')
  }
})

test('keys belong to the signed-in user: another user with the same key gets their own answer', async () => {
  const item = await itemId('内地居民结婚登记')
  const key = randomUUID()
  const citizen = await signIn('demo-citizen')
  const a = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item, materials: [] }, headers: { 'idempotency-key': key } })
  assert.equal(a.status, 201, a.text)
  // a new citizen, signed in, same key and same body: a case of their own
  const n = 12_000_000 + (uniqueSeed() % 900_000)
  const reg = await request('/api/v1/accounts', { method: 'POST', body: { kind: 'citizen', id_number: makeIdNumber(n), name: '幂等测试', mobile: makeMobile(n), password: 'Idem#2026xx' } })
  assert.ok([201, 202].includes(reg.status), reg.text)
  const other = await signIn(makeIdNumber(n), 'Idem#2026xx')
  const b = await request('/api/v1/cases', { method: 'POST', jar: other, body: { item_id: item, materials: [] }, headers: { 'idempotency-key': key } })
  assert.equal(b.status, 201, b.text)
  assert.equal(b.headers.get('idempotent-replayed'), null)
  assert.notEqual(b.json.case_no, a.json.case_no)
})

test('a transition retried with its key happens once; a failed first attempt keeps nothing', async () => {
  const citizen = await signIn('demo-citizen')
  const item = await itemId('内地居民结婚登记')
  const filed = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item, materials: [] } })
  assert.equal(filed.status, 201, filed.text)
  const key = randomUUID()
  // the first attempt fails (no such action): nothing is kept, the corrected retry runs
  const bad = await request(`/api/v1/cases/${filed.json.id}/transitions`, { method: 'POST', jar: citizen, body: { action: 'withdraw' }, headers: { 'idempotency-key': key } })
  assert.ok(bad.status >= 400 && bad.status < 500, bad.text)
  const key2 = randomUUID()
  const body = { action: 'withdraw', reason: '不办了' }
  const w1 = await request(`/api/v1/cases/${filed.json.id}/transitions`, { method: 'POST', base: A, jar: citizen, body, headers: { 'idempotency-key': key2 } })
  assert.equal(w1.status, 200, w1.text)
  const w2 = await request(`/api/v1/cases/${filed.json.id}/transitions`, { method: 'POST', base: B, jar: citizen, body, headers: { 'idempotency-key': key2 } })
  assert.equal(w2.status, 200, w2.text)
  assert.equal(w2.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(w2.json, w1.json)
  // without the key the withdrawal of a withdrawn case is refused: the retry was not run again
  const w3 = await request(`/api/v1/cases/${filed.json.id}/transitions`, { method: 'POST', jar: citizen, body })
  assert.ok(w3.status === 409 || w3.status === 422, w3.text)
})

test('an upload retried with its key is stored once; the same key with other bytes is refused', async () => {
  const citizen = await signIn('demo-citizen')
  const item = await itemId('内地居民结婚登记')
  const filed = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item, materials: [] } })
  assert.equal(filed.status, 201, filed.text)
  const key = randomUUID()
  const u1 = await upload(citizen, filed.json.id, '居民户口簿', 'hukou.pdf', PDF, { 'idempotency-key': key })
  assert.equal(u1.status, 201, u1.text)
  const u2 = await upload(citizen, filed.json.id, '居民户口簿', 'hukou.pdf', PDF, { 'idempotency-key': key })
  assert.equal(u2.status, 201, u2.text)
  assert.equal(u2.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(u2.json, u1.json)
  const other = Buffer.concat([PDF, Buffer.from('% another scan\n')])
  const u3 = await upload(citizen, filed.json.id, '居民户口簿', 'hukou.pdf', other, { 'idempotency-key': key })
  assertError(u3, 422, 'idempotency_key_reused')
  const mats = await request(`/api/v1/cases/${filed.json.id}/materials`, { jar: citizen })
  assert.equal(mats.status, 200, mats.text)
  const rows = mats.json.items ?? mats.json
  assert.equal(rows.filter((m) => m.filename === 'hukou.pdf' || m.name === 'hukou.pdf' || m.material === '居民户口簿').length, 1, JSON.stringify(rows))
})

test('a sign-in is never answered from a kept answer: the session cookie is not kept', async () => {
  const key = randomUUID()
  const r1 = await request('/api/v1/session', { method: 'POST', body: { username: 'demo-clerk', password: 'Demo@2026' }, headers: { 'idempotency-key': key } })
  assert.equal(r1.status, 200, r1.text)
  const r2 = await request('/api/v1/session', { method: 'POST', body: { username: 'demo-clerk', password: 'Demo@2026' }, headers: { 'idempotency-key': key } })
  assertError(r2, 409, 'idempotent_request_done')
  assert.equal(r2.setCookie.length, 0)
})
