// Assessment (issue 21; docs/api.md "考核"): a scheme set up by the center, a quarter
// published and recomputed from the cases and ratings as the statistics count them, a
// case changed afterwards — the published score stays, a fresh computation moves — the
// drill-down to the late cases, an objection once per period, bad input named by field,
// the work plan's reports, bulletins as PDF, inspections of every kind.
//
// Runs on the shared demo server (scripts/with-server.sh, 2026-11-24): it owns the 2026
// department scheme and the periods 2026-Q3, 2026-Q4 and 2026-10 of it (authz.test.mjs
// publishes other months).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { assertError, request, signIn } from './lib.mjs'

const jars = {}
async function as (user) {
  jars[user] ??= await signIn(user)
  const jar = jars[user]
  return {
    get: (p) => request(p, { jar }),
    post: (p, body) => request(p, { method: 'POST', jar, body: body ?? {} }),
    put: (p, body) => request(p, { method: 'PUT', jar, body }),
  }
}

const INDICATORS = [
  { name: '按时办结率', metric: 'on_time_rate', rule: 'rate', weight: 40, params: { full_at: 1, zero_at: 0.8 } },
  { name: '超期未办结办件', metric: 'overdue_cases', rule: 'deduct', weight: 10, params: { per: 2 } },
  { name: '好差评满意率', metric: 'rating_satisfaction', rule: 'tiers', weight: 20, params: { tiers: [{ min: 0.98, pct: 100 }, { min: 0.95, pct: 80 }, { min: 0.9, pct: 50 }] } },
  { name: '投诉按时答复率', metric: 'complaints_on_time', rule: 'rate', weight: 10 },
  { name: '工作任务按期完成率', metric: 'tasks_on_time', rule: 'rate', weight: 10 },
  { name: '作风建设', metric: 'manual', rule: 'manual', weight: 10, params: { start_full: true } },
  { name: '创新加分', metric: 'manual', rule: 'manual', weight: 3, bonus: true, params: { start_full: false } },
]

const ctx = {}

test('bad schemes are refused, naming the field, in Chinese', async () => {
  const sup = await as('demo-supervisor')
  const base = { year: 2026, unit_kind: 'department', name: '考核方案' }
  assertError(await sup.post('/api/v1/assessment/schemes', { ...base, unit_kind: 'window' }), 400, 'invalid_field')
  const r = await sup.post('/api/v1/assessment/schemes', { ...base, year: 2030 })
  assertError(r, 400, 'invalid_field')
  assert.equal(r.json.error.field, 'year')
  const bad = [
    [{ name: 'x', metric: 'nonsense', rule: 'rate', weight: 10 }, 'indicators[0].metric'],
    [{ name: '网办', metric: 'online_rate', rule: 'rate', weight: 0 }, 'indicators[0].weight'],
    [{ name: '超期', metric: 'overdue_cases', rule: 'rate', weight: 10 }, 'indicators[0].rule'],
    [{ name: '超期', metric: 'overdue_cases', rule: 'deduct', weight: 10 }, 'indicators[0].params.per'],
    [{ name: '满意率', metric: 'rating_satisfaction', rule: 'rate', weight: 10, params: { full_at: 0.5, zero_at: 0.9 } }, 'indicators[0].params.zero_at'],
    [{ name: '人工', metric: 'manual', rule: 'rate', weight: 10 }, 'indicators[0].rule'],
  ]
  for (const [ind, field] of bad) {
    const res = await sup.post('/api/v1/assessment/schemes', { ...base, indicators: [ind] })
    assert.equal(res.status, 400, `${field}: ${res.text}`)
    assert.equal(res.json.error.field, field)
    assert.match(res.json.error.message, /[\u4e00-\u9fff]/)
  }
  // online depth is a department's: a township scheme may not use it
  const t = await sup.post('/api/v1/assessment/schemes', { year: 2026, unit_kind: 'township', name: '乡镇方案', indicators: [{ name: '网办', metric: 'online_rate', rule: 'rate', weight: 100 }] })
  assertError(t, 400, 'invalid_field')
  assert.equal(t.json.error.field, 'indicators[0].metric')
})

test('the center sets up and issues the 2026 department scheme; weights must make 100', async () => {
  const sup = await as('demo-supervisor')
  const draft = await sup.post('/api/v1/assessment/schemes', {
    year: 2026, unit_kind: 'department', name: '2026年度区直部门政务服务考核方案', indicators: INDICATORS.slice(0, 3),
  })
  assert.equal(draft.status, 201, draft.text)
  assert.equal(draft.json.state, 'draft')
  ctx.scheme = draft.json.id
  const short = await sup.post(`/api/v1/assessment/schemes/${ctx.scheme}/transitions`, { action: 'issue' })
  assertError(short, 400, 'weights')
  assert.match(short.json.error.message, /70\.00/)
  const full = await sup.put(`/api/v1/assessment/schemes/${ctx.scheme}`, { indicators: INDICATORS })
  assert.equal(full.status, 200, full.text)
  assert.equal(full.json.total_weight, 100)
  assert.equal(full.json.bonus_weight, 3)
  const issued = await sup.post(`/api/v1/assessment/schemes/${ctx.scheme}/transitions`, { action: 'issue' })
  assert.equal(issued.status, 200, issued.text)
  assert.equal(issued.json.state, 'issued')
  ctx.ind = Object.fromEntries(issued.json.indicators.map((i) => [i.name, i.id]))
  // locked now
  assertError(await sup.put(`/api/v1/assessment/schemes/${ctx.scheme}`, { indicators: INDICATORS }), 409, 'scheme_issued')
  // a second scheme for the same year and kind
  assertError(await sup.post('/api/v1/assessment/schemes', { year: 2026, unit_kind: 'department', name: '重复' }), 409, 'duplicate')
  // the department sees the rules it is assessed by
  const mine = await (await as('demo-approver')).get(`/api/v1/assessment/schemes/${ctx.scheme}`)
  assert.equal(mine.status, 200, mine.text)
})

test('a published quarter recomputes from the cases and ratings as the statistics count them', async () => {
  const sup = await as('demo-supervisor')
  const orgs = await sup.get('/api/v1/orgs?kind=department&per_page=100')
  ctx.d05 = orgs.json.items.find((o) => o.code === 'D05').id
  const pub = await sup.post('/api/v1/assessment/sheets', { scheme_id: ctx.scheme, period: '2026-Q3' })
  assert.equal(pub.status, 201, pub.text)
  ctx.sheet = pub.json.id
  assert.equal(pub.json.period.cutoff, '2026-09-30')
  assert.equal(pub.json.units.length, 35)
  // the ranks follow the totals
  for (let i = 1; i < pub.json.units.length; i++) assert.ok(pub.json.units[i - 1].total >= pub.json.units[i].total)
  const stats = await sup.get('/api/v1/stats/cases?from=2026-07-01&to=2026-09-30&by=department')
  const ratings = await sup.get('/api/v1/stats/ratings?from=2026-07-01&to=2026-09-30&by=department')
  assert.equal(stats.status, 200, stats.text)
  assert.equal(ratings.status, 200, ratings.text)
  let checked = 0
  for (const u of pub.json.units) {
    const s = stats.json.rows.find((r) => r.name === u.name)
    const unit = await sup.get(`/api/v1/assessment/sheets/${ctx.sheet}/units/${u.org_id}`)
    const onTime = unit.json.indicators.find((i) => i.metric === 'on_time_rate')
    const conc = s ? s.concluded : 0
    assert.equal(onTime.den, conc, `${u.name}: concluded`)
    assert.equal(onTime.num, s ? s.on_time : 0, `${u.name}: on time`)
    // the rate rule by hand: 40 × clamp((rate − 0.8) / 0.2, 0, 1), full without cases
    const want = conc ? 40 * Math.min(1, Math.max(0, (s.on_time / conc - 0.8) / 0.2)) : 40
    assert.equal(onTime.score, Math.round(want * 100) / 100, `${u.name}: on-time points`)
    const rs = ratings.json.rows.find((r) => r.name === u.name)
    const sat = unit.json.indicators.find((i) => i.metric === 'rating_satisfaction')
    assert.equal(sat.den, rs ? rs.total : 0, `${u.name}: ratings`)
    if (conc) checked++
  }
  assert.ok(checked >= 5, 'departments with concluded cases in the quarter')
})

test('the department head drills down to its late cases', async () => {
  const head = await as('demo-approver')
  const unit = await head.get(`/api/v1/assessment/sheets/${ctx.sheet}/units/${ctx.d05}`)
  assert.equal(unit.status, 200, unit.text)
  const onTime = unit.json.indicators.find((i) => i.metric === 'on_time_rate')
  assert.equal(onTime.record_count, onTime.den - onTime.num, 'a record for every late case')
  const recs = await head.get(`/api/v1/assessment/sheets/${ctx.sheet}/records?org_id=${ctx.d05}&indicator_id=${onTime.id}`)
  assert.equal(recs.status, 200, recs.text)
  assert.equal(recs.json.total, onTime.den - onTime.num)
  for (const r of recs.json.items) {
    assert.equal(r.ref_type, 'case')
    assert.ok(r.date > r.due, `${r.ref_no} decided ${r.date} after ${r.due}`)
    const c = await head.get(`/api/v1/cases/${r.ref_id}`)
    assert.equal(c.status, 200, c.text)
    assert.equal(c.json.case_no, r.ref_no)
  }
  // another department's sheet is not the head's
  const other = (await head.get(`/api/v1/assessment/sheets/${ctx.sheet}`)).json.units.find((u) => u.org_id !== ctx.d05)
  assertError(await head.get(`/api/v1/assessment/sheets/${ctx.sheet}/units/${other.org_id}`), 403, 'forbidden')
  assert.equal((await head.get(`/api/v1/assessment/sheets/${ctx.sheet}`)).json.units.find((u) => u.org_id === other.org_id).scores, undefined)
})

test('a published score does not move when a case changes; a fresh computation does', async () => {
  const sup = await as('demo-supervisor')
  const head = await as('demo-approver')
  const pub = await sup.post('/api/v1/assessment/sheets', { scheme_id: ctx.scheme, period: '2026-Q4' })
  assert.equal(pub.status, 201, pub.text)
  const before = await sup.get(`/api/v1/assessment/sheets/${pub.json.id}/units/${ctx.d05}`)
  const fig = (u) => u.json.indicators.find((i) => i.metric === 'on_time_rate')
  // D05 decides a case today: one more concluded case in the quarter
  const queue = await head.get('/api/v1/cases?queue=review&per_page=100')
  let denied
  for (const c of queue.json.items) {
    let v = await head.get(`/api/v1/cases/${c.id}`)
    // a case at its review step goes on to the department's decision step first
    for (let i = 0; i < 3 && !v.json.actions?.some((a) => a.action === 'deny'); i++) {
      if (!v.json.actions?.some((a) => a.action === 'forward')) break
      v = await head.post(`/api/v1/cases/${c.id}/transitions`, { action: 'forward', comment: '审查通过' })
      assert.equal(v.status, 200, v.text)
    }
    if (!v.json.actions?.some((a) => a.action === 'deny')) continue
    const d = await head.post(`/api/v1/cases/${c.id}/transitions`, { action: 'deny', reason: '申请材料不符合法定条件' })
    assert.equal(d.status, 200, d.text)
    denied = d.json
    break
  }
  assert.ok(denied, 'a case in D05’s review queue')
  const after = await sup.get(`/api/v1/assessment/sheets/${pub.json.id}/units/${ctx.d05}`)
  assert.deepEqual(fig(after), fig(before), 'the published figure is frozen')
  assert.equal(after.json.total, before.json.total)
  const fresh = await sup.get(`/api/v1/assessment/schemes/${ctx.scheme}/scores/${ctx.d05}?period=2026-Q4`)
  assert.equal(fresh.status, 200, fresh.text)
  assert.equal(fig(fresh).den, fig(before).den + 1, 'the fresh computation counts the new decision')
})

test('manual points with evidence count in their period, and a void takes them out', async () => {
  const sup = await as('demo-supervisor')
  const body = { scheme_id: ctx.scheme, indicator_id: ctx.ind['作风建设'], org_id: ctx.d05, date: '2026-10-15', points: -2.5, reason: '窗口工作人员脱岗被群众投诉' }
  assertError(await sup.post('/api/v1/assessment/adjustments', { ...body, points: 0 }), 400, 'invalid_field')
  assertError(await sup.post('/api/v1/assessment/adjustments', { ...body, indicator_id: ctx.ind['按时办结率'] }), 400, 'invalid_field')
  assertError(await sup.post('/api/v1/assessment/adjustments', { ...body, date: '2025-12-31' }), 400, 'invalid_field')
  const a = await sup.post('/api/v1/assessment/adjustments', body)
  assert.equal(a.status, 201, a.text)
  const bonus = await sup.post('/api/v1/assessment/adjustments', { ...body, indicator_id: ctx.ind['创新加分'], points: 1.5, reason: '“一件事一次办”创新做法被省里推广' })
  assert.equal(bonus.status, 201, bonus.text)
  const u = await sup.get(`/api/v1/assessment/schemes/${ctx.scheme}/scores/${ctx.d05}?period=2026-10`)
  const manual = u.json.indicators.find((i) => i.name === '作风建设')
  assert.equal(manual.score, 7.5)
  assert.equal(u.json.bonus, 1.5)
  const v = await sup.post(`/api/v1/assessment/adjustments/${a.json.id}/transitions`, { action: 'void', reason: '经核实系误报' })
  assert.equal(v.json.state, 'void')
  const u2 = await sup.get(`/api/v1/assessment/schemes/${ctx.scheme}/scores/${ctx.d05}?period=2026-10`)
  assert.equal(u2.json.indicators.find((i) => i.name === '作风建设').score, 10)
})

test('a department objects once per period; the center answers', async () => {
  const head = await as('demo-approver')
  const sup = await as('demo-supervisor')
  assertError(await head.post('/api/v1/assessment/objections', { sheet_id: ctx.sheet, reason: '太短' }), 400, 'invalid_field')
  const o = await head.post('/api/v1/assessment/objections', { sheet_id: ctx.sheet, indicator_id: ctx.ind['按时办结率'], reason: '第三季度两件办件因省平台故障延误，已有情况说明，请予核减。' })
  assert.equal(o.status, 201, o.text)
  assert.equal(o.json.state, 'open')
  assertError(await head.post('/api/v1/assessment/objections', { sheet_id: ctx.sheet, reason: '再次申诉：请核实第三季度的办件数据。' }), 409, 'objection_exists')
  const unit = await head.get(`/api/v1/assessment/sheets/${ctx.sheet}/units/${ctx.d05}`)
  assert.equal(unit.json.objection.id, o.json.id)
  assert.equal(unit.json.may_object, false)
  assertError(await sup.post(`/api/v1/assessment/objections/${o.json.id}/transitions`, { action: 'uphold' }), 400, 'missing_field')
  const ans = await sup.post(`/api/v1/assessment/objections/${o.json.id}/transitions`, { action: 'uphold', answer: '情况属实，予以核减，更正后重新发布。' })
  assert.equal(ans.json.state, 'upheld')
  assert.equal((await head.get('/api/v1/assessment/objections')).json.items[0].id, o.json.id)
})

test('work plan: the lead reports, the center accepts; overdue tasks light up', async () => {
  const sup = await as('demo-supervisor')
  const plan = await sup.post('/api/v1/work-plans', { year: 2026, title: '2026年政务公开工作要点' })
  assert.equal(plan.status, 201, plan.text)
  assertError(await sup.post(`/api/v1/work-plans/${plan.json.id}/transitions`, { action: 'issue' }), 400, 'missing_field')
  const bad = await sup.post(`/api/v1/work-plans/${plan.json.id}/tasks`, { title: '任务', lead_org_id: ctx.d05, deadline: '2026-13-01' })
  assertError(bad, 400, 'invalid_field')
  assert.equal(bad.json.error.field, 'deadline')
  const late = await sup.post(`/api/v1/work-plans/${plan.json.id}/tasks`, { title: '完成婚姻登记全程网办改造', lead_org_id: ctx.d05, deadline: '2026-11-01' })
  const task = await sup.post(`/api/v1/work-plans/${plan.json.id}/tasks`, { title: '编制民政事项办事指南', lead_org_id: ctx.d05, deadline: '2026-12-15' })
  assert.equal(task.status, 201, task.text)
  assert.equal(late.json.light, 'red')
  assert.equal(late.json.overdue, true)
  assert.equal(task.json.light, 'green')
  await sup.post(`/api/v1/work-plans/${plan.json.id}/transitions`, { action: 'issue' })
  const head = await as('demo-approver')
  const overdue = await head.get('/api/v1/work-tasks?state=overdue')
  assert.ok(overdue.json.items.some((t) => t.id === late.json.id))
  assertError(await head.post(`/api/v1/work-tasks/${task.json.id}/reports`, { kind: 'progress', text: '已完成部分工作' }), 400, 'missing_field')
  const p = await head.post(`/api/v1/work-tasks/${task.json.id}/reports`, { kind: 'progress', percent: 60, text: '已完成一半事项的指南编制' })
  assert.equal(p.json.progress, 60)
  const done = await head.post(`/api/v1/work-tasks/${task.json.id}/reports`, { kind: 'complete', text: '全部事项的办事指南已编制完成' })
  assert.equal(done.json.state, 'completed')
  const acc = await sup.post(`/api/v1/work-tasks/${task.json.id}/transitions`, { action: 'accept', note: '同意销号' })
  assert.equal(acc.json.state, 'done')
  assert.equal(acc.json.done_date, '2026-11-24')
  assert.deepEqual(acc.json.reports.map((r) => r.kind), ['progress', 'complete', 'accept'])
  ctx.plan = plan.json.id
})

function pdfText (buf) {
  const dir = mkdtempSync(join(tmpdir(), 'ow-assess-'))
  try {
    writeFileSync(join(dir, 'b.pdf'), buf)
    return execFileSync('pdftotext', ['-layout', join(dir, 'b.pdf'), '-']).toString().replace(/\s+/g, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('bulletins: the assessment bulletin and the monthly 点评 as PDF, read by the units', async () => {
  const sup = await as('demo-supervisor')
  assertError(await sup.post('/api/v1/bulletins', { kind: 'monthly', month: '2026-13' }), 400, 'invalid_field')
  assertError(await sup.post('/api/v1/bulletins', { kind: 'weekly' }), 400, 'invalid_field')
  const b = await sup.post('/api/v1/bulletins', { kind: 'assessment', sheet_id: ctx.sheet })
  assert.equal(b.status, 201, b.text)
  assert.match(b.json.number, /^赫政务考〔2026〕\d+号$/)
  const pdf = await request(`/api/v1/bulletins/${b.json.id}/pdf`, { jar: jars['demo-supervisor'] })
  assert.equal(pdf.status, 200)
  const text = pdfText(pdf.buf)
  assert.ok(text.includes('2026年第三季度'), text.slice(0, 200))
  assert.ok(text.includes('赫山区民政局'))
  const head = await as('demo-approver')
  const inbox = await head.get('/api/v1/bulletins')
  assert.ok(inbox.json.items.some((x) => x.id === b.json.id && x.read_at === null))
  const read = await head.post(`/api/v1/bulletins/${b.json.id}/read`)
  assert.ok(read.json.read_at)
  const monthly = await sup.post('/api/v1/bulletins', { kind: 'monthly', month: '2026-10' })
  assert.equal(monthly.status, 201, monthly.text)
  assert.match(monthly.json.content.paragraphs[0], /2026年10月/)
  assert.ok(monthly.json.recipients >= 68, 'departments, township centres and windows')
  const xlsx = await request(`/api/v1/bulletins/${monthly.json.id}/xlsx`, { jar: jars['demo-supervisor'] })
  assert.equal(xlsx.status, 200)
  assert.equal(xlsx.buf.subarray(0, 2).toString(), 'PK')
})

test('inspections of every kind: several a quarter, follow-ups name what they follow', async () => {
  const sup = await as('demo-supervisor')
  const base = { org_id: ctx.d05, year: 2026, quarter: 4, rating: 'fair', findings: '政策解读未同步发布', rectify_by: '2026-12-10' }
  const q = await sup.post('/api/v1/disclosure-inspections', base)
  const s = await sup.post('/api/v1/disclosure-inspections', { ...base, kind: 'special', title: '社会救助信息公开专项督查' })
  assert.equal(q.status, 201, q.text)
  assert.equal(s.status, 201, s.text)
  assertError(await sup.post('/api/v1/disclosure-inspections', { ...base, kind: 'topic' }), 400, 'missing_field')
  assertError(await sup.post('/api/v1/disclosure-inspections', { ...base, kind: 'follow_up', result: 'rectified' }), 400, 'missing_field')
  const f = await sup.post('/api/v1/disclosure-inspections', { org_id: ctx.d05, kind: 'follow_up', follows_id: s.json.id, result: 'partly', rating: 'fair', findings: '回头看：部分整改', rectify_by: '2026-12-20' })
  assert.equal(f.status, 201, f.text)
  const list = await sup.get('/api/v1/disclosure-inspections?year=2026&quarter=4&org_id=' + ctx.d05)
  const special = list.json.items.find((i) => i.id === s.json.id)
  assert.equal(special.kind_name, '专项督查')
  assert.deepEqual(special.follow_ups.map((x) => x.result), ['partly'])
  assert.ok(list.json.items.filter((i) => i.org_id === ctx.d05).length >= 3)
})
