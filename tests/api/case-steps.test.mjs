// A case follows the steps of its item version (src/cases, issue 6 point 3):
// 社会团体成立登记 is reviewed by its business supervisory unit (文旅体局, D15), then
// registered by 民政局 (D05) in two steps, then handed out at the window; each step puts
// the case in the acting department's queue, nobody acts out of turn, and the timeline
// and the audit trail name every step.  A 即办 item (补领结婚证、离婚证: 受理 → 办结) is
// decided at the window by the clerk who takes it in.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { assertError, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'

const post = (jar, path, body) => request(path, { method: 'POST', jar, body })
const get = (jar, path) => request(path, { jar })

async function guide (name) {
  const r = await request('/api/v1/items?q=' + encodeURIComponent(name))
  assert.equal(r.status, 200)
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, `${name} in the demo catalog`)
  const g = await request(`/api/v1/items/${it.id}`)
  assert.equal(g.status, 200)
  return g.json
}

const required = (g) => g.materials.filter((m) => m.required === 'yes').map((m) => m.name)

describe('a two-department procedure, step by step', () => {
  let admin, clerk, enterprise, mca, culture, supervisor, item, id, reviewerName
  test('an approver of 文旅体局 joins; the guide names the steps', async () => {
    ;[admin, clerk, enterprise, mca, supervisor] = await Promise.all(
      ['demo-admin', 'demo-clerk', 'demo-enterprise', 'demo-approver', 'demo-supervisor'].map((u) => signIn(u)))
    const depts = await get(admin, '/api/v1/orgs?kind=department')
    const d15 = depts.json.items.find((o) => o.code === 'D15')
    const seed = uniqueSeed()
    reviewerName = `reviewer-${seed}`
    const created = await post(admin, '/api/v1/users', {
      username: reviewerName, name: '谭文', role: 'approver', org_id: d15.id,
      mobile: makeMobile(seed + 55_000_000), password: 'Staff#2026x',
    })
    assert.equal(created.status, 201, created.text)
    culture = await signIn(reviewerName, 'Staff#2026x')
    item = await guide('社会团体成立登记')
    assert.deepEqual(item.steps.map((s) => [s.name, s.role, s.org.code]), [
      ['受理', 'clerk', 'W07'], ['业务主管单位审查', 'approver', 'D15'], ['登记审查', 'approver', 'D05'],
      ['准予登记决定', 'approver', 'D05'], ['出件', 'clerk', 'W17']])
  })

  test('filed online, accepted: the case is in 文旅体局\'s queue at 业务主管单位审查', async () => {
    const r = await post(enterprise, '/api/v1/cases', { item_id: item.id, title: '成立赫山区摄影家协会', materials: required(item) })
    assert.equal(r.status, 201, r.text)
    id = r.json.id
    assert.equal(r.json.current_step, '受理')
    assert.deepEqual(r.json.steps.map((s) => s.status), ['current', 'todo', 'todo', 'todo', 'todo'])
    const a = await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'accept' })
    assert.equal(a.status, 200, a.text)
    assert.equal(a.json.state, 'review')
    assert.equal(a.json.current_step, '业务主管单位审查')
    assert.equal(a.json.department.name, '赫山区文化旅游广电体育局')
    assert.deepEqual(a.json.steps.map((s) => s.status), ['done', 'current', 'todo', 'todo', 'todo'])
    assert.equal(a.json.steps[0].done_by.name, clerk.user.name)
    const q = await get(culture, '/api/v1/cases?queue=review&per_page=100&q=' + a.json.case_no)
    assert.equal(q.json.total, 1)
    assert.equal(q.json.items[0].current_step, '业务主管单位审查')
    const mq = await get(mca, '/api/v1/cases?queue=review&per_page=100&q=' + a.json.case_no)
    assert.equal(mq.json.total, 0, '民政局 does not see it before the review')
  })

  test('out of turn: 民政局 cannot act yet, 文旅体局 cannot decide', async () => {
    assertError(await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'approve' }), 404, 'not_found')
    const clerkTry = await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'forward' })
    assertError(clerkTry, 403, 'forbidden')
    assert.match(clerkTry.json.error.message, /业务主管单位审查/)
    assertError(await post(culture, `/api/v1/cases/${id}/transitions`, { action: 'approve' }), 409, 'wrong_step')
  })

  test('each department passes it on; 民政局 decides at the last step; the window hands it out', async () => {
    let r = await post(culture, `/api/v1/cases/${id}/transitions`, { action: 'forward', comment: '同意成立' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.current_step, '登记审查')
    assert.equal(r.json.department.name, '赫山区民政局')
    // 文旅体局 still sees what it did, but the case has moved on
    assertError(await post(culture, `/api/v1/cases/${id}/transitions`, { action: 'forward' }), 403, 'forbidden')
    assertError(await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'approve' }), 409, 'wrong_step')
    r = await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'forward' })
    assert.equal(r.json.current_step, '准予登记决定')
    assertError(await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'forward' }), 409, 'wrong_step')
    assert.deepEqual(r.json.actions.map((x) => x.action).sort(), ['approve', 'deny', 'extend', 'suspend', 'transfer'])
    r = await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'approve', comment: '准予登记' })
    assert.equal(r.json.state, 'approved')
    assert.equal(r.json.current_step, '出件')
    assert.equal(r.json.steps[4].org.name, '综合出件窗口')
    r = await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'deliver', delivery: 'window' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'concluded')
    assert.deepEqual(r.json.steps.map((s) => s.status), ['done', 'done', 'done', 'done', 'done'])
  })

  test('the timeline and the audit trail name every step and who took it', async () => {
    const r = await get(enterprise, `/api/v1/cases/${id}`)
    const tl = r.json.timeline
    assert.deepEqual(tl.map((e) => e.action), ['submit', 'accept', 'forward', 'forward', 'approve', 'deliver'])
    assert.deepEqual(tl.slice(1).map((e) => e.detail.step.name),
      ['受理', '业务主管单位审查', '登记审查', '准予登记决定', '出件'])
    assert.deepEqual(tl.slice(1).map((e) => e.detail.next_step?.name ?? null),
      ['业务主管单位审查', '登记审查', '准予登记决定', '出件', null])
    assert.equal(tl[2].actor.org, '赫山区文化旅游广电体育局')
    assert.equal(tl[2].comment, '同意成立')
    assert.equal(tl[4].actor.org, '赫山区民政局')
    const au = await get(supervisor, `/api/v1/audit?object_type=case&object_id=${id}&per_page=100`)
    const rows = au.json.items.slice().reverse()
    assert.deepEqual(rows.map((a) => a.action),
      ['case.submit', 'case.accept', 'case.forward', 'case.forward', 'case.approve', 'case.deliver'])
    assert.deepEqual(rows.map((a) => a.actor),
      ['demo-enterprise', 'demo-clerk', reviewerName, 'demo-approver', 'demo-approver', 'demo-clerk'])
    assert.equal(rows[2].detail.step.name, '业务主管单位审查')
    assert.equal(rows[2].detail.next_step.name, '登记审查')
  })
})

describe('即办: decided at the window', () => {
  test('the clerk takes in and decides 补领结婚证 at once; the approver may not', async () => {
    const [citizen, clerk, mca] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-approver'].map((u) => signIn(u)))
    const g = await guide('补领结婚证、离婚证')
    assert.deepEqual(g.steps.map((s) => s.name), ['受理', '办结'])
    const r = await post(citizen, '/api/v1/cases', { item_id: g.id, materials: required(g) })
    assert.equal(r.status, 201, r.text)
    const id = r.json.id
    const view = await get(clerk, `/api/v1/cases/${id}`)
    assert.ok(view.json.actions.some((x) => x.action === 'approve'), 'the window may decide')
    assertError(await post(mca, `/api/v1/cases/${id}/transitions`, { action: 'approve' }), 403, 'forbidden')
    assertError(await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'deny' }), 400, 'missing_field')
    const a = await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'approve', comment: '当场办结' })
    assert.equal(a.status, 200, a.text)
    assert.equal(a.json.state, 'approved')
    assert.equal(a.json.accepted_date, a.json.decided_date)
    assert.deepEqual(a.json.steps.map((s) => s.status), ['done', 'done'])
    assert.equal(a.json.timeline[1].detail.step.name, '办结')
    const d = await post(clerk, `/api/v1/cases/${id}/transitions`, { action: 'deliver', delivery: 'window' })
    assert.equal(d.json.state, 'concluded')
  })
})
