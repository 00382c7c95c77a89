// Government information disclosure over HTTP (issue 9): a request of each outcome
// category produces the right notice (a real PDF: page 1 not blank, CJK font embedded,
// the QR code decodes to the verification URL); the annual report's table for the
// seeded year 2025 equals figures computed here from the requests themselves, and its
// totals add up; publications with review, search and feeds; who may do what.
// Runs against the demo database (scripts/with-server.sh … init --demo).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import XLSX from 'xlsx'
import { BASE_URL, call, assertError, makeUscc, serverToday } from './lib.mjs'
import { checkIssuedDocument } from './pdf-read.mjs'

async function signIn(username, password = 'Demo@2026') {
  const res = await call('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  assert.equal(res.status, 200, res.text)
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], csrf: res.json.csrf_token, user: res.json.user }
}
const as = (s) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' })
const post = (s, path, body) => call(path, { method: 'POST', headers: as(s), body: JSON.stringify(body) })
const put = (s, path, body) => call(path, { method: 'PUT', headers: as(s), body: JSON.stringify(body) })
const get = (s, path) => call(path, { headers: s ? { Cookie: s.cookie } : {} })

const discloser = await signIn('demo-discloser')
const citizen = await signIn('demo-citizen')
const enterprise = await signIn('demo-enterprise')
// the office's second discloser: the 保密审查 of what demo-discloser submits
const reviewer = await signIn('demo-discloser2')
const ORG = discloser.user.org.id

let idSeq = 0
/** A valid resident ID number, different each time (GB 11643 check digit). */
function idNumber() {
  const body = `43090319850101${String(100 + idSeq++).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

async function fileInPerson(extra = {}) {
  const res = await post(discloser, '/api/v1/info-requests', {
    org_id: ORG, channel: 'in_person', applicant_type: 'person', name: '测试申请人',
    id_number: idNumber(), mobile: '13800000000', content: '测试所需的政府信息', delivery: 'pickup', ...extra,
  })
  assert.equal(res.status, 201, res.text)
  return res.json
}

const act = async (id, body, who = discloser) => {
  const res = await post(who, `/api/v1/info-requests/${id}/transitions`, body)
  assert.equal(res.status, 200, `${body.action}: ${res.text}`)
  return res.json
}

/** Page 1 as PNG is not blank; pdffonts lists an embedded CJK font; zbarimg reads the QR. */
function checkPdf(buf, wantUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'ow-pdf-'))
  try {
    const file = join(dir, 'n.pdf')
    writeFileSync(file, buf)
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-')
    execFileSync('pdftoppm', ['-r', '150', '-png', file, join(dir, 'p')])
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png')).sort()
    assert.ok(pages.length >= 1)
    // a blank A4 page at 150 dpi compresses to a few kilobytes; text makes it far larger
    assert.ok(statSync(join(dir, pages[0])).size > 20000, 'page 1 is not blank')
    const fonts = execFileSync('pdffonts', [file]).toString()
    assert.match(fonts, /Noto(Serif|Sans)CJK\S*\s+CID Type 0C\s+Identity-H\s+yes/, fonts)
    // exit status 4: some page had no code (the QR code sits under the signature)
    const z = spawnSync('zbarimg', ['-q', '--raw', '--nodbus', ...pages.map((p) => join(dir, p))])
    assert.ok(z.status === 0 || z.status === 4, `zbarimg: ${z.stderr}`)
    const codes = z.stdout.toString().trim()
    assert.equal(codes, wantUrl)
    return execFileSync('pdftotext', ['-layout', file, '-']).toString()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A request's latest notice: readable, and laid out as every issued document must be
 * (tests/api/pdf-read.mjs: one page, the QR code and the verification code beside the
 * signature, dates in one format, /verify naming the issuer the seal line prints). */
async function notice(reqJson, who = discloser) {
  const n = reqJson.notices.at(-1)
  const res = await fetch(BASE_URL + n.pdf, { headers: { Cookie: who.cookie } })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/pdf')
  const buf = Buffer.from(await res.arrayBuffer())
  const url = `${BASE_URL}/verify/${n.verify_code}`
  const text = checkPdf(buf, url)
  const { sig } = checkIssuedDocument(buf, { verifyUrl: url, onePage: true })
  const v = await get(null, `/api/v1/verify/${n.verify_code}`)
  assert.equal(v.json.issuer, sig.issuer, `${n.title}: /verify names the seal line's issuer`)
  return { n, text: text.replace(/\s+/g, '') }
}

// ---------------------------------------------------------------- outcomes and notices

const outcomes = (await get(null, '/api/v1/info-request-outcomes')).json.items

test('the outcome table covers every row of the annual-report table', () => {
  const want = { 1: [0], 2: [0], 3: [1, 2, 3, 4, 5, 6, 7, 8], 4: [1, 2, 3], 5: [1, 2, 3, 4, 5], 6: [1, 2, 3] }
  for (const [g, subs] of Object.entries(want))
    for (const s of subs) assert.ok(outcomes.some((o) => o.group === Number(g) && o.sub === s), `group ${g} sub ${s}`)
})

const expectedTitle = {
  disclosed: '政府信息公开告知书', disclosed_published: '政府信息公开告知书', partial: '政府信息部分公开告知书',
  unavailable_not_exist: '政府信息不存在告知书', unavailable_not_ours: '非本机关政府信息告知书',
  unavailable_needs_making: '政府信息无法提供告知书', not_handled_repeat: '不予重复处理告知书',
  not_handled_petition: '政府信息公开申请不予处理告知书', other_special_law: '政府信息公开申请告知书',
}

for (const o of outcomes.filter((x) => x.reply && x.key !== 'unavailable_unclear')) {
  test(`reply “${o.name}” issues ${o.notice_title} with its ground and the remedies`, async () => {
    const r = await fileInPerson({ content: `关于${o.key}的测试信息` })
    const body = { action: 'reply', outcome: o.key, reason: `测试理由${o.key}` }
    if (o.key === 'unavailable_not_ours') Object.assign(body, { agency: '益阳市发展和改革委员会', agency_contact: '0737-4223456' })
    const done = await act(r.id, body)
    assert.equal(done.state, 'replied')
    assert.equal(done.outcome, o.key)
    const { n, text } = await notice(done)
    assert.equal(n.title, o.notice_title)
    if (expectedTitle[o.key]) assert.equal(n.title, expectedTitle[o.key])
    if (o.key.startsWith('refused')) assert.equal(n.title, '政府信息不予公开告知书')
    assert.ok(text.includes(n.title), 'title printed')
    assert.ok(text.includes(r.number), 'request number printed')
    // the legal ground, the officer's reason, and both remedies with their periods
    assert.ok(text.includes(o.basis.replace(/\s+/g, '')), `basis ${o.basis}`)
    if (o.needs_reason) assert.ok(text.includes(`测试理由${o.key}`), 'reason printed')
    assert.ok(text.includes('60日内') && text.includes('申请行政复议'), 'reconsideration within 60 days')
    assert.ok(text.includes('6个月内') && text.includes('行政诉讼'), 'litigation within 6 months')
    if (o.key === 'unavailable_not_ours') assert.ok(text.includes('益阳市发展和改革委员会'), 'competent body named')
    const v = await get(null, `/api/v1/verify/${n.verify_code}`)
    assert.equal(v.status, 200)
    assert.equal(v.json.title, n.title)
    assert.match(v.json.recipient, /^测\*+$/) // masked
  })
}

test('a reason is required where the law asks for one', async () => {
  const r = await fileInPerson()
  const res = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'reply', outcome: 'refused_secret' })
  assertError(res, 400, 'missing_field')
  assert.equal(res.json.error.field, 'reason')
  assert.match(res.json.error.message, /理由/)
})

test('supplement: notice, restart from receipt, then 补正后仍不明确 is allowed', async () => {
  const r = await fileInPerson()
  assert.equal(r.state, 'processing')
  const asked = await act(r.id, { action: 'ask_supplement', items: '请写明文件名称', workdays: 10 })
  assert.equal(asked.state, 'supplement')
  assert.equal(asked.due_date, null)
  assert.equal(asked.light, 'paused')
  const { n, text } = await notice(asked)
  assert.equal(n.title, '补正申请通知书')
  assert.ok(text.includes('请写明文件名称'))
  assert.ok(text.includes('视为放弃申请'))
  const again = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'ask_supplement', items: 'x' })
  assertError(again, 409, 'invalid_transition')
  const back = await act(r.id, { action: 'supplement', text: '补充说明' })
  assert.equal(back.state, 'processing')
  assert.equal(back.clock_start, back.supplement.received_date)
  assert.ok(back.due_date)
  const done = await act(r.id, { action: 'reply', outcome: 'unavailable_unclear', reason: '补正后仍无法确定' })
  assert.equal((await notice(done)).n.title, '政府信息无法提供告知书')
})

test('补正后仍不明确 is refused when no supplement was asked', async () => {
  const r = await fileInPerson()
  const res = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'reply', outcome: 'unavailable_unclear', reason: 'x' })
  assertError(res, 409, 'conflict')
})

/** A date n calendar days before the server's today in Shanghai, YYYY-MM-DD. */
function daysAgo(n) {
  return serverToday(n)
}

test('extension once, with its notice; a second one is refused', async () => {
  // received some weeks ago, so that the extended deadline stays within the loaded
  // calendar years (data/calendar) while the first deadline has not passed yet
  const r = await fileInPerson({ received_date: daysAgo(24) })
  assert.equal(r.received_date, daysAgo(24))
  const ext = await act(r.id, { action: 'extend', approver: '唐志华', reason: '需要调取档案' })
  assert.equal(ext.extended, true)
  assert.ok(ext.due_date > r.due_date)
  const { n, text } = await notice(ext)
  assert.equal(n.title, '延期答复告知书')
  assert.ok(text.includes('20个工作日'))
  const again = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'extend', approver: 'x', reason: 'y' })
  assertError(again, 409, 'conflict')
})

test('consultation pauses the clock', async () => {
  const r = await fileInPerson()
  const c = await act(r.id, { action: 'consult', kind: 'third_party', party: '某公司' })
  assert.equal(c.state, 'consulting')
  assert.equal(c.light, 'paused')
  assert.equal(c.pauses.length, 1)
  assert.equal(c.pauses[0].end, null)
  const d = await act(r.id, { action: 'consult_done', note: '同意公开' })
  assert.equal(d.state, 'processing')
  // paused for today, one working day (if today is one): the deadline is not earlier
  assert.ok(d.due_date >= r.due_date)
})

test('fees: not for the first ten requests of a month; by pages above 30 with a notice', async () => {
  const r = await fileInPerson({ delivery: 'paper' })
  const byCount = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'fee_notice', method: 'count' })
  assertError(byCount, 409, 'conflict')
  assert.match(byCount.json.error.message, /不收取信息处理费/)
  const few = await post(discloser, `/api/v1/info-requests/${r.id}/transitions`, { action: 'fee_notice', method: 'pages', pages: 30 })
  assertError(few, 409, 'conflict')
  const fee = await act(r.id, { action: 'fee_notice', method: 'pages', pages: 120 })
  assert.equal(fee.state, 'fee')
  assert.equal(fee.fee.yuan, 70 * 10 + 20 * 20)
  const { n, text } = await notice(fee)
  assert.equal(n.title, '政府信息公开信息处理费缴费通知书')
  assert.ok(text.includes('1100元'))
  const paid = await act(r.id, { action: 'fee_paid' })
  assert.equal(paid.state, 'processing')
})

test('who may do what: the applicant reads own request, others do not; citizens cannot reply', async () => {
  const mine = await post(citizen, '/api/v1/info-requests', {
    org_id: ORG, applicant_type: 'person', name: '张伟', id_number: '430903199003152317',
    mobile: '13907372001', content: '权限测试', delivery: 'electronic',
  })
  assert.equal(mine.status, 201, mine.text)
  assert.equal(mine.json.state, 'submitted')
  assert.equal(mine.json.id_masked, '430903********2317')
  assert.equal((await get(citizen, `/api/v1/info-requests/${mine.json.id}`)).status, 200)
  assertError(await get(enterprise, `/api/v1/info-requests/${mine.json.id}`), 404, 'not_found')
  const reply = await post(citizen, `/api/v1/info-requests/${mine.json.id}/transitions`, { action: 'reply', outcome: 'disclosed' })
  assertError(reply, 403, 'forbidden')
  const list = await get(citizen, '/api/v1/info-requests?per_page=100')
  assert.ok(list.json.items.every((x) => x.applicant_name === '张伟'))
  const withdrawn = await act(mine.json.id, { action: 'withdraw' }, citizen)
  assert.equal(withdrawn.state, 'withdrawn')
})

test('an online request carries the account\'s own identity: another person\'s is refused', async () => {
  const base = { org_id: ORG, applicant_type: 'person', mobile: '13907372001', content: '身份测试', delivery: 'electronic' }
  // hardening #24: a citizen filed as 李四 with someone else's ID number and got 201
  const other = await post(citizen, '/api/v1/info-requests', { ...base, name: '李四', id_number: '11010519491231002X' })
  assertError(other, 400, 'identity_mismatch')
  assert.equal(other.json.error.field, 'name')
  assert.match(other.json.error.message, /张伟/)
  const otherId = await post(citizen, '/api/v1/info-requests', { ...base, name: '张伟', id_number: '11010519491231002X' })
  assertError(otherId, 400, 'identity_mismatch')
  assert.equal(otherId.json.error.field, 'id_number')
  assert.match(otherId.json.error.message, /身份证号码/)
  // left out, the name and number come from the account
  const own = await post(citizen, '/api/v1/info-requests', base)
  assert.equal(own.status, 201, own.text)
  assert.equal(own.json.applicant_name, '张伟')
  assert.equal(own.json.id_masked, '430903********2317')
  // an enterprise files as itself only
  const ebase = { org_id: ORG, applicant_type: 'commercial', contact_name: '黄志明', mobile: '13907372002',
    content: '身份测试', delivery: 'electronic' }
  const eOther = await post(enterprise, '/api/v1/info-requests', { ...ebase, uscc: makeUscc(424242) })
  assertError(eOther, 400, 'identity_mismatch')
  assert.equal(eOther.json.error.field, 'uscc')
  const eName = await post(enterprise, '/api/v1/info-requests', { ...ebase, name: '别家公司' })
  assertError(eName, 400, 'identity_mismatch')
  assert.equal(eName.json.error.field, 'name')
  const eOwn = await post(enterprise, '/api/v1/info-requests', { ...ebase, uscc: enterprise.user.uscc })
  assert.equal(eOwn.status, 201, eOwn.text)
  assert.equal(eOwn.json.applicant_name, enterprise.user.name)
  assert.equal(eOwn.json.uscc, enterprise.user.uscc)
  // staff registering a visit still enter the applicant's identity
  const visit = await fileInPerson({ name: '李四', id_number: '11010519491231002X' })
  assert.equal(visit.applicant_name, '李四')
})

test('a bad ID number is refused naming the field', async () => {
  const res = await post(discloser, '/api/v1/info-requests', {
    org_id: ORG, channel: 'in_person', applicant_type: 'person', name: '某', id_number: '430903198501011234',
    mobile: '13800000000', content: 'x', delivery: 'pickup',
  })
  assert.equal(res.status, 400)
  assert.equal(res.json.error.field, 'id_number')
})

test('the discloser queue shows lights and filters by them', async () => {
  const q = await get(discloser, '/api/v1/info-requests?state=open&per_page=100')
  assert.equal(q.status, 200)
  assert.ok(q.json.total > 0)
  for (const it of q.json.items) assert.ok(['green', 'yellow', 'red', 'paused', 'new'].includes(it.light), it.light)
  const green = await get(discloser, '/api/v1/info-requests?light=green&per_page=100')
  assert.ok(green.json.items.every((x) => x.light === 'green'))
})

test('reconsideration and litigation records', async () => {
  const r = await fileInPerson()
  await act(r.id, { action: 'reply', outcome: 'disclosed' })
  const add = await post(discloser, `/api/v1/info-requests/${r.id}/reviews`, { kind: 'reconsideration', filed_date: '2026-01-05', result: 'pending' })
  assert.equal(add.status, 201, add.text)
  const rid = add.json.reviews[0].id
  const bad = await put(discloser, `/api/v1/info-requests/${r.id}/reviews/${rid}`, { result: 'corrected' })
  assertError(bad, 400, 'missing_field')
  const upd = await put(discloser, `/api/v1/info-requests/${r.id}/reviews/${rid}`, { result: 'corrected', decided_date: '2026-02-05' })
  assert.equal(upd.status, 200, upd.text)
  assert.equal(upd.json.reviews[0].result, 'corrected')
})

// ---------------------------------------------------------------- the annual report

const TYPES = ['person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org']

/** Every request of the district with the fields the report counts (a supervisor sees all). */
async function allRequests() {
  const sup = await signIn('demo-supervisor')
  const out = []
  for (let page = 1; ; page++) {
    const r = await get(sup, `/api/v1/info-requests?per_page=100&page=${page}`)
    out.push(...r.json.items)
    if (out.length >= r.json.total) break
  }
  return out
}

test('the 2025 report table equals figures computed from the requests, and adds up', async () => {
  const year = 2025
  const from = `${year}-01-01`, to = `${year}-12-31`
  const reqs = await allRequests()
  const groupOf = Object.fromEntries(outcomes.map((o) => [o.key, `g${o.group}${o.sub ? '_' + o.sub : ''}`]))
  const want = {}
  const add = (row, type) => {
    want[row] ??= Object.fromEntries(TYPES.map((t) => [t, 0]))
    want[row][type]++
  }
  for (const r of reqs) {
    if (!r.received_date) continue
    if (r.received_date >= from && r.received_date <= to) add('new', r.applicant_type)
    if (r.received_date < from && (!r.concluded_date || r.concluded_date >= from)) add('carried_in', r.applicant_type)
    if (r.concluded_date && r.concluded_date >= from && r.concluded_date <= to) add(groupOf[r.outcome], r.applicant_type)
    if (r.received_date <= to && (!r.concluded_date || r.concluded_date > to)) add('carried_out', r.applicant_type)
  }
  const rep = await get(null, `/api/v1/disclosure-reports/${year}`)
  assert.equal(rep.status, 200, rep.text)
  const rows = rep.json.requests.rows
  assert.equal(rows.length, 25)
  assert.deepEqual(rep.json.requests.columns.map((c) => c.key), [...TYPES, 'total'])
  const got = Object.fromEntries(rows.map((r) => [r.key, r.values]))
  for (const row of rows) {
    if (row.key === 'result_total') continue
    const w = want[row.key] ?? Object.fromEntries(TYPES.map((t) => [t, 0]))
    assert.deepEqual(row.values.slice(0, 6), TYPES.map((t) => w[t]), `row ${row.key}`)
  }
  // the seeded year is not trivial: new requests from people and organisations, several outcome rows
  assert.ok(got.new[6] >= 30, `new ${got.new[6]}`)
  assert.ok(got.carried_out[6] >= 2, 'some carried into 2026')
  assert.ok(rows.filter((r) => r.key.startsWith('g') && r.values[6] > 0).length >= 15)
  // totals: each row's total column; the result total row; 一 + 二 = 三(七) + 四 per column
  for (const row of rows) assert.equal(row.values[6], row.values.slice(0, 6).reduce((a, b) => a + b, 0), row.key)
  const outcomeRows = rows.filter((r) => /^g\d/.test(r.key))
  for (let c = 0; c < 7; c++) {
    assert.equal(got.result_total[c], outcomeRows.reduce((s, r) => s + r.values[c], 0), `result total col ${c}`)
    assert.equal(got.new[c] + got.carried_in[c], got.result_total[c] + got.carried_out[c], `balance col ${c}`)
  }
  // the next year starts with what this one carried out
  const next = await get(null, `/api/v1/disclosure-reports/${year + 1}`)
  assert.deepEqual(next.json.requests.rows[1].values, got.carried_out)
  // section 4: a reconsideration filed in December 2025 and decided (upheld) in January 2026
  // is still pending at the end of 2025; one direct suit pending
  assert.deepEqual(rep.json.reviews.values.reconsideration, [0, 0, 0, 1, 1])
  assert.deepEqual(rep.json.reviews.values.litigation_direct, [0, 0, 0, 1, 1])
  for (const k of Object.keys(rep.json.reviews.values)) {
    const v = rep.json.reviews.values[k]
    assert.equal(v[4], v[0] + v[1] + v[2] + v[3], k)
  }
  // section 2 from the publications; the hand-entered fee figure
  assert.equal(rep.json.active.normative.repealed, 2)
  assert.ok(rep.json.active.permits > 20)
  assert.equal(rep.json.active.fees_wan, 12.35)
})

test('a unit report counts only that unit; HTML and PDF carry the same figures', async () => {
  const unit = await get(null, `/api/v1/disclosure-reports/2025?org_id=${ORG}`)
  const all = await get(null, '/api/v1/disclosure-reports/2025')
  assert.ok(unit.json.requests.rows[0].values[6] < all.json.requests.rows[0].values[6])
  const html = await call(`/api/v1/disclosure-reports/2025/html?org_id=${ORG}`)
  assert.match(html.headers.get('content-type'), /^text\/html/)
  const cell = html.text.match(/<tr data-row="new">.*?<td data-col="total">(\d+)<\/td>/)
  assert.equal(Number(cell[1]), unit.json.requests.rows[0].values[6])
  const pdf = await fetch(`${BASE_URL}/api/v1/disclosure-reports/2025/pdf`)
  assert.equal(pdf.status, 200)
  assert.equal(pdf.headers.get('content-type'), 'application/pdf')
  const buf = Buffer.from(await pdf.arrayBuffer())
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-')
})

test('the XLSX export: one sheet per table, the template\'s merged headings, every figure of the JSON and HTML', async () => {
  const rep = (await get(null, `/api/v1/disclosure-reports/2025?org_id=${ORG}`)).json
  const html = (await call(`/api/v1/disclosure-reports/2025/html?org_id=${ORG}`)).text
  const res = await fetch(`${BASE_URL}/api/v1/disclosure-reports/2025/xlsx?org_id=${ORG}`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /spreadsheetml\.sheet/)
  assert.match(res.headers.get('content-disposition'), new RegExp(`attachment; filename="disclosure-report-2025-org${ORG}\\.xlsx"`))
  const wb = XLSX.read(Buffer.from(await res.arrayBuffer()), { type: 'buffer' })
  assert.deepEqual(wb.SheetNames, ['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、行政复议行政诉讼情况'])

  // sheet 三: headings where the template has them, then every cell of the 25 × 7 figures
  const ws = wb.Sheets[wb.SheetNames[1]]
  const cell = (ref) => ws[ref]?.v
  const merges = new Set((ws['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m)))
  // rows 5 一, 6 二, 7–27 the outcome rows of 三 (B9:B16 不予公开 1–8, B17:B19 无法提供,
  // B20:B24 不予处理, B25:B27 其他处理), 28 (七)总计, 29 四
  for (const m of ['A2:C4', 'D2:J2', 'D3:D4', 'E3:I3', 'J3:J4', 'A5:C5', 'A6:C6', 'A7:A28', 'B7:C7', 'B8:C8',
    'B9:B16', 'B17:B19', 'B20:B24', 'B25:B27', 'B28:C28', 'A29:C29']) {
    assert.ok(merges.has(m), `merged ${m} (have ${[...merges].join(' ')})`)
  }
  assert.equal(cell('D2'), '申请人情况')
  assert.equal(cell('D3'), '自然人')
  assert.equal(cell('E3'), '法人或其他组织')
  assert.deepEqual(['E4', 'F4', 'G4', 'H4', 'I4'].map(cell), ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'])
  assert.equal(cell('J3'), '总计')
  assert.equal(cell('A7'), '三、本年度办理结果')
  assert.equal(cell('B9'), '（三）不予公开')
  assert.equal(cell('C9'), '1.属于国家秘密')
  const rows = rep.requests.rows
  assert.equal(rows.length, 25)
  const colLetters = ['D', 'E', 'F', 'G', 'H', 'I', 'J']
  let nonzero = 0
  rows.forEach((row, i) => {
    const r = 5 + i
    const label = /^g\d_/.test(row.key) ? cell(`C${r}`) : /^g\d$|^result_total$/.test(row.key) ? cell(`B${r}`) : cell(`A${r}`)
    assert.equal(label, row.label, `label of row ${row.key}`)
    const htmlRow = html.match(new RegExp(`<tr data-row="${row.key}">(.*?)</tr>`))[1]
    const htmlVals = [...htmlRow.matchAll(/<td data-col="[a-z_]+">(\d+)<\/td>/g)].map((m) => Number(m[1]))
    assert.deepEqual(htmlVals, row.values, `HTML row ${row.key}`)
    colLetters.forEach((c, k) => {
      assert.equal(ws[`${c}${r}`]?.t, 'n', `${c}${r} is a number`)
      assert.equal(cell(`${c}${r}`), row.values[k], `${c}${r} (${row.key} × ${rep.requests.columns[k].key})`)
      if (row.values[k]) nonzero++
    })
  })
  assert.ok(nonzero >= 10, `the unit's 2025 table has figures (${nonzero} non-zero cells)`)

  // sheet 二 and sheet 四
  const a = wb.Sheets[wb.SheetNames[0]]
  assert.equal(a.A4.v, '规章')
  assert.deepEqual(['B5', 'C5', 'D5'].map((x) => a[x].v), [rep.active.normative.issued, rep.active.normative.repealed, rep.active.normative.valid])
  assert.equal(a.B8.v, rep.active.permits)
  assert.equal(a.A11.v, '行政处罚')
  assert.equal(a.B11.v, rep.active.penalties)
  assert.equal(a.B15.v, rep.active.fees_wan)
  assert.ok(new Set((a['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m))).has('B15:D15'))
  const r4 = wb.Sheets[wb.SheetNames[2]]
  const m4 = new Set((r4['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m)))
  for (const m of ['A2:E2', 'F2:O2', 'A3:A4', 'F3:J3', 'K3:O3']) assert.ok(m4.has(m), `sheet 四 merged ${m}`)
  const v = rep.reviews.values
  const want4 = [...v.reconsideration, ...v.litigation_direct, ...v.litigation_after_reconsideration]
  assert.deepEqual(XLSX.utils.sheet_to_json(r4, { header: 1, range: 'A5:O5' })[0], want4)

  const bad = await call('/api/v1/disclosure-reports/20x5/xlsx')
  assert.equal(bad.status, 400)
  assert.equal(bad.json.error.field, 'year')
})

// ---------------------------------------------------------------- publications

test('publication: draft, confidentiality review, publish with index number, search, feed, withdraw', async () => {
  const created = await post(discloser, '/api/v1/publications', {
    column: 'normative', title: '赫山区政务公开测试暂行办法', doc_number: '赫政务发〔2026〕99号',
    issued_date: '2026-03-01', validity: 'valid', body: '第一条 为规范政务公开测试工作，制定本办法。',
  })
  assert.equal(created.status, 201, created.text)
  const id = created.json.id
  assert.equal(created.json.state, 'draft')
  assert.equal((await get(null, `/api/v1/publications/${id}`)).status, 404) // not public yet
  const approveTooEarly = await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'approve', note: 'x' })
  assertError(approveTooEarly, 409, 'invalid_transition')
  await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'submit' })
  const noNote = await post(reviewer, `/api/v1/publications/${id}/transitions`, { action: 'approve' })
  assert.equal(noNote.status, 400)
  // hardening #24: one discloser could submit and approve the same publication
  assert.equal((await get(discloser, `/api/v1/publications/${id}`)).json.may_approve, false)
  assert.equal((await get(reviewer, `/api/v1/publications/${id}`)).json.may_approve, true)
  const own = await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'approve', note: '本人审查' })
  assertError(own, 403, 'same_person')
  assert.match(own.json.error.message, /提交人以外/)
  const pub = await post(reviewer, `/api/v1/publications/${id}/transitions`, { action: 'approve', note: '经保密审查，同意公开' })
  assert.equal(pub.status, 200, pub.text)
  assert.equal(pub.json.state, 'published')
  assert.match(pub.json.index_no, /^430903-D35-\d{4}-\d{5}$/)
  // Chinese substring search: trigram for 3+ characters, LIKE for 1–2
  const s3 = await get(null, `/api/v1/publications?q=${encodeURIComponent('政务公开测试')}`)
  assert.ok(s3.json.items.some((x) => x.id === id))
  const s2 = await get(null, `/api/v1/publications?q=${encodeURIComponent('暂行')}`)
  assert.ok(s2.json.items.some((x) => x.id === id))
  assert.ok(s2.json.items.every((x) => x.title.includes('暂行') || x.doc_number.includes('暂行')) || s2.json.total >= 1)
  const feed = await call('/api/v1/publication-columns/normative/feed')
  assert.match(feed.headers.get('content-type'), /^application\/atom\+xml/)
  assert.ok(feed.text.includes('<feed xmlns="http://www.w3.org/2005/Atom">'))
  assert.ok(feed.text.includes('赫山区政务公开测试暂行办法'))
  const wd = await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'withdraw' })
  assertError(wd, 400, 'missing_field')
  const w = await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'withdraw', reason: '内容有误' })
  assert.equal(w.json.state, 'withdrawn')
  assert.equal((await get(null, `/api/v1/publications/${id}`)).status, 404)
  const gone = await get(null, `/api/v1/publications?q=${encodeURIComponent('政务公开测试')}`)
  assert.ok(!gone.json.items.some((x) => x.id === id))
})

// ---------------------------------------------------------------- papers of a request received by letter

test('a letter request: the sign-for date is the receipt date; its scanned letter and envelope are kept with it', async () => {
  // signed for on a Friday before a long holiday is not needed here: the rule is the
  // channel's date itself; an ordinary letter takes the confirmation date the same way
  const signed = '2026-09-30'
  const r = await post(discloser, '/api/v1/info-requests', {
    org_id: ORG, channel: 'post', applicant_type: 'person', name: '来信人', id_number: idNumber(),
    mobile: '13800000001', address: '赫山区会龙山街道', content: '来信：某路段改造工程的立项批复', delivery: 'paper',
    received_date: signed,
  })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.channel, 'post')
  assert.equal(r.json.received_date, signed)
  assert.deepEqual(r.json.papers, [])
  const id = r.json.id
  const upload = (who, filename, body, label) => call(
    `/api/v1/info-requests/${id}/files?filename=${encodeURIComponent(filename)}${label ? `&label=${encodeURIComponent(label)}` : ''}`,
    { method: 'POST', headers: { ...as(who), 'Content-Type': 'application/octet-stream' }, body })
  const scan = Buffer.from('%PDF-1.4\n% 申请书扫描件\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
  const envelope = Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xE0]), Buffer.alloc(300, 7)])
  const a = await upload(discloser, '申请书.pdf', scan)
  assert.equal(a.status, 201, a.text)
  const b = await upload(discloser, '信封.jpg', envelope, '信封（邮戳、签收）')
  assert.equal(b.status, 201, b.text)
  assert.deepEqual(b.json.papers.map((p) => [p.label, p.filename, p.content_type, p.size]),
    [['申请书', '申请书.pdf', 'application/pdf', scan.length], ['信封（邮戳、签收）', '信封.jpg', 'image/jpeg', envelope.length]])
  // a scanner gives PDF, JPEG, PNG or OFD: an Office file is refused here (415)
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[1]]), 'S')
  const office = await upload(discloser, '表格.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }))
  assertError(office, 415, 'unsupported_file_type')
  assert.match(office.json.error.message, /实际是Excel 表格（XLSX）/)
  const long = await upload(discloser, '长名称.pdf', scan, '材'.repeat(31))
  assert.equal(long.status, 400, long.text)
  assert.equal(long.json.error.field, 'label')
  // the handling unit downloads; others do not see it
  const dl = await fetch(BASE_URL + b.json.papers[1].url, { headers: { Cookie: discloser.cookie } })
  assert.equal(dl.status, 200)
  assert.ok(Buffer.from(await dl.arrayBuffer()).equals(envelope))
  assert.equal((await fetch(BASE_URL + b.json.papers[1].url, { headers: { Cookie: citizen.cookie } })).status, 404)
  assertError(await upload(citizen, '冒充.pdf', scan), 404, 'not_found')
  const again = (await get(discloser, `/api/v1/info-requests/${id}`)).json
  assert.equal(again.papers.length, 2)
  assert.deepEqual(again.timeline.filter((e) => e.action === 'add_paper').map((e) => e.note),
    ['收到申请材料（申请书）：申请书.pdf', '收到申请材料（信封（邮戳、签收））：信封.jpg'])
})

// ---------------------------------------------------------------- publication attachments

/** Upload body as an attachment of publication pub (streamed route, raw body). */
const attach = (who, pub, filename, body) => call(`/api/v1/publications/${pub}/attachments?filename=${encodeURIComponent(filename)}`, {
  method: 'POST', headers: { ...(who ? as(who) : {}), 'Content-Type': 'application/octet-stream' }, body,
})
const fetchBuf = async (who, path) => {
  const r = await fetch(BASE_URL + path, { headers: who ? { Cookie: who.cookie } : {} })
  return { status: r.status, headers: r.headers, buf: Buffer.from(await r.arrayBuffer()) }
}

test('publication attachments: typed by content, reviewed and published with the body, withdrawn with it', async () => {
  const draft = await post(discloser, '/api/v1/publications', {
    column: 'normative', title: '关于印发《赫山区附件测试实施细则》的通知', doc_number: '赫政办发〔2026〕99号',
    issued_date: '2026-11-20', validity: 'valid', body: '现将《实施细则》印发给你们，请认真贯彻执行。',
  })
  assert.equal(draft.status, 201, draft.text)
  const id = draft.json.id
  assert.deepEqual(draft.json.attachments, [])

  // real files: a PDF, an XLSX and an XLS (BIFF8 in an OLE2 compound file) written by
  // SheetJS, a plain ZIP archive
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['项目', '金额'], ['道路', 120]]), '明细')
  const xlsx = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' })
  const xls = XLSX.write(wb, { type: 'buffer', bookType: 'xls' })
  const cfb = XLSX.CFB.utils.cfb_new()
  XLSX.CFB.utils.cfb_add(cfb, '说明.txt', Buffer.from('附件说明'))
  const zip = XLSX.CFB.write(cfb, { type: 'buffer', fileType: 'zip' })
  const files = [
    ['附件1：实施细则.pdf', pdf, 'application/pdf'],
    ['附件2：项目明细.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['附件3：旧版明细.xls', xls, 'application/vnd.ms-excel'],
    ['附件4：资料.zip', zip, 'application/zip'],
  ]
  let pubJson
  for (const [name, body, type] of files) {
    const r = await attach(discloser, id, name, body)
    assert.equal(r.status, 201, `${name}: ${r.text}`)
    const a = r.json.attachments.find((x) => x.filename === name)
    assert.equal(a.content_type, type, name)
    assert.equal(a.size, body.length)
    pubJson = r.json
  }
  assert.deepEqual(pubJson.attachments.map((a) => a.filename), files.map((f) => f[0]))

  // refused: an executable named .pdf (415), an over-size file (413), a second file of the same name (409)
  const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), Buffer.alloc(200)])
  const bad = await attach(discloser, id, '通知.pdf', elf)
  assert.equal(bad.status, 415, bad.text)
  assert.equal(bad.json.error.field, 'file')
  assert.match(bad.json.error.message, /可执行程序/)
  const big = Buffer.alloc(21 * 1024 * 1024, 0x41)
  pdf.copy(big)
  const tooBig = await attach(discloser, id, '大文件.pdf', big)
  assert.equal(tooBig.status, 413, tooBig.text)
  assert.equal(tooBig.json.error.field, 'file')
  const dup = await attach(discloser, id, '附件1：实施细则.pdf', pdf)
  assert.equal(dup.status, 409, dup.text)
  assert.equal(dup.json.error.field, 'filename')

  // someone else's unit: a discloser of another department, and a window clerk
  const admin = await signIn('demo-admin')
  const depts = await get(admin, '/api/v1/orgs?kind=department&per_page=100')
  const other = depts.json.items.find((o) => o.id !== ORG)
  const uname = `discloser-${Date.now() % 1e8}`
  const mk = await post(admin, '/api/v1/users', { username: uname, name: '外单位公开员', role: 'discloser', org_id: other.id, password: 'Staff#2026x' })
  assert.equal(mk.status, 201, mk.text)
  const foreign = await signIn(uname, 'Staff#2026x')
  assertError(await attach(foreign, id, '外单位.pdf', pdf), 403, 'forbidden')
  assertError(await attach(await signIn('demo-clerk'), id, '窗口.pdf', pdf), 403, 'forbidden')
  assertError(await attach(null, id, '匿名.pdf', pdf), 401, 'unauthenticated')

  // a draft's files: the unit's staff only
  const [pdfAtt, xlsxAtt, , zipAtt] = pubJson.attachments
  assert.equal((await fetchBuf(null, pdfAtt.url)).status, 404)
  assert.equal((await fetchBuf(foreign, pdfAtt.url)).status, 404)
  const own = await fetchBuf(discloser, pdfAtt.url)
  assert.equal(own.status, 200)
  assert.ok(own.buf.equals(pdf))

  // remove one while drafting
  const del = await call(`/api/v1/publications/${id}/attachments/${zipAtt.id}`, { method: 'DELETE', headers: as(discloser) })
  assert.equal(del.status, 200, del.text)
  assert.equal(del.json.attachments.length, 3)
  assert.ok(!del.json.attachments.some((a) => a.id === zipAtt.id))

  // under review the set is frozen: what is reviewed is what is published
  await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'submit' })
  assertError(await attach(discloser, id, '迟到的附件.pdf', pdf), 409, 'invalid_transition')
  const delLate = await call(`/api/v1/publications/${id}/attachments/${xlsxAtt.id}`, { method: 'DELETE', headers: as(discloser) })
  assertError(delLate, 409, 'invalid_transition')
  const pubd = await post(reviewer, `/api/v1/publications/${id}/transitions`, { action: 'approve', note: '正文及附件经保密审查，同意公开' })
  assert.equal(pubd.status, 200, pubd.text)

  // published: listed on the public page and downloadable by anyone, with the Chinese name (RFC 5987)
  const pub = await get(null, `/api/v1/publications/${id}`)
  assert.deepEqual(pub.json.attachments.map((a) => a.filename), ['附件1：实施细则.pdf', '附件2：项目明细.xlsx', '附件3：旧版明细.xls'])
  const dl = await fetchBuf(null, xlsxAtt.url)
  assert.equal(dl.status, 200)
  assert.match(dl.headers.get('content-type'), /spreadsheetml\.sheet/)
  assert.ok(dl.buf.equals(xlsx))
  const cd = dl.headers.get('content-disposition')
  assert.match(cd, /^attachment;/)
  assert.ok(cd.includes(`filename*=UTF-8''${encodeURIComponent('附件2：项目明细.xlsx')}`), cd)
  const inline = await fetchBuf(null, pdfAtt.url)
  assert.match(inline.headers.get('content-disposition'), /^inline;/)
  assert.match((await fetchBuf(null, `${pdfAtt.url}?download=1`)).headers.get('content-disposition'), /^attachment;/)

  // withdrawn: gone from the public, kept for the unit
  const wd = await post(discloser, `/api/v1/publications/${id}/transitions`, { action: 'withdraw', reason: '文件已被新文件替代' })
  assert.equal(wd.status, 200, wd.text)
  assert.equal((await fetchBuf(null, xlsxAtt.url)).status, 404)
  assert.equal((await get(null, `/api/v1/publications/${id}`)).status, 404)
  const kept = await fetchBuf(discloser, xlsxAtt.url)
  assert.equal(kept.status, 200)
  assert.ok(kept.buf.equals(xlsx))
  const tl = (await get(discloser, `/api/v1/publications/${id}`)).json.timeline.map((e) => e.action)
  assert.deepEqual(tl.filter((a) => a === 'attach' || a === 'detach'), ['attach', 'attach', 'attach', 'attach', 'detach'])
})

test('the public list holds a year of publications across columns', async () => {
  const all = await get(null, '/api/v1/publications?from=2025-01-01&to=2025-12-31&per_page=1')
  assert.ok(all.json.total >= 250, `2025 publications ${all.json.total}`)
  const cols = (await get(null, '/api/v1/publication-columns')).json.items
  let nonEmpty = 0
  for (const c of cols) if ((await get(null, `/api/v1/publications?column=${c.code}&per_page=1`)).json.total > 0) nonEmpty++
  assert.ok(nonEmpty >= 14)
  const bad = await get(null, '/api/v1/publications?column=nope')
  assertError(bad, 400, 'invalid_field')
  const citizenCreate = await post(citizen, '/api/v1/publications', { column: 'news', title: 'x', issued_date: '2026-01-01', body: 'x' })
  assertError(citizenCreate, 403, 'forbidden')
})

// ---------------------------------------------------------------- unit statistics and inspection

test('unit statistics: publications per month add up to the list, silent units named', async () => {
  const sup = await signIn('demo-supervisor')
  const s = await get(sup, '/api/v1/disclosure-stats/units?year=2025')
  assert.equal(s.status, 200, s.text)
  let sum = 0
  for (const u of s.json.units) {
    assert.equal(u.months.length, 12)
    assert.equal(u.total, u.months.reduce((a, b) => a + b, 0))
    sum += u.total
  }
  const list = await get(null, '/api/v1/publications?from=2025-01-01&to=2025-12-31&per_page=1')
  assert.equal(sum, list.json.total)
  // the demo has three units that never publish
  for (const name of ['人民防空办公室', '气象局', '笔架山乡']) assert.ok(s.json.silent.some((u) => u.org_name.includes(name)), name)
  assertError(await get(citizen, '/api/v1/disclosure-stats/units?year=2025'), 403, 'forbidden')
})

test('quarterly inspection: record, rectify, bulletin as PDF', async () => {
  const sup = await signIn('demo-supervisor')
  const noDeadline = await post(sup, '/api/v1/disclosure-inspections', { org_id: ORG, year: 2026, quarter: 4, rating: 'poor', findings: '栏目更新不及时' })
  assertError(noDeadline, 400, 'missing_field')
  assert.equal(noDeadline.json.error.field, 'rectify_by')
  const saved = await post(sup, '/api/v1/disclosure-inspections', {
    org_id: ORG, year: 2026, quarter: 4, rating: 'fair', findings: '政策解读未与文件同步发布', rectify_by: '2027-01-31',
  })
  assert.equal(saved.status, 201, saved.text)
  const fixed = await put(sup, `/api/v1/disclosure-inspections/${saved.json.id}`, { rectified_date: '2026-12-20', rectification_note: '已补发解读' })
  assert.equal(fixed.status, 204, fixed.text)
  const list = await get(sup, '/api/v1/disclosure-inspections?year=2026&quarter=4')
  const mine = list.json.items.find((x) => x.id === saved.json.id)
  assert.equal(mine.rectified_date, '2026-12-20')
  const res = await fetch(`${BASE_URL}/api/v1/disclosure-inspections/bulletin?year=2025&quarter=2`, { headers: { Cookie: sup.cookie } })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/pdf')
  const bulletin = Buffer.from(await res.arrayBuffer())
  // signed by the centre, dated, every date (整改期限 too) as 2027年1月31日, no QR code
  const { sig } = checkIssuedDocument(bulletin, {})
  assert.equal(sig.issuer, '益阳市赫山区政务服务中心')
  const dir = mkdtempSync(join(tmpdir(), 'ow-bulletin-'))
  try {
    writeFileSync(join(dir, 'b.pdf'), bulletin)
    const text = execFileSync('pdftotext', [join(dir, 'b.pdf'), '-']).toString().replace(/\s+/g, '')
    assert.ok(text.includes('关于2025年第二季度政府信息公开工作督查情况的通报'))
    assert.ok(text.includes('赫山区人民防空办公室'), 'the silent unit is named')
    assert.match(execFileSync('pdffonts', [join(dir, 'b.pdf')]).toString(), /CJK\S*\s+CID Type 0C\s+Identity-H\s+yes/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the district report and the inspections belong to the disclosure office, not to every unit’s discloser', async () => {
  const admin = await signIn('demo-admin')
  const depts = await get(admin, '/api/v1/orgs?kind=department&per_page=100')
  const other = depts.json.items.find((o) => o.id !== ORG)
  const uname = `unit-discloser-${Date.now() % 1e8}`
  const mk = await post(admin, '/api/v1/users', { username: uname, name: '部门公开员', role: 'discloser', org_id: other.id, password: 'Staff#2026x' })
  assert.equal(mk.status, 201, mk.text)
  const unit = await signIn(uname, 'Staff#2026x')

  // the district's report: read, not edited, by a unit's discloser; the office (D35) edits it
  const seen = await get(unit, '/api/v1/disclosure-reports/2026')
  assert.equal(seen.status, 200, seen.text)
  assert.equal(seen.json.may_edit, false)
  const before = seen.json.texts.other
  const refused = await put(unit, '/api/v1/disclosure-reports/2026', { other: '部门改写全区报告' })
  assertError(refused, 403, 'forbidden')
  assert.match(refused.json.error.message, /政务公开办/)
  assert.equal((await get(null, '/api/v1/disclosure-reports/2026')).json.texts.other, before, 'nothing written')
  assert.equal((await get(discloser, '/api/v1/disclosure-reports/2026')).json.may_edit, true)
  const office = await put(discloser, '/api/v1/disclosure-reports/2026', { other: '全区：其他需要报告的事项' })
  assert.equal(office.status, 200, office.text)
  assert.equal(office.json.texts.other, '全区：其他需要报告的事项')

  // its own unit's report it edits; another unit's it does not
  const own = await put(unit, `/api/v1/disclosure-reports/2026?org_id=${other.id}`, { problems: '本部门：栏目更新不及时' })
  assert.equal(own.status, 200, own.text)
  assert.equal(own.json.may_edit, true)
  assertError(await put(unit, `/api/v1/disclosure-reports/2026?org_id=${ORG}`, { problems: 'x' }), 403, 'forbidden')

  // inspections: the unit's discloser reads them, the office records them
  const list = await get(unit, '/api/v1/disclosure-inspections?year=2026&quarter=3')
  assert.equal(list.status, 200, list.text)
  assert.equal(list.json.may_inspect, false)
  const body = { org_id: ORG, year: 2026, quarter: 3, rating: 'good', findings: '按时更新' }
  assertError(await post(unit, '/api/v1/disclosure-inspections', body), 403, 'forbidden')
  assert.equal((await get(discloser, '/api/v1/disclosure-inspections?year=2026&quarter=3')).json.may_inspect, true)
  const byOffice = await post(discloser, '/api/v1/disclosure-inspections', { ...body, org_id: other.id })
  assert.equal(byOffice.status, 201, byOffice.text)
})
