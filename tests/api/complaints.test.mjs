// 投诉与建议 (src/complaint): anonymous and signed filing, automatic assignment by
// subject, the department answers, the complainant rates the answer; the mobile
// number is masked; anonymous complaints show staff no contact.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { anon, assertError, signIn } from './supervision-lib.mjs'

async function orgByCode(code) {
  const r = await anon.get('/api/v1/orgs?kind=department')
  const all = r.json.items ?? r.json
  const o = all.find((x) => x.code === code)
  assert.ok(o, `org ${code}`)
  return o
}

describe('anonymous complaint, followed with the query code', () => {
  let filed, supervisor, approver, d05
  test('filing checks its fields', async () => {
    assertError(await anon.post('/api/v1/complaints', { kind: 'complaint', subject: 'general', title: '标题' }),
      400, 'missing_field', 'content')
    assertError(await anon.post('/api/v1/complaints',
      { kind: 'complaint', subject: 'general', title: '标题', content: '内容足够长了吧', mobile: '12345' }),
    400, null, 'mobile')
    assertError(await anon.post('/api/v1/complaints',
      { kind: 'complaint', subject: 'department', title: '标题', content: '内容足够长了吧' }),
    400, 'missing_field', 'about_org_id')
    assertError(await anon.post('/api/v1/complaints',
      { kind: 'complaint', subject: 'case', case_no: '430903-20990101-99999', title: '标题', content: '内容足够长了吧' }),
    400, null, 'case_no')
  })

  test('an anonymous general complaint waits for assignment', async () => {
    const r = await anon.post('/api/v1/complaints', {
      kind: 'complaint', subject: 'general', title: '大厅饮水机没有热水',
      content: '今天上午大厅饮水机没有热水，老人喝水不方便。', anonymous: true, mobile: '139 0737 5678',
    })
    assert.equal(r.status, 201, r.text)
    filed = r.json
    assert.match(filed.complaint.ref_no, /^TS430903-\d{8}-\d{4}$/)
    assert.equal(filed.complaint.state, 'submitted')
    assert.equal(filed.complaint.assigned_org, null)
    assert.equal(filed.complaint.mobile, '139****5678')
    assert.equal(filed.query_code.length, 43)
    const look = await anon.get(`/api/v1/complaints/lookup?ref_no=${filed.complaint.ref_no}&query_code=${filed.query_code}`)
    assert.equal(look.status, 200)
    assert.equal(look.json.title, '大厅饮水机没有热水')
    assertError(await anon.get(`/api/v1/complaints/lookup?ref_no=${filed.complaint.ref_no}&query_code=wrong`), 404)
  })

  test('staff see no contact for an anonymous complaint; only supervisors assign', async () => {
    ;[supervisor, approver] = await Promise.all(['demo-supervisor', 'demo-approver'].map(signIn))
    d05 = await orgByCode('D05')
    const list = await supervisor.get('/api/v1/complaints?state=submitted&per_page=100')
    const c = list.json.items.find((x) => x.id === filed.complaint.id)
    assert.ok(c)
    assert.equal(c.contact_name, '（匿名）')
    assert.equal(c.mobile, '')
    assertError(await approver.post(`/api/v1/complaints/${c.id}/transitions`,
      { action: 'assign', assigned_org_id: d05.id }), 403)
    const r = await supervisor.post(`/api/v1/complaints/${c.id}/transitions`,
      { action: 'assign', assigned_org_id: d05.id, note: '请民政局核实' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'assigned')
    assert.equal(r.json.assigned_org.name, '赫山区民政局')
  })

  test('the department answers; the anonymous complainant rates with the code', async () => {
    const clerk = await signIn('demo-clerk')
    assertError(await clerk.post(`/api/v1/complaints/${filed.complaint.id}/transitions`,
      { action: 'answer', answer: '已经修好了饮水机。' }), 404)
    assertError(await approver.post(`/api/v1/complaints/${filed.complaint.id}/transitions`,
      { action: 'answer', answer: '好' }), 400, null, 'answer')
    const r = await approver.post(`/api/v1/complaints/${filed.complaint.id}/transitions`,
      { action: 'answer', answer: '已联系物业维修饮水机，现已恢复供应热水。' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'answered')
    assert.equal(r.json.answered_late, false)
    assertError(await anon.post(`/api/v1/complaints/${filed.complaint.id}/transitions`,
      { action: 'rate', satisfaction: 5, query_code: 'wrong' }), 404)
    const rate = await anon.post(`/api/v1/complaints/${filed.complaint.id}/transitions`,
      { action: 'rate', satisfaction: 4, feedback: '处理及时', query_code: filed.query_code })
    assert.equal(rate.status, 204, rate.text)
    const look = await anon.get(`/api/v1/complaints/lookup?ref_no=${filed.complaint.ref_no}&query_code=${filed.query_code}`)
    assert.equal(look.json.state, 'closed')
    assert.equal(look.json.satisfaction, 4)
    assert.deepEqual(look.json.events.map((e) => e.action), ['file', 'assign', 'answer', 'rate'])
  })
})

describe('signed complaint about a department', () => {
  test('assigned at once; the citizen sees the answer in 我的投诉 and rates it', async () => {
    const [citizen, approver] = await Promise.all(['demo-citizen', 'demo-approver'].map(signIn))
    const d05 = await orgByCode('D05')
    const r = await citizen.post('/api/v1/complaints', {
      kind: 'suggestion', subject: 'department', about_org_id: d05.id, title: '建议开通婚姻登记网上预约',
      content: '希望婚姻登记可以网上预约时段，避免排长队。', mobile: '13807370001',
    })
    assert.equal(r.status, 201, r.text)
    const c = r.json.complaint
    assert.equal(c.state, 'assigned')
    assert.equal(c.assigned_org.name, '赫山区民政局')
    assert.equal(c.contact_name, '张伟')
    const queue = await approver.get('/api/v1/complaints?state=open&per_page=100')
    const mine = queue.json.items.find((x) => x.id === c.id)
    assert.ok(mine, 'in the department queue')
    assert.equal(mine.mobile, '138****0001')
    const a = await approver.post(`/api/v1/complaints/${c.id}/transitions`,
      { action: 'answer', answer: '感谢建议，网上预约功能将于下月开通。' })
    assert.equal(a.status, 200, a.text)
    const list = await citizen.get('/api/v1/complaints?mine=1')
    const seen = list.json.items.find((x) => x.id === c.id)
    assert.equal(seen.answer, '感谢建议，网上预约功能将于下月开通。')
    const rate = await citizen.post(`/api/v1/complaints/${c.id}/transitions`, { action: 'rate', satisfaction: 5 })
    assert.equal(rate.status, 200, rate.text)
    assert.equal(rate.json.state, 'closed')
    assertError(await citizen.post(`/api/v1/complaints/${c.id}/transitions`, { action: 'rate', satisfaction: 5 }),
      409, 'invalid_transition')
  })

  test('another citizen cannot read it; the sweep is for supervisors', async () => {
    const enterprise = await signIn('demo-enterprise')
    const list = await enterprise.get('/api/v1/complaints?mine=1')
    assert.equal(list.status, 200)
    assert.ok(list.json.items.every((x) => x.contact_name !== '张伟'))
    assertError(await enterprise.post('/api/v1/supervision/sweep'), 403)
    const supervisor = await signIn('demo-supervisor')
    const s = await supervisor.post('/api/v1/supervision/sweep')
    assert.equal(s.status, 200, s.text)
    assert.equal(typeof s.json.complaints_escalated, 'number')
  })
})
