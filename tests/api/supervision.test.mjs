// 电子监察 (issue 8): 督办 notices through their whole exchange (issue → reply →
// follow-up → reply → close), the lists the department and the supervisor work from,
// the daily digest with its lists, the workbench alerts (including the information
// requests' lights from the disclosure module), and the rating code printed on the
// notices that end a case, used to rate without signing in.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { before, describe, test } from 'node:test'

import { all, anon, assertError, concludedCase, signIn, todayShanghai } from './supervision-lib.mjs'

const MARRIAGE = '内地居民结婚登记'
const MATERIALS = ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明',
  '近期半身免冠合影照片']

let citizen, clerk, approver, supervisor, discloser
before(async () => {
  ;[citizen, clerk, approver, supervisor, discloser] = await Promise.all(
    ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-supervisor', 'demo-discloser'].map(signIn))
})

/** A case accepted today and now waiting for 民政局's decision. */
async function openCase() {
  const items = await anon.get('/api/v1/items?q=' + encodeURIComponent(MARRIAGE))
  const item = items.json.items.find((i) => i.name === MARRIAGE)
  const c = await citizen.post('/api/v1/cases', { item_id: item.id, title: '结婚登记', materials: MATERIALS })
  assert.equal(c.status, 201, c.text)
  const r = await clerk.post(`/api/v1/cases/${c.json.id}/transitions`, { action: 'accept' })
  assert.equal(r.status, 200, r.text)
  return (await approver.get(`/api/v1/cases/${c.json.id}`)).json
}

async function dueIn(days) {
  const r = await anon.get(`/api/v1/calendar/due?from=${todayShanghai()}&days=${days}`)
  assert.equal(r.status, 200, r.text)
  return r.json.due
}

describe('督办: issue, reply, follow up, close', () => {
  let kase, notice
  test('the supervisor issues a notice with a reply deadline in working days', async () => {
    kase = await openCase()
    assertError(await approver.post('/api/v1/supervision/notices', { case_id: kase.id, content: '请加快办理该办件' }), 403)
    assertError(await supervisor.post('/api/v1/supervision/notices', { case_id: kase.id, content: '太短' }), 400, null, 'content')
    assertError(await supervisor.post('/api/v1/supervision/notices', { case_id: kase.id, content: '请加快办理该办件', reply_days: 31 }), 400, null, 'reply_days')
    const r = await supervisor.post('/api/v1/supervision/notices', { case_id: kase.id, content: '该办件已受理，请说明审批进度并加快办理', reply_days: 2 })
    assert.equal(r.status, 201, r.text)
    notice = r.json
    assert.equal(notice.state, 'open')
    assert.equal(notice.case_no, kase.case_no)
    assert.equal(notice.item_name, MARRIAGE)
    assert.equal(notice.org.id, kase.department.id)
    assert.equal(notice.reply_due, await dueIn(2))
    assert.equal(notice.overdue, false)
    assert.equal(notice.days_left, 2, 'two working days to reply')
    assert.deepEqual(notice.events.map((e) => e.action), ['issue'])
    assert.equal(notice.events[0].reply_due, notice.reply_due)
  })

  test('民政局 sees it among its open notices, the most urgent first', async () => {
    const later = await supervisor.post('/api/v1/supervision/notices', { case_id: kase.id, content: '请核对申请材料是否齐全', reply_days: 5 })
    assert.equal(later.status, 201, later.text)
    const open = await all(approver, '/api/v1/supervision/notices?state=open')
    const ids = open.map((n) => n.id)
    assert.ok(ids.includes(notice.id) && ids.includes(later.json.id))
    assert.ok(ids.indexOf(notice.id) < ids.indexOf(later.json.id), 'the 2-day notice before the 5-day one')
    for (let i = 1; i < open.length; i++) assert.ok(open[i - 1].reply_due <= open[i].reply_due, 'sorted by reply deadline')
    assert.ok(open.every((n) => n.org.id === kase.department.id && n.state === 'open'))
    const byCase = await all(supervisor, `/api/v1/supervision/notices?case_id=${kase.id}`)
    assert.deepEqual(byCase.map((n) => n.id).sort((a, b) => a - b), [notice.id, later.json.id])
    const overdue = await all(approver, '/api/v1/supervision/notices?state=overdue')
    assert.ok(overdue.every((n) => n.overdue && n.reply_due < todayShanghai()))
    assert.ok(!overdue.some((n) => n.id === notice.id))
    assertError(await approver.get('/api/v1/supervision/notices?state=nonsense'), 400, null, 'state')
    // the window clerk is not the department: neither listed nor readable
    assert.ok(!(await all(clerk, '/api/v1/supervision/notices')).some((n) => n.id === notice.id))
    assertError(await clerk.get(`/api/v1/supervision/notices/${notice.id}`), 404)
  })

  test('only the department replies; the supervisor then follows up or closes', async () => {
    const id = notice.id
    const path = `/api/v1/supervision/notices/${id}/transitions`
    assertError(await supervisor.post(path, { action: 'reply', note: '已经加快办理了' }), 403)
    assertError(await approver.post(path, { action: 'close', note: '部门自己办结' }), 403)
    assertError(await supervisor.post(path, { action: 'follow_up', note: '请尽快回复督办' }), 409, 'invalid_transition')
    assertError(await approver.post(path, { action: 'reply', note: '好' }), 400, null, 'reply')
    assertError(await approver.post(path, { action: 'nonsense', note: '随便写点什么' }), 400, null, 'action')
    const r1 = await approver.post(path, { action: 'reply', note: '材料已审查完毕，明日作出决定' })
    assert.equal(r1.status, 200, r1.text)
    assert.equal(r1.json.state, 'replied')
    assert.equal(r1.json.reply, '材料已审查完毕，明日作出决定')
    assert.equal(r1.json.replied_late, false)
    assertError(await approver.post(path, { action: 'reply', note: '再回复一次试试' }), 409, 'invalid_transition')

    const replied = await all(supervisor, '/api/v1/supervision/notices?state=replied')
    assert.equal(replied.find((n) => n.id === id)?.reply, '材料已审查完毕，明日作出决定')

    const f = await supervisor.post(path, { action: 'follow_up', note: '请明确作出决定的具体时间', reply_days: 1 })
    assert.equal(f.status, 200, f.text)
    assert.equal(f.json.state, 'open')
    assert.equal(f.json.follow_ups, 1)
    assert.equal(f.json.reply_due, await dueIn(1))
    const r2 = await approver.post(`/api/v1/supervision/notices/${id}/reply`, { reply: '已于今日作出准予许可决定' })
    assert.equal(r2.status, 200, r2.text)
    assert.equal(r2.json.reply, '已于今日作出准予许可决定')

    const c = await supervisor.post(path, { action: 'close', note: '部门已说明情况，督办办结' })
    assert.equal(c.status, 200, c.text)
    assert.equal(c.json.state, 'closed')
    assert.equal(c.json.days_left, null, 'no deadline runs once closed')
    assert.equal(c.json.closing_note, '部门已说明情况，督办办结')
    assert.equal(c.json.closed_by, supervisor.user.name)
    // the whole exchange is kept: the first reply is not lost to the second
    assert.deepEqual(c.json.events.map((e) => e.action), ['issue', 'reply', 'follow_up', 'reply', 'close'])
    assert.equal(c.json.events[1].note, '材料已审查完毕，明日作出决定')
    assert.equal(c.json.events[1].actor, approver.user.name)
    assert.equal(c.json.events[2].reply_due, await dueIn(1))
    assertError(await supervisor.post(path, { action: 'close', note: '再办结一次试试' }), 409, 'invalid_transition')
    const closed = await all(approver, '/api/v1/supervision/notices?state=closed')
    assert.ok(closed.some((n) => n.id === id))
    assert.ok(!(await all(approver, '/api/v1/supervision/notices?state=open')).some((n) => n.id === id))
  })
})

describe('alerts and the daily digest', () => {
  let kase, notice
  test('the department\'s alerts list its unanswered notice; the supervisor\'s the information requests', async () => {
    kase = await openCase()
    notice = (await supervisor.post('/api/v1/supervision/notices', { case_id: kase.id, content: '请说明该办件的办理进度', reply_days: 3 })).json
    const a = await approver.get('/api/v1/supervision/alerts')
    assert.equal(a.status, 200, a.text)
    const open = await all(approver, '/api/v1/supervision/notices?state=open')
    assert.equal(a.json.notices_open, open.length)
    if (open.length <= 10) assert.deepEqual(a.json.notices.map((n) => n.id), open.map((n) => n.id))
    else assert.ok(a.json.notices.length === 10)
    assert.equal(a.json.info_requests, null, 'not the disclosure office')
    // the cases listed are red or yellow, the most overdue first
    const days = a.json.cases.map((c) => c.days_left)
    assert.deepEqual(days, [...days].sort((x, y) => x - y))
    assert.ok(a.json.cases.every((c) => c.light === 'red' || c.light === 'yellow'))

    // information requests: the same lights as the disclosure queue shows
    for (const [who, client] of [['supervisor', supervisor], ['discloser', discloser]]) {
      const al = (await client.get('/api/v1/supervision/alerts')).json
      const red = (await client.get('/api/v1/info-requests?light=red&state=open&per_page=1')).json.total
      const yellow = (await client.get('/api/v1/info-requests?light=yellow&state=open&per_page=1')).json.total
      assert.equal(al.info_requests.red, red, `${who}: red`)
      assert.equal(al.info_requests.yellow, yellow, `${who}: yellow`)
      assert.equal(al.info_requests.items.length, Math.min(10, red + yellow))
      assert.ok(al.info_requests.items.every((r) => ['red', 'yellow'].includes(r.light)))
    }
  })

  test('民政局\'s digest lists today\'s new case, the open notice and counts that agree with the lights', async () => {
    const d = await approver.get('/api/v1/supervision/digest')
    assert.equal(d.status, 200, d.text)
    assert.equal(d.json.date, todayShanghai())
    assert.equal(d.json.org.id, kase.department.id)
    assert.equal(d.json.live, true, 'today, as it stands now')
    assert.ok(d.json.new_cases.some((c) => c.id === kase.id))
    assert.ok(d.json.new_cases.every((c) => c.received_date >= d.json.new_from))
    assert.equal(d.json.new, d.json.new_cases.length)
    assert.ok(d.json.notices.some((n) => n.id === notice.id && n.reply_due_date === notice.reply_due))
    assert.equal(d.json.notices_open, (await all(approver, '/api/v1/supervision/notices?state=open')).length)
    // the morning's digest, kept by the sweep (it runs when the server starts)
    await supervisor.post('/api/v1/supervision/sweep')
    const kept = await approver.get(`/api/v1/supervision/digest?date=${todayShanghai()}`)
    assert.equal(kept.status, 200, kept.text)
    assert.equal(kept.json.live, false)
    assert.ok(kept.json.made_at)
    assert.ok(Array.isArray(kept.json.overdue) && Array.isArray(kept.json.notices))
    // the supervisor reads the same department's digest
    const s = await supervisor.get(`/api/v1/supervision/digest?org_id=${kase.department.id}`)
    assert.equal(s.status, 200, s.text)
    assert.deepEqual([s.json.red, s.json.yellow, s.json.green], [d.json.red, d.json.yellow, d.json.green])
    assert.equal(d.json.overdue.length, Math.min(50, d.json.red))
    assert.equal(d.json.due_soon.length, Math.min(50, d.json.yellow))
    assert.ok(d.json.overdue.every((c) => c.light === 'red'))
    // the most overdue and the closest to their deadline first; the newest new cases first
    for (const list of [d.json.overdue, d.json.due_soon]) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].days_left <= list[i].days_left)
    }
    for (let i = 1; i < d.json.new_cases.length; i++) assert.ok(d.json.new_cases[i - 1].id > d.json.new_cases[i].id)

    // the center as a whole, made now: its lights are the lights page's totals
    const center = await supervisor.get('/api/v1/supervision/digest')
    const lights = await supervisor.get('/api/v1/supervision/lights')
    assert.equal(center.json.live, true)
    assert.deepEqual([center.json.green, center.json.yellow, center.json.red],
      [lights.json.totals.green, lights.json.totals.yellow, lights.json.totals.red])
    assert.ok(center.json.new_cases.some((c) => c.id === kase.id))
    assert.ok(center.json.notices.some((n) => n.id === notice.id))
    const dept = lights.json.by_department.find((x) => x.id === kase.department.id)
    assert.deepEqual([d.json.green, d.json.yellow, d.json.red], [dept.green, dept.yellow, dept.red])

    assertError(await approver.get('/api/v1/supervision/digest?date=2099-01-01'), 400, null, 'date')
    assertError(await approver.get('/api/v1/supervision/digest?date=20261301'), 400, null, 'date')
    assertError(await approver.get('/api/v1/supervision/digest?date=2020-01-06'), 404, null, 'date')
    assertError(await clerk.get(`/api/v1/supervision/digest?org_id=${kase.department.id}`), 403, null, 'org_id')
  })
})

describe('the rating code on the notices that end a case', () => {
  test('the applicant rates with the code printed on the 送达回证, without signing in', async () => {
    const kase = await concludedCase(citizen, clerk, approver)
    const pdf = await citizen.get(`/api/v1/cases/${kase.id}/notices/delivery`)
    assert.equal(pdf.status, 200, pdf.text)
    const buf = pdf.buf
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-')
    const dir = mkdtempSync(join(tmpdir(), 'ow-rate-'))
    let text
    try {
      writeFileSync(join(dir, 'n.pdf'), buf)
      text = execFileSync('pdftotext', [join(dir, 'n.pdf'), '-']).toString().replace(/\s+/g, '')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const m = /评价码：([0-9a-f]{32})/.exec(text)
    assert.ok(m, text)
    const code = m[1]
    assert.ok(text.includes(`/rate/${kase.id}?token=${code}`), 'the link carries the same code')

    assertError(await anon.post('/api/v1/ratings', { case_id: kase.id, level: 5, token: 'f'.repeat(32) }), 404, null, 'token')
    const r = await anon.post('/api/v1/ratings', { case_id: kase.id, level: 5, token: code, comment: '告知书上的链接很方便' })
    assert.equal(r.status, 201, r.text)
    const back = await anon.get(`/api/v1/cases/${kase.id}/rating?token=${code}`)
    assert.equal(back.status, 200, back.text)
    assert.equal(back.json.rating.level, 5)
    assert.equal(back.json.rating.channel, 'notice')
    assert.equal(back.json.rating.comment, '告知书上的链接很方便')
    // one rating per case
    assert.equal((await anon.post('/api/v1/ratings', { case_id: kase.id, level: 1, token: code })).status, 409)
  })
})
