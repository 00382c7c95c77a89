// Provisional deadlines (docs/api.md, "Provisional deadlines"): a year whose State
// Council notice is not loaded is computed from the law, every deadline that depends on
// it says so, and loading the notice moves the deadlines, drops the flag, is audited and
// shows in the applicant's timeline.
//
// Runs its own server, at 2026-12-07 09:00 Shanghai on a fresh demo database, because it
// loads a 2027 notice that the shared server's other tests must not see.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { runCli, scratch, startServer, request } from '../crash/lib.mjs'
import { rmSync, readdirSync, readFileSync } from 'node:fs'

const bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
const NOW = Date.parse('2026-12-07T09:00:00+08:00')
const s = scratch('ow-provisional-', { OW_CLOCK_OFFSET_MS: String(NOW - Date.now()) })
let srv

before(async () => {
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  srv = await startServer(bin, s)
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

const call = (method, path, opts) => request(srv.port, method, path, opts)

async function signIn (username) {
  const r = await call('POST', '/api/v1/session', { json: { username, password: 'Demo@2026' } })
  assert.equal(r.status, 200, r.text)
  const cookie = r.headers['set-cookie'][0].split(';')[0]
  const as = { cookie, csrf: r.json.csrf_token }
  return {
    get: (p) => call('GET', p, { cookie }),
    post: (p, json) => call('POST', p, { ...as, json }),
    put: (p, json) => call('PUT', p, { ...as, json }),
  }
}

// a 2027 notice as an administrator would transcribe it: 元旦 on Friday 1 January and,
// unlike anything the law alone could foresee, a 调休 working Saturday on 2 January
const NOTICE_2027 = 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,workday,元旦调休上班\n'

let caseId

test('a case accepted on 2026-12-07 with 20 working days falls due in January 2027, provisionally', async () => {
  const clerk = await signIn('demo-clerk')
  const items = await call('GET', '/api/v1/items?q=' + encodeURIComponent('公共租赁住房申请'))
  const item = items.json.items.find((i) => i.name === '公共租赁住房申请')
  assert.ok(item, 'the demo item')
  const filed = await clerk.post('/api/v1/cases', {
    item_id: item.id, id_number: '430903199003152317', name: '张伟', mobile: '13907370001',
    materials: ['居民身份证', '《公共租赁住房申请申请表》'],
  })
  assert.equal(filed.status, 201, filed.text)
  caseId = filed.json.id
  const acc = await clerk.post(`/api/v1/cases/${caseId}/transitions`, { action: 'accept' })
  assert.equal(acc.status, 200, acc.text)
  assert.equal(acc.json.deadline.committed_days, 20)
  // 12-08 … 12-31 are 18 working days; 2027-01-01 is 元旦 by the law; Mon 1-04, Tue 1-05
  assert.equal(acc.json.deadline.due_committed, '2027-01-05')
  assert.equal(acc.json.deadline.provisional, true)
  // the queue row says so too
  const supervisor = await signIn('demo-supervisor')
  const q = await supervisor.get('/api/v1/cases?queue=all&per_page=5&q=' + acc.json.case_no)
  assert.equal(q.status, 200, q.text)
  assert.equal(q.json.items[0].deadline.provisional, true)
})

test('the public calculator gives the same date with the holiday it skipped', async () => {
  const r = await call('GET', '/api/v1/calendar/due?from=2026-12-07&days=20')
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.due, '2027-01-05')
  assert.equal(r.json.provisional, true)
  assert.deepEqual(r.json.holidays, [{ date: '2027-01-01', name: '元旦' }])
  assert.equal(r.json.weekend_days, 8)
  assert.match(r.json.note, /暂按法定节假日推算/)
  const plain = await call('GET', '/api/v1/calendar/due?from=2026-09-30&days=1')
  assert.equal(plain.json.provisional, false)
  assert.equal(plain.json.note, undefined)
  const year = await call('GET', '/api/v1/calendar?year=2027')
  assert.equal(year.json.loaded, false)
  assert.equal(year.json.provisional, true)
  assert.ok(year.json.days.some((d) => d.date === '2027-02-09' && d.name === '春节补假'))
})

test('only an administrator loads a notice, and a bad one changes nothing', async () => {
  const clerk = await signIn('demo-clerk')
  const no = await clerk.put('/api/v1/calendar/years/2027', { csv: NOTICE_2027 })
  assert.equal(no.status, 403, no.text)
  const admin = await signIn('demo-admin')
  const bad = await admin.put('/api/v1/calendar/years/2027',
    { csv: 'date,kind,name\n2027-01-01,holiday,元旦\n2027-01-06,workday,调休\n' })
  assert.equal(bad.status, 400, bad.text)
  assert.equal(bad.json.error.field, 'csv')
  assert.match(bad.json.error.message, /第3行/)
  const empty = await admin.put('/api/v1/calendar/years/2027', { csv: 'date,kind,name\n' })
  assert.equal(empty.status, 400, empty.text)
  assert.equal(empty.json.error.field, 'csv')
  assert.match(empty.json.error.message, /没有放假日/)
  const year = await call('GET', '/api/v1/calendar?year=2027')
  assert.equal(year.json.provisional, true)
})

test('loading the 2027 notice moves the deadline, drops the flag, is audited and shows in the timeline', async () => {
  const admin = await signIn('demo-admin')
  const r = await admin.put('/api/v1/calendar/years/2027', { csv: NOTICE_2027 })
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.days, 2)
  assert.ok(r.json.recomputed_cases >= 1, r.text)
  const year = await call('GET', '/api/v1/calendar?year=2027')
  assert.equal(year.json.loaded, true)
  assert.equal(year.json.provisional, false)
  assert.equal((await call('GET', '/api/v1/calendar?year=2028')).json.provisional, true)

  // the applicant (demo-citizen's ID number) sees the new date and why it moved
  const citizen = await signIn('demo-citizen')
  const c = await citizen.get(`/api/v1/cases/${caseId}`)
  assert.equal(c.status, 200, c.text)
  // 18 in December, Sat 1-02 调休 the 19th, Mon 1-04 the 20th
  assert.equal(c.json.deadline.due_committed, '2027-01-04')
  assert.equal(c.json.deadline.provisional, undefined)
  const ev = c.json.timeline.at(-1)
  assert.equal(ev.action, 'deadline')
  assert.equal(ev.action_name, '办理期限调整')
  assert.equal(ev.detail.old_due_committed, '2027-01-05')
  assert.equal(ev.detail.due_committed, '2027-01-04')
  assert.equal(ev.detail.provisional, false)

  const audit = await admin.get('/api/v1/audit?action=calendar.load_year')
  assert.equal(audit.status, 200, audit.text)
  assert.equal(audit.json.items.length, 1)
  assert.equal(audit.json.items[0].object_id, '2027')

  // the calculator answers from the notice now
  const due = await call('GET', '/api/v1/calendar/due?from=2026-12-07&days=20')
  assert.equal(due.json.due, '2027-01-04')
  assert.equal(due.json.provisional, false)
  assert.deepEqual(due.json.adjusted_workdays, [{ date: '2027-01-02', name: '元旦调休上班' }])
})

test('a loaded notice survives a restart', async () => {
  srv.proc.kill('SIGTERM')
  assert.equal((await srv.exited).code, 0)
  srv = await startServer(bin, s)
  const year = await call('GET', '/api/v1/calendar?year=2027')
  assert.equal(year.json.loaded, true)
  assert.equal(year.json.provisional, false)
  const due = await call('GET', '/api/v1/calendar/due?from=2026-12-31&days=1')
  assert.equal(due.json.due, '2027-01-02')
})
