// Notifications, in-app (issue 20, src/notify/): the applicant's message center gets a
// message when the case needs 补正 (listing what), is accepted, decided and ready to
// collect; the unread count follows; messages are the addressee's only; administrators
// edit each event's template, whose variables are checked when saved.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { makeIdNumber, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'

const MARRIAGE = '内地居民结婚登记'
const PHOTO = '近期半身免冠合影照片'
let citizen, clerk, approver, admin, enterprise, item

before(async () => {
  ;[citizen, clerk, approver, admin, enterprise] = await Promise.all(
    ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-admin', 'demo-enterprise'].map((u) => signIn(u)))
  const r = await request(`/api/v1/items?q=${encodeURIComponent(MARRIAGE)}`)
  item = r.json.items.find((i) => i.name === MARRIAGE)
  assert.ok(item)
})

after(async () => {
  for (const e of ['case_supplement', 'case_accepted']) await request(`/api/v1/notify/templates/${e}`, { method: 'DELETE', jar: admin })
  for (const e of ['case_ready', 'appointment_eve']) await request(`/api/v1/notify/templates/${e}/sms`, { method: 'DELETE', jar: admin })
})

async function messagesOf (jar, caseId) {
  const r = await request('/api/v1/messages?per_page=100', { jar })
  assert.equal(r.status, 200, r.text)
  return { all: r.json, mine: r.json.items.filter((m) => m.case_id === caseId) }
}

async function step (jar, caseId, body) {
  const r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', body, jar })
  assert.equal(r.status, 200, r.text)
  return r.json
}

async function apply () {
  const r = await request('/api/v1/cases', {
    method: 'POST',
    jar: citizen,
    body: { item_id: item.id, title: '申请办理结婚登记', materials: ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'] },
  })
  assert.equal(r.status, 201, r.text)
  return r.json
}

test('the applicant is told of 补正 (with what), acceptance, the decision and that the result can be collected', async () => {
  const c = await apply()
  assert.equal((await messagesOf(citizen, c.id)).mine.length, 0, 'filing alone sends nothing')
  const unread0 = (await request('/api/v1/messages/unread', { jar: citizen })).json.unread

  await step(clerk, c.id, { action: 'supplement', materials: [{ name: PHOTO, problem: '未提交' }, { name: '居民户口簿', problem: '复印件不清晰' }], comment: '请本周内补齐' })
  let m = await messagesOf(citizen, c.id)
  assert.equal(m.mine.length, 1)
  assert.equal(m.mine[0].event, 'case_supplement')
  assert.equal(m.mine[0].title, '请补正申请材料')
  assert.match(m.mine[0].body, new RegExp(`1\\. ${PHOTO}：未提交\\n2\\. 居民户口簿：复印件不清晰`))
  assert.match(m.mine[0].body, new RegExp(c.case_no))
  assert.match(m.mine[0].body, /（请本周内补齐）/)
  assert.equal(m.mine[0].link, `/my/cases/${c.id}`)
  assert.equal(m.mine[0].read_at, null)
  assert.equal((await request('/api/v1/messages/unread', { jar: citizen })).json.unread, unread0 + 1)
  assert.equal(m.all.unread, unread0 + 1)

  await step(citizen, c.id, { action: 'resubmit', materials: [PHOTO, '居民户口簿'] })
  await step(clerk, c.id, { action: 'accept' })
  await step(approver, c.id, { action: 'approve', comment: '符合条件' })
  m = await messagesOf(citizen, c.id)
  assert.deepEqual(m.mine.map((x) => x.event), ['case_ready', 'case_decided', 'case_accepted', 'case_supplement'])
  const decided = m.mine.find((x) => x.event === 'case_decided')
  assert.match(decided.body, /结果：准予许可/)
  // nobody else sees them
  const other = await messagesOf(enterprise, c.id)
  assert.equal(other.mine.length, 0)
  assert.equal((await request(`/api/v1/messages/${decided.id}/read`, { method: 'POST', jar: enterprise })).status, 404)
  // read one, then all
  const before = (await request('/api/v1/messages/unread', { jar: citizen })).json.unread
  assert.equal((await request(`/api/v1/messages/${decided.id}/read`, { method: 'POST', jar: citizen })).status, 204)
  assert.equal((await request('/api/v1/messages/unread', { jar: citizen })).json.unread, before - 1)
  const unreadList = await request('/api/v1/messages?unread=true&per_page=100', { jar: citizen })
  assert.ok(!unreadList.json.items.some((x) => x.id === decided.id))
  assert.equal((await request('/api/v1/messages/read-all', { method: 'POST', jar: citizen })).status, 204)
  assert.equal((await request('/api/v1/messages/unread', { jar: citizen })).json.unread, 0)
  assert.equal((await request('/api/v1/messages/unread')).status, 401)
})

test('a refusal tells the reason', async () => {
  const c = await apply()
  await step(clerk, c.id, { action: 'refuse', reason: '不属于本机关职权范围' })
  const m = (await messagesOf(citizen, c.id)).mine
  assert.equal(m.length, 1)
  assert.equal(m[0].event, 'case_decided')
  assert.match(m[0].body, /结果：不予受理。理由：不属于本机关职权范围/)
})

test('administrators edit templates; variables are checked when saved', async () => {
  const list = await request('/api/v1/notify/templates', { jar: admin })
  assert.equal(list.status, 200, list.text)
  const sup = list.json.items.find((t) => t.event === 'case_supplement')
  assert.deepEqual(sup.variables, ['case_no', 'item_name', 'title', 'materials', 'comment'])
  assert.equal(sup.customized, false)
  assert.equal((await request('/api/v1/notify/templates', { jar: clerk })).status, 403)

  const put = (event, body, jar = admin) => request(`/api/v1/notify/templates/${event}`, { method: 'PUT', body, jar })
  let r = await put('case_supplement', { title: '补正通知', body: '办件 {case_no} 缺 {materials}，请于 {deadline} 前补齐' })
  assert.equal(r.status, 400, r.text)
  assert.equal(r.json.error.code, 'unknown_variable')
  assert.equal(r.json.error.field, 'body')
  assert.match(r.json.error.message, /\{deadline\}/)
  r = await put('case_supplement', { title: '补正通知 {case_no', body: '办件 {case_no}' })
  assert.equal(r.json.error.code, 'template_brace')
  assert.equal(r.json.error.field, 'title')
  r = await put('case_supplement', { title: '补正通知', body: '办件 case_no}' })
  assert.equal(r.json.error.code, 'template_brace')
  r = await put('case_supplement', { title: '补正通知', body: '' })
  assert.equal(r.status, 400)
  r = await put('case_decided', { title: '{result}', body: '{materials}' })
  assert.equal(r.json.error.code, 'unknown_variable', 'materials is the supplement’s, not the decision’s')
  assert.equal((await put('no_such_event', { title: 'x', body: 'y' })).status, 404)
  assert.equal((await put('case_supplement', { title: 'x', body: 'y' }, clerk)).status, 403)

  r = await put('case_supplement', { title: '【补正】{item_name}', body: '请补：{materials}' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.customized, true)
  const c = await apply()
  await step(clerk, c.id, { action: 'supplement', materials: [{ name: PHOTO, problem: '未提交' }] })
  const m = (await messagesOf(citizen, c.id)).mine
  assert.equal(m[0].title, `【补正】${MARRIAGE}`)
  assert.equal(m[0].body, `请补：1. ${PHOTO}：未提交`)

  assert.equal((await request('/api/v1/notify/templates/case_supplement', { method: 'DELETE', jar: admin })).status, 204)
  const back = (await request('/api/v1/notify/templates', { jar: admin })).json.items.find((t) => t.event === 'case_supplement')
  assert.equal(back.customized, false)
  assert.equal(back.title, '请补正申请材料')
})

test('administrators edit the SMS texts: variables checked, a warning past one 70-character segment, staff events have none', async () => {
  const list = await request('/api/v1/notify/templates', { jar: admin })
  assert.equal(list.status, 200, list.text)
  const ready = list.json.items.find((t) => t.event === 'case_ready')
  assert.equal(ready.sms, ready.default_sms)
  assert.equal(ready.sms_customized, false)
  assert.match(ready.sms_preview, /^【.+】您的办件SQ20261124000123结果可以领取了/)
  assert.equal(ready.sms_chars, [...ready.sms_preview].length)
  assert.equal(ready.sms_segments, 1)
  const eve = list.json.items.find((t) => t.event === 'appointment_eve')
  assert.deepEqual(eve.variables, ['code', 'item_name', 'site_name', 'date', 'time'])
  assert.equal(list.json.items.find((t) => t.event === 'case_due_soon').sms, null)

  const put = (event, body, jar = admin) => request(`/api/v1/notify/templates/${event}/sms`, { method: 'PUT', body, jar })
  let r = await put('case_ready', { text: '办件{case_no}可以领取，请带身份证到{window}' })
  assert.equal(r.status, 400, r.text)
  assert.equal(r.json.error.code, 'unknown_variable')
  assert.equal(r.json.error.field, 'text')
  assert.match(r.json.error.message, /\{case_no\}/)
  r = await put('case_ready', { text: '办件{case_no可以领取' })
  assert.equal(r.json.error.code, 'template_brace')
  r = await put('case_ready', {})
  assert.equal(r.status, 400)
  assert.equal(r.json.error.field, 'text')
  r = await put('case_due_soon', { text: '办件{case_no}快到期了' })
  assert.equal(r.status, 400)
  assert.equal(r.json.error.code, 'no_sms')
  assert.equal(r.json.error.field, 'event')
  assert.equal((await put('no_such_event', { text: 'x' })).status, 404)
  assert.equal((await put('case_ready', { text: '办件{case_no}可以领取' }, clerk)).status, 403)

  r = await put('case_ready', { text: '办件{case_no}可以领取了，请带身份证。' })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.sms, '办件{case_no}可以领取了，请带身份证。')
  assert.equal(r.json.sms_customized, true)
  assert.equal(r.json.warning, null)
  // a long text is saved, with the number of segments it will be sent in
  const long = '您预约的{item_name}在{site_name}办理，时间为{date} {time}，预约码{code}。请携带本人身份证件原件及申请材料按时到场，' +
    '在取号机输入预约码签到；如不能前往请提前在我的预约中取消，以免影响信用。'
  r = await put('appointment_eve', { text: long })
  assert.equal(r.status, 200, r.text)
  assert.ok(r.json.sms_chars > 70, String(r.json.sms_chars))
  assert.equal(r.json.sms_segments, Math.ceil(r.json.sms_chars / 67))
  assert.match(r.json.warning, new RegExp(`约 ${r.json.sms_chars} 字.*分 ${r.json.sms_segments} 条`))
  const audit = await request('/api/v1/audit?action=notify.sms_template&object_id=appointment_eve', { jar: admin })
  assert.equal(audit.status, 200, audit.text)
  assert.ok(audit.json.items.length >= 1, audit.text)
  assert.equal((await request('/api/v1/notify/templates/appointment_eve/sms', { method: 'DELETE', jar: admin })).status, 204)
  const back = (await request('/api/v1/notify/templates', { jar: admin })).json.items.find((t) => t.event === 'appointment_eve')
  assert.equal(back.sms_customized, false)
  assert.equal(back.sms, back.default_sms)
})

test('staff are told of a 督办 on a case of their department', async () => {
  const c = await apply()
  await step(clerk, c.id, { action: 'supplement', materials: [{ name: PHOTO, problem: '未提交' }] })
  await step(citizen, c.id, { action: 'resubmit', materials: [PHOTO] })
  await step(clerk, c.id, { action: 'accept' })
  const supervisor = await signIn('demo-supervisor')
  const n = await request('/api/v1/supervision/notices', { method: 'POST', jar: supervisor, body: { case_id: c.id, content: '该办件群众反映较急，请加快办理' } })
  assert.equal(n.status, 201, n.text)
  // only the 督办: the minute's sweep may also have told them the case is due soon
  const m = (await messagesOf(approver, c.id)).mine.filter((x) => x.event === 'supervision_notice')
  assert.equal(m.length, 1, 'the approver of 民政局, the deciding department, is told once')
  assert.equal(m[0].event, 'supervision_notice')
  assert.equal(m[0].title, `督办：${c.case_no}`)
  assert.match(m[0].body, /该办件群众反映较急，请加快办理/)
  assert.match(m[0].body, /请于 \d{4}-\d{2}-\d{2} 前回复/)
  assert.equal(m[0].link, `/work/cases/${c.id}`)
  assert.equal((await messagesOf(clerk, c.id)).mine.filter((x) => x.event === 'supervision_notice').length, 0, 'not the window')
})

test('staff are told once of a case of their office that is about to run out of time', async () => {
  const supervisor = await signIn('demo-supervisor')
  const alerts = await request('/api/v1/supervision/alerts?per_page=100', { jar: supervisor })
  assert.equal(alerts.status, 200, alerts.text)
  const soon = alerts.json.cases.find((x) => x.light === 'yellow' && x.days_left >= 0 && x.state === 'review')
  assert.ok(soon, 'the demo year has a case under review about to run out of time')
  // somebody joins the deciding department; the next sweep tells them
  const username = `due-${Date.now() % 1e9}`
  const u = await request('/api/v1/users', { method: 'POST', jar: admin, body: { username, name: '到期提醒', role: 'approver', org_id: soon.dept_id, password: 'Due@2026abc' } })
  assert.equal(u.status, 201, u.text)
  const staff = await signIn(username, 'Due@2026abc')
  assert.equal((await messagesOf(staff, soon.id)).mine.length, 0)
  assert.equal((await request('/api/v1/supervision/sweep', { method: 'POST', jar: supervisor })).status, 200)
  let m = (await messagesOf(staff, soon.id)).mine
  assert.equal(m.length, 1)
  assert.equal(m[0].event, 'case_due_soon')
  assert.match(m[0].body, new RegExp(`将于 ${soon.due_date} 到期，还剩 ${soon.days_left} 个工作日`))
  // of the department's cases on the alert list, exactly the yellow ones not yet overdue were told
  const all = await messagesOf(staff, -1)
  const told = new Set(all.all.items.filter((x) => x.event === 'case_due_soon').map((x) => x.case_id))
  for (const x of alerts.json.cases.filter((k) => k.dept_id === soon.dept_id && k.state === 'review')) {
    assert.equal(told.has(x.id), x.light === 'yellow' && x.days_left >= 0, `case ${x.case_no} (${x.light}, ${x.days_left})`)
  }
  // the next sweep sends nothing new
  assert.equal((await request('/api/v1/supervision/sweep', { method: 'POST', jar: supervisor })).status, 200)
  m = (await messagesOf(staff, soon.id)).mine
  assert.equal(m.length, 1)
})

test('the applicant is told when an information request is answered', async () => {
  const discloser = await signIn('demo-discloser')
  const filed = await request('/api/v1/info-requests', {
    method: 'POST',
    jar: citizen,
    body: { org_id: discloser.user.org.id, applicant_type: 'person', name: '张伟', id_number: '430903199003152317', mobile: '13907372001', content: '通知测试所需的政府信息', delivery: 'electronic' },
  })
  assert.equal(filed.status, 201, filed.text)
  const id = filed.json.id
  const act = async (body) => {
    const r = await request(`/api/v1/info-requests/${id}/transitions`, { method: 'POST', jar: discloser, body })
    assert.equal(r.status, 200, r.text)
  }
  await act({ action: 'confirm_receipt' })
  const link = `/open/my/${id}`
  const before = (await request('/api/v1/messages?per_page=100', { jar: citizen })).json.items.filter((m) => m.link === link)
  assert.equal(before.length, 0, 'receipt alone sends nothing')
  await act({ action: 'reply', outcome: 'disclosed' })
  const m = (await request('/api/v1/messages?per_page=100', { jar: citizen })).json.items.filter((x) => x.link === link)
  assert.equal(m.length, 1)
  assert.equal(m[0].event, 'request_answered')
  assert.equal(m[0].case_id, null)
  assert.match(m[0].body, new RegExp(`（编号 ${filed.json.number}）已答复：予以公开`))
  assert.match(m[0].body, new RegExp(discloser.user.org.name))
})

test('the day before an appointment its holder is told once, however often and on whichever node the sweep runs', async () => {
  // a holder of its own (registered from this file's own address: registrations are
  // throttled per address), so no other suite's appointments or messages mix in
  const n = uniqueSeed() + 77
  const body = { kind: 'citizen', id_number: makeIdNumber(n), name: '预约提醒', mobile: makeMobile(n), password: 'Secret#2026' }
  const reg = await request('/api/v1/accounts', { method: 'POST', body, localAddress: '127.0.4.120' })
  assert.equal(reg.status, 202, reg.text)
  const holder = await signIn(body.id_number, body.password)
  // Tuesday on the servers' clock: Wednesday 2026-11-25 is tomorrow, Thursday is not
  const tomorrow = await request('/api/v1/hall/appointments', { method: 'POST', jar: holder, body: { site: 'C00', item_id: item.id, day: '2026-11-25', slot: 630 } })
  assert.equal(tomorrow.status, 201, tomorrow.text)
  const later = await request('/api/v1/hall/appointments', { method: 'POST', jar: holder, body: { site: 'C00', item_id: item.id, day: '2026-11-26', slot: 630 } })
  assert.equal(later.status, 201, later.text)
  const supervisor = await signIn('demo-supervisor')
  for (let i = 0; i < 3; i++) {
    const r = await request('/api/v1/supervision/sweep', { method: 'POST', jar: supervisor })
    assert.equal(r.status, 200, r.text)
  }
  const r = await request('/api/v1/messages?per_page=100', { jar: holder })
  assert.equal(r.status, 200, r.text)
  const eve = r.json.items.filter((m) => m.event === 'appointment_eve')
  assert.equal(eve.length, 1, JSON.stringify(r.json.items))
  assert.ok(eve[0].body.includes(tomorrow.json.code) && eve[0].body.includes('10:30'), eve[0].body)
  assert.ok(!eve[0].body.includes(later.json.code), 'Thursday\'s appointment is not reminded yet')
  assert.equal(eve[0].sms, null, 'no SMS gateway on this server')
  assert.equal(r.json.unread, 1)
})
