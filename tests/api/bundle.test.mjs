// One-thing bundles (一件事一次办, issue 22 points 1 and 5; src/bundle): one application
// files a child case per item and gives one number; departments work in parallel except
// where one child's license is another's material, which then arrives and is accepted by
// itself; a denial is handled as the bundle says (continue or stop); one delivery, one
// rating, lights for the bundle and each child.
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'

import { assertError as assertCode, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'

const post = (jar, path, body) => request(path, { method: 'POST', jar, body })
const put = (jar, path, body) => request(path, { method: 'PUT', jar, body })
const get = (jar, path) => request(path, { jar })

/** The error with its status and code, and the field it names when one is given. */
function assertError (res, status, code, field) {
  assertCode(res, status, code)
  if (field !== undefined) assert.equal(res.json.error.field, field, res.text)
}

let admin, clerk, citizen, mca, supervisor
const approvers = {}

/** An approver of department code, created once by the administrator. */
async function approverOf (code) {
  if (approvers[code]) return approvers[code]
  const depts = await get(admin, '/api/v1/orgs?kind=department&per_page=100')
  const d = depts.json.items.find((o) => o.code === code)
  assert.ok(d, code)
  const seed = uniqueSeed()
  const username = `bundle-${code.toLowerCase()}-${seed}`
  const r = await post(admin, '/api/v1/users', {
    username, name: `审批${code}`, role: 'approver', org_id: d.id, mobile: makeMobile(seed + 61_000_000 + Number(code.slice(1))), password: 'Staff#2026x',
  })
  assert.equal(r.status, 201, r.text)
  approvers[code] = await signIn(username, 'Staff#2026x')
  return approvers[code]
}

async function bundleNamed (name) {
  const r = await request('/api/v1/bundles')
  assert.equal(r.status, 200)
  const b = r.json.items.find((x) => x.name === name)
  assert.ok(b, `${name} in the demo`)
  const g = await request(`/api/v1/bundles/${b.id}`)
  assert.equal(g.status, 200, g.text)
  return g.json
}

/** Every answer the form needs, and every material the applicant hands in (not the fed ones). */
function application (guide, extra = {}) {
  const form = {}
  for (const f of guide.form) if (f.required) form[f.key] = f.key === 'mobile' ? '13807370000' : `填写${f.label}`
  const materials = guide.materials.filter((m) => m.required && !m.fed_by).map((m) => m.name)
  return { form, materials, ...extra }
}

const act = async (jar, caseId, action, more = {}) => {
  const r = await post(jar, `/api/v1/cases/${caseId}/transitions`, { action, ...more })
  assert.equal(r.status, 200, `${action} on case ${caseId}: ${r.text}`)
  return r.json
}

const app = async (id) => {
  const r = await get(clerk, `/api/v1/bundle-applications/${id}`)
  assert.equal(r.status, 200, r.text)
  return r.json
}

before(async () => {
  ;[admin, clerk, citizen, mca, supervisor] = await Promise.all(
    ['demo-admin', 'demo-clerk', 'demo-citizen', 'demo-approver', 'demo-supervisor'].map((u) => signIn(u)))
})

describe('the demo catalog\'s bundles', () => {
  test('five bundles built from the catalog\'s own items, each across departments', async () => {
    const r = await request('/api/v1/bundles')
    assert.equal(r.status, 200)
    const names = r.json.items.map((b) => b.name)
    for (const n of ['出生一件事', '企业开办一件事', '退休一件事', '不动产登记+水电气过户一件事', '身后一件事']) {
      assert.ok(names.includes(n), n)
    }
    for (const b of r.json.items) assert.ok(b.departments.length >= 2, `${b.name}: ${b.departments}`)
  })

  test('the guide asks each field once and lists each material once; a license feeds the next item', async () => {
    const g = await bundleNamed('出生一件事')
    const keys = g.form.map((f) => f.key)
    assert.equal(new Set(keys).size, keys.length, 'each key once')
    const child = g.form.find((f) => f.key === 'child_name')
    assert.deepEqual(child.items, [1, 2, 3], 'asked by all three items, once')
    const names = g.materials.map((m) => m.name)
    assert.equal(new Set(names).size, names.length, 'each material once')
    const book = g.materials.find((m) => m.name === '居民户口簿')
    assert.deepEqual(book.fed_by, { seq: 1, item: '出生登记' })
    assert.equal(book.required, false, 'the applicant does not hand it in')
    assert.equal(g.items[1].waits_for, 1)
    assert.equal(g.items[0].license_type, '居民户口簿')
    assert.deepEqual(g.departments, ['益阳市公安局赫山分局', '赫山区医疗保障局', '赫山区人力资源和社会保障局'])
  })
})

describe('出生一件事: parallel departments, a license feeding the next child, one delivery, one rating', () => {
  let g, id, kids, hrss
  test('one application gives one number and a child case per item', async () => {
    hrss = await approverOf('D08')
    g = await bundleNamed('出生一件事')
    const missing = await post(citizen, `/api/v1/bundles/${g.id}/applications`, application(g, { form: { child_name: '张小满' } }))
    assertError(missing, 400, 'missing_field', 'form.child_gender')
    assert.match(missing.json.error.message, /新生儿性别/)
    const unknown = await post(citizen, `/api/v1/bundles/${g.id}/applications`, application(g, { materials: ['户口本复印件'] }))
    assertError(unknown, 400, 'invalid_field', 'materials[0]')
    // the wallet's 结婚证 stands in for the material of that name, once for the bundle
    const wallet = await get(citizen, '/api/v1/wallet')
    const marriage = wallet.json.licenses.find((l) => l.type === '结婚证' && l.status === 'valid')
    assert.ok(marriage, 'demo-citizen holds a 结婚证')
    assertError(await post(citizen, `/api/v1/bundles/${g.id}/applications`,
      application(g, { wallet: [{ material: '居民户口簿', license_id: marriage.id }] })), 400, 'invalid_field', 'wallet[0].material')
    const r = await post(citizen, `/api/v1/bundles/${g.id}/applications`, application(g, {
      idempotency_key: `birth-${uniqueSeed()}`, wallet: [{ material: '结婚证', license_id: marriage.id }],
    }))
    assert.equal(r.status, 201, r.text)
    id = r.json.id
    assert.match(r.json.app_no, /^YJS-20261124-\d{4}$/)
    assert.equal(r.json.state, 'open')
    assert.equal(r.json.state_name, '办理中')
    assert.equal(r.json.due_date, '2026-12-01', '5 working days from Tuesday 24 November')
    assert.equal(r.json.light, 'green')
    kids = r.json.children
    assert.equal(kids.length, 3)
    assert.deepEqual(kids.map((k) => k.item.name), ['出生登记', '城乡居民基本医疗保险参保登记', '社会保障卡申领'])
    assert.ok(kids.every((k) => k.state === 'submitted'))
    assert.equal(kids[1].waits_for, 1)
    assert.equal(kids[1].license_fed, false)
    const mine = await get(citizen, '/api/v1/bundle-applications')
    assert.ok(mine.json.items.some((a) => a.id === id))
    const c = await get(citizen, `/api/v1/cases/${kids[0].case_id}`)
    assert.match(c.json.title, /^出生一件事：出生登记（新生儿姓名：/)
    assert.equal(c.json.materials.find((m) => m.name === '结婚证').provided, true, 'from the wallet')
  })

  test('the waiting child cannot be accepted before its material comes', async () => {
    const r = await post(clerk, `/api/v1/cases/${kids[1].case_id}/transitions`, { action: 'accept' })
    assert.equal(r.status, 409, r.text)
    assert.match(r.json.error.message, /居民户口簿/)
  })

  test('the window accepts the bundle once: every child that can start starts, in parallel', async () => {
    const r = await post(clerk, `/api/v1/bundle-applications/${id}/accept`)
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.json.children.map((k) => k.state), ['review', 'submitted', 'review'])
    // 人社 decides its child while 公安 has not decided its own
    await act(hrss, kids[2].case_id, 'forward', { comment: '审查通过' })
    await act(hrss, kids[2].case_id, 'approve')
    const a = await app(id)
    assert.deepEqual(a.children.map((k) => k.state), ['review', 'submitted', 'approved'])
    assert.equal(a.state, 'open')
  })

  test('出生登记 approved: its 居民户口簿 is attached to 医保参保 and that child is accepted by itself', async () => {
    await act(clerk, kids[0].case_id, 'approve')
    const a = await app(id)
    assert.equal(a.children[1].license_fed, true)
    assert.equal(a.children[1].state, 'review', 'accepted without anyone at the window')
    const c = await get(citizen, `/api/v1/cases/${kids[1].case_id}`)
    const book = c.json.materials.find((m) => m.name === '居民户口簿')
    assert.equal(book.provided, true)
    const hist = c.json.timeline.map((e) => e.action)
    assert.ok(hist.includes('accept'))
    assert.match(c.json.timeline.find((e) => e.action === 'accept').comment, /出生登记.*自动受理/)
  })

  test('delivery waits for every child, then one delivery concludes the bundle', async () => {
    assertError(await post(clerk, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'window' }), 409, 'not_ready')
    await act(clerk, kids[1].case_id, 'approve')
    let a = await app(id)
    assert.equal(a.state, 'ready')
    assert.equal(a.state_name, '待领取')
    assert.ok(a.actions.includes('deliver'))
    assertError(await post(citizen, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'window' }), 403, 'forbidden')
    assertError(await post(clerk, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'drone' }), 400, 'invalid_field', 'delivery')
    const d = await post(clerk, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'window' })
    assert.equal(d.status, 200, d.text)
    a = d.json
    assert.equal(a.state, 'concluded')
    assert.equal(a.state_name, '已办结')
    assert.ok(a.children.every((k) => k.state === 'concluded'))
    assert.equal(a.delivery, 'window')
    assert.equal(a.light, null)
  })

  test('one rating reaches every department', async () => {
    assertError(await post(clerk, `/api/v1/bundle-applications/${id}/rating`, { level: 5 }), 403, 'forbidden')
    const r = await post(citizen, `/api/v1/bundle-applications/${id}/rating`, { level: 5, comment: '一次办好，不用跑三个窗口' })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.rating, 5)
    for (const k of kids) {
      const cr = await get(citizen, `/api/v1/cases/${k.case_id}/rating`)
      assert.equal(cr.status, 200, cr.text)
      assert.equal(cr.json.rating.level, 5)
    }
    assertError(await post(citizen, `/api/v1/bundle-applications/${id}/rating`, { level: 4 }), 409, 'already_rated')
  })
})

describe('a denial under continue: 身后一件事 goes on without 殡葬补助', () => {
  let id, kids
  test('民政 denies its child; 公安 and 人社 carry on; the bundle concludes with what was approved', async () => {
    const hrss = await approverOf('D08')
    const g = await bundleNamed('身后一件事')
    assert.equal(g.on_denial, 'continue')
    const r = await post(citizen, `/api/v1/bundles/${g.id}/applications`, application(g))
    assert.equal(r.status, 201, r.text)
    id = r.json.id
    kids = r.json.children
    await post(clerk, `/api/v1/bundle-applications/${id}/accept`)
    await act(mca, kids[1].case_id, 'deny', { reason: '逝者不属于本区户籍，不符合惠民殡葬补助条件' })
    let a = await app(id)
    assert.equal(a.state, 'open')
    assert.equal(a.children[1].state, 'denied')
    assert.deepEqual([a.children[0].state, a.children[2].state], ['review', 'review'], 'the others go on')
    await act(clerk, kids[0].case_id, 'approve')
    await act(hrss, kids[2].case_id, 'forward')
    await act(hrss, kids[2].case_id, 'approve')
    a = await app(id)
    assert.equal(a.state, 'ready')
    const d = await post(clerk, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'electronic' })
    assert.equal(d.status, 200, d.text)
    assert.equal(d.json.state, 'concluded')
    assert.deepEqual(d.json.children.map((k) => k.state), ['concluded', 'denied', 'concluded'])
  })
})

describe('compose a bundle; a denial under stop ends the rest', () => {
  let bundle, items
  test('the administrator composes; every mistake names its field', async () => {
    const find = async (name) => {
      const r = await request('/api/v1/items?per_page=5&q=' + encodeURIComponent(name))
      return r.json.items.find((i) => i.name === name).id
    }
    items = { cert: await find('补领结婚证、离婚证'), card: await find('社会保障卡申领'), ent: await find('有限责任公司设立登记') }
    const body = {
      name: `补证联办-${uniqueSeed()}`, life_event: '补领婚姻证件并申领社会保障卡', committed_days: 5, on_denial: 'stop',
      items: [
        { item_id: items.cert, fields: [{ key: 'spouse_name', label: '配偶姓名', required: true }] },
        { item_id: items.card, fields: [{ key: 'post_address', label: '邮寄地址' }] },
      ],
    }
    assertError(await post(clerk, '/api/v1/bundles', body), 403, 'forbidden')
    assertError(await post(admin, '/api/v1/bundles', { ...body, on_denial: 'maybe' }), 400, 'invalid_field', 'on_denial')
    assertError(await post(admin, '/api/v1/bundles', { ...body, items: [body.items[0]] }), 400, 'missing_field', 'items')
    assertError(await post(admin, '/api/v1/bundles', { ...body, items: [body.items[0], { item_id: items.ent }] }), 400, 'invalid_field', 'items[1].item_id')
    assertError(await post(admin, '/api/v1/bundles', { ...body, items: [body.items[0], { ...body.items[1], waits_for: 1 }] }), 400, 'missing_field', 'items[1].via_material')
    const badFeed = await post(admin, '/api/v1/bundles', { ...body, items: [body.items[0], { ...body.items[1], waits_for: 1, via_material: '近期免冠彩色照片' }] })
    assertError(badFeed, 400, 'invalid_field', 'items[1].via_material')
    assert.match(badFeed.json.error.message, /不能作为材料/)
    assertError(await post(admin, '/api/v1/bundles', { ...body, items: [{ ...body.items[0], fields: [{ key: 'Bad Key', label: 'x' }] }, body.items[1]] }), 400, 'invalid_field', 'items[0].fields[0].key')
    const r = await post(admin, '/api/v1/bundles', body)
    assert.equal(r.status, 201, r.text)
    bundle = r.json
    assert.equal(bundle.on_denial_name, '一项不予许可，整件终止')
    assertError(await post(admin, '/api/v1/bundles', body), 409, 'duplicate', 'name')
    const edited = await put(admin, `/api/v1/bundles/${bundle.id}`, { ...body, committed_days: 6 })
    assert.equal(edited.status, 200, edited.text)
    assert.equal(edited.json.committed_days, 6)
  })

  test('the window denies one child; the undecided one is terminated with the reason; the bundle is 已终止', async () => {
    const r = await post(citizen, `/api/v1/bundles/${bundle.id}/applications`, application(bundle, { form: { spouse_name: '李梅' } }))
    assert.equal(r.status, 201, r.text)
    const id = r.json.id
    const kids = r.json.children
    await act(clerk, kids[1].case_id, 'accept')
    await act(clerk, kids[0].case_id, 'deny', { reason: '婚姻登记档案中无该登记记录' })
    const a = await app(id)
    assert.equal(a.state, 'terminated')
    assert.equal(a.state_name, '已终止')
    assert.match(a.stop_reason, /补领结婚证、离婚证.*不予许可.*整件终止/)
    assert.deepEqual(a.children.map((k) => k.state), ['denied', 'withdrawn'])
    const c = await get(citizen, `/api/v1/cases/${kids[1].case_id}`)
    const w = c.json.timeline.find((e) => e.action === 'withdraw')
    assert.match(w.detail.reason, /按一件事规则终止办理/)
    assertError(await post(clerk, `/api/v1/bundle-applications/${id}/deliver`, { delivery: 'window' }), 409, 'nothing_to_deliver')
    const rated = await post(citizen, `/api/v1/bundle-applications/${id}/rating`, { level: 2, comment: '补证被拒' })
    assert.equal(rated.status, 200, rated.text)
  })
})

describe('lights', () => {
  test('supervision sees each open bundle with its light and each child\'s', async () => {
    const g = await bundleNamed('退休一件事')
    const r = await post(citizen, `/api/v1/bundles/${g.id}/applications`, application(g))
    assert.equal(r.status, 201, r.text)
    const l = await get(supervisor, '/api/v1/supervision/bundle-lights')
    assert.equal(l.status, 200, l.text)
    const mine = l.json.items.find((a) => a.id === r.json.id)
    assert.ok(mine)
    assert.equal(mine.light, 'green')
    assert.equal(mine.children.length, 3)
    assert.ok(mine.children.every((k) => k.light === 'green'))
    assert.ok(l.json.totals.green >= 1)
    assertError(await get(citizen, '/api/v1/supervision/bundle-lights'), 403, 'forbidden')
  })
})
