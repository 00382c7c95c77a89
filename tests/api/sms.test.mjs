// SMS through an HTTP gateway (issue 20 point 4; src/notify/notify.c queues, src/exchange/sms.c
// sends): a real gateway in this process that fails (500), times out after taking a message,
// and is asked twice for the same message, and that — as a real provider does with OutId —
// sends each id to the "phone" once.  Each SMS reaches the phone exactly once and under one
// id on every attempt; the per-number rate limit holds the rest, quiet hours hold all,
// opting out stops SMS (not the in-app message), and delivery reports are recorded.
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import http from 'node:http'
import { after, before, test } from 'node:test'

import { makeInstance } from './exchange-lib.mjs'
import { request, serverNow } from './lib.mjs'

const MARRIAGE = '内地居民结婚登记'
const PHOTO = '近期半身免冠合影照片'
const SECRET = 'sms-report-secret-for-tests'
const HOUR = 3600e3

// ---- the gateway ----
const gw = { requests: [], phone: new Map(), seen: new Set(), n: 0 }
const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (d) => { body += d })
  req.on('end', () => {
    const m = JSON.parse(body)
    gw.requests.push(m)
    gw.n++
    if (gw.n === 1) { res.writeHead(500); res.end('{"error":"down"}'); return } // fails
    const take = () => {
      if (!gw.seen.has(m.id)) { // deduplicated by id, as providers do with OutId
        gw.seen.add(m.id)
        if (!gw.phone.has(m.to)) gw.phone.set(m.to, [])
        gw.phone.get(m.to).push({ id: m.id, text: m.text })
      }
    }
    take()
    if (gw.n === 2) { setTimeout(() => { res.writeHead(200); res.end('{"ok":true}') }, 2500); return } // times out
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ ok: true, msgid: `gw-${m.id}` }))
  })
})
let gwUrl
let a, b, c3

// ---- an Aliyun-shaped provider: SendSms form parameters, {Code, Message, BizId} answers ----
// It checks the request's signature as Aliyun does (RPC style, SignatureVersion 1.0), here
// with node's own HMAC-SHA1 and an encoder written from the specification, independently
// of src/exchange/aliyun_sign.c: a wrong signature or a nonce used twice is refused.
const ALI_KEY_ID = 'LTAI-test-key-id'
const ALI_SECRET = 'test/secret+with*odd~chars'
const aliEnc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
function aliSignature (method, fields, secret) {
  const q = Object.keys(fields).filter((k) => k !== 'Signature').sort()
    .map((k) => `${aliEnc(k)}=${aliEnc(fields[k])}`).join('&')
  const sts = `${method}&${aliEnc('/')}&${aliEnc(q)}`
  return crypto.createHmac('sha1', secret + '&').update(sts, 'utf8').digest('base64')
}
const ali = { requests: [], phone: new Map(), refuse: false, nonces: new Set(), bad: [] }
const aliServer = http.createServer((req, res) => {
  let body = ''
  req.on('data', (d) => { body += d })
  req.on('end', () => {
    const f = Object.fromEntries(new URLSearchParams(body))
    ali.requests.push({ type: req.headers['content-type'], ...f })
    res.writeHead(200, { 'Content-Type': 'application/json' })
    if (f.AccessKeyId !== ALI_KEY_ID || f.SignatureMethod !== 'HMAC-SHA1' || f.SignatureVersion !== '1.0' ||
        f.Signature !== aliSignature(req.method, f, ALI_SECRET)) {
      ali.bad.push(f)
      res.end(JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' }))
      return
    }
    if (ali.nonces.has(f.SignatureNonce)) { res.end(JSON.stringify({ Code: 'SignatureNonceUsed', Message: 'nonce used' })); return }
    ali.nonces.add(f.SignatureNonce)
    if (ali.refuse) { res.end(JSON.stringify({ Code: 'isv.TEMPLATE_MISSING_PARAMETERS', Message: '模板缺少变量' })); return }
    if (!ali.phone.has(f.OutId)) ali.phone.set(f.OutId, f)
    res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: `biz-${f.OutId}`, RequestId: 'r1' }))
  })
})

async function citizenMobile (inst) {
  const admin = await inst.signIn('demo-admin')
  const citizen = await inst.signIn('demo-citizen')
  const me = await request('/api/v1/me', { jar: citizen, base: inst.url })
  assert.equal(me.status, 200, me.text)
  const pii = await request(`/api/v1/users/${me.json.user.id}/pii`, { jar: citizen, base: inst.url })
  assert.equal(pii.status, 200, pii.text)
  assert.ok(pii.json.mobile, 'the demo citizen has a mobile number')
  return { admin, citizen, clerk: await inst.signIn('demo-clerk'), approver: await inst.signIn('demo-approver'), mobile: pii.json.mobile }
}

async function apply (inst, jar, complete = true) {
  const items = await request(`/api/v1/items?q=${encodeURIComponent(MARRIAGE)}`, { base: inst.url })
  const item = items.json.items.find((i) => i.name === MARRIAGE)
  const r = await request('/api/v1/cases', {
    method: 'POST', jar, base: inst.url,
    body: { item_id: item.id, title: '申请办理结婚登记', materials: ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', ...(complete ? [PHOTO] : [])] },
  })
  assert.equal(r.status, 201, r.text)
  return r.json
}

async function step (inst, jar, id, body) {
  const r = await request(`/api/v1/cases/${id}/transitions`, { method: 'POST', body, jar, base: inst.url })
  assert.equal(r.status, 200, r.text)
}

async function smsOf (inst, admin, mobile) {
  const r = await request(`/api/v1/sms?to=${mobile}`, { jar: admin, base: inst.url })
  assert.equal(r.status, 200, r.text)
  return r.json.items
}

async function until (what, fn, ms = 30000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  gwUrl = `http://127.0.0.1:${server.address().port}/send`
  const sms = { OW_SMS_GATEWAY_URL: gwUrl, OW_SMS_GATEWAY_KIND: 'json', OW_SMS_REPORT_SECRET: SECRET, OW_SMS_TIMEOUT_S: '1', OW_SMS_RATE_PER_HOUR: '2' }
  a = await makeInstance({ name: 'smsa' })
  Object.assign(a.env, sms, { OW_SMS_QUIET_HOURS: '21:00-08:00' })
  b = await makeInstance({ name: 'smsb' })
  // the test servers' clock stands at 09:00 in Shanghai: inside 08:00-10:00
  Object.assign(b.env, sms, { OW_SMS_QUIET_HOURS: '08:00-10:00' })
  await new Promise((resolve) => aliServer.listen(0, '127.0.0.1', resolve))
  c3 = await makeInstance({ name: 'smsc' })
  Object.assign(c3.env, sms, {
    OW_SMS_GATEWAY_URL: `http://127.0.0.1:${aliServer.address().port}/`, OW_SMS_GATEWAY_KIND: 'aliyun',
    OW_SMS_SIGN_NAME: '某区政务服务', OW_SMS_TEMPLATE_CODE: 'SMS_123456789',
    OW_SMS_ACCESS_KEY_ID: ALI_KEY_ID, OW_SMS_ACCESS_KEY_SECRET: ALI_SECRET, OW_SMS_QUIET_HOURS: 'off', OW_SMS_RATE_PER_HOUR: '0',
  })
  await Promise.all([a.start(), b.start(), c3.start()])
})

after(async () => {
  for (const i of [a, b, c3]) if (i) { await i.stop(); i.remove() }
  server.close()
  aliServer.close()
})

test('each SMS reaches the phone once under one id through a failing, timing-out gateway; the rate limit holds the rest', async () => {
  const u = await citizenMobile(a)
  const c = await apply(a, u.citizen, false)
  await step(a, u.clerk, c.id, { action: 'supplement', materials: [{ name: PHOTO, problem: '未提交' }], comment: '' })
  await step(a, u.citizen, c.id, { action: 'resubmit', materials: [PHOTO] })
  await step(a, u.clerk, c.id, { action: 'accept' })
  await step(a, u.approver, c.id, { action: 'approve', comment: '符合条件' })
  // four events, four SMS queued in the steps' transactions
  let rows = await smsOf(a, u.admin, u.mobile)
  assert.equal(rows.length, 4, JSON.stringify(rows))
  rows.sort((x, y) => x.outbox_id - y.outbox_id)
  // two an hour: the first two go now, the other two an hour after them
  const now = serverNow()
  assert.ok(rows[0].not_before <= now && rows[1].not_before <= now)
  assert.ok(rows[2].not_before >= rows[0].created_at + HOUR - 1000, JSON.stringify(rows[2]))
  assert.ok(rows[3].not_before >= rows[1].created_at + HOUR - 1000, JSON.stringify(rows[3]))
  assert.match(rows[0].text, new RegExp(`${c.case_no}.*补正`))
  rows = await until('the first two delivered', async () => {
    const r = (await smsOf(a, u.admin, u.mobile)).sort((x, y) => x.outbox_id - y.outbox_id)
    return r[0].delivered_at && r[1].delivered_at ? r : null
  })
  assert.ok(rows[0].attempts >= 2, 'the 500 and the timeout were attempts')
  assert.equal(rows[0].answer.status, 200)
  assert.equal(rows[2].delivered_at, null)
  assert.equal(rows[3].delivered_at, null)
  // on the phone: each message once
  const got = gw.phone.get(u.mobile)
  assert.deepEqual(got.map((m) => m.id).sort(), [rows[0].id, rows[1].id].sort())
  // every attempt of a message carried the same id, and different messages different ids
  const byText = new Map()
  for (const r of gw.requests.filter((x) => x.to === u.mobile)) {
    if (!byText.has(r.text)) byText.set(r.text, new Set())
    byText.get(r.text).add(r.id)
  }
  for (const ids of byText.values()) assert.equal(ids.size, 1)
  assert.ok(gw.requests.filter((x) => x.id === rows[0].id).length >= 2, 'the first message was sent again after the failure')
  assert.equal(new Set(gw.requests.map((x) => x.id)).size, byText.size)
})

test('a delivery report is recorded against its message; a wrong secret or unknown id is refused', async () => {
  const u = await citizenMobile(a)
  const rows = (await smsOf(a, u.admin, u.mobile)).filter((r) => r.delivered_at)
  assert.ok(rows.length >= 1)
  const id = rows[0].id
  let r = await request('/api/v1/sms/reports', { method: 'POST', base: a.url, headers: { 'X-Sms-Secret': 'wrong' }, body: { id, status: 'DELIVRD' }, csrf: false })
  assert.equal(r.status, 401, r.text)
  r = await request('/api/v1/sms/reports', { method: 'POST', base: a.url, headers: { 'X-Sms-Secret': SECRET }, body: { id: 'sms-smsa-999999', status: 'DELIVRD' }, csrf: false })
  assert.equal(r.status, 404, r.text)
  assert.equal(r.json.error.field, 'id')
  r = await request('/api/v1/sms/reports', { method: 'POST', base: a.url, headers: { 'X-Sms-Secret': SECRET }, body: { reports: [{ id, status: 'DELIVRD', detail: '用户已接收' }] }, csrf: false })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.recorded, 1)
  const after = (await smsOf(a, u.admin, u.mobile)).find((x) => x.id === id)
  assert.equal(after.reports, 1)
  assert.equal(after.report_status, 'DELIVRD')
  assert.equal(after.state, 'delivered')
  assert.equal(after.report_detail, '用户已接收')
})

test('each message shows its SMS: queued until it may go, sent, then delivered or failed with the gateway\'s code', async () => {
  const u = await citizenMobile(a)
  const sms = async () => {
    const r = await request('/api/v1/messages?per_page=100', { jar: u.citizen, base: a.url })
    assert.equal(r.status, 200, r.text)
    return r.json.items.filter((m) => m.sms)
  }
  let mine = await sms()
  const rows = await smsOf(a, u.admin, u.mobile)
  assert.equal(mine.length, rows.length, 'one message for each SMS')
  const count = (list, state) => list.filter((m) => m.sms.state === state).length
  assert.equal(count(mine, 'delivered'), 1) // the report of the test before
  const d = mine.find((m) => m.sms.state === 'delivered')
  assert.equal(d.sms.code, 'DELIVRD')
  assert.equal(d.sms.detail, '用户已接收')
  assert.equal(count(mine, 'queued'), rows.filter((r) => !r.delivered_at && !r.given_up).length)
  for (const m of mine.filter((x) => x.sms.state === 'queued')) assert.ok(m.sms.not_before > 0)
  const sent = rows.filter((r) => r.delivered_at && !r.reports)
  assert.equal(count(mine, 'sent'), sent.length)
  assert.ok(sent.length >= 1)
  // the carrier reports one of the sent ones undelivered
  const r = await request('/api/v1/sms/reports', { method: 'POST', base: a.url, headers: { 'X-Sms-Secret': SECRET }, body: { id: sent[0].id, status: 'UNDELIV', detail: 'MK:0005 用户停机' }, csrf: false })
  assert.equal(r.status, 200, r.text)
  mine = await sms()
  const f = mine.filter((m) => m.sms.state === 'failed')
  assert.equal(f.length, 1)
  assert.equal(f[0].sms.code, 'UNDELIV')
  assert.equal(f[0].sms.detail, 'MK:0005 用户停机')
  assert.equal((await smsOf(a, u.admin, u.mobile)).find((x) => x.id === sent[0].id).state, 'failed')
  // another's messages are not theirs to see
  const other = await request('/api/v1/messages?per_page=100', { jar: await a.signIn('demo-enterprise'), base: a.url })
  assert.equal(other.json.items.filter((m) => m.sms).length, 0)
})

test('opting out stops SMS but not the in-app message; opting in again restores them', async () => {
  const u = await citizenMobile(a)
  let r = await request('/api/v1/messages/settings', { jar: u.citizen, base: a.url })
  assert.equal(r.status, 200, r.text)
  assert.deepEqual(r.json, { sms: true, has_mobile: true })
  r = await request('/api/v1/messages/settings', { method: 'PUT', jar: u.citizen, base: a.url, body: { sms: 'no' } })
  assert.equal(r.status, 400)
  assert.equal(r.json.error.field, 'sms')
  r = await request('/api/v1/messages/settings', { method: 'PUT', jar: u.citizen, base: a.url, body: { sms: false } })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.sms, false)
  const before = (await smsOf(a, u.admin, u.mobile)).length
  const c = await apply(a, u.citizen)
  await step(a, u.clerk, c.id, { action: 'accept' })
  const msgs = await request('/api/v1/messages?per_page=100', { jar: u.citizen, base: a.url })
  assert.ok(msgs.json.items.some((m) => m.case_id === c.id && m.event === 'case_accepted'))
  assert.equal((await smsOf(a, u.admin, u.mobile)).length, before, 'no SMS after opting out')
  r = await request('/api/v1/messages/settings', { method: 'PUT', jar: u.citizen, base: a.url, body: { sms: true } })
  assert.equal(r.json.sms, true)
  await step(a, u.approver, c.id, { action: 'approve', comment: '' })
  assert.equal((await smsOf(a, u.admin, u.mobile)).length, before + 2, 'decided and ready: two SMS again')
})

test('quiet hours hold an SMS until they end, on the server clock', async () => {
  const u = await citizenMobile(b)
  const c = await apply(b, u.citizen)
  await step(b, u.clerk, c.id, { action: 'accept' })
  const rows = await smsOf(b, u.admin, u.mobile)
  assert.equal(rows.length, 1)
  // 10:00 Shanghai on the server's day
  const day = new Date(serverNow() + 8 * HOUR).toISOString().slice(0, 10)
  assert.equal(rows[0].not_before, Date.parse(`${day}T10:00:00+08:00`))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const again = await smsOf(b, u.admin, u.mobile)
  assert.equal(again[0].delivered_at, null)
  assert.equal(again[0].attempts, 0)
  assert.ok(!gw.requests.some((x) => x.id === rows[0].id), 'the gateway was not asked during quiet hours')
})

test('the aliyun adapter posts SendSms form parameters with OutId = our id, signed; a refusal that is not temporary gives the SMS up', async () => {
  const u = await citizenMobile(c3)
  const c = await apply(c3, u.citizen)
  await step(c3, u.clerk, c.id, { action: 'accept' })
  const rows = await until('delivered through the aliyun adapter', async () => {
    const r = await smsOf(c3, u.admin, u.mobile)
    return r.length === 1 && r[0].delivered_at ? r : null
  })
  const sent = ali.phone.get(rows[0].id)
  assert.ok(sent, JSON.stringify(ali.requests))
  assert.equal(sent.Action, 'SendSms')
  assert.equal(sent.PhoneNumbers, u.mobile)
  assert.equal(sent.SignName, '某区政务服务')
  assert.equal(sent.TemplateCode, 'SMS_123456789')
  assert.equal(JSON.parse(sent.TemplateParam).content, rows[0].text)
  assert.match(ali.requests[0].type, /application\/x-www-form-urlencoded/)
  assert.equal(rows[0].answer.answer.BizId, `biz-${rows[0].id}`)
  // signed as Aliyun checks it: the gateway recomputed the signature and took it
  assert.deepEqual(ali.bad, [])
  assert.equal(sent.AccessKeyId, ALI_KEY_ID)
  assert.equal(sent.RegionId, 'cn-hangzhou')
  assert.match(sent.SignatureNonce, /^[0-9a-f]{32}$/)
  // the Timestamp is the injected clock's (ISO 8601 UTC), not the machine's
  const now = serverNow()
  assert.match(sent.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  assert.ok(Math.abs(Date.parse(sent.Timestamp) - now) < 10 * 60e3, `${sent.Timestamp} vs ${new Date(now).toISOString()}`)
  // the check can fail: one changed byte of the text, or another secret, is refused
  assert.notEqual(aliSignature('POST', { ...sent, TemplateParam: sent.TemplateParam + ' ' }, ALI_SECRET), sent.Signature)
  assert.notEqual(aliSignature('POST', sent, ALI_SECRET + 'x'), sent.Signature)
  // a template the provider refuses: given up after one attempt, not retried
  ali.refuse = true
  await step(c3, u.approver, c.id, { action: 'approve', comment: '' })
  const given = await until('given up', async () => {
    const r = (await smsOf(c3, u.admin, u.mobile)).filter((x) => x.given_up)
    return r.length ? r : null
  })
  assert.match(given[0].last_error, /TEMPLATE_MISSING_PARAMETERS/)
  assert.equal(given[0].attempts, 1)
  assert.equal(given[0].delivered_at, null)
})

// ---- the day before an appointment (the sweep's reminder; src/notify eve_sweep) ----

async function bookTomorrow (inst, citizen, slot) {
  const items = await request(`/api/v1/items?q=${encodeURIComponent(MARRIAGE)}`, { base: inst.url })
  const item = items.json.items.find((i) => i.name === MARRIAGE)
  // the test servers' clock stands on Tuesday 2026-11-24: Wednesday is a working day
  const r = await request('/api/v1/hall/appointments', {
    method: 'POST', jar: citizen, base: inst.url, body: { site: 'C00', item_id: item.id, day: '2026-11-25', slot },
  })
  assert.equal(r.status, 201, r.text)
  return r.json
}

async function sweep (inst) {
  const sup = await inst.signIn('demo-supervisor')
  const r = await request('/api/v1/supervision/sweep', { method: 'POST', jar: sup, base: inst.url })
  assert.equal(r.status, 200, r.text)
  return r.json
}

async function reminders (inst, citizen) {
  const r = await request('/api/v1/messages?per_page=100', { jar: citizen, base: inst.url })
  assert.equal(r.status, 200, r.text)
  return r.json.items.filter((m) => m.event === 'appointment_eve')
}

test('the day before an appointment its holder gets one message and one SMS, held past the quiet hours, across sweeps and a restart', async () => {
  const u = await citizenMobile(b) // b's quiet hours are 08:00-10:00, its clock at 09:00
  const appt = await bookTomorrow(b, u.citizen, 600)
  assert.equal((await reminders(b, u.citizen)).length, 0)
  await sweep(b)
  await sweep(b)
  let mine = await reminders(b, u.citizen)
  assert.equal(mine.length, 1, JSON.stringify(mine))
  assert.equal(mine[0].title, `明天有预约：${MARRIAGE}`)
  assert.ok(mine[0].body.includes('2026-11-25') && mine[0].body.includes('10:00') && mine[0].body.includes(appt.code), mine[0].body)
  assert.equal(mine[0].link, '/my/appointments')
  const held = (await smsOf(b, u.admin, u.mobile)).filter((s) => s.text.includes(appt.code))
  assert.equal(held.length, 1, JSON.stringify(held))
  assert.match(held[0].text, /^您预约了明天10:00在.+办理业务，预约码\d{6}，请按时到场。$/)
  // 10:00 in Shanghai the same day: the end of b's quiet hours
  assert.equal(held[0].not_before, Date.parse('2026-11-24T02:00:00Z'))
  assert.equal(held[0].delivered_at, null)
  // a restart (the server sweeps at once when it starts) and another sweep add nothing
  await b.stop()
  await b.start()
  await sweep(b)
  const again = await b.signIn('demo-citizen')
  mine = await reminders(b, again)
  assert.equal(mine.length, 1)
  assert.equal((await smsOf(b, u.admin, u.mobile)).filter((s) => s.text.includes(appt.code)).length, 1)
})

test('an appointment-eve reminder sends no SMS to a holder who switched SMS off; an appointment on another day none yet', async () => {
  const u = await citizenMobile(a)
  let r = await request('/api/v1/messages/settings', { method: 'PUT', jar: u.citizen, base: a.url, body: { sms: false } })
  assert.equal(r.status, 200, r.text)
  const before = (await smsOf(a, u.admin, u.mobile)).length
  const appt = await bookTomorrow(a, u.citizen, 570)
  const items = await request(`/api/v1/items?q=${encodeURIComponent(MARRIAGE)}`, { base: a.url })
  const later = await request('/api/v1/hall/appointments', {
    method: 'POST', jar: u.citizen, base: a.url,
    body: { site: 'C00', item_id: items.json.items.find((i) => i.name === MARRIAGE).id, day: '2026-11-27', slot: 570 },
  })
  assert.equal(later.status, 201, later.text)
  await sweep(a)
  const mine = await reminders(a, u.citizen)
  assert.equal(mine.length, 1, 'Friday\'s appointment is not reminded on Tuesday')
  assert.ok(mine[0].body.includes(appt.code))
  assert.equal(mine[0].sms, null, 'no SMS went with it')
  assert.equal((await smsOf(a, u.admin, u.mobile)).length, before, 'no SMS while switched off')
  r = await request('/api/v1/messages/settings', { method: 'PUT', jar: u.citizen, base: a.url, body: { sms: true } })
  assert.equal(r.status, 200, r.text)
})
