// The hall over days (src/hall, docs/service-rules.md "The hall"): booked on Tuesday
// 2026-11-24 at 07:30, checked in at the ticket machine at 08:30 (by ID number, ahead of a
// walk-in), missed three times by Friday, so online booking is blocked for 30 days until
// an administrator lifts it.  Runs its own server on a fresh demo database and restarts it
// with the clock moved on (clock_offset_ms), because the shared server's clock only runs.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, readdirSync, readFileSync } from 'node:fs'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { assertError, clientOf } from './hall-lib.mjs'

const bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
const CITIZEN_ID = '430903199003152317'
const ENTERPRISE_USCC = '91430903MA4L000118'
const s = scratch('ow-hall-time-')
let srv, api

async function serveAt (iso) {
  if (srv) {
    srv.proc.kill('SIGTERM')
    const { code } = await srv.exited
    assert.equal(code, 0, `server exit status; ${srv.stderr()}`)
  }
  s.env.OW_CLOCK_OFFSET_MS = String(Date.parse(iso) - Date.now())
  srv = await startServer(bin, s)
  api = clientOf(`http://127.0.0.1:${srv.port}`)
}

before(async () => {
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  await serveAt('2026-11-24T07:30:00+08:00')
})

after(async () => {
  srv.proc.kill('SIGTERM')
  const { code } = await srv.exited
  const reports = readdirSync(s.dir).filter((f) => /^(asan|ubsan)/.test(f))
  const text = reports.map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('\n')
  rmSync(s.dir, { recursive: true, force: true })
  assert.equal(code, 0, `server exit status; ${srv.stderr()}`)
  assert.equal(reports.length, 0, `sanitizer reports:\n${text}`)
})

let marriage, key, appts, walkIn

test('Tuesday 07:30: appointments booked for today and the next days', async () => {
  const items = await api.anon.get('/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  marriage = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const citizen = await api.signIn('demo-citizen')
  const enterprise = await api.signIn('demo-enterprise')
  const book = (who, day, slot) => who.post('/api/v1/hall/appointments', { site: 'C00', item_id: marriage.id, day, slot })
  appts = {}
  for (const [name, who, day, slot] of [
    ['today', citizen, '2026-11-24', 540], ['wed', citizen, '2026-11-25', 540],
    ['thu', citizen, '2026-11-26', 540], ['fri', citizen, '2026-11-27', 540],
    ['firm', enterprise, '2026-11-24', 600],
  ]) {
    const r = await book(who, day, slot)
    assert.equal(r.status, 201, r.text)
    appts[name] = r.json
  }
  assert.equal(appts.today.checkin_from, '2026-11-24T08:00:00+08:00')
  assert.equal(appts.today.checkin_until, '2026-11-24T09:45:00+08:00')
  // before opening the machines issue no walk-in tickets
  const admin = await api.signIn('demo-admin')
  key = (await admin.post('/api/v1/hall/sites/C00/kiosk-key')).json.key
  const site = await api.anon.get('/api/v1/hall/sites/C00')
  assert.equal(site.json.issuing, false)
  assert.equal(site.json.closed_reason, '现在不是办公时间，08:30 开始取号')
  const f = site.json.groups.find((g) => g.letter === 'F')
  assertError(await api.kiosk('C00', key).take({ group_id: f.id }), 409, 'hall_closed')
})

test('08:30: an appointment checked in by ID number is called before a walk-in', async () => {
  await serveAt('2026-11-24T08:30:00+08:00')
  const kiosk = api.kiosk('C00', key)
  const f = (await api.anon.get('/api/v1/hall/sites/C00')).json.groups.find((g) => g.letter === 'F')
  walkIn = (await kiosk.take({ group_id: f.id })).json
  assert.equal(walkIn.number, 'F001')
  const r = await kiosk.take({ id_number: CITIZEN_ID })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.number, 'F002')
  assert.equal(r.json.source, 'appointment')
  assert.equal(r.json.priority, 1)
  assert.equal(r.json.ahead, 0, 'the appointment goes before the walk-in')
  assertError(await kiosk.take({ id_number: CITIZEN_ID }), 404, null, 'id_number') // none left today
  assertError(await kiosk.take({ appt_code: appts.today.code }), 409, 'already_checked_in')
  // the enterprise's 10:00 appointment opens for check-in at 09:00
  const early = await kiosk.take({ id_number: ENTERPRISE_USCC })
  assertError(early, 409, 'checkin_early')
  assert.match(early.json.error.message, /09:00 后签到/)
  // on the phone: another day's appointment cannot be checked in today
  const citizen = await api.signIn('demo-citizen')
  assertError(await citizen.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', appointment_id: appts.wed.id }),
    409, 'not_today')
  assertError(await citizen.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', appointment_id: appts.firm.id }),
    404, null, 'appointment_id')
  const mine = await citizen.get(`/api/v1/hall/appointments/${appts.today.id}`)
  assert.equal(mine.json.state, 'checked_in')
  assert.equal(mine.json.ticket_id, r.json.id)
  // the 婚姻登记 window calls the appointment first
  const admin = await api.signIn('demo-admin')
  const w14 = (await admin.get('/api/v1/hall/sites/C00/settings')).json.windows.find((w) => w.code === 'W14')
  const made = await admin.post('/api/v1/users', {
    username: 'hall-w14', name: '周婷', role: 'clerk', org_id: w14.id, mobile: '13807379914', password: 'Staff#2026x',
  })
  assert.equal(made.status, 201, made.text)
  const clerk = await api.signIn('hall-w14', 'Staff#2026x')
  const c = await clerk.post('/api/v1/hall/counter/call-next')
  assert.equal(c.status, 200, c.text)
  assert.equal(c.json.ticket.number, 'F002')
  assert.equal(c.json.ticket.appointment.name, '张伟')
  assert.equal((await clerk.post(`/api/v1/hall/tickets/${r.json.id}/transitions`, { action: 'serve' })).status, 200)
  assert.equal((await clerk.post(`/api/v1/hall/tickets/${r.json.id}/transitions`, { action: 'done' })).status, 200)
})

test('Friday evening: three no-shows in a row block online booking for 30 days', async () => {
  await serveAt('2026-11-27T18:00:00+08:00')
  const supervisor = await api.signIn('demo-supervisor')
  const sweep = await supervisor.post('/api/v1/supervision/sweep')
  assert.equal(sweep.status, 200, sweep.text)
  const citizen = await api.signIn('demo-citizen')
  for (const k of ['wed', 'thu', 'fri']) {
    const a = await citizen.get(`/api/v1/hall/appointments/${appts[k].id}`)
    assert.equal(a.json.state, 'no_show', k)
    assert.equal(a.json.state_name, '爽约')
  }
  const blocked = await citizen.post('/api/v1/hall/appointments', { site: 'C00', item_id: marriage.id, day: '2026-11-30', slot: 540 })
  assertError(blocked, 409, 'booking_blocked')
  assert.match(blocked.json.error.message, /2026-12-26 前暂停网上预约/)
  const status = await citizen.get('/api/v1/hall/booking-status')
  assert.deepEqual(status.json.blocked, { until: '2026-12-26', no_shows: 3 })
  // the enterprise missed once: no block
  const enterprise = await api.signIn('demo-enterprise')
  assert.equal((await enterprise.get(`/api/v1/hall/appointments/${appts.firm.id}`)).json.state, 'no_show')
  assert.equal((await enterprise.get('/api/v1/hall/booking-status')).json.blocked, null)
  // what Tuesday left in the queue expired
  const clerk = await api.signIn('hall-w14', 'Staff#2026x')
  const v = await clerk.get(`/api/v1/hall/tickets/${walkIn.id}/visit`)
  assert.equal(v.json.state, 'expired')
  const stats = await supervisor.get('/api/v1/stats/hall?by=day&from=2026-11-24&to=2026-11-27&site=C00')
  const tue = stats.json.rows.find((r) => r.name === '2026-11-24')
  assert.equal(tue.tickets, 2)
  assert.equal(tue.served, 1)
  assert.equal(tue.abandoned, 1)
  assert.equal(tue.appointments, 2)
  assert.equal(tue.shown, 1)
  assert.equal(tue.show_up_rate, 50)
})

test('an administrator lifts the block with a reason; the supervisor sees it', async () => {
  const supervisor = await api.signIn('demo-supervisor')
  const list = await supervisor.get('/api/v1/hall/blocks')
  assert.equal(list.status, 200)
  const b = list.json.items.find((x) => x.name === '张伟')
  assert.ok(b, 'the block of 张伟')
  assertError(await supervisor.post(`/api/v1/hall/blocks/${b.id}/lift`, { reason: '提供了证明' }), 403)
  const admin = await api.signIn('demo-admin')
  assertError(await admin.post(`/api/v1/hall/blocks/${b.id}/lift`, {}), 400, 'missing_field', 'reason')
  const ok = await admin.post(`/api/v1/hall/blocks/${b.id}/lift`, { reason: '申请人因病未能到场，已提供证明' })
  assert.equal(ok.status, 200, ok.text)
  assertError(await admin.post(`/api/v1/hall/blocks/${b.id}/lift`, { reason: '再次' }), 409, 'already_lifted')
  const citizen = await api.signIn('demo-citizen')
  const r = await citizen.post('/api/v1/hall/appointments', { site: 'C00', item_id: marriage.id, day: '2026-11-30', slot: 540 })
  assert.equal(r.status, 201, r.text)
  const audit = await admin.get('/api/v1/audit?action=hall.booking&per_page=10')
  assert.equal(audit.status, 200, audit.text)
  assert.deepEqual(audit.json.items.map((a) => a.action), ['hall.booking.unblock', 'hall.booking.block'])
  assert.equal(audit.json.items[1].actor, 'system')
})
