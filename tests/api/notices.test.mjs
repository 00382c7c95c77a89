// A case's notices as PDF (src/notices/case_notices.c, issue 7): 一次性告知书 lists every
// material to supplement, 受理通知书, the decision (the item type's: tests/api/documents.test.mjs
// has each type), 送达回证, 不予受理通知书 with reason and remedies; each renders Chinese with an embedded CJK font and a QR code that
// decodes to its /verify URL; a notice for a step not taken is a 409.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { BASE_URL, request, signIn } from './lib.mjs'
import { checkPdf } from './pdf-check.mjs'

async function itemByName (name) {
  const r = await request('/api/v1/items?per_page=50&q=' + encodeURIComponent(name))
  return r.json.items.find((i) => i.name === name)
}

async function pdfOf (jar, caseId, kind) {
  const res = await fetch(`${BASE_URL}/api/v1/cases/${caseId}/notices/${kind}`, { headers: { cookie: jar.cookie } })
  assert.equal(res.status, 200, `${kind}: ${res.status}`)
  assert.equal(res.headers.get('content-type'), 'application/pdf')
  return Buffer.from(await res.arrayBuffer())
}

/** The verification code the notice registered (its QR code holds the URL). */
async function codeOf (jar, caseId, kind) {
  const buf = await pdfOf(jar, caseId, kind)
  const { execFileSync } = await import('node:child_process')
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'ow-n-'))
  writeFileSync(join(dir, 'n.pdf'), buf)
  const text = execFileSync('pdftotext', [join(dir, 'n.pdf'), '-']).toString()
  rmSync(dir, { recursive: true, force: true })
  return { buf, code: /核验码\s*([2-9A-Z]{20})/.exec(text)[1] }
}

describe('notices: a registration (行政确认) case from 补正 to 送达', () => {
  let citizen, clerk, approver, admin, caseId
  test('a case goes through 补正, 受理, 准予, 出件', async () => {
    ;[citizen, clerk, approver, admin] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-admin'].map((u) => signIn(u)))
    const item = await itemByName('内地居民结婚登记')
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id, materials: ['居民户口簿'] } })
    assert.equal(c.status, 201, c.text)
    caseId = c.json.id
    const none = await request(`/api/v1/cases/${caseId}/notices/acceptance`, { jar: citizen })
    assert.equal(none.status, 409)
    assert.equal(none.json.error.field, 'kind')
    const bad = await request(`/api/v1/cases/${caseId}/notices/nonsense`, { jar: citizen })
    assert.equal(bad.status, 404)
    const s = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'supplement', materials: [{ name: '居民身份证', problem: '未提交身份证原件' }, { name: '近期半身免冠合影照片', problem: '照片不是近期合影' }] } })
    assert.equal(s.status, 200, s.text)
  })

  test('the 一次性告知书 names every material to supplement and verifies', async () => {
    const { buf, code } = await codeOf(citizen, caseId, 'supplement')
    const text = checkPdf(buf, `${BASE_URL}/verify/${code}`)
    for (const w of ['补正材料一次性告知书', '居民身份证', '未提交身份证原件', '近期半身免冠合影照片', '益阳市赫山区政务服务中心']) assert.ok(text.includes(w), w)
    const v = await request(`/api/v1/verify/${code}`)
    assert.equal(v.status, 200)
    assert.equal(v.json.kind, 'case.supplement')
    assert.equal(v.json.status, 'valid')
    // asked again: the same document, the same code
    const again = await codeOf(citizen, caseId, 'supplement')
    assert.equal(again.code, code)
  })

  test('受理通知书, decision and delivery receipt', async () => {
    const g = await request(`/api/v1/cases/${caseId}`, { jar: citizen })
    const names = g.json.materials.filter((m) => m.required).map((m) => m.name)
    let r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: citizen, body: { action: 'resubmit', materials: names } })
    assert.equal(r.status, 200, r.text)
    r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(r.status, 200, r.text)
    const acc = await codeOf(citizen, caseId, 'acceptance')
    const t1 = checkPdf(acc.buf, `${BASE_URL}/verify/${acc.code}`)
    assert.ok(t1.includes('受理通知书') && t1.includes('予以受理'))
    r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: approver, body: { action: 'approve' } })
    const decider = r.status === 200 ? approver : admin
    if (r.status !== 200) {
      r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: admin, body: { action: 'approve' } })
    }
    assert.equal(r.status, 200, r.text)
    const dec = await codeOf(decider, caseId, 'decision')
    const t2 = checkPdf(dec.buf, `${BASE_URL}/verify/${dec.code}`)
    // 结婚登记 is a 行政确认: its decision confirms, under the item's own basis, and is no licence
    assert.ok(t2.includes('行政确认决定书') && t2.includes('决定予以确认（登记）'), t2)
    assert.ok(!t2.includes('行政许可'))
    r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'deliver', delivery: 'window' } })
    assert.equal(r.status, 200, r.text)
    const del = await codeOf(clerk, caseId, 'delivery')
    const t3 = checkPdf(del.buf, `${BASE_URL}/verify/${del.code}`)
    assert.ok(t3.includes('送达回证') && t3.includes('窗口领取'))
    const other = await request(`/api/v1/cases/${caseId}/notices/delivery`, { jar: await signIn('demo-enterprise') })
    assert.equal(other.status, 404)
  })

  test('不予受理通知书 gives the reason and the remedies', async () => {
    const item = await itemByName('内地居民结婚登记')
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id, materials: [] } })
    const r = await request(`/api/v1/cases/${c.json.id}/transitions`, { method: 'POST', jar: clerk, body: { action: 'refuse', reason: '申请事项不属于本机关职权范围' } })
    assert.equal(r.status, 200, r.text)
    const n = await codeOf(citizen, c.json.id, 'refusal')
    const t = checkPdf(n.buf, `${BASE_URL}/verify/${n.code}`)
    for (const w of ['不予受理通知书', '申请事项不属于本机关职权范围', '行政复议', '行政诉讼']) assert.ok(t.includes(w), w)
  })
})
