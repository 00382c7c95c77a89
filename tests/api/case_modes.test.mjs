// The case modes of issue 22 (src/cases/cases_modes.c, docs/service-rules.md):
// 并联审批 — 大型群众性活动安全许可 is reviewed by 公安 (D04) and 消防 (D33) at once: the case
// moves on when both agreed, and one department's denial decides it and closes the other's
// review; 告知承诺制 — 食品经营许可 filed on commitment is decided without the material the
// commitment replaces, and a failed check (核查) revokes the decision and the e-license and
// records a credit note, each with its notice; 容缺受理 — the window accepts 食品经营许可 with
// a minor material owed, the decision waits for it, and past its due date it lights red
// until it comes in.  Runs its own server on a fresh demo database and restarts it with the
// clock moved on (clock_offset_ms), because the shared server's clock only runs.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { assertError, clientOf } from './hall-lib.mjs'

const bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
// the notices render PDFs: cairo's and fontconfig's caches live as long as the process
// (tests/lsan.supp, as scripts/with-server.sh sets it)
const s = scratch('ow-case-modes-', {
  LSAN_OPTIONS: `suppressions=${new URL('../lsan.supp', import.meta.url).pathname}:print_suppressions=0`,
})
let srv, api

async function serveAt (iso) {
  if (srv) {
    srv.proc.kill('SIGTERM')
    const { code } = await srv.exited
    const reports = readdirSync(s.dir).filter((f) => /^(asan|ubsan)/.test(f))
    const text = reports.map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('\n')
    assert.equal(code, 0, `server exit status; ${srv.stderr()}\n${text}`)
  }
  s.env.OW_CLOCK_OFFSET_MS = String(Date.parse(iso) - Date.now())
  srv = await startServer(bin, s)
  api = clientOf(`http://127.0.0.1:${srv.port}`)
}

before(async () => {
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  await serveAt('2026-11-24T09:00:00+08:00')
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

const FOOD = '食品经营许可'
const EVENT = '大型群众性活动安全许可'
const OWED = '与食品经营相适应的主要设备设施布局、操作流程等文件'
const PROMISED = '食品安全自查、从业人员健康管理等食品安全管理制度'

async function guide (name) {
  const r = await api.anon.get('/api/v1/items?q=' + encodeURIComponent(name))
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, `${name} in the demo catalog`)
  return (await api.anon.get(`/api/v1/items/${it.id}`)).json
}

const required = (g, except = []) =>
  g.materials.filter((m) => m.required === 'yes' && !except.includes(m.name)).map((m) => m.name)

let admin, clerk, enterprise, police, fire, market, supervisor
const staff = {}

async function approverOf (admin, code, username, mobile) {
  const depts = await admin.get('/api/v1/orgs?kind=department')
  const d = depts.json.items.find((o) => o.code === code)
  const r = await admin.post('/api/v1/users', {
    username, name: `审批${code}`, role: 'approver', org_id: d.id, mobile, password: 'Staff#2026x',
  })
  assert.equal(r.status, 201, r.text)
  staff[code] = d
  return api.signIn(username, 'Staff#2026x')
}

async function signInAll () {
  ;[admin, clerk, enterprise, supervisor] = await Promise.all(
    ['demo-admin', 'demo-clerk', 'demo-enterprise', 'demo-supervisor'].map((u) => api.signIn(u)))
  ;[police, fire, market] = await Promise.all([
    api.signIn('appr-d04', 'Staff#2026x'), api.signIn('appr-d33', 'Staff#2026x'),
    api.signIn('appr-d19', 'Staff#2026x')])
}

const act = (who, id, body) => who.post(`/api/v1/cases/${id}/transitions`, body)

describe('the catalog says which items allow which mode', () => {
  test('approvers of 公安, 消防 and 市场监管 join; the demo guides carry their modes', async () => {
    admin = await api.signIn('demo-admin')
    police = await approverOf(admin, 'D04', 'appr-d04', '13900000401')
    fire = await approverOf(admin, 'D33', 'appr-d33', '13900003301')
    market = await approverOf(admin, 'D19', 'appr-d19', '13900001901')
    await signInAll()
    const ev = await guide(EVENT)
    assert.equal(ev.case_modes.joint[0].step, 2)
    assert.deepEqual(ev.case_modes.joint[0].org_ids, [staff.D04.id, staff.D33.id])
    const food = await guide(FOOD)
    assert.deepEqual(food.case_modes.commitment, { materials: [PROMISED], check_days: 20 })
    assert.deepEqual(food.case_modes.tolerance, { materials: [OWED], decision_waits: true })
  })

  test('an item edit naming a material the item lacks is refused, naming the field', async () => {
    const food = await guide(FOOD)
    const head = (await admin.get(`/api/v1/items/${food.id}?draft=1`)).json
    const input = {
      ...head, department_code: head.department.code, window_code: head.window?.code,
      steps: head.steps.map((s) => ({ ...s, org_code: s.org?.code ?? '' })),
    }
    const bad = (modes) => admin.put(`/api/v1/items/${food.id}`, { ...input, case_modes: modes })
    let r = await bad({ commitment: { materials: ['不存在的材料'], check_days: 20 } })
    assertError(r, 400, 'invalid_field')
    assert.equal(r.json.error.field, 'case_modes.commitment.materials[0]')
    assert.match(r.json.error.message, /不是本事项的申请材料/)
    r = await bad({ commitment: { materials: [PROMISED], check_days: 0 } })
    assert.equal(r.json.error.field, 'case_modes.commitment.check_days')
    r = await bad({ joint: [{ step: 1, org_ids: [staff.D04.id, staff.D33.id] }] })
    assert.equal(r.json.error.field, 'case_modes.joint[0].step')
    assert.match(r.json.error.message, /不是部门审查环节/)
    r = await bad({ joint: [{ step: 2, org_ids: [staff.D04.id] }] })
    assert.equal(r.json.error.field, 'case_modes.joint[0].org_ids')
  })
})

describe('并联审批', () => {
  let item
  const file = async (title) => {
    const r = await enterprise.post('/api/v1/cases', { item_id: item.id, title, materials: required(item) })
    assert.equal(r.status, 201, r.text)
    const a = await act(clerk, r.json.id, { action: 'accept' })
    assert.equal(a.status, 200, a.text)
    return a.json
  }

  test('both departments agree: the case moves on only with the second', async () => {
    item = await guide(EVENT)
    const c = await file('赫山区新年音乐会')
    assert.equal(c.current_step, '审查')
    assert.deepEqual(c.modes.joint.map((j) => [j.org.id, j.status]),
      [[staff.D04.id, 'open'], [staff.D33.id, 'open']])
    for (const who of [police, fire]) {
      const q = await who.get('/api/v1/cases/joint-reviews')
      assert.equal(q.status, 200, q.text)
      assert.ok(q.json.items.some((x) => x.id === c.id), 'in each department\'s joint queue')
    }
    let r = await act(fire, c.id, { action: 'forward', comment: '消防通道符合要求' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'review')
    assert.equal(r.json.current_step, '审查', 'still waiting for 公安')
    assert.deepEqual(r.json.modes.joint.map((j) => j.status), ['open', 'approved'])
    assert.equal(r.json.timeline.at(-1).action, 'concur')
    assertError(await act(fire, c.id, { action: 'forward' }), 403, 'forbidden')
    assert.ok(!(await fire.get('/api/v1/cases/joint-reviews')).json.items.some((x) => x.id === c.id))
    r = await act(police, c.id, { action: 'forward', comment: '安保方案可行' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.current_step, '决定')
    assert.deepEqual(r.json.modes.joint.map((j) => [j.status, j.opinion]),
      [['approved', '安保方案可行'], ['approved', '消防通道符合要求']])
    r = await act(police, c.id, { action: 'approve' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'approved')
  })

  test('one department denies: the case is decided and the other review closes', async () => {
    const c = await file('赫山区露天焰火晚会')
    const r = await act(fire, c.id, { action: 'deny', reason: '场地不具备消防安全条件' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'denied')
    assert.equal(r.json.department.id, staff.D33.id, 'the denying department decides')
    const [p, f] = r.json.modes.joint
    assert.equal(f.status, 'denied')
    assert.equal(p.status, 'closed')
    assert.match(p.opinion, /赫山区消防救援大队不予同意/)
    assertError(await act(police, c.id, { action: 'forward' }), 409, 'invalid_transition')
    assert.ok(!(await police.get('/api/v1/cases/joint-reviews')).json.items.some((x) => x.id === c.id))
  })
})

describe('告知承诺制', () => {
  let item, c
  test('filed on commitment without the material; accepted only once confirmed', async () => {
    item = await guide(FOOD)
    const r = await enterprise.post('/api/v1/cases', {
      item_id: item.id, title: '赫山区一家面馆', commitment: true, materials: required(item, [PROMISED]),
    })
    assert.equal(r.status, 201, r.text)
    c = r.json
    assert.equal(c.modes.commitment.confirmed_at, null)
    assert.ok(c.materials.find((m) => m.name === PROMISED).commitment)
    assertError(await act(clerk, c.id, { action: 'accept' }), 409, 'commitment_unconfirmed')
    const pdf = await enterprise.get(`/api/v1/cases/${c.id}/notices/commitment`)
    assert.equal(pdf.status, 200, pdf.text)
    assert.equal(pdf.headers.get('content-type'), 'application/pdf')
    const ok = await enterprise.post(`/api/v1/cases/${c.id}/commitment/confirm`)
    assert.equal(ok.status, 200, ok.text)
    assert.ok(ok.json.modes.commitment.confirmed_at)
    assert.equal(ok.json.timeline.at(-1).action, 'commit')
    assertError(await enterprise.post(`/api/v1/cases/${c.id}/commitment/confirm`), 409, 'already_confirmed')
    const a = await act(clerk, c.id, { action: 'accept' })
    assert.equal(a.status, 200, a.text)
  })

  test('decided on it: the e-license is issued and the check is due in 20 working days', async () => {
    let r = await act(market, c.id, { action: 'forward' })
    assert.equal(r.status, 200, r.text)
    r = await act(market, c.id, { action: 'approve' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.modes.commitment.check_due, '2026-12-22')
    const w = await enterprise.get('/api/v1/wallet')
    const lic = w.json.licenses.find((l) => l.case_no === c.case_no)
    assert.ok(lic, w.text)
    assert.equal(lic.status, 'valid')
    c.license = lic
  })

  test('a failed check revokes the decision and the license, and records a credit note', async () => {
    assertError(await clerk.post(`/api/v1/cases/${c.id}/commitment/check`, { result: 'fail', notes: 'x' }), 403, 'forbidden')
    assertError(await market.post(`/api/v1/cases/${c.id}/commitment/check`, { result: 'maybe', notes: 'x' }), 400, 'missing_field')
    const r = await market.post(`/api/v1/cases/${c.id}/commitment/check`, {
      result: 'fail', notes: '现场核查：未建立从业人员健康管理制度，承诺不实',
    })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.state, 'concluded')
    assert.equal(r.json.result, 'revoked')
    assert.equal(r.json.modes.commitment.check.result, 'fail')
    assert.ok(r.json.modes.commitment.revoked_at)
    assert.deepEqual(r.json.timeline.slice(-2).map((e) => e.action), ['check', 'revoke'])
    const lic = (await enterprise.get('/api/v1/wallet')).json.licenses.find((l) => l.id === c.license.id)
    assert.equal(lic.status, 'revoked')
    const cr = await supervisor.get('/api/v1/credit-records?uscc=' + enterprise.user.uscc)
    assert.equal(cr.status, 200, cr.text)
    assert.equal(cr.json.total, 1)
    assert.equal(cr.json.items[0].case_no, c.case_no)
    assert.equal(cr.json.items[0].kind, 'false_commitment')
    assertError(await enterprise.get('/api/v1/credit-records'), 403, 'forbidden')
    const bad = await supervisor.get('/api/v1/credit-records?uscc=91430903MA4L00011X')
    assert.equal(bad.status, 400)
    assert.equal(bad.json.error.field, 'uscc')
    const audit = await admin.get('/api/v1/audit?action=case.credit_view&per_page=5')
    assert.equal(audit.status, 200, audit.text)
    assert.ok(audit.json.items.some((a) => a.object_id === enterprise.user.uscc), audit.text)
    for (const kind of ['revocation', 'credit']) {
      const pdf = await enterprise.get(`/api/v1/cases/${c.id}/notices/${kind}`)
      assert.equal(pdf.status, 200, pdf.text)
      assert.equal(pdf.headers.get('content-type'), 'application/pdf')
    }
  })
})

describe('容缺受理', () => {
  let item, owed, waiting
  test('accepted with a minor material owed; the decision waits for it', async () => {
    item = await guide(FOOD)
    const r = await enterprise.post('/api/v1/cases', {
      item_id: item.id, title: '赫山区一家茶饮店', materials: required(item, [OWED]),
    })
    assert.equal(r.status, 201, r.text)
    owed = r.json
    assertError(await act(clerk, owed.id, { action: 'accept', owed: ['营业执照'], owed_days: 3 }), 400, 'invalid_field')
    assertError(await act(clerk, owed.id, { action: 'accept', owed: [OWED] }), 400, 'missing_field')
    const a = await act(clerk, owed.id, { action: 'accept', owed: [OWED], owed_days: 3 })
    assert.equal(a.status, 200, a.text)
    assert.equal(a.json.state, 'review')
    assert.deepEqual(a.json.modes.owed.map((o) => [o.name, o.due, o.overdue]), [[OWED, '2026-11-27', false]])
    assert.ok(a.json.modes.owed[0].reminded_at, 'the applicant was reminded')
    const msgs = await enterprise.get('/api/v1/messages')
    assert.ok(msgs.json.items.some((m) => m.event === 'case_owed' && m.body.includes(OWED)), msgs.text)
    assert.equal((await act(market, owed.id, { action: 'forward' })).status, 200)
    assertError(await act(market, owed.id, { action: 'approve' }), 409, 'materials_owed')
    // a second case on commitment, decided, whose check nobody records
    const w = await enterprise.post('/api/v1/cases', {
      item_id: item.id, title: '赫山区一家烘焙店', commitment: true, materials: required(item, [PROMISED]),
    })
    waiting = w.json
    assert.equal((await enterprise.post(`/api/v1/cases/${waiting.id}/commitment/confirm`)).status, 200)
    for (const [who, action] of [[clerk, 'accept'], [market, 'forward'], [market, 'approve']]) {
      const x = await act(who, waiting.id, { action })
      assert.equal(x.status, 200, x.text)
    }
    const alerts = await supervisor.get('/api/v1/cases/mode-alerts')
    assert.equal(alerts.status, 200, alerts.text)
    assert.deepEqual(alerts.json.items, [])
  })

  test('past the due dates the owed material and the missing check light red', async () => {
    await serveAt('2026-12-28T09:00:00+08:00')
    await signInAll()
    const alerts = await supervisor.get('/api/v1/cases/mode-alerts')
    assert.deepEqual(alerts.json.items.map((a) => [a.case_id, a.kind, a.due, a.light]),
      [[owed.id, 'owed', '2026-11-27', 'red'], [waiting.id, 'check', '2026-12-22', 'red']])
    const c = (await market.get(`/api/v1/cases/${owed.id}`)).json
    assert.deepEqual(c.modes.alerts, ['owed_overdue'])
    assert.equal(c.modes.owed[0].overdue, true)
    const d = (await market.get(`/api/v1/cases/${waiting.id}`)).json
    assert.deepEqual(d.modes.alerts, ['check_overdue'])
  })

  test('the material handed in clears the light, and the decision can be made', async () => {
    assertError(await market.post(`/api/v1/cases/${owed.id}/owed/receive`, { material: OWED }), 403, 'forbidden')
    const r = await clerk.post(`/api/v1/cases/${owed.id}/owed/receive`, { material: OWED })
    assert.equal(r.status, 200, r.text)
    assert.ok(r.json.modes.owed[0].received_at)
    assert.deepEqual(r.json.modes.alerts, [])
    assert.equal(r.json.timeline.at(-1).action, 'owed_received')
    const alerts = await supervisor.get('/api/v1/cases/mode-alerts')
    assert.deepEqual(alerts.json.items.map((a) => a.kind), ['check'])
    const x = await act(market, owed.id, { action: 'approve' })
    assert.equal(x.status, 200, x.text)
    assert.equal(x.json.state, 'approved')
  })
})
