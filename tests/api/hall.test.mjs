// The hall (src/hall, docs/api.md "The hall") on the shared test server, whose clock starts
// at Tuesday 2026-11-24 09:00 Shanghai: the halls and their settings, booking rules
// (capacity, working days, cut-off, the daily limit), tickets from the ticket machine and
// the phone with unique, gapless numbers under 64 concurrent takes, priority order,
// calling, recall, no-show, transfer, pause, the live stream the display follows, one
// record per visit (case and rating), the figures and 帮办代办.  What needs the clock to
// move (check-in, no-shows and their block) is in hall-time.test.mjs.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { BASE_URL, makeIdNumber, makeMobile, serverNow, serverToday, uniqueSeed } from './lib.mjs'
import { addDays, assertError, clientOf, minuteOfDay } from './hall-lib.mjs'

const api = clientOf(BASE_URL)
const anon = api.anon
const MARRIAGE = '内地居民结婚登记'
const MARRIAGE_MATERIALS = ['居民户口簿', '居民身份证',
  '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', '近期半身免冠合影照片']
// the working days from Tuesday 2026-11-24 (no holiday until 元旦)
const TODAY = serverToday()
assert.equal(TODAY, '2026-11-24', 'the shared test server starts on 2026-11-24 (scripts/with-server.sh)')

let admin, supervisor, clerk, citizen, enterprise, approver, townClerk, agent
let groups, marriage, key, kiosk

before(async () => {
  ;[admin, supervisor, clerk, citizen, enterprise, approver, townClerk, agent] = await Promise.all(
    ['demo-admin', 'demo-supervisor', 'demo-clerk', 'demo-citizen', 'demo-enterprise',
      'demo-approver', 'demo-township-clerk', 'demo-agent'].map((u) => api.signIn(u)))
  const site = await anon.get('/api/v1/hall/sites/C00')
  assert.equal(site.status, 200, site.text)
  groups = Object.fromEntries(site.json.groups.map((g) => [g.letter, g]))
  const items = await anon.get('/api/v1/items?q=' + encodeURIComponent(MARRIAGE))
  marriage = items.json.items.find((i) => i.name === MARRIAGE)
  assert.ok(marriage, 'the demo item 内地居民结婚登记')
})

describe('the halls and their settings', () => {
  test('the public sees every hall with its groups, hours and whether tickets are issued', async () => {
    const r = await anon.get('/api/v1/hall/sites')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.halls[0].code, 'C00')
    assert.equal(r.json.halls.length, 16, 'the centre and 15 township centres')
    assert.deepEqual(r.json.hours, [{ start: '08:30', end: '12:00' }, { start: '14:30', end: '17:30' }])
    const c = await anon.get('/api/v1/hall/sites/C00')
    assert.equal(c.json.issuing, true)
    assert.equal(c.json.workday, true)
    assert.deepEqual(c.json.groups.map((g) => g.letter), ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J'])
    assert.equal(groups.A.windows, 6)
    assert.equal(groups.A.wait_min, 0, 'nobody waits: no wait')
    assertError(await anon.get('/api/v1/hall/sites/NOPE'), 404, null, 'code')
    assertError(await anon.get('/api/v1/hall/sites/D05'), 404, null, 'code')
  })

  test('administrators and supervisors read the settings; nobody else', async () => {
    const s = await admin.get('/api/v1/hall/sites/C00/settings')
    assert.equal(s.status, 200, s.text)
    assert.equal(s.json.windows.length, 18)
    const a = s.json.groups.find((g) => g.letter === 'A')
    assert.deepEqual(a.windows.map((w) => w.code), ['W01', 'W02', 'W03', 'W04', 'W05', 'W06'])
    assert.equal(s.json.rules.booking_cutoff_min, 60)
    assert.equal((await supervisor.get('/api/v1/hall/sites/C00/settings')).status, 200)
    assertError(await clerk.get('/api/v1/hall/sites/C00/settings'), 403)
    assertError(await citizen.get('/api/v1/hall/sites/C00/settings'), 403)
    assertError(await anon.get('/api/v1/hall/sites/C00/settings'), 401)
  })

  test('a group needs a letter other than I and O, a name and windows of the hall', async () => {
    const s = await admin.get('/api/v1/hall/sites/C00/settings')
    const w17 = s.json.windows.find((w) => w.code === 'W17').id
    const t01 = (await admin.get('/api/v1/hall/sites/T01/settings')).json.windows[0].id
    const post = (body) => admin.post('/api/v1/hall/sites/C00/groups', body)
    assertError(await post({ letter: 'I', name: '测试', windows: [w17] }), 400, null, 'letter')
    assertError(await post({ letter: 'k', name: '测试', windows: [w17] }), 400, null, 'letter')
    assertError(await post({ letter: 'K', windows: [w17] }), 400, 'missing_field', 'name')
    assertError(await post({ letter: 'K', name: '测试' }), 400, null, 'windows')
    assertError(await post({ letter: 'K', name: '测试', windows: [t01] }), 400, null, 'windows')
    assertError(await post({ letter: 'K', name: '测试', windows: [w17], slot_capacity: 101 }), 400, null, 'slot_capacity')
    assertError(await post({ letter: 'A', name: '测试', windows: [w17] }), 409, 'letter_taken', 'letter')
    assertError(await clerk.post('/api/v1/hall/sites/C00/groups', { letter: 'K', name: '测试', windows: [w17] }), 403)
    const made = await post({ letter: 'K', name: '证照补领', windows: [w17], active: false, slot_capacity: 1 })
    assert.equal(made.status, 201, made.text)
    const k = made.json.groups.find((g) => g.letter === 'K')
    assert.equal(k.active, false)
    assert.deepEqual(k.windows.map((w) => w.code), ['W17'])
    const put = await admin.put(`/api/v1/hall/sites/C00/groups/${k.id}`,
      { letter: 'K', name: '证照补办', windows: [w17], active: false })
    assert.equal(put.status, 200, put.text)
    assert.equal(put.json.groups.find((g) => g.id === k.id).name, '证照补办')
    assertError(await admin.put('/api/v1/hall/sites/C00/groups/999999', { letter: 'L', name: 'x', windows: [w17] }), 404)
    // an inactive group is not offered to the public
    const pub = await anon.get('/api/v1/hall/sites/C00')
    assert.ok(!pub.json.groups.some((g) => g.letter === 'K'))
  })

  test('only an administrator gives the ticket machines a key, shown once', async () => {
    assertError(await clerk.post('/api/v1/hall/sites/C00/kiosk-key'), 403)
    assertError(await anon.post('/api/v1/hall/sites/C00/kiosk-key'), 401)
    const r = await admin.post('/api/v1/hall/sites/C00/kiosk-key')
    assert.equal(r.status, 201, r.text)
    assert.match(r.json.key, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(r.json.kiosk_url, `/hall/C00/kiosk#key=${r.json.key}`)
    key = r.json.key
    kiosk = api.kiosk('C00', key)
    const s = await admin.get('/api/v1/hall/sites/C00/settings')
    assert.equal(s.json.kiosk_key.issued, true)
    assert.ok(!s.text.includes(key), 'the key is not shown again')
  })
})

describe('booking', () => {
  let third, tomorrowId
  const book = (who, body) => who.post('/api/v1/hall/appointments', { site: 'C00', item_id: marriage.id, ...body })

  test('the half hours of the next seven working days, with the places left', async () => {
    const r = await anon.get(`/api/v1/hall/sites/C00/slots?item_id=${marriage.id}`)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.group.name, '婚姻登记')
    assert.deepEqual(r.json.days.map((d) => d.date),
      ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02'])
    const day = r.json.days[1]
    assert.equal(day.weekday, '周三')
    assert.deepEqual(day.slots.map((s) => s.start), ['08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30',
      '14:30', '15:00', '15:30', '16:00', '16:30', '17:00'])
    assert.equal(day.slots[0].capacity, 2)
    assertError(await anon.get('/api/v1/hall/sites/C00/slots'), 400, null, 'item_id')
    assertError(await anon.get('/api/v1/hall/sites/C00/slots?item_id=abc'), 400, null, 'item_id')
    assertError(await anon.get('/api/v1/hall/sites/C00/slots?item_id=99999999'), 404, null, 'item_id')
  })

  test('bad input names the field', async () => {
    assertError(await citizen.post('/api/v1/hall/appointments', { site: 'C00', day: '2026-11-25', slot: 540 }), 400, 'missing_field', 'item_id')
    assertError(await book(citizen, { day: '2026-13-01', slot: 540 }), 400, null, 'day')
    assertError(await book(citizen, { day: '2026-11-25', slot: -1 }), 400, null, 'slot')
    assertError(await book(citizen, { day: '2026-11-25', slot: 545 }), 400, null, 'slot')
    assertError(await book(citizen, { day: '2026-11-25', slot: 720 }), 400, null, 'slot') // lunch
    assertError(await book(citizen, { site: 'XXX', day: '2026-11-25', slot: 540 }), 404, null, 'site')
    assertError(await book(citizen, { day: '2026-11-25', slot: 'nine' }), 400, null, 'slot')
  })

  test('working days only, within seven of them, before the cut-off', async () => {
    assertError(await book(citizen, { day: '2026-11-28', slot: 540 }), 409, 'not_workday', 'day') // Saturday
    assertError(await book(citizen, { day: '2026-12-03', slot: 540 }), 409, 'day_out_of_range', 'day')
    assertError(await book(citizen, { day: '2026-11-23', slot: 540 }), 409, 'day_past', 'day')
    // the next half hour today starts less than 60 minutes from now
    const next = Math.ceil((minuteOfDay(serverNow()) + 1) / 30) * 30
    assert.ok(next <= 690, 'the test runs in the morning')
    assertError(await book(citizen, { day: TODAY, slot: next }), 409, 'too_late', 'slot')
  })

  test('capacity per half hour, and a cancellation gives the place back', async () => {
    const seed = uniqueSeed()
    const idNumber = makeIdNumber(seed)
    const reg = await anon.post('/api/v1/accounts', {
      kind: 'citizen', name: '赵敏', id_number: idNumber, mobile: makeMobile(seed), password: 'Citizen#2026',
    })
    assert.equal(reg.status, 202, reg.text)
    third = await api.signIn(idNumber, 'Citizen#2026')
    const first = await book(citizen, { day: '2026-11-26', slot: 540 })
    assert.equal(first.status, 201, first.text)
    assert.equal(first.json.state, 'booked')
    assert.match(first.json.code, /^\d{6}$/)
    assert.equal(first.json.group.letter, 'F')
    assert.equal(first.json.site.address, '益阳市赫山区福泽大厦')
    assert.equal((await book(enterprise, { day: '2026-11-26', slot: 540 })).status, 201)
    assertError(await book(third, { day: '2026-11-26', slot: 540 }), 409, 'slot_full', 'slot')
    const cancel = await citizen.post(`/api/v1/hall/appointments/${first.json.id}/transitions`, { action: 'cancel' })
    assert.equal(cancel.status, 200, cancel.text)
    assert.equal(cancel.json.state, 'cancelled')
    assertError(await citizen.post(`/api/v1/hall/appointments/${first.json.id}/transitions`, { action: 'cancel' }),
      409, 'invalid_transition')
    assert.equal((await book(third, { day: '2026-11-26', slot: 540 })).status, 201)
  })

  test('two appointments per person and day', async () => {
    assert.equal((await book(third, { day: '2026-11-27', slot: 540 })).status, 201)
    assert.equal((await book(third, { day: '2026-11-27', slot: 570 })).status, 201)
    assertError(await book(third, { day: '2026-11-27', slot: 600 }), 409, 'daily_limit', 'day')
  })

  test('moving follows the same rules; only the holder moves', async () => {
    const r = await book(citizen, { day: '2026-11-25', slot: 540 })
    assert.equal(r.status, 201, r.text)
    tomorrowId = r.json.id
    const act = (who, body) => who.post(`/api/v1/hall/appointments/${tomorrowId}/transitions`, body)
    assertError(await act(citizen, { action: 'move', day: '2026-11-25', slot: 540 }), 400, null, 'slot')
    assertError(await act(citizen, { action: 'move', day: '2026-11-28', slot: 540 }), 409, 'not_workday', 'day')
    assertError(await act(citizen, { action: 'move' }), 400, 'missing_field', 'day')
    assertError(await act(citizen, { action: 'swap' }), 400, null, 'action')
    assertError(await act(clerk, { action: 'move', day: '2026-11-27', slot: 870 }), 403)
    const moved = await act(citizen, { action: 'move', day: '2026-11-27', slot: 870 })
    assert.equal(moved.status, 200, moved.text)
    assert.equal(moved.json.day, '2026-11-27')
    assert.equal(moved.json.start, '14:30')
    assert.equal(moved.json.moves, 1)
    assert.equal(moved.json.can_cancel, true)
  })

  test('who sees which appointment', async () => {
    assertError(await enterprise.get(`/api/v1/hall/appointments/${tomorrowId}`), 404)
    assertError(await townClerk.get(`/api/v1/hall/appointments/${tomorrowId}`), 404)
    const staff = await clerk.get(`/api/v1/hall/appointments/${tomorrowId}`)
    assert.equal(staff.status, 200)
    assert.equal(staff.json.name, '张伟')
    const day = await clerk.get('/api/v1/hall/appointments?day=2026-11-27')
    assert.equal(day.status, 200, day.text)
    assert.ok(day.json.items.some((a) => a.id === tomorrowId))
    assert.ok(day.json.items.every((a) => a.day === '2026-11-27'))
    assertError(await townClerk.get('/api/v1/hall/appointments?site=C00'), 403)
    assertError(await clerk.get('/api/v1/hall/appointments?day=tomorrow'), 400, null, 'day')
    assertError(await clerk.get('/api/v1/hall/appointments?state=lost'), 400, null, 'state')
    const mine = await citizen.get('/api/v1/hall/appointments')
    assert.ok(mine.json.items.some((a) => a.id === tomorrowId))
    assert.ok(mine.json.items.every((a) => a.name === '张伟'))
    assertError(await anon.get('/api/v1/hall/appointments'), 401)
    // staff cancel only with a reason
    assertError(await clerk.post(`/api/v1/hall/appointments/${tomorrowId}/transitions`, { action: 'cancel' }), 400, null, 'reason')
    const st = await citizen.get('/api/v1/hall/booking-status')
    assert.equal(st.status, 200)
    assert.equal(st.json.blocked, null)
    assert.equal(st.json.rules.daily_limit, 2)
    assertError(await clerk.get('/api/v1/hall/booking-status'), 403)
    assert.equal((await supervisor.get('/api/v1/hall/blocks')).status, 200)
    assertError(await citizen.get('/api/v1/hall/blocks'), 403)
  })

  test('staff do not book; nor does anybody signed out', async () => {
    assertError(await book(clerk, { day: '2026-11-30', slot: 540 }), 403)
    assertError(await anon.post('/api/v1/hall/appointments', { site: 'C00', item_id: marriage.id, day: '2026-11-30', slot: 540 }), 401)
  })

  test('an appointment checked in before its time is refused with when to come', async () => {
    const slots = await anon.get(`/api/v1/hall/sites/C00/slots?item_id=${marriage.id}`)
    const open = slots.json.days[0].slots.find((s) => s.open)
    assert.ok(open, 'a half hour still bookable today')
    const r = await book(enterprise, { day: TODAY, slot: open.slot })
    assert.equal(r.status, 201, r.text)
    const early = await kiosk.take({ appt_code: r.json.code })
    assertError(early, 409, 'checkin_early', 'appt_code')
    assert.match(early.json.error.message, /\d\d:\d\d 后签到/)
    assertError(await kiosk.take({ appt_code: '000000' }), 404, null, 'appt_code')
    assertError(await kiosk.take({ id_number: '123' }), 400, null, 'id_number')
  })
})

describe('tickets, calling and the display', () => {
  let stream, green, normal, phone, w14Clerk, w14Id, caseId

  before(async () => {
    stream = await api.stream('C00')
    const s = await admin.get('/api/v1/hall/sites/C00/settings')
    w14Id = s.json.windows.find((w) => w.code === 'W14').id
    const seed = uniqueSeed()
    const username = `hall-w14-${seed}`
    const made = await admin.post('/api/v1/users', {
      username, name: '周婷', role: 'clerk', org_id: w14Id, mobile: makeMobile(seed + 7), password: 'Staff#2026x',
    })
    assert.equal(made.status, 201, made.text)
    w14Clerk = await api.signIn(username, 'Staff#2026x')
  })
  after(async () => { await stream?.close() })

  test('the ticket machine needs its key and a group; bad input names the field', async () => {
    assertError(await api.kiosk('C00').take({ group_id: groups.A.id }), 403, 'kiosk_key', 'kiosk_key')
    assertError(await api.kiosk('C00', 'x'.repeat(43)).take({ group_id: groups.A.id }), 403, 'kiosk_key')
    assertError(await kiosk.take({}), 400, null, 'group_id')
    assertError(await kiosk.take({ group_id: 999999 }), 404, null, 'group_id')
    assertError(await kiosk.take({ group_id: 'A' }), 400, null, 'group_id')
    assertError(await anon.post('/api/v1/hall/sites/C00/tickets', { via: 'fax', group_id: groups.A.id }), 400, null, 'via')
    assertError(await anon.post('/api/v1/hall/sites/C00/tickets', { group_id: groups.A.id }), 400, 'missing_field', 'via')
    const other = await api.kiosk('T01', key).take({ group_id: groups.A.id })
    assertError(other, 403, 'kiosk_key') // the centre's key does not open a township's machines
  })

  test('64 tickets taken at once get unique, gapless numbers', async () => {
    const first = await kiosk.take({ group_id: groups.B.id })
    assert.equal(first.status, 201, first.text)
    const k = Number(first.json.number.slice(1))
    const all = await Promise.all(Array.from({ length: 64 }, () => kiosk.take({ group_id: groups.B.id })))
    for (const r of all) assert.equal(r.status, 201, r.text)
    const seqs = all.map((r) => Number(r.json.number.slice(1))).sort((a, b) => a - b)
    assert.deepEqual(seqs, Array.from({ length: 64 }, (_, i) => k + 1 + i))
    assert.ok(all.every((r) => /^B\d{3}$/.test(r.json.number)))
    const last = all.find((r) => Number(r.json.number.slice(1)) === k + 64)
    assert.ok(last.json.ahead >= 64, 'everybody before it waits')
    assert.ok(last.json.wait_min >= 64, 'an estimate from the live queue')
  })

  test('a ticket from the machine, a green-channel one, and one on the phone', async () => {
    normal = (await kiosk.take({ group_id: groups.A.id })).json
    assert.match(normal.number, /^A\d{3}$/)
    assert.equal(normal.source, 'kiosk')
    assert.match(normal.token, /^[0-9a-f]{24}$/)
    green = (await kiosk.take({ group_id: groups.A.id, green: true })).json
    assert.equal(green.priority, 2)
    assert.equal(green.green, true)
    const p = await citizen.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', group_id: groups.A.id })
    assert.equal(p.status, 201, p.text)
    phone = p.json
    assert.equal(phone.source, 'phone')
    assertError(await citizen.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', group_id: groups.D.id }), 409, 'already_queued')
    assertError(await anon.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', group_id: groups.A.id }), 401)
    assertError(await clerk.post('/api/v1/hall/sites/C00/tickets', { via: 'phone', group_id: groups.A.id }), 403)
    // the holder follows it: on the phone signed in, or by the printed slip's code
    const mine = await citizen.get('/api/v1/hall/tickets/mine')
    assert.ok(mine.json.some((t) => t.id === phone.id && t.token))
    const byToken = await anon.get(`/api/v1/hall/tickets/${normal.id}?token=${normal.token}`)
    assert.equal(byToken.status, 200)
    assert.equal(byToken.json.state, 'waiting')
    assertError(await anon.get(`/api/v1/hall/tickets/${normal.id}?token=${'0'.repeat(24)}`), 404)
    assertError(await anon.get(`/api/v1/hall/tickets/${normal.id}`), 401)
    assertError(await enterprise.get(`/api/v1/hall/tickets/${phone.id}`), 404)
    // the board says how many wait
    // (the takes may go through different nodes: wait for the board that has all three)
    const board = await stream.next('board', (b) => b.groups.find((g) => g.letter === 'A').waiting >= 3)
    assert.ok(board.json.waiting >= 67, 'the 64 B tickets and the three A tickets')
  })

  test('a holder gives up a ticket still waiting', async () => {
    const t = (await kiosk.take({ group_id: groups.D.id })).json
    const r = await anon.post(`/api/v1/hall/tickets/${t.id}/cancel`, { token: t.token })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'cancelled')
    assertError(await anon.post(`/api/v1/hall/tickets/${t.id}/cancel`, { token: t.token }), 409, 'invalid_transition')
    assertError(await anon.post(`/api/v1/hall/tickets/${t.id}/cancel`, { token: 'nope' }), 404)
  })

  test('only clerks call, at their window', async () => {
    assertError(await citizen.post('/api/v1/hall/counter/call-next'), 403)
    assertError(await approver.post('/api/v1/hall/counter/call-next'), 403)
    assertError(await anon.post('/api/v1/hall/counter/call-next'), 401)
    assertError(await approver.get('/api/v1/hall/counter'), 403)
    const c = await clerk.get('/api/v1/hall/counter')
    assert.equal(c.status, 200, c.text)
    assert.equal(c.json.window.code, 'W01')
    assert.deepEqual(c.json.queue.map((g) => g.letter), ['A'])
    assert.equal(c.json.next.number, green.number, '绿色通道 first')
  })

  test('the green channel is called first; the display shows and says it', async () => {
    const r = await clerk.post('/api/v1/hall/counter/call-next')
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'open', 'calling opens the window')
    assert.equal(r.json.ticket.number, green.number)
    assert.equal(r.json.ticket.state, 'called')
    const call = await stream.next('call', (c) => c.number === green.number)
    assert.equal(call.json.utterance, `请${green.number}号到综合受理一号窗口办理`)
    assert.equal(call.json.window.code, 'W01')
    assert.ok(Number(call.id) > 0, 'replayable by Last-Event-ID')
    const board = await stream.next('board', (b) => b.windows.some((w) => w.code === 'W01' && w.number === green.number))
    assert.equal(board.json.calls[0].number, green.number)
    assertError(await clerk.post('/api/v1/hall/counter/call-next'), 409, 'ticket_in_hand')
    // its holder's phone says where to go
    const t = await anon.get(`/api/v1/hall/tickets/${green.id}?token=${green.token}`)
    assert.equal(t.json.message, '请到综合受理一号窗口办理')
  })

  test('recall, serve, done: bad actions and other clerks are refused', async () => {
    const act = (who, id, body) => who.post(`/api/v1/hall/tickets/${id}/transitions`, body)
    assertError(await act(clerk, green.id, { action: 'finish' }), 400, null, 'action')
    assertError(await act(clerk, green.id, {}), 400, 'missing_field', 'action')
    assertError(await act(clerk, green.id, { action: 'done' }), 409, 'invalid_transition')
    assertError(await act(w14Clerk, green.id, { action: 'serve' }), 409, 'not_yours')
    const again = await act(clerk, green.id, { action: 'recall' })
    assert.equal(again.status, 200, again.text)
    assert.equal(again.json.ticket.calls, 2)
    const recall = await stream.next('call', (c) => c.number === green.number && c.recall)
    assert.equal(recall.json.calls, 2)
    assert.equal((await act(clerk, green.id, { action: 'serve' })).json.ticket.state, 'serving')
    const done = await act(clerk, green.id, { action: 'done' })
    assert.equal(done.status, 200, done.text)
    assert.equal(done.json.ticket, null)
    assert.equal(done.json.today.served >= 1, true)
  })

  test('transfer to another window puts the ticket first in its line; no-show and queue again', async () => {
    const act = (who, id, body) => who.post(`/api/v1/hall/tickets/${id}/transitions`, body)
    const c = await clerk.post('/api/v1/hall/counter/call-next')
    assert.equal(c.json.ticket.number, normal.number)
    assertError(await act(clerk, normal.id, { action: 'transfer' }), 400, null, 'window_id')
    assertError(await act(clerk, normal.id, { action: 'transfer', window_id: w14Id, group_id: groups.F.id }), 400, null, 'window_id')
    assertError(await act(clerk, normal.id, { action: 'transfer', window_id: 999999 }), 400, null, 'window_id')
    assertError(await act(clerk, normal.id, { action: 'transfer', window_id: c.json.window.id }), 400, null, 'window_id')
    const tr = await act(clerk, normal.id, { action: 'transfer', window_id: w14Id, note: '需要婚姻登记窗口办理' })
    assert.equal(tr.status, 200, tr.text)
    const w = await w14Clerk.post('/api/v1/hall/counter/call-next')
    assert.equal(w.status, 200, w.text)
    assert.equal(w.json.ticket.number, normal.number)
    assert.equal(w.json.ticket.transfers, 1)
    const call = await stream.next('call', (x) => x.number === normal.number && x.window.code === 'W14')
    assert.equal(call.json.utterance, `请${normal.number}号到婚姻登记窗口办理`)
    assert.equal((await act(w14Clerk, normal.id, { action: 'no_show' })).status, 200)
    const back = await act(clerk, normal.id, { action: 'requeue' })
    assert.equal(back.status, 200, back.text)
    const v = await clerk.get(`/api/v1/hall/tickets/${normal.id}/visit`)
    assert.equal(v.json.state, 'waiting')
    assert.deepEqual(v.json.timeline.map((e) => e.action), ['take', 'call', 'transfer', 'call', 'no_show', 'requeue'])
    assertError(await townClerk.get(`/api/v1/hall/tickets/${normal.id}/visit`), 404)
  })

  test('one visit, one record: the case filed from the ticket and the rating at the window', async () => {
    const c = await clerk.post('/api/v1/hall/counter/call-next')
    assert.equal(c.json.ticket.number, phone.number, 'the phone ticket, waiting longer than the requeued one')
    const act = (body) => clerk.post(`/api/v1/hall/tickets/${phone.id}/transitions`, body)
    assertError(await clerk.post(`/api/v1/hall/tickets/${phone.id}/case`, { case_no: 'x' }), 409, 'invalid_transition')
    assert.equal((await act({ action: 'serve' })).status, 200)
    const filed = await clerk.post('/api/v1/cases', {
      item_id: marriage.id, id_number: '430903199003152317', name: '张伟', mobile: '13907372001', materials: MARRIAGE_MATERIALS,
    })
    assert.equal(filed.status, 201, filed.text)
    caseId = filed.json.id
    assertError(await clerk.post(`/api/v1/hall/tickets/${phone.id}/case`, {}), 400, null, 'case_id')
    assertError(await clerk.post(`/api/v1/hall/tickets/${phone.id}/case`, { case_no: '430903-20261124-99999' }), 404, null, 'case_no')
    const linked = await clerk.post(`/api/v1/hall/tickets/${phone.id}/case`, { case_id: caseId })
    assert.equal(linked.status, 200, linked.text)
    assert.equal(linked.json.case.case_no, filed.json.case_no)
    assertError(await clerk.post(`/api/v1/hall/tickets/${phone.id}/case`, { case_id: caseId }), 409, 'already_linked')
    assert.equal((await act({ action: 'done' })).status, 200)
    // the evaluator at 窗口一 offers the service of this visit; the citizen rates it
    const k = await anon.get('/api/v1/kiosk/W01')
    assert.equal(k.json.service.topic.startsWith(phone.number), true)
    const rated = await anon.post('/api/v1/kiosk/W01/ratings', { service_id: k.json.service.id, level: 5 })
    assert.equal(rated.status, 201, rated.text)
    const v = await clerk.get(`/api/v1/hall/tickets/${phone.id}/visit`)
    assert.equal(v.status, 200)
    assert.equal(v.json.rating.level, 5)
    assert.equal(v.json.case.id, caseId)
    assert.equal(v.json.state, 'done')
    assert.ok(v.json.waited_min >= 0)
  })

  test('a pause needs a reason; while paused nobody is called', async () => {
    const set = (body) => clerk.post('/api/v1/hall/counter/transitions', body)
    assertError(await set({ action: 'pause' }), 400, null, 'reason')
    assertError(await set({ action: 'pause', reason: 'other' }), 400, null, 'note')
    assertError(await set({ action: 'nap' }), 400, null, 'action')
    const p = await set({ action: 'pause', reason: 'meeting', note: '科室例会' })
    assert.equal(p.status, 200, p.text)
    assert.equal(p.json.state, 'paused')
    assert.equal(p.json.pause.reason_name, '参加会议')
    const board = await stream.next('board', (b) => b.windows.some((w) => w.code === 'W01' && w.state === 'paused'))
    assert.equal(board.json.windows.find((w) => w.code === 'W01').pause_reason, '参加会议')
    assertError(await clerk.post('/api/v1/hall/counter/call-next'), 409, 'window_paused')
    assertError(await set({ action: 'pause', reason: 'break' }), 409, 'invalid_transition')
    const r = await set({ action: 'resume' })
    assert.equal(r.status, 200)
    assert.equal(r.json.state, 'open')
    const c = await clerk.post('/api/v1/hall/counter/call-next')
    assert.equal(c.json.ticket.number, normal.number)
    assertError(await set({ action: 'close' }), 409, 'ticket_in_hand')
    assert.equal((await clerk.post(`/api/v1/hall/tickets/${normal.id}/transitions`, { action: 'no_show' })).status, 200)
    assertError(await clerk.post('/api/v1/hall/counter/call-next'), 409, 'queue_empty')
    assert.equal((await set({ action: 'close' })).json.state, 'closed')
  })

  test('a stream that reconnects gets what it missed (Last-Event-ID)', async () => {
    const last = stream.events.filter((e) => e.id).at(-1)
    const t = (await kiosk.take({ group_id: groups.E.id })).json
    const username = `hall-w13-${uniqueSeed()}`
    const e13 = await admin.post('/api/v1/users', {
      username, name: '吴刚', role: 'clerk',
      org_id: (await admin.get('/api/v1/hall/sites/C00/settings')).json.windows.find((w) => w.code === 'W13').id,
      mobile: makeMobile(uniqueSeed() + 13), password: 'Staff#2026x',
    })
    assert.equal(e13.status, 201, e13.text)
    const w13 = await api.signIn(username, 'Staff#2026x')
    assert.equal((await w13.post('/api/v1/hall/counter/call-next')).json.ticket.number, t.number)
    const again = await api.stream('C00', { 'Last-Event-ID': last.id })
    try {
      const missed = await again.next('call', (c) => c.number === t.number)
      assert.equal(missed.json.window.code, 'W13')
      assert.equal((await again.next('board')).json.site.code, 'C00', 'and the board as it is')
    } finally {
      await again.close()
    }
  })
})

describe('figures and the live overview', () => {
  test('by category: tickets, waits, services, abandonment', async () => {
    const r = await supervisor.get(`/api/v1/stats/hall?by=category&from=${TODAY}&to=${TODAY}&site=C00`)
    assert.equal(r.status, 200, r.text)
    const a = r.json.rows.find((x) => x.name === 'A 综合受理')
    assert.ok(a.tickets >= 3)
    assert.ok(a.served >= 2)
    assert.ok(a.no_show >= 1)
    assert.equal(typeof a.avg_wait_min, 'number')
    assert.equal(typeof a.avg_service_min, 'number')
    const d = r.json.rows.find((x) => x.name === 'D 社保医保公积金')
    assert.ok(d.abandoned >= 1)
    const f = r.json.rows.find((x) => x.name === 'F 婚姻登记')
    assert.ok(f.appointments >= 1, 'the appointments of the day')
    assert.ok(r.json.columns.some((c) => c.key === 'show_up_rate'))
    assert.equal(r.json.total.tickets, r.json.rows.reduce((s, x) => s + x.tickets, 0))
  })

  test('by clerk: services, ratings, waits and paused time (窗口作风)', async () => {
    const r = await supervisor.get(`/api/v1/stats/hall?by=clerk&from=${TODAY}&to=${TODAY}&site=C00`)
    assert.equal(r.status, 200, r.text)
    const me = r.json.rows.find((x) => x.name === '刘敏')
    assert.ok(me.served >= 2)
    assert.ok(me.ratings >= 1)
    assert.ok(me.pauses >= 1)
    assert.equal(typeof me.paused_min, 'number')
    const hour = await supervisor.get(`/api/v1/stats/hall?by=hour&from=${TODAY}&to=${TODAY}`)
    assert.ok(hour.json.rows.some((x) => x.name === '09:00–10:00'))
    const byWindow = await clerk.get(`/api/v1/stats/hall?by=window&from=${TODAY}&to=${TODAY}`)
    assert.equal(byWindow.status, 200, 'a clerk reads their own hall')
    assert.ok(byWindow.json.rows.some((x) => x.name === '综合受理一号窗口'))
  })

  test('exported as Excel and CSV', async () => {
    const x = await supervisor.get(`/api/v1/stats/hall?by=day&from=${TODAY}&to=${TODAY}&format=xlsx`)
    assert.equal(x.status, 200)
    assert.match(x.headers.get('content-type'), /spreadsheetml/)
    assert.equal(x.buf.subarray(0, 2).toString(), 'PK')
    const c = await supervisor.get(`/api/v1/stats/hall?by=day&from=${TODAY}&to=${TODAY}&format=csv`)
    assert.equal(c.status, 200)
    assert.ok(c.text.startsWith('\uFEFF统计项,取号数'))
    assert.ok(c.text.includes(TODAY))
  })

  test('bad input and access', async () => {
    assertError(await supervisor.get('/api/v1/stats/hall?by=weekday'), 400, null, 'by')
    assertError(await supervisor.get('/api/v1/stats/hall?from=2026-11-30&to=2026-11-01'), 400, null, 'from')
    assertError(await supervisor.get('/api/v1/stats/hall?from=yesterday'), 400, null, 'from')
    assertError(await supervisor.get('/api/v1/stats/hall?format=pdf'), 400, null, 'format')
    assertError(await clerk.get('/api/v1/stats/hall?site=T01'), 403)
    assertError(await approver.get('/api/v1/stats/hall'), 403)
    assertError(await citizen.get('/api/v1/stats/hall'), 403)
    assertError(await anon.get('/api/v1/stats/hall'), 401)
  })

  test('the live board of every hall for the supervision dashboard', async () => {
    const r = await supervisor.get('/api/v1/hall/overview')
    assert.equal(r.status, 200, r.text)
    const c00 = r.json.halls.find((h) => h.code === 'C00')
    assert.ok(c00.waiting >= 64)
    assert.ok(c00.longest_wait_min >= 0)
    assert.ok(c00.tickets_today >= 70)
    assertError(await clerk.get('/api/v1/hall/overview'), 403)
    const board = await anon.get('/api/v1/hall/sites/C00/board')
    assert.equal(board.status, 200)
    assert.ok(board.json.waiting >= 64)
    assert.ok(board.json.calls.length > 0)
  })
})

describe('帮办代办', () => {
  let record
  const body = {
    kind: 'agent', applicant_name: '张伟', id_number: '430903199003152317', minutes: 20, note: '老人行动不便，代为提交',
  }

  test('an agent records an application they did for someone; bad input names the field', async () => {
    body.item_id = marriage.id
    const post = (b) => agent.post('/api/v1/hall/assists', { ...body, ...b })
    assertError(await post({ kind: 'both' }), 400, null, 'kind')
    assertError(await post({ id_number: '430903199003152310' }), 400, null, 'id_number')
    assertError(await post({ minutes: 0 }), 400, null, 'minutes')
    assertError(await post({ minutes: 481 }), 400, null, 'minutes')
    assertError(await post({ item_id: undefined }), 400, null, 'item_id')
    assertError(await post({ case_no: 'nope' }), 400, null, 'case_no')
    assertError(await citizen.post('/api/v1/hall/assists', body), 403)
    assertError(await approver.post('/api/v1/hall/assists', body), 403)
    const r = await post({})
    assert.equal(r.status, 201, r.text)
    record = r.json
    assert.equal(record.state, 'recorded')
    assert.equal(record.kind_name, '代办')
    assert.equal(record.id_masked, '430903********2317')
    assert.equal(record.org.name, '石光港社区便民服务代办点')
    assert.match(record.token, /^[0-9a-f]{24}$/)
    assert.ok(!r.text.includes('430903199003152317'))
  })

  test('who sees it: the office and above, the applicant', async () => {
    assert.ok((await agent.get('/api/v1/hall/assists')).json.items.some((a) => a.id === record.id))
    assert.ok((await townClerk.get('/api/v1/hall/assists')).json.items.some((a) => a.id === record.id),
      'the township centre above the agent point')
    assert.ok(!(await clerk.get('/api/v1/hall/assists')).json.items.some((a) => a.id === record.id))
    assert.ok((await supervisor.get('/api/v1/hall/assists')).json.items.some((a) => a.id === record.id))
    const mine = await citizen.get('/api/v1/hall/assists')
    const it = mine.json.items.find((a) => a.id === record.id)
    assert.equal(it.applicant_name, '张*')
    assert.equal(it.token, undefined)
    assert.ok(!(await enterprise.get('/api/v1/hall/assists')).json.items.some((a) => a.id === record.id))
    assertError(await anon.get(`/api/v1/hall/assists/${record.id}`), 401)
    assertError(await anon.get(`/api/v1/hall/assists/${record.id}?token=${'f'.repeat(24)}`), 404)
    assertError(await agent.get('/api/v1/hall/assists?state=done'), 400, null, 'state')
  })

  test('the applicant confirms by the link; once', async () => {
    const page = await anon.get(`/api/v1/hall/assists/${record.id}?token=${record.token}`)
    assert.equal(page.status, 200)
    assert.equal(page.json.can_confirm, true)
    assertError(await anon.post(`/api/v1/hall/assists/${record.id}/transitions`, { action: 'paper', token: record.token }), 403)
    const ok = await anon.post(`/api/v1/hall/assists/${record.id}/transitions`, { action: 'confirm', token: record.token })
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json.state, 'confirmed')
    assert.equal(ok.json.confirm_channel_name, '扫码确认')
    assertError(await anon.post(`/api/v1/hall/assists/${record.id}/transitions`, { action: 'dispute', token: record.token, note: '不对' }),
      409, 'invalid_transition')
  })

  test('a dispute needs what is wrong; a paper signature is the helper\'s to record', async () => {
    const r = await agent.post('/api/v1/hall/assists', { ...body, applicant_name: '李四' })
    const id = r.json.id
    assertError(await citizen.post(`/api/v1/hall/assists/${id}/transitions`, { action: 'dispute' }), 400, null, 'note')
    const paper = await agent.post(`/api/v1/hall/assists/${id}/transitions`, { action: 'paper' })
    assert.equal(paper.status, 200, paper.text)
    assert.equal(paper.json.confirm_channel, 'paper')
    assert.equal(paper.json.confirm_note, '申请人已在纸质登记表上签字确认')
  })
})
