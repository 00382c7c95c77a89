// Statistics (src/report): every figure of /stats/cases, /stats/ratings and
// /stats/complaints is recomputed here from the raw records the other endpoints return
// (cases with their dates, ratings, complaints) and the legal calendar, then compared.
// Also the workbench counters, the dashboard series, and the CSV/XLSX exports.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { all, anon, assertError, signIn, todayShanghai } from './supervision-lib.mjs'

const addDays = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10)
const localDate = (iso) => new Date(Date.parse(iso) + 8 * 3600e3).toISOString().slice(0, 10)
/** The server's rounding: a percentage with one decimal, halves up. */
const rate = (part, whole) => (whole ? (Math.floor(part * 1000 / whole) + ((part * 1000 % whole) * 2 >= whole ? 1 : 0)) / 10 : null)
const oneDecimal = (v) => Math.floor(v * 10 + 0.5) / 10
const p90 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.ceil(0.9 * s.length) - 1] }

const today = todayShanghai()
// The previous calendar month: long enough to have every kind of event in the demo year.
const [ty, tm] = today.split('-').map(Number)
const from = `${tm === 1 ? ty - 1 : ty}-${String(tm === 1 ? 12 : tm - 1).padStart(2, '0')}-01`
const to = addDays(`${ty}-${String(tm).padStart(2, '0')}-01`, -1)

let supervisor
const calendars = new Map()
async function isWorkday(d) {
  const y = d.slice(0, 4)
  if (!calendars.has(y)) {
    const r = await anon.get(`/api/v1/calendar?year=${y}`)
    assert.equal(r.status, 200, r.text)
    calendars.set(y, new Map(r.json.days.map((x) => [x.date, x.kind])))
  }
  const k = calendars.get(y).get(d)
  if (k === 'holiday') return false
  if (k === 'workday') return true
  const wd = new Date(d + 'T00:00:00Z').getUTCDay()
  return wd >= 1 && wd <= 5
}
async function workdaysBetween(a, b) { // (a, b]
  let n = 0
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (await isWorkday(d)) n++
  return n
}

describe('case statistics against the cases themselves', () => {
  let cases
  test('load every case that can touch the period', async () => {
    supervisor = await signIn('demo-supervisor')
    const list = await all(supervisor, '/api/v1/cases?queue=all')
    assert.ok(list.length > 100, 'the demo year')
    const near = list.filter((c) => c.received_date <= to && c.received_date >= addDays(from, -200))
    cases = []
    for (const c of near) {
      const r = await supervisor.get(`/api/v1/cases/${c.id}`)
      assert.equal(r.status, 200)
      cases.push(r.json)
    }
  })

  async function expected(keyOf, inScope = () => true) {
    const g = new Map()
    const row = (k) => {
      if (!g.has(k)) g.set(k, { received: 0, accepted: 0, concluded: 0, on_time: 0, late: 0, refused: 0, days: [] })
      return g.get(k)
    }
    const inP = (d) => d && d >= from && d <= to
    for (const c of cases) {
      if (!inScope(c)) continue
      if (inP(c.received_date)) row(keyOf(c, c.received_date)).received++
      if (inP(c.accepted_date)) row(keyOf(c, c.accepted_date)).accepted++
      const ended = c.concluded_at ? localDate(c.concluded_at) : null
      if (!inP(ended)) continue
      if (c.state === 'refused') { row(keyOf(c, ended)).refused++; continue }
      if (c.state !== 'concluded' && c.state !== 'denied') continue
      const r = row(keyOf(c, ended))
      r.concluded++
      const end = c.decided_date ?? ended
      const due = c.deadline.due_committed
      if (due && end > due) r.late++
      else r.on_time++
      const start = c.deadline.clock_start ?? c.accepted_date
      if (start && end >= start) r.days.push(await workdaysBetween(start, end))
    }
    return g
  }

  function compare(row, e, label) {
    for (const k of ['received', 'accepted', 'concluded', 'on_time', 'late', 'refused'])
      assert.equal(row[k], e[k], `${label} ${k}`)
    assert.equal(row.on_time_rate, rate(e.on_time, e.concluded), `${label} on_time_rate`)
    if (e.days.length) {
      const avg = e.days.reduce((a, b) => a + b, 0) / e.days.length
      assert.ok(Math.abs(row.avg_days - oneDecimal(avg)) < 0.051, `${label} avg_days ${row.avg_days} vs ${avg}`)
      assert.equal(row.p90_days, p90(e.days), `${label} p90_days`)
    } else {
      assert.equal(row.avg_days, null)
    }
  }

  test('by channel', async () => {
    const r = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=channel`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.from, from)
    const exp = await expected((c) => c.channel)
    assert.deepEqual(r.json.rows.map((x) => x.key).sort(), [...exp.keys()].sort())
    for (const row of r.json.rows) compare(row, exp.get(row.key), row.name)
    const tot = { received: 0, accepted: 0, concluded: 0, on_time: 0, late: 0, refused: 0, days: [] }
    for (const e of exp.values()) {
      for (const k of Object.keys(tot)) if (k !== 'days') tot[k] += e[k]
      tot.days.push(...e.days)
    }
    compare(r.json.total, tot, 'total')
    assert.ok(r.json.total.concluded > 0, 'the month has concluded cases')
  })

  test('by department and by month', async () => {
    const byDept = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=department`)
    const exp = await expected((c) => String(c.department.id))
    for (const row of byDept.json.rows) {
      compare(row, exp.get(row.key), row.name)
      assert.notEqual(row.name, '（未知）')
    }
    const byMonth = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=month`)
    assert.deepEqual(byMonth.json.rows.map((x) => x.key), [from.slice(0, 7)])
  })

  // An office sees its own cases only (a department its department's, a window what it
  // took in), and its figures come from a rollup of their own (migration 0016): every
  // dimension checked against the cases, filtered here by the office.
  for (const [login, label, mine] of [
    ['demo-approver', 'a department head', (c, org) => c.department.id === org],
    ['demo-clerk', 'a window clerk', (c, org) => c.intake_org?.id === org],
  ]) {
    test(`${label}'s own figures by every dimension`, async () => {
      const staff = await signIn(login)
      const me = await staff.get('/api/v1/me')
      const org = me.json.user.org.id
      const inScope = (c) => mine(c, org)
      assert.ok(cases.filter(inScope).length > 0, `${login} has cases in the demo year`)
      const keys = {
        item: (c) => String(c.item_id ?? c.item.id),
        department: (c) => String(c.department.id),
        window: (c) => String(c.intake_org.id),
        channel: (c) => c.channel,
      }
      let received = 0
      for (const [by, keyOf] of Object.entries(keys)) {
        const r = await staff.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=${by}`)
        assert.equal(r.status, 200, r.text)
        const exp = await expected(keyOf, inScope)
        assert.deepEqual(r.json.rows.map((x) => x.key).sort(), [...exp.keys()].sort(), `${login} by ${by}`)
        for (const row of r.json.rows) compare(row, exp.get(row.key), `${login} ${by} ${row.name}`)
        received = r.json.total.received
      }
      const all = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=channel`)
      assert.ok(received > 0 && received < all.json.total.received, 'a part of the district')
    })
  }

  test('bad queries name the field', async () => {
    assertError(await supervisor.get(`/api/v1/stats/cases?from=${to}&to=${from}`), 400, null, 'to')
    assertError(await supervisor.get('/api/v1/stats/cases?by=planet'), 400, null, 'by')
    assertError(await supervisor.get('/api/v1/stats/cases?from=2026-02-30'), 400, null, 'from')
    assertError(await supervisor.get('/api/v1/stats/cases?format=pdf'), 400, null, 'format')
    assertError(await anon.get('/api/v1/stats/cases'), 401)
    const citizen = await signIn('demo-citizen')
    assertError(await citizen.get('/api/v1/stats/cases'), 403)
  })

  test('CSV and XLSX carry the same table', async () => {
    const json = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=channel`)
    const csv = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=channel&format=csv`)
    assert.equal(csv.status, 200)
    assert.match(csv.headers.get('content-type'), /^text\/csv/)
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="stats-cases-by-channel-/)
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')
    assert.equal(lines[0], json.json.columns.map((c) => c.title).join(','))
    const first = json.json.rows[0]
    assert.equal(lines[1].split(',')[1], String(first.received))
    assert.equal(lines.at(-1).split(',')[0], '合计')
    const xlsx = await supervisor.get(`/api/v1/stats/cases?from=${from}&to=${to}&by=channel&format=xlsx`)
    assert.equal(xlsx.status, 200)
    assert.match(xlsx.headers.get('content-type'), /spreadsheetml/)
    assert.equal(xlsx.buf.subarray(0, 2).toString('latin1'), 'PK', 'a zip container')
  })
})

describe('rating and complaint statistics', () => {
  test('ratings by channel from the ratings themselves', async () => {
    supervisor ??= await signIn('demo-supervisor')
    const ratings = (await all(supervisor, `/api/v1/ratings?from=${from}&to=${to}`)).filter((x) => !x.void)
    const rects = new Map((await all(supervisor, '/api/v1/rectifications')).map((x) => [x.id, x.state]))
    const exp = new Map()
    for (const x of ratings) {
      if (!exp.has(x.channel)) exp.set(x.channel, { l: [0, 0, 0, 0, 0, 0], rect: 0 })
      const e = exp.get(x.channel)
      e.l[x.level]++
      if (x.rectification_id && rects.get(x.rectification_id) === 'closed') e.rect++
    }
    const r = await supervisor.get(`/api/v1/stats/ratings?from=${from}&to=${to}&by=channel`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json.rows.map((x) => x.key).sort(), [...exp.keys()].sort())
    let total = 0
    for (const row of r.json.rows) {
      const e = exp.get(row.key)
      const n = e.l.reduce((a, b) => a + b, 0)
      total += n
      assert.equal(row.total, n)
      for (let l = 1; l <= 5; l++) assert.equal(row[`l${l}`], e.l[l], `${row.name} level ${l}`)
      assert.equal(row.satisfaction_rate, rate(e.l[3] + e.l[4] + e.l[5], n))
      assert.equal(row.bad, e.l[1] + e.l[2])
      assert.equal(row.rectified, e.rect)
    }
    assert.equal(r.json.total.total, total)
    const pub = await anon.get(`/api/v1/public/ratings?from=${from}&to=${to}&by=department`)
    assert.equal(pub.status, 200)
    assert.equal(pub.json.total.total, total, 'the public figures are the same')
  })

  test('complaints by kind from the complaints themselves', async () => {
    const year = addDays(today, -364)
    const list = (await all(supervisor, '/api/v1/complaints')).filter((c) => localDate(c.filed_at) >= year)
    const exp = new Map()
    for (const c of list) {
      if (!exp.has(c.kind)) exp.set(c.kind, { total: 0, answered: 0, on: 0, late: 0, open: 0, esc: 0, sat: [] })
      const e = exp.get(c.kind)
      e.total++
      if (c.answered_at) { e.answered++; if (c.answered_late) e.late++; else e.on++ }
      if (c.state === 'submitted' || c.state === 'assigned') e.open++
      if (c.escalation > 0) e.esc++
      if (c.satisfaction) e.sat.push(c.satisfaction)
    }
    const r = await supervisor.get(`/api/v1/stats/complaints?from=${year}&to=${today}&by=kind`)
    assert.equal(r.status, 200, r.text)
    for (const row of r.json.rows) {
      const e = exp.get(row.key)
      assert.equal(row.total, e.total)
      assert.equal(row.answered, e.answered)
      assert.equal(row.answered_on_time, e.on)
      assert.equal(row.answered_late, e.late)
      assert.equal(row.open, e.open)
      assert.equal(row.escalated, e.esc)
      const avg = e.sat.length ? oneDecimal(e.sat.reduce((a, b) => a + b, 0) / e.sat.length) : null
      assert.equal(row.avg_satisfaction, avg)
    }
  })
})

describe('workbench and dashboard', () => {
  test('the workbench counters are scoped to the organisation', async () => {
    const approver = await signIn('demo-approver')
    const mine = await approver.get('/api/v1/stats/workbench')
    assert.equal(mine.status, 200, mine.text)
    const review = await all(approver, '/api/v1/cases?queue=review')
    const pendingHere = review.filter((c) => c.state === 'review' && c.department.name === '赫山区民政局').length
    assert.equal(mine.json.pending_approval, pendingHere)
    assert.equal(mine.json.trend.length, 14)
    assert.equal(mine.json.trend.at(-1).date, today)
    const everything = await supervisor.get('/api/v1/stats/workbench')
    assert.ok(everything.json.pending_approval >= mine.json.pending_approval)
    const lights = await supervisor.get('/api/v1/supervision/lights')
    assert.equal(everything.json.overdue, lights.json.totals.red)
    assert.equal(everything.json.due_soon, lights.json.totals.yellow)
  })

  test('the dashboard has twelve months of cases per channel and the lights', async () => {
    const r = await supervisor.get('/api/v1/stats/dashboard')
    assert.equal(r.status, 200, r.text)
    const m = r.json.cases_by_month_channel
    assert.equal(m.months.length, 12)
    assert.equal(m.months.at(-1), today.slice(0, 7))
    for (const ch of ['online', 'window', 'township', 'agent']) assert.equal(m.series[ch].length, 12)
    const received = Object.values(m.series).reduce((a, s) => a + s.reduce((x, y) => x + y, 0), 0)
    const cases = await supervisor.get(`/api/v1/stats/cases?from=${r.json.from}&to=${today}&by=channel`)
    assert.equal(received, cases.json.total.received)
    const l = r.json.lights
    const lights = await supervisor.get('/api/v1/supervision/lights')
    assert.deepEqual(l, lights.json.totals)
  })
})
