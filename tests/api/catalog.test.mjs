// The catalog over HTTP (issue 5): public search for 1-, 2- and 3+-character queries,
// filters and paging; the published guide; coverage figures; an administrator's edit,
// publish and version history; CSV import errors by row and column; who may do what.
// Runs against the demo database (scripts/with-server.sh … init --demo).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { call, assertError, BASE_URL } from './lib.mjs'
import { readXlsx } from './xlsx-read.mjs'

const q = (s) => encodeURIComponent(s)

async function signIn(username, password = 'Demo@2026') {
  const res = await call('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  assert.equal(res.status, 200, res.text)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
  assert.match(cookie, /^ow_session=/)
  return { cookie, csrf: res.json.csrf_token }
}

function as(s, extra = {}) {
  return { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', ...extra }
}

async function search(params) {
  const res = await call('/api/v1/items?' + new URLSearchParams(params))
  assert.equal(res.status, 200, res.text)
  return res.json
}

test('search by one character finds every name holding it', async () => {
  const r = await search({ q: '婚', per_page: 100 })
  assert.ok(r.total >= 5, `total ${r.total}`)
  assert.ok(r.items.length === r.total)
  assert.ok(r.items.filter((it) => it.name.includes('婚')).length >= 5)
})

test('search by two characters ranks names starting with them first', async () => {
  const r = await search({ q: '婚姻' })
  assert.ok(r.total >= 3)
  assert.ok(r.items[0].name.startsWith('婚姻'), r.items[0].name)
  // 内地居民结婚登记 is found by its keywords (婚姻登记)
  assert.ok(r.items.some((it) => it.name === '内地居民结婚登记'))
})

test('search by three or more characters uses the trigram index, exact name first', async () => {
  const r = await search({ q: '居民身份证申领' })
  assert.equal(r.items[0].name, '居民身份证申领')
  const sub = await search({ q: '身份证' })
  assert.ok(sub.total >= 2)
  assert.ok(sub.items.every((it) => it.name.includes('身份证')), sub.items.map((it) => it.name).join())
  const none = await search({ q: '火星移民登记' })
  assert.equal(none.total, 0)
  assert.deepEqual(none.items, [])
})

test('a list entry says what the list shows', async () => {
  const r = await search({ q: '结婚登记' })
  const it = r.items[0]
  for (const k of ['id', 'code', 'name', 'type', 'type_name', 'department', 'modes', 'levels', 'committed_days', 'visits'])
    assert.ok(k in it, `field ${k}`)
  assert.equal(it.department.code, 'D05')
})

test('filters: department, theme, mode, level, type narrow the result', async () => {
  const all = await search({ per_page: 1 })
  assert.ok(all.total >= 200)
  const vocab = (await call('/api/v1/catalog/vocabularies')).json
  const d05 = vocab.departments.find((d) => d.code === 'D05')
  const byDept = await search({ department: d05.id, per_page: 100 })
  assert.ok(byDept.total > 5 && byDept.total < all.total)
  assert.ok(byDept.items.every((it) => it.department.code === 'D05'))
  const marriage = await search({ theme: '婚姻', per_page: 100 })
  assert.ok(marriage.total >= 3 && marriage.items.every((it) => it.theme === '婚姻'))
  const immediate = await search({ mode: 'immediate', per_page: 100 })
  assert.ok(immediate.total > 0 && immediate.items.every((it) => it.modes.includes('immediate')))
  const agent = await search({ level: 'agent_point', per_page: 100 })
  assert.ok(agent.total > 0 && agent.items.every((it) => it.levels.includes('agent_point')))
  const lic = await search({ q: '许可', type: 'licensing', per_page: 100 })
  assert.ok(lic.total > 0 && lic.items.every((it) => it.type === 'licensing'))
  const both = await search({ q: '登记', theme: '不动产', per_page: 100 })
  assert.ok(both.items.every((it) => it.theme === '不动产'))
})

test('paging walks the result once, in order, within the per_page limit', async () => {
  const first = await search({ q: '证', per_page: 5, page: 1 })
  assert.equal(first.page, 1)
  assert.equal(first.per_page, 5)
  const seen = new Set()
  const pages = Math.ceil(first.total / 5)
  for (let p = 1; p <= pages; p++) {
    const r = await search({ q: '证', per_page: 5, page: p })
    assert.ok(r.items.length <= 5)
    for (const it of r.items) {
      assert.ok(!seen.has(it.id), `item ${it.id} repeated`)
      seen.add(it.id)
    }
  }
  assert.equal(seen.size, first.total)
  const beyond = await search({ q: '证', per_page: 5, page: pages + 1 })
  assert.deepEqual(beyond.items, [])
  assertError(await call('/api/v1/items?per_page=101'), 400, 'invalid_field')
  assertError(await call('/api/v1/items?page=0'), 400, 'invalid_field')
})

test('bad filters answer 400 naming the field', async () => {
  for (const [k, v] of [['theme', '火星'], ['mode', 'teleport'], ['level', 'moon'], ['type', 'x'], ['department', 'abc']]) {
    const res = await call(`/api/v1/items?${k}=${q(v)}`)
    assertError(res, 400, 'invalid_field')
    assert.equal(res.json.error.field, k)
    assert.match(res.json.error.message, /[\u4e00-\u9fff]/)
  }
  const long = await call(`/api/v1/items?q=${q('办'.repeat(51))}`)
  assertError(long, 400, 'invalid_field')
  assert.equal(long.json.error.field, 'q')
})

test('the published guide has materials, limits, steps; unknown items are 404', async () => {
  const r = await search({ q: '内地居民结婚登记' })
  const g = (await call(`/api/v1/items/${r.items[0].id}`)).json
  assert.equal(g.name, '内地居民结婚登记')
  assert.equal(g.status, 'published')
  assert.ok(g.version >= 1)
  assert.ok(g.materials.length >= 4)
  assert.ok(g.materials.some((m) => m.required === 'conditional' && m.condition))
  assert.ok(g.materials.some((m) => m.license_type === '居民身份证'))
  assert.equal(typeof g.statutory_days, 'number')
  assert.equal(g.committed_days, 0)
  assert.ok(g.steps.length >= 3 && g.steps[0].role && g.steps[0].org)
  assert.ok(g.basis.includes('婚姻登记条例'))
  assertError(await call('/api/v1/items/99999999'), 404, 'not_found')
  assertError(await call('/api/v1/items/abc'), 404, 'not_found')
})

test('coverage: rates overall and per department resemble the 2018 report', async () => {
  const res = await call('/api/v1/catalog/coverage')
  assert.equal(res.status, 200)
  const c = res.json
  assert.ok(c.items >= 200)
  assert.ok(c.rates.hosted > 89 && c.rates.hosted < 93, `hosted ${c.rates.hosted}`)
  assert.ok(c.rates.online > 95.5 && c.rates.online < 98, `online ${c.rates.online}`)
  for (const k of ['immediate', 'one_visit', 'zero_visit']) assert.equal(typeof c.rates[k], 'number')
  assert.ok(c.departments.length >= 20)
  assert.equal(c.departments.reduce((s, d) => s + d.items, 0), c.items)
})

test('anonymous and non-admin staff cannot change the catalog', async () => {
  assertError(await call('/api/v1/items', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }), 401, 'unauthenticated')
  const clerk = await signIn('demo-clerk')
  const res = await call('/api/v1/items', { method: 'POST', headers: as(clerk), body: JSON.stringify({ name: 'x' }) })
  assertError(res, 403, 'forbidden')
  const list = await call('/api/v1/items?status=all', { headers: as(clerk) })
  assertError(list, 403, 'forbidden')
})

test('an administrator creates, publishes, edits and republishes; version 1 stays readable', async () => {
  const admin = await signIn('demo-admin')
  const vocab = (await call('/api/v1/catalog/vocabularies')).json
  const dept = vocab.departments.find((d) => d.code === 'D05')
  const item = {
    code: '2000599000', name: '接口测试事项', type: 'public_service', department_id: dept.id,
    basis: '《测试条例》', statutory_days: 10, committed_days: 5, modes: ['online', 'one_visit'],
    online_depth: 'apply', visits: 1, materials: [{ name: '居民身份证' }],
    steps: [{ name: '受理', role: 'clerk', org_code: 'W01' }, { name: '决定', role: 'approver', days: 5 }],
  }
  // a field error names the field
  const bad = await call('/api/v1/items', { method: 'POST', headers: as(admin), body: JSON.stringify({ ...item, committed_days: 11 }) })
  assertError(bad, 400, 'invalid_field')
  assert.equal(bad.json.error.field, 'committed_days')
  const created = await call('/api/v1/items', { method: 'POST', headers: as(admin), body: JSON.stringify(item) })
  assert.equal(created.status, 201, created.text)
  const id = created.json.id
  assert.equal(created.json.status, 'draft')
  // drafts are not public
  assertError(await call(`/api/v1/items/${id}`), 404, 'not_found')
  assert.equal((await search({ q: '接口测试事项' })).total, 0)
  const pub = await call(`/api/v1/items/${id}/publish`, { method: 'POST', headers: as(admin) })
  assert.equal(pub.status, 200, pub.text)
  assert.equal(pub.json.version, 1)
  assert.equal((await search({ q: '接口测试事项' })).total, 1)
  assertError(await call(`/api/v1/items/${id}/publish`, { method: 'POST', headers: as(admin) }), 409, 'invalid_transition')
  const edited = await call(`/api/v1/items/${id}`, { method: 'PUT', headers: as(admin), body: JSON.stringify({ ...item, name: '接口测试事项（修订）' }) })
  assert.equal(edited.status, 200, edited.text)
  assert.equal(edited.json.pending, true)
  assert.equal((await call(`/api/v1/items/${id}`)).json.name, '接口测试事项')
  await call(`/api/v1/items/${id}/publish`, { method: 'POST', headers: as(admin) })
  assert.equal((await call(`/api/v1/items/${id}`)).json.name, '接口测试事项（修订）')
  assert.equal((await call(`/api/v1/items/${id}/versions/1`)).json.name, '接口测试事项')
  const versions = await call(`/api/v1/items/${id}/versions`, { headers: as(admin) })
  assert.deepEqual(versions.json.items.map((v) => v.version), [2, 1])
  // suspend needs a reason, then hides the item
  const noReason = await call(`/api/v1/items/${id}/suspend`, { method: 'POST', headers: as(admin), body: '{}' })
  assertError(noReason, 400, 'invalid_field')
  assert.equal(noReason.json.error.field, 'reason')
  const susp = await call(`/api/v1/items/${id}/suspend`, { method: 'POST', headers: as(admin), body: JSON.stringify({ reason: '测试暂停' }) })
  assert.equal(susp.json.status, 'suspended')
  assert.equal((await search({ q: '接口测试' })).total, 0)
  // the admin list sees every state
  const list = await call('/api/v1/items?status=suspended&q=' + q('接口测试'), { headers: as(admin) })
  assert.equal(list.json.total, 1)
  // and the audit trail recorded it all
  const audit = await call('/api/v1/audit?object_type=item&object_id=' + id, { headers: as(await signIn('demo-supervisor')) })
  if (audit.status === 200) {
    const actions = audit.json.items.map((a) => a.action)
    for (const a of ['catalog.item.create', 'catalog.item.publish', 'catalog.item.update', 'catalog.item.suspend'])
      assert.ok(actions.includes(a), `audit ${a} in ${actions}`)
  }
})

const HEADER = '事项编码,事项名称,事项类型,实施部门编码,设定依据,法定时限（工作日）,承诺时限（工作日）,办理方式,网办深度,到现场次数,申请材料,办理流程\n'

test('import reports every error by row and column and imports nothing', async () => {
  const admin = await signIn('demo-admin')
  const csv = HEADER +
    '2000598000,导入好事项,公共服务,D05,《条例》,20,5,网上办,网上申请,1,居民身份证|原件|1|纸质|必需,受理|窗口受理人员|W01|0\n' +
    '2000597000,,公共服务,D99,《条例》,20,25,网上办,网上申请,1,,\n' +
    '123,坏编码,行政许可,D05,《条例》,abc,5,火箭办,网上申请,1,"离婚证|原件|1|纸质|依情形",受理|收银员||0\n'
  const res = await call('/api/v1/items/import', { method: 'POST', headers: as(admin), body: JSON.stringify({ csv, publish: true }) })
  assertError(res, 422, 'invalid_rows')
  const d = res.json.error.details
  const has = (row, column) => d.some((x) => x.row === row && x.column === column)
  assert.ok(!d.some((x) => x.row === 2), 'the good row has no errors')
  for (const c of ['事项名称', '实施部门编码', '承诺时限（工作日）', '办理流程']) assert.ok(has(3, c), `row 3 ${c}`)
  for (const c of ['事项编码', '法定时限（工作日）', '办理方式', '申请材料']) assert.ok(has(4, c), `row 4 ${c}`)
  assert.ok(d.every((x) => /[\u4e00-\u9fff]/.test(x.message)))
  assert.equal((await search({ q: '导入好事项' })).total, 0, 'nothing imported')
  // an unknown header
  const hdr = await call('/api/v1/items/import', { method: 'POST', headers: as(admin), body: JSON.stringify({ csv: '事项编码,名字\n1,2\n' }) })
  assertError(hdr, 422, 'invalid_rows')
  assert.ok(hdr.json.error.details.some((x) => x.row === 1 && x.column === '名字'))
  // the good row alone imports and publishes
  const ok = await call('/api/v1/items/import', {
    method: 'POST', headers: as(admin),
    body: JSON.stringify({ csv: HEADER + '2000598000,导入好事项,公共服务,D05,《条例》,20,5,网上办,网上申请,1,居民身份证|原件|1|纸质|必需,受理|窗口受理人员|W01|0\n', publish: true }),
  })
  assert.equal(ok.status, 200, ok.text)
  assert.deepEqual(ok.json, { created: 1, updated: 0, published: true })
  assert.equal((await search({ q: '导入好事项' })).total, 1)
})

test('export gives the CSV the importer reads', async () => {
  const admin = await signIn('demo-admin')
  const res = await call('/api/v1/items/export?status=published', { headers: as(admin) })
  assert.equal(res.status, 200)
  assert.match(res.json.content_type, /^text\/csv/)
  const lines = res.json.csv.replace(/^\uFEFF/, '').split('\r\n')
  assert.ok(lines[0].startsWith('事项编码,事项名称,事项类型'))
  assert.ok(res.json.csv.includes('内地居民结婚登记'))
  assertError(await call('/api/v1/items/export'), 401, 'unauthenticated')
})

// RFC 4180 as the export writes it: quoted cells may hold commas, quotes and line breaks.
function parseCsv(text) {
  const rows = []
  let row = [], cell = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ }
      else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(cell); cell = '' }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++ }
    else cell += ch
  }
  if (cell || row.length) { row.push(cell); rows.push(row) }
  return rows
}

test('the XLSX export holds the same rows and columns as the CSV', async () => {
  const admin = await signIn('demo-admin')
  const csv = await call('/api/v1/items/export?status=published', { headers: as(admin) })
  assert.equal(csv.status, 200)
  const want = parseCsv(csv.json.csv.replace(/^\uFEFF/, ''))
  const res = await fetch(BASE_URL + '/api/v1/items/export.xlsx?status=published', { headers: as(admin) })
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /spreadsheetml/)
  assert.match(res.headers.get('content-disposition'), /attachment; filename="catalog\.xlsx"/)
  const got = readXlsx(await res.arrayBuffer())
  assert.equal(got.length, want.length, 'rows, header included')
  assert.ok(want.length > 200, `${want.length} rows`)
  assert.deepEqual(got[0], want[0], 'the header row')
  for (let r = 1; r < want.length; r++) {
    // the sheet stores empty cells as nothing; pad to the header's width
    const row = Array.from({ length: want[0].length }, (_, c) => got[r][c] ?? '')
    assert.deepEqual(row, want[r], `row ${r + 1} (${want[r][1]})`)
  }
  // a multi-line cell survives: the marriage item's materials, one per line
  const marriage = got.find((r) => r[1] === '内地居民结婚登记')
  assert.ok(marriage, 'the marriage item is in the sheet')
  assert.ok(marriage[want[0].indexOf('申请材料')].split('\n').length >= 2)
  // a filter applies to both alike; bad filters and other roles are refused
  const drafts = await fetch(BASE_URL + '/api/v1/items/export.xlsx?status=draft', { headers: as(admin) })
  assert.equal(drafts.status, 200)
  const draftCsv = await call('/api/v1/items/export?status=draft', { headers: as(admin) })
  assert.equal(readXlsx(await drafts.arrayBuffer()).length, parseCsv(draftCsv.json.csv.replace(/^\uFEFF/, '')).length)
  assertError(await call('/api/v1/items/export.xlsx?status=gone', { headers: as(admin) }), 400, 'invalid_field')
  assertError(await call('/api/v1/items/export.xlsx'), 401, 'unauthenticated')
  const clerk = await signIn('demo-clerk')
  assertError(await call('/api/v1/items/export.xlsx', { headers: as(clerk) }), 403, 'forbidden')
})

test('an exported workbook imports back; bad workbooks name the xlsx field', async () => {
  const admin = await signIn('demo-admin')
  const res = await fetch(BASE_URL + '/api/v1/items/export.xlsx?status=published', { headers: as(admin) })
  assert.equal(res.status, 200)
  const rows = readXlsx(await res.clone().arrayBuffer())
  const xlsx = Buffer.from(await res.arrayBuffer()).toString('base64')
  const ok = await call('/api/v1/items/import', { method: 'POST', headers: as(admin), body: JSON.stringify({ xlsx }) })
  assert.equal(ok.status, 200, ok.text)
  assert.deepEqual(ok.json, { created: 0, updated: rows.length - 1, published: false })
  const notBase64 = await call('/api/v1/items/import', { method: 'POST', headers: as(admin), body: JSON.stringify({ xlsx: '***' }) })
  assertError(notBase64, 400, 'invalid_field')
  assert.equal(notBase64.json.error.field, 'xlsx')
  const notZip = await call('/api/v1/items/import', { method: 'POST', headers: as(admin), body: JSON.stringify({ xlsx: Buffer.from('事项编码,事项名称\n').toString('base64') }) })
  assertError(notZip, 400, 'invalid_field')
  assert.match(notZip.json.error.message, /xlsx/)
})
