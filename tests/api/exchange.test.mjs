// Two districts and the city on loopback (issue 19, docs/exchange.md): cases flow from both
// districts to the city through their outboxes, the city's figures per district are what
// each district did and its total is their sum, the health answer shows each outbox, and
// the city refuses — and logs — a message with a bad signature, from an unknown sender,
// with an old timestamp, or with an id it has already taken, while a retry of a message
// whose receipt was lost gets a receipt marked duplicate and is not applied twice.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { after, before, describe, test } from 'node:test'

import { request, serverNow } from './lib.mjs'
import {
  envelope, keyIdOf, makeInstance, payloadHash, post, publicKeyHex, receiptVerifies, register, until,
} from './exchange-lib.mjs'

const CITY = '4309'
const A = '430903'
const B = '430902'
// the city-wide key of the holders' HMACs (exchange_holder_key), the same in every district
const HOLDER_KEY = '5a'.repeat(32)

async function item (inst, name) {
  const r = await request('/api/v1/items?q=' + encodeURIComponent(name), { base: inst.url })
  assert.equal(r.status, 200, r.text)
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, name)
  const g = await request(`/api/v1/items/${it.id}`, { base: inst.url })
  return { id: it.id, materials: g.json.materials.filter((m) => m.required === 'yes').map((m) => m.name) }
}

// A 即办 case: filed by the citizen, accepted and approved at the window at once; delivered
// (办结) when conclude is true.  Answers its id and number.
async function fileCase (inst, who, conclude) {
  const r = await request('/api/v1/cases', {
    method: 'POST', base: inst.url, jar: who.citizen, body: { item_id: who.item.id, materials: who.item.materials },
  })
  assert.equal(r.status, 201, r.text)
  const id = r.json.id
  const a = await request(`/api/v1/cases/${id}/transitions`, {
    method: 'POST', base: inst.url, jar: who.clerk, body: { action: 'approve', comment: '当场办结' },
  })
  assert.equal(a.status, 200, a.text)
  if (conclude) {
    const d = await request(`/api/v1/cases/${id}/transitions`, {
      method: 'POST', base: inst.url, jar: who.clerk, body: { action: 'deliver', delivery: 'window' },
    })
    assert.equal(d.status, 200, d.text)
  }
  return { id, case_no: r.json.case_no }
}

async function people (inst) {
  const [citizen, clerk, supervisor] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-supervisor'].map((u) => inst.signIn(u)))
  return { citizen, clerk, supervisor, item: await item(inst, '补领结婚证、离婚证') }
}

const get = (inst, jar, path) => request(path, { base: inst.url, jar })

describe('two districts and the city', () => {
  let city, a, b, pa, pb, pc
  let casesA = [] // the case numbers the first test approved at A
  before(async () => {
    ;[city, a, b] = await Promise.all([
      makeInstance({ name: CITY, role: 'city' }),
      makeInstance({ name: A, city: CITY, holderKey: HOLDER_KEY }),
      makeInstance({ name: B, city: CITY, holderKey: HOLDER_KEY }),
    ])
    // the ports are known before the servers start: every peer can be registered first
    register(a, city, 'city')
    register(b, city, 'city')
    register(city, a, 'district')
    register(city, b, 'district')
    await Promise.all([city.start(), a.start(), b.start()])
    ;[pa, pb, pc] = await Promise.all([people(a), people(b), people(city)])
  })
  after(async () => {
    for (const i of [a, b, city]) {
      if (!i) continue
      assert.equal(await i.stop(), 0, `${i.name} stopped cleanly`)
      i.remove()
    }
  })

  test('cases flow to the city; its figures per district are each district\'s, its total their sum', async () => {
    const filedA = [await fileCase(a, pa, true), await fileCase(a, pa, true), await fileCase(a, pa, false)]
    const filedB = [await fileCase(b, pb, true), await fileCase(b, pb, false)]
    casesA = filedA.map((c) => c.case_no)
    assert.equal(new Set(filedA.map((c) => c.case_no)).size, 3)
    assert.ok(filedA.every((c) => c.case_no.startsWith(A)) && filedB.every((c) => c.case_no.startsWith(B)))
    // 好差评: a 非常不满意 at A opens a rectification there; a 非常满意 at B
    const bad = await request('/api/v1/ratings', {
      method: 'POST', base: a.url, jar: pa.citizen,
      body: { case_id: filedA[0].id, level: 1, tags: ['服务态度差'], comment: '等候太久' },
    })
    assert.equal(bad.status, 201, bad.text)
    assert.ok(bad.json.rectification_id > 0)
    const good = await request('/api/v1/ratings', { method: 'POST', base: b.url, jar: pb.citizen, body: { case_id: filedB[0].id, level: 5 } })
    assert.equal(good.status, 201, good.text)
    const stats = await until(async () => {
      const r = await get(city, pc.supervisor, '/api/v1/exchange/city')
      assert.equal(r.status, 200, r.text)
      const d = Object.fromEntries(r.json.districts.map((x) => [x.district, x]))
      return d[A]?.concluded === 2 && d[A]?.decided === 3 && d[B]?.concluded === 1 && d[B]?.decided === 2 &&
        d[A]?.ratings === 1 && d[B]?.ratings === 1 && d[A]?.rectifications_open === 1 && r.json
    }, 60_000, 'the cases at the city')
    const d = Object.fromEntries(stats.districts.map((x) => [x.district, x]))
    assert.deepEqual([d[A].cases, d[A].accepted, d[A].approved, d[A].open], [3, 3, 3, 1])
    assert.deepEqual([d[B].cases, d[B].accepted, d[B].approved, d[B].open], [2, 2, 2, 1])
    for (const k of ['cases', 'accepted', 'decided', 'concluded', 'approved', 'overdue', 'open', 'red', 'yellow']) {
      assert.equal(stats.total[k], d[A][k] + d[B][k], `total ${k} is the sum of the districts'`)
    }
    for (const x of [d[A], d[B]]) assert.ok(['green', 'yellow', 'red'].includes(x.light))
    assert.deepEqual([d[A].bad_ratings, d[A].rating_avg_milli, d[B].bad_ratings, d[B].rating_avg_milli], [1, 1000, 0, 5000])
    assert.deepEqual([stats.total.ratings, stats.total.bad_ratings, stats.total.rectifications_open], [2, 1, 1])

    // last month's statistics (stats.monthly, queued by each district's first sweep): each
    // district's row is what its own statistics screen says, the city's total their sum
    const month = await until(async () => {
      const r = await get(city, pc.supervisor, '/api/v1/exchange/city')
      return r.json.last_month.districts.length === 2 && r.json.last_month
    }, 60_000, 'last month\'s statistics at the city')
    assert.equal(month.month, '2026-10')
    for (const [inst, p, name] of [[a, pa, A], [b, pb, B]]) {
      const own = await get(inst, p.supervisor, '/api/v1/stats/cases?from=2026-10-01&to=2026-10-31&by=month')
      assert.equal(own.status, 200, own.text)
      const row = month.districts.find((x) => x.district === name)
      assert.deepEqual([row.received, row.accepted, row.concluded],
        [own.json.total.received, own.json.total.accepted, own.json.total.concluded], name)
    }
    for (const k of ['received', 'accepted', 'concluded']) {
      assert.equal(month.total[k], month.districts[0][k] + month.districts[1][k], k)
    }
    assert.ok(month.total.received > 0, 'the demo year has cases in October')

    // last year's 政府信息公开 annual report (disclosure.annual, from February on): each
    // district's figure is its own report's
    const year = await until(async () => {
      const r = await get(city, pc.supervisor, '/api/v1/exchange/city')
      return r.json.last_year.disclosure_reports.length === 2 && r.json.last_year
    }, 60_000, 'the annual reports at the city')
    assert.equal(year.year, 2025)
    for (const [inst, name] of [[a, A], [b, B]]) {
      const own = await request('/api/v1/disclosure-reports/2025', { base: inst.url })
      assert.equal(own.status, 200, own.text)
      assert.equal(year.disclosure_reports.find((x) => x.district === name).published_total, own.json.active.published_total, name)
    }

    // each district's outbox is empty and says what it delivered (3 + 3 + 2 and 2 + 2 + 1
    // messages: accepted, decided, concluded), also in the health answer
    for (const [inst, p, n] of [[a, pa, 8], [b, pb, 5]]) { // n: the case messages
      const s = await until(async () => {
        const r = await get(inst, p.supervisor, '/api/v1/exchange/status')
        assert.equal(r.status, 200, r.text)
        return r.json.outbox.queue_depth === 0 && r.json.outbox.delivered >= n && r.json
      }, 30_000, `${inst.name}'s outbox empty`)
      assert.equal(s.instance, inst.name)
      assert.equal(s.role, 'district')
      assert.equal(s.city, CITY)
      const h = await request('/api/v1/health', { base: inst.url })
      assert.equal(h.json.details.exchange.queue_depth, 0)
      assert.equal(h.json.details.exchange.oldest_undelivered_ms, 0)
      assert.ok(h.json.details.exchange.delivered >= n)
      // the district's log names each case message delivered, with its payload's hash
      const log = await get(inst, p.supervisor, '/api/v1/exchange/log?direction=out&status=delivered&per_page=100')
      assert.equal(log.status, 200, log.text)
      const caseMsgs = log.json.items.filter((x) => x.type.startsWith('case.'))
      assert.equal(caseMsgs.length, n)
      for (const m of caseMsgs) {
        assert.equal(m.peer, CITY)
        assert.match(m.payload_hash, /^[0-9a-f]{64}$/)
        assert.equal(m.payload_hash, payloadHash(m.payload))
      }
    }
    // … and the city's log has each applied once
    const inLog = await get(city, pc.supervisor, '/api/v1/exchange/log?direction=in&status=applied&per_page=100')
    const caseIn = inLog.json.items.filter((x) => x.type.startsWith('case.'))
    assert.equal(caseIn.length, 13)
    assert.equal(new Set(caseIn.map((x) => x.message_id)).size, 13)
    // the applicant's number never leaves the district in clear
    for (const m of caseIn) assert.match(m.payload.applicant_masked, /\*/)
  })

  test('each license a district issues reaches the city\'s index without the holder\'s number; a revocation follows', async () => {
    // the first test approved A's three and B's two cases: each issued a 结婚证
    const mine = await get(a, pa.citizen, '/api/v1/wallet')
    assert.equal(mine.status, 200, mine.text)
    const issuedA = mine.json.licenses.filter((l) => casesA.includes(l.case_no))
    assert.equal(issuedA.length, 3, JSON.stringify(mine.json.licenses.map((l) => l.case_no)))
    const index = await until(async () => {
      const r = await get(city, pc.supervisor, '/api/v1/exchange/city/licenses')
      assert.equal(r.status, 200, r.text)
      const byD = (d) => r.json.licenses.filter((l) => l.district === d)
      return byD(A).length === 3 && byD(B).length === 2 && r.json.licenses
    }, 60_000, 'the licenses at the city')
    for (const l of issuedA) {
      const c = index.find((x) => x.district === A && x.number === l.number)
      assert.ok(c, l.number)
      assert.deepEqual([c.type, c.issuer, c.issued_date, c.holder_masked, c.status],
        [l.type, l.issuer, l.issued_date, l.holder_masked, 'valid'])
      assert.match(c.cert_hash, /^[0-9a-f]{64}$/)
      assert.equal(c.holder_matchable, true)
    }
    // no ID number in clear travelled: not in the index, not in the city's message log
    const log = await get(city, pc.supervisor, '/api/v1/exchange/log?type=license.issued')
    assert.equal(log.status, 200, log.text)
    assert.equal(log.json.items.length, 5)
    const wire = JSON.stringify(index) + JSON.stringify(log.json.items)
    assert.doesNotMatch(wire, /\d{17}[\dXx]/)
    // the same citizen in both districts has the same HMAC: the city can match them
    const hmacs = log.json.items.map((m) => m.payload.holder_hmac)
    assert.equal(new Set(hmacs).size, 1)
    assert.match(hmacs[0], /^[0-9a-f]{64}$/)
    // A revokes one: the city's index says so
    const admin = await a.signIn('demo-admin')
    const rv = await request(`/api/v1/licenses/${issuedA[0].id}/revoke`, {
      method: 'POST', base: a.url, jar: admin, body: { reason: '登记机关发现以欺骗手段取得，依法撤销' },
    })
    assert.equal(rv.status, 200, rv.text)
    await until(async () => {
      const r = await get(city, pc.supervisor, `/api/v1/exchange/city/licenses?district=${A}`)
      assert.ok(r.json.licenses.every((x) => x.district === A))
      const c = r.json.licenses.find((x) => x.number === issuedA[0].number)
      return c.status === 'revoked' && c.revoked_at > 0
    }, 60_000, 'the revocation at the city')
    // a district is not the city; a citizen reads no index
    assert.equal((await get(a, pa.supervisor, '/api/v1/exchange/city/licenses')).status, 404)
    assert.equal((await get(city, pc.citizen, '/api/v1/exchange/city/licenses')).status, 403)
  })

  test('the city refuses and logs a bad signature, an unknown sender, an old timestamp and a replayed id', async () => {
    const keyA = a.secretKey()
    const base = { sender: A, receiver: CITY, type: 'case.accepted', keyId: keyA.keyId, key: keyA.key }
    const payload = {
      case_no: 'TEST-EX-0001', item_code: 'T-1', item_name: '测试事项', state: 'review', result: '',
      applicant_type: 'person', applicant_masked: '4309**********0011', channel: 'window',
      submitted_at: serverNow(), accepted_date: '2026-11-24', due_date: '2026-12-01', decided_date: '', overdue: 0,
    }
    const seed = crypto.randomBytes(4).toString('hex')

    // a good one first: applied, with a receipt signed by the city's key
    const good = envelope({ ...base, id: `${A}-test-${seed}-1`, at: serverNow(), payload })
    let r = await post(city, [good])
    assert.equal(r.status, 200, r.text)
    const rec = r.json.results[0].receipt
    assert.equal(rec.status, 'applied')
    assert.equal(rec.message_id, good.id)
    assert.equal(rec.payload_hash, payloadHash(payload))
    assert.equal(rec.key_id, city.key.keyId)
    assert.ok(receiptVerifies(rec, city.key.publicKey), 'the receipt verifies with the city\'s key')

    // bad signature: one character of the payload changed after signing
    const forged = envelope({ ...base, id: `${A}-test-${seed}-2`, at: serverNow(), payload })
    forged.payload = { ...payload, applicant_masked: '4309**********0012' }
    r = await post(city, [forged])
    assert.equal(r.status, 403, r.text)
    assert.equal(r.json.results[0].error.code, 'bad_signature')

    // unknown sender: a key nobody registered, under a name the city does not know
    const { privateKey } = crypto.generateKeyPairSync('ed25519')
    const strangerKeyId = keyIdOf(publicKeyHex(privateKey))
    const stranger = envelope({ ...base, sender: '439999', keyId: strangerKeyId, key: privateKey, id: `439999-${seed}`, at: serverNow(), payload })
    r = await post(city, [stranger])
    assert.equal(r.status, 403, r.text)
    assert.equal(r.json.results[0].error.code, 'unknown_sender')
    // a registered sender with a key the city does not have for it
    const wrongKey = envelope({ ...base, keyId: strangerKeyId, key: privateKey, id: `${A}-test-${seed}-3`, at: serverNow(), payload })
    r = await post(city, [wrongKey])
    assert.equal(r.json.results[0].error.code, 'unknown_key')

    // an old timestamp: signed properly, ten minutes ago
    const old = envelope({ ...base, id: `${A}-test-${seed}-4`, at: serverNow() - 600_000, payload })
    r = await post(city, [old])
    assert.equal(r.status, 409, r.text)
    assert.equal(r.json.results[0].error.code, 'stale_timestamp')

    // the good message's bytes again: a replay
    r = await post(city, [good])
    assert.equal(r.status, 409, r.text)
    assert.equal(r.json.results[0].error.code, 'replayed_id')
    // its id with another payload: a replay too
    const other = envelope({ ...base, id: good.id, at: serverNow() + 5, payload: { ...payload, state: 'approved' } })
    r = await post(city, [other])
    assert.equal(r.json.results[0].error.code, 'replayed_id')
    // the sender's retry after a lost receipt (same id and payload, signed anew): a
    // receipt marked duplicate, nothing applied again
    const retry = envelope({ ...base, id: good.id, at: serverNow() + 10, payload })
    r = await post(city, [retry])
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.results[0].receipt.status, 'duplicate')
    assert.ok(receiptVerifies(r.json.results[0].receipt, city.key.publicKey))

    // a batch: one good, one bad, each answered in order
    const g2 = envelope({ ...base, id: `${A}-test-${seed}-5`, at: serverNow(), payload: { ...payload, case_no: 'TEST-EX-0002' } })
    const b2 = { ...envelope({ ...base, id: `${A}-test-${seed}-6`, at: serverNow(), payload }), sig: forged.sig }
    r = await post(city, [g2, b2])
    assert.equal(r.json.results.length, 2)
    assert.equal(r.json.results[0].receipt.status, 'applied')
    assert.equal(r.json.results[1].error.code, 'bad_signature')

    // a body that is not a batch, and a message with a real number in its payload
    r = await request('/api/v1/exchange/messages', { method: 'POST', base: city.url, body: { nope: 1 } })
    assert.equal(r.status, 400, r.text)
    assert.equal(r.json.error.field, 'messages')
    r = await post(city, [{ ...envelope({ ...base, id: `${A}-test-${seed}-7`, at: serverNow(), payload }), payload: { x: 1.5 } }])
    assert.equal(r.json.results[0].error.code, 'payload_number')

    // every refusal is in the city's log with its reason; the good ones were applied once
    const log = await get(city, pc.supervisor, '/api/v1/exchange/log?direction=in&status=refused&per_page=100')
    const reasons = log.json.items.map((x) => x.reason.split(':')[0])
    for (const code of ['bad_signature', 'unknown_sender', 'unknown_key', 'stale_timestamp', 'replayed_id', 'payload_number']) {
      assert.ok(reasons.includes(code), `${code} logged: ${reasons.join(', ')}`)
    }
    assert.ok(log.json.items.some((x) => x.peer === '439999'), 'the unknown sender is named')
    const applied = await get(city, pc.supervisor, `/api/v1/exchange/log?message_id=${good.id}`)
    assert.deepEqual(applied.json.items.map((x) => x.status).sort(), ['applied', 'duplicate', 'refused', 'refused'])
    const c = await get(city, pc.supervisor, '/api/v1/exchange/city')
    assert.equal(c.json.districts.find((x) => x.district === A).cases, 5, 'the 3 filed and the 2 crafted, once each')
  })

  test('only supervisors and administrators read the exchange; only a city answers city figures', async () => {
    const clerk = await a.signIn('demo-clerk')
    for (const p of ['/api/v1/exchange/status', '/api/v1/exchange/log', '/api/v1/exchange/city']) {
      assert.equal((await get(a, clerk, p)).status, 403, p)
      assert.equal((await get(a, null, p)).status, 401, p)
    }
    assert.equal((await get(a, pa.supervisor, '/api/v1/exchange/city')).status, 404)
    assert.equal((await get(a, pa.supervisor, '/api/v1/exchange/log?direction=sideways')).status, 400)
  })
})
