// 好差评 (src/rating): a citizen rates a concluded case 非常不满意, which opens a
// rectification for 民政局 due in 15 working days; the department visits, verifies and
// closes it, the citizen sees the outcome, the supervisor publishes it.  The window
// evaluator: the clerk starts a service, the kiosk rates it once.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { anon, assertError, concludedCase, signIn, todayShanghai } from './supervision-lib.mjs'

describe('rating a concluded case and its rectification', () => {
  let citizen, clerk, approver, supervisor, kase, rating, rectId
  test('sign in and conclude a case', async () => {
    ;[citizen, clerk, approver, supervisor] = await Promise.all(
      ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-supervisor'].map(signIn))
    kase = await concludedCase(citizen, clerk, approver)
  })

  test('the applicant may rate it once; others may not see it', async () => {
    const r = await citizen.get(`/api/v1/cases/${kase.id}/rating`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.can_rate, true)
    assert.equal(r.json.rating, null)
    assert.ok(r.json.tags.bad.includes('服务态度差'))
    assertError(await anon.get(`/api/v1/cases/${kase.id}/rating`), 401)
    assertError(await anon.get(`/api/v1/cases/${kase.id}/rating?token=${'0'.repeat(32)}`), 404, null, 'token')
  })

  test('bad input names the field', async () => {
    assertError(await citizen.post('/api/v1/ratings', { case_id: kase.id, level: 6 }), 400, null, 'level')
    assertError(await citizen.post('/api/v1/ratings', { case_id: kase.id, level: 1, tags: ['不存在的标签'] }),
      400, null, 'tags')
    assertError(await citizen.post('/api/v1/ratings', { case_id: kase.id }), 400, 'missing_field', 'level')
  })

  test('非常不满意 opens a rectification for the deciding department, 15 working days', async () => {
    const r = await citizen.post('/api/v1/ratings',
      { case_id: kase.id, level: 1, tags: ['服务态度差', '多次跑腿'], comment: '窗口人员态度不好' })
    assert.equal(r.status, 201, r.text)
    rating = r.json
    assert.equal(rating.level_name, '非常不满意')
    assert.equal(rating.channel, 'portal')
    assert.equal(rating.dept.name, '赫山区民政局')
    assert.deepEqual(rating.tags, ['服务态度差', '多次跑腿'])
    assert.ok(rating.rectification_id > 0)
    rectId = rating.rectification_id
    assert.equal(rating.rectification.state, 'open')
    const due = await anon.get(`/api/v1/calendar/due?from=${todayShanghai()}&days=15`)
    assert.equal(rating.rectification.due_date, due.json.due)
    assertError(await citizen.post('/api/v1/ratings', { case_id: kase.id, level: 5 }), 409, 'already_rated')
  })

  test('民政局 sees the task; a window clerk does not', async () => {
    const list = await approver.get('/api/v1/rectifications?state=active&per_page=100')
    assert.equal(list.status, 200)
    const t = list.json.items.find((x) => x.id === rectId)
    assert.ok(t, 'in the department queue')
    assert.equal(t.rating.case_no, kase.case_no)
    assert.equal(t.state_name, '待回访')
    assertError(await clerk.get(`/api/v1/rectifications/${rectId}`), 404)
  })

  test('the steps follow the table: visit, verify (fixed) closes it', async () => {
    const act = (body) => approver.post(`/api/v1/rectifications/${rectId}/transitions`, body)
    assertError(await act({ action: 'verify', outcome: 'fixed', note: '已整改' }), 409, 'invalid_transition')
    assertError(await act({ action: 'visit' }), 400, 'missing_field', 'note')
    let r = await act({ action: 'visit', note: '已电话回访申请人，了解情况' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'visited')
    assertError(await act({ action: 'verify', outcome: 'maybe', note: 'x' }), 400, null, 'outcome')
    assertError(await act({ action: 'publish' }), 403)
    r = await act({ action: 'verify', outcome: 'fixed', note: '已对窗口人员批评教育，优化了取件流程' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'closed')
    assert.equal(r.json.outcome_name, '诉求合理，已立即整改')
    assert.equal(r.json.closed_late, false)
  })

  test('the applicant sees the outcome on their rating', async () => {
    const r = await citizen.get(`/api/v1/ratings/${rating.id}`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.rectification.state, 'closed')
    assert.equal(r.json.rectification.outcome, 'fixed')
    assert.equal(r.json.rectification.outcome_note, '已对窗口人员批评教育，优化了取件流程')
    assert.equal(r.json.rectification.visit_by, undefined, 'staff names stay inside')
    const mine = await citizen.get('/api/v1/ratings')
    assert.ok(mine.json.items.some((x) => x.id === rating.id))
    const page = await citizen.get(`/api/v1/cases/${kase.id}/rating`)
    assert.equal(page.json.can_rate, false)
    assert.equal(page.json.rectification.outcome, 'fixed')
  })

  test('the supervisor publishes it; the public page shows it without personal data', async () => {
    const r = await supervisor.post(`/api/v1/rectifications/${rectId}/transitions`, { action: 'publish' })
    assert.equal(r.status, 200, r.text)
    const pub = await anon.get('/api/v1/public/rectifications?per_page=100')
    assert.equal(pub.status, 200)
    const p = pub.json.items.find((x) => x.id === rectId)
    assert.ok(p)
    assert.equal(p.org_name, '赫山区民政局')
    assert.ok(!JSON.stringify(p).includes(kase.case_no), 'no case number on the public page')
    assert.ok(!JSON.stringify(p).includes('张伟'))
  })
})

describe('the window evaluator (kiosk)', () => {
  let clerk, serviceId
  test('no open service: the kiosk waits', async () => {
    clerk = await signIn('demo-clerk')
    const cur = await clerk.get('/api/v1/services/current')
    if (cur.json.service) await clerk.post(`/api/v1/services/${cur.json.service.id}/end`)
    const k = await anon.get('/api/v1/kiosk/W01')
    assert.equal(k.status, 200)
    assert.equal(k.json.window.name, '综合受理一号窗口')
    assert.equal(k.json.service, null)
    assert.deepEqual(k.json.levels.map((l) => l.name), ['非常满意', '满意', '基本满意', '不满意', '非常不满意'])
    assertError(await anon.get('/api/v1/kiosk/NOPE'), 404, null, 'window_code')
    assertError(await anon.get('/api/v1/kiosk/D05'), 404, null, 'window_code')
  })

  test('the clerk starts a service; the kiosk rates it exactly once', async () => {
    const s = await clerk.post('/api/v1/services', { topic: '户籍证明咨询' })
    assert.equal(s.status, 201, s.text)
    serviceId = s.json.service.id
    const k = await anon.get('/api/v1/kiosk/W01')
    assert.equal(k.json.service.id, serviceId)
    assert.equal(k.json.service.topic, '户籍证明咨询')
    const r = await anon.post('/api/v1/kiosk/W01/ratings', { service_id: serviceId, level: 5, tags: ['服务态度好'] })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.level_name, '非常满意')
    assertError(await anon.post('/api/v1/kiosk/W01/ratings', { service_id: serviceId, level: 1 }), 409, 'service_closed')
    const after = await anon.get('/api/v1/kiosk/W01')
    assert.equal(after.json.service, null, 'reset for the next applicant')
    const cur = await clerk.get('/api/v1/services/current')
    assert.equal(cur.json.recent[0].id, serviceId)
    assert.equal(cur.json.recent[0].level, 5)
  })

  test('another window cannot rate this window\'s service; citizens cannot start services', async () => {
    const s = await clerk.post('/api/v1/services', {})
    const r = await anon.post('/api/v1/kiosk/W02/ratings', { service_id: s.json.service.id, level: 5 })
    assertError(r, 409, 'service_closed')
    const citizen = await signIn('demo-citizen')
    assertError(await citizen.post('/api/v1/services', {}), 403)
    await clerk.post(`/api/v1/services/${s.json.service.id}/end`)
  })
})
