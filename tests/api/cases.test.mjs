// Cases and the legal calendar (src/cases, src/calendar): the full online path
// 申请 → 补正 → 补正材料 → 受理 → 准予 → 出件 → 已办结 with its timeline and audit rows,
// a refusal at the window, forbidden transitions by role, idempotent submit, the public
// progress lookup, queues, and the due-date calculator.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

const BASE_URL = (process.env.OW_BASE_URL ?? '').replace(/\/+$/, '')
if (!BASE_URL) throw new Error('OW_BASE_URL is not set: run `make test-api`')
const PASSWORD = 'Demo@2026'

/** A signed-in client: keeps the session cookie and sends the CSRF token. */
async function signIn(username) {
  const res = await fetch(BASE_URL + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  assert.equal(res.status, 200, `sign-in ${username}`)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf, user } = await res.json()
  const call = async (method, path, body, headers = {}) => {
    const r = await fetch(BASE_URL + path, {
      method,
      headers: {
        Cookie: cookie,
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : undefined, text, headers: r.headers }
  }
  return { user, call, get: (p) => call('GET', p), post: (p, b, h) => call('POST', p, b, h), put: (p, b) => call('PUT', p, b) }
}

async function publicGet(path) {
  const r = await fetch(BASE_URL + path)
  const text = await r.text()
  return { status: r.status, json: text ? JSON.parse(text) : undefined, text }
}

async function itemByName(name) {
  const r = await publicGet('/api/v1/items?q=' + encodeURIComponent(name))
  assert.equal(r.status, 200)
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, `item ${name} in the demo catalog`)
  return it
}

function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text)
  if (code) assert.equal(r.json.error.code, code, r.text)
  if (field) assert.equal(r.json.error.field, field, r.text)
  assert.ok(r.json.error.message.length > 0)
}

// ID number with a correct check character (GB 11643-1999).
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const s = [...first17].reduce((a, c, i) => a + Number(c) * w[i], 0)
  return first17 + '10X98765432'[s % 11]
}

const MARRIAGE = '内地居民结婚登记'
const PHOTO = '近期半身免冠合影照片'

describe('online application through to 已办结', () => {
  let citizen, clerk, approver, supervisor, item, caseId, caseNo
  test('sign in the roles', async () => {
    ;[citizen, clerk, approver, supervisor] = await Promise.all(
      ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-supervisor'].map(signIn))
    item = await itemByName(MARRIAGE)
  })

  test('a citizen applies online; the same Idempotency-Key files one case', async () => {
    const body = {
      item_id: item.id,
      title: '申请办理结婚登记',
      materials: ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'],
    }
    const key = 'api-test-' + Date.now()
    const first = await citizen.post('/api/v1/cases', body, { 'Idempotency-Key': key })
    assert.equal(first.status, 201, first.text)
    const c = first.json
    assert.match(c.case_no, /^430903-\d{8}-\d{5}$/)
    assert.equal(c.state, 'submitted')
    assert.equal(c.state_name, '待受理')
    assert.equal(c.channel, 'online')
    assert.equal(c.department.name, '赫山区民政局')
    assert.equal(c.applicant.name, '张伟')
    assert.match(c.applicant.id_number, /^430903\*{8}\d{3}[\dX]$/)
    assert.equal(c.deadline.phase, 'intake')
    assert.equal(c.materials.find((m) => m.name === PHOTO).provided, false)
    // the header is every write's (docs/api.md "Retrying a write"): the same answer again
    const again = await citizen.post('/api/v1/cases', body, { 'Idempotency-Key': key })
    assert.equal(again.status, 201, again.text)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(again.json.id, c.id)
    // the form's own key (a double click on 提交) answers the case it filed first
    const formKey = 'api-form-' + Date.now()
    const f1 = await citizen.post('/api/v1/cases', { ...body, idempotency_key: formKey })
    assert.equal(f1.status, 201, f1.text)
    const f2 = await citizen.post('/api/v1/cases', { ...body, idempotency_key: formKey })
    assert.equal(f2.status, 200, f2.text)
    assert.equal(f2.json.id, f1.json.id)
    const other = await itemByName('生育登记')
    assertError(await citizen.post('/api/v1/cases', { item_id: other.id, materials: [], idempotency_key: formKey }), 409, 'idempotency_conflict')
    caseId = c.id
    caseNo = c.case_no
  })

  test('the clerk sees it in the intake queue and cannot accept it incomplete', async () => {
    const q = await clerk.get('/api/v1/cases?queue=intake&per_page=100&q=' + caseNo)
    assert.equal(q.status, 200)
    assert.equal(q.json.total, 1)
    assert.equal(q.json.items[0].id, caseId)
    const acc = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'accept' })
    assertError(acc, 409, 'materials_incomplete', 'materials')
    assert.ok(acc.json.error.message.includes(PHOTO))
  })

  test('forbidden by role: the approver cannot accept, the citizen cannot request a supplement', async () => {
    assertError(await approver.post(`/api/v1/cases/${caseId}/transitions`, { action: 'accept' }), 403)
    assertError(await citizen.post(`/api/v1/cases/${caseId}/transitions`,
      { action: 'supplement', materials: [{ name: PHOTO, problem: '未提交' }] }), 403)
  })

  test('the clerk requests a supplement (one-time notice); the clock pauses', async () => {
    const none = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'supplement', materials: [] })
    assertError(none, 400, 'missing_field', 'materials')
    const r = await clerk.post(`/api/v1/cases/${caseId}/transitions`, {
      action: 'supplement',
      materials: [{ name: PHOTO, problem: '未提交合影照片' }],
      comment: '请补交照片',
    })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'supplement')
    assert.equal(r.json.deadline.status, 'paused')
    assert.equal(r.json.supplement_notice.materials[0].name, PHOTO)
  })

  test('the citizen sees the notice in 我的办件 and resubmits', async () => {
    const mine = await citizen.get('/api/v1/cases?queue=mine')
    assert.equal(mine.status, 200)
    assert.ok(mine.json.items.some((c) => c.id === caseId && c.state === 'supplement'))
    const r = await citizen.post(`/api/v1/cases/${caseId}/transitions`, { action: 'resubmit', materials: [PHOTO] })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'submitted')
    assert.equal(r.json.materials.find((m) => m.name === PHOTO).provided, true)
  })

  test('a second supplement naming a new material is refused', async () => {
    const r = await clerk.post(`/api/v1/cases/${caseId}/transitions`, {
      action: 'supplement', materials: [{ name: '居民户口簿', problem: '页码不全' }],
    })
    assertError(r, 409, 'supplement_not_one_time', 'materials')
  })

  test('the clerk accepts, the approver of 民政局 approves, the clerk delivers', async () => {
    let r = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'accept', comment: '材料齐全，予以受理' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'review')
    assert.equal(r.json.deadline.phase, 'decision')
    const queue = await approver.get('/api/v1/cases?queue=review&per_page=100')
    assert.ok(queue.json.items.some((c) => c.id === caseId))
    assertError(await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve' }), 403)
    assertError(await citizen.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve' }), 403)
    r = await approver.post(`/api/v1/cases/${caseId}/transitions`, { action: 'approve', comment: '符合条件' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'approved')
    assert.equal(r.json.state_name, '待出件')
    const dq = await clerk.get('/api/v1/cases?queue=delivery&per_page=100')
    assert.ok(dq.json.items.some((c) => c.id === caseId))
    assertError(await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'deliver', delivery: 'post' }),
      400, 'missing_field', 'tracking_no')
    r = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'deliver', delivery: 'window' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'concluded')
  })

  test('the citizen sees 已办结 with the whole timeline', async () => {
    const r = await citizen.get(`/api/v1/cases/${caseId}`)
    assert.equal(r.status, 200)
    assert.equal(r.json.state_name, '已办结')
    assert.deepEqual(r.json.timeline.map((e) => e.action),
      ['submit', 'supplement', 'resubmit', 'accept', 'approve', 'deliver'])
    assert.deepEqual(r.json.timeline.map((e) => e.state),
      ['submitted', 'supplement', 'submitted', 'review', 'approved', 'concluded'])
    assert.equal(r.json.timeline[1].detail.materials[0].name, PHOTO)
    assert.equal(r.json.timeline[3].actor.name, clerk.user.name)
    assert.equal(r.json.timeline[4].actor.org, '赫山区民政局')
    assert.deepEqual(r.json.actions, [])
  })

  test('every step is in the audit trail', async () => {
    const r = await supervisor.get(`/api/v1/audit?object_type=case&object_id=${caseId}&per_page=100`)
    assert.equal(r.status, 200)
    const actions = r.json.items.map((a) => a.action).reverse()
    assert.deepEqual(actions, ['case.submit', 'case.supplement', 'case.resubmit', 'case.accept',
      'case.approve', 'case.deliver'])
    for (const a of r.json.items) {
      assert.equal(a.detail.case_no, caseNo)
      assert.ok(!JSON.stringify(a.detail).includes('430903199003152317'), 'no ID number in clear')
    }
    assert.equal(r.json.items.find((a) => a.action === 'case.accept').actor, 'demo-clerk')
  })

  test('anyone can look up the progress with the case number and the last 6 characters', async () => {
    const ok = await publicGet(`/api/v1/cases/track?case_no=${caseNo}&id_tail=152317`)
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json.state_name, '已办结')
    assert.equal(ok.json.applicant.name, '张*')
    assert.match(ok.json.applicant.id_number, /^430903\*+2317$/)
    assert.ok(!ok.text.includes('刘敏'), 'no staff names in the public answer')
    assertError(await publicGet(`/api/v1/cases/track?case_no=${caseNo}&id_tail=000000`), 404)
    assertError(await publicGet(`/api/v1/cases/track?case_no=${caseNo}&id_tail=12`), 400, null, 'id_tail')
  })
})

describe('filing at the window and refusing', () => {
  let clerk, citizen, item, caseId
  const id = idNumber('43090319850612401')
  test('the clerk files for an applicant identified by ID number', async () => {
    clerk = await signIn('demo-clerk')
    citizen = await signIn('demo-citizen')
    item = await itemByName(MARRIAGE)
    const bad = await clerk.post('/api/v1/cases', { item_id: item.id, id_number: '430903198506124010', name: '李红', mobile: '13907375555' })
    assertError(bad, 400, null, 'id_number')
    const r = await clerk.post('/api/v1/cases', {
      item_id: item.id, id_number: id, name: '李红', mobile: '13907375555', address: '赫山区龙岭村3组',
      materials: ['居民户口簿', '居民身份证'],
    })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.channel, 'window')
    assert.equal(r.json.intake_org.name, '综合受理一号窗口')
    assert.equal(r.json.applicant.mobile, '139****5555')
    caseId = r.json.id
    assertError(await citizen.get(`/api/v1/cases/${caseId}`), 404)
  })

  test('the profile of an earlier applicant pre-fills the next filing', async () => {
    const r = await clerk.get('/api/v1/applicants/profile?id_number=' + id)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.found, true)
    assert.equal(r.json.name, '李红')
    assert.equal(r.json.mobile, '13907375555')
    assert.equal(r.json.address, '赫山区龙岭村3组')
    assertError(await citizen.get('/api/v1/applicants/profile?id_number=' + id), 403)
  })

  test('不予受理 needs a reason; afterwards nothing more can happen', async () => {
    assertError(await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'refuse' }), 400, 'missing_field', 'reason')
    const r = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'refuse', reason: '申请人不符合法定结婚年龄' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'refused')
    assert.equal(r.json.state_name, '不予受理')
    assert.equal(r.json.timeline.at(-1).detail.reason, '申请人不符合法定结婚年龄')
    assertError(await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'accept' }), 409, 'invalid_transition')
    assertError(await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'fly' }), 400, null, 'action')
  })
})

describe('the legal calendar', () => {
  test('due date across National Day 2026', async () => {
    const r = await publicGet('/api/v1/calendar/due?from=2026-09-30&days=1')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.due, '2026-10-08')
    assert.equal(r.json.provisional, false)
    // the file lists 10-01 … 10-07 (the weekend 10-03/10-04 among them) and Sat 10-10 调
    assert.deepEqual(r.json.holidays.map((h) => h.date),
      ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'])
    assert.equal(r.json.holidays[0].name, '国庆节')
    assert.deepEqual(r.json.adjusted_workdays, [])
    assert.equal(r.json.weekend_days, 0)
    const sf = await publicGet('/api/v1/calendar/due?from=2026-02-13&days=2')
    assert.equal(sf.json.due, '2026-02-24') // Sat 2-14 调 counts, 2-15…2-23 Spring Festival
  })

  test('a year neither loaded nor provisional is an error, never weekdays only', async () => {
    const r = await publicGet('/api/v1/calendar/due?from=2101-03-03&days=3')
    assertError(r, 400, 'calendar_year_missing', 'from')
    assert.ok(r.json.error.message.includes('2101'))
    const y = await publicGet('/api/v1/calendar?year=2101')
    assert.equal(y.json.loaded, false)
    assert.equal(y.json.provisional, false)
    assert.ok(y.json.message.includes('2101'))
    const early = await publicGet('/api/v1/calendar/due?from=2024-03-04&days=3')
    assertError(early, 400, 'calendar_year_missing', 'from')
    // a later year without a notice is computed from the law, and says so
    const p = await publicGet('/api/v1/calendar/due?from=2031-03-03&days=3')
    assert.equal(p.status, 200, p.text)
    assert.equal(p.json.due, '2031-03-06')
    assert.equal(p.json.provisional, true)
    const y31 = await publicGet('/api/v1/calendar?year=2031')
    assert.equal(y31.json.provisional, true)
    assert.ok(y31.json.message.includes('暂按法定节假日推算'))
    const y26 = await publicGet('/api/v1/calendar?year=2026')
    assert.equal(y26.json.loaded, true)
    assert.ok(y26.json.days.some((d) => d.date === '2026-10-01' && d.kind === 'holiday'))
    assertError(await publicGet('/api/v1/calendar/due?from=2026-13-01&days=1'), 400, null, 'from')
  })

  test('an administrator edits a day: audited, open deadlines recomputed', async () => {
    const admin = await signIn('demo-admin')
    const clerk = await signIn('demo-clerk')
    assertError(await clerk.put('/api/v1/calendar/days/2026-12-28', { kind: 'holiday', name: '测试' }), 403)
    const r = await admin.put('/api/v1/calendar/days/2026-12-28', { kind: 'holiday', name: '临时放假' })
    assert.equal(r.status, 200, r.text)
    assert.ok(Number.isInteger(r.json.recomputed_cases))
    const due = await publicGet('/api/v1/calendar/due?from=2026-12-25&days=1')
    assert.equal(due.json.due, '2026-12-29')
    const back = await admin.put('/api/v1/calendar/days/2026-12-28', { kind: 'normal' })
    assert.equal(back.status, 200, back.text)
    assert.equal((await publicGet('/api/v1/calendar/due?from=2026-12-25&days=1')).json.due, '2026-12-28')
    const sup = await signIn('demo-supervisor')
    const audit = await sup.get('/api/v1/audit?object_type=calendar&object_id=2026-12-28')
    assert.equal(audit.json.total, 2)
    assert.equal(audit.json.items[1].detail.kind, 'holiday')
  })
})
