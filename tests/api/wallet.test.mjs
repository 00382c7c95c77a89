// The e-license library and the wallet (src/wallet, issue 7): demo-citizen's marriage
// registration issued a 结婚证; the wallet offers it for 生育登记, whose guide names
// that license type; the case records the reference instead of an upload (免提交);
// the certificate PDF verifies; revocation shows on /verify and stops reuse; accepted
// uploads become reusable materials.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'

import { BASE_URL, request, signIn } from './lib.mjs'
import { checkPdf } from './pdf-check.mjs'
import { PDF, upload } from './materials-lib.mjs'

async function itemByName (name) {
  const r = await request('/api/v1/items?per_page=50&q=' + encodeURIComponent(name))
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, `item ${name}`)
  return it
}

describe('wallet: licenses stand in for materials', () => {
  let citizen, clerk, admin, enterprise, license, item, caseId
  test('demo-citizen holds the 结婚证 of their concluded marriage registration', async () => {
    ;[citizen, clerk, admin, enterprise] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-admin', 'demo-enterprise'].map((u) => signIn(u)))
    const w = await request('/api/v1/wallet', { jar: citizen })
    assert.equal(w.status, 200, w.text)
    license = w.json.licenses.find((l) => l.type === '结婚证')
    assert.ok(license, w.text)
    assert.equal(license.status, 'valid')
    assert.match(license.holder_masked, /^430903\*{8}\d{3}[\dX]$/)
    assert.match(license.number, /^4309032\d{3}\d{6}$/)
    const staff = await request('/api/v1/wallet', { jar: clerk })
    assert.equal(staff.status, 403)
  })

  test('the wallet offers it for an item whose guide names 结婚证', async () => {
    item = await itemByName('生育登记')
    const r = await request(`/api/v1/wallet/offers?item_id=${item.id}`, { jar: citizen })
    assert.equal(r.status, 200, r.text)
    const o = r.json.items.find((x) => x.material === '结婚证')
    assert.ok(o, r.text)
    assert.equal(o.licenses[0].id, license.id)
    const bad = await request('/api/v1/wallet/offers', { jar: citizen })
    assert.equal(bad.status, 400)
    assert.equal(bad.json.error.field, 'item_id')
  })

  test('the case records the license instead of an upload', async () => {
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id, materials: ['结婚证'] } })
    assert.equal(c.status, 201, c.text)
    caseId = c.json.id
    const wrong = await request(`/api/v1/cases/${caseId}/materials`, { method: 'POST', jar: citizen, body: { material: '夫妻双方居民身份证', license_id: license.id } })
    assert.equal(wrong.status, 400, wrong.text)
    assert.equal(wrong.json.error.field, 'license_id')
    const notMine = await request(`/api/v1/cases/${caseId}/materials`, { method: 'POST', jar: enterprise, body: { material: '结婚证', license_id: license.id } })
    assert.equal(notMine.status, 404)
    const r = await request(`/api/v1/cases/${caseId}/materials`, { method: 'POST', jar: citizen, body: { material: '结婚证', license_id: license.id } })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.source, 'license')
    assert.equal(r.json.license_id, license.id)
    const seen = await request(`/api/v1/cases/${caseId}/materials`, { jar: clerk })
    assert.equal(seen.status, 200, seen.text)
    const m = seen.json.items.find((x) => x.material === '结婚证')
    assert.equal(m.source, 'license')
    assert.equal(m.download_url, undefined)
    // the window that takes the case in opens the license it names; a township's clerk,
    // with no case of it, cannot open licenses by their numbers
    const lic = await request(`/api/v1/licenses/${license.id}`, { jar: clerk })
    assert.equal(lic.status, 200)
    const township = await request(`/api/v1/licenses/${license.id}`, { jar: await signIn('demo-township-clerk') })
    assert.equal(township.status, 404, township.text)
    const other = await request(`/api/v1/licenses/${license.id}`, { jar: enterprise })
    assert.equal(other.status, 404)
  })

  test('the certificate PDF renders Chinese and its QR code leads to /verify', async () => {
    const res = await fetch(`${BASE_URL}/api/v1/licenses/${license.id}/certificate`, { headers: { cookie: citizen.cookie } })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'application/pdf')
    assert.match(res.headers.get('content-disposition'), /^inline; filename=".*"; filename\*=UTF-8''/)
    const text = checkPdf(Buffer.from(await res.arrayBuffer()), `${BASE_URL}/verify/${license.verify_code}`)
    assert.ok(text.includes('结婚证'))
    assert.ok(text.includes(license.number))
    const v = await request(`/api/v1/verify/${license.verify_code}`)
    assert.equal(v.status, 200)
    assert.equal(v.json.status, 'valid')
    assert.equal(v.json.kind, 'license')
    assert.ok(!v.text.includes(license.holder_name), 'the public answer shows the masked name only')
  })

  test('revocation needs a reason, is audited, shows on /verify and stops reuse', async () => {
    const noReason = await request(`/api/v1/licenses/${license.id}/revoke`, { method: 'POST', jar: admin, body: {} })
    assert.equal(noReason.status, 400)
    assert.equal(noReason.json.error.field, 'reason')
    const byCitizen = await request(`/api/v1/licenses/${license.id}/revoke`, { method: 'POST', jar: citizen, body: { reason: '自己注销' } })
    assert.equal(byCitizen.status, 403)
    const r = await request(`/api/v1/licenses/${license.id}/revoke`, { method: 'POST', jar: admin, body: { reason: '登记机关发现以欺骗手段取得，依法撤销' } })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.status, 'revoked')
    const v = await request(`/api/v1/verify/${license.verify_code}`)
    assert.equal(v.json.status, 'revoked')
    assert.equal(v.json.valid, false)
    assert.match(v.json.revoke_reason, /撤销/)
    const again = await request(`/api/v1/licenses/${license.id}/revoke`, { method: 'POST', jar: admin, body: { reason: 'x' } })
    assert.equal(again.status, 409)
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id, materials: [] } })
    const use = await request(`/api/v1/cases/${c.json.id}/materials`, { method: 'POST', jar: citizen, body: { material: '结婚证', license_id: license.id } })
    assert.equal(use.status, 409, use.text)
    const offers = await request(`/api/v1/wallet/offers?item_id=${item.id}`, { jar: citizen })
    assert.ok(!offers.json.items.some((x) => x.licenses.some((l) => l.id === license.id)))
    const audit = await request('/api/v1/audit?action=license.revoke', { jar: await signIn('demo-supervisor') })
    assert.equal(audit.status, 200)
    assert.ok(audit.text.includes('license.revoke'), audit.text.slice(0, 300))
  })

  test('an accepted upload becomes a reusable material (免提交)', async () => {
    const marriage = await itemByName('内地居民结婚登记')
    const g = await request(`/api/v1/items/${marriage.id}`)
    const required = g.json.materials.filter((m) => m.required === 'yes').map((m) => m.name)
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: marriage.id, materials: required } })
    assert.equal(c.status, 201, c.text)
    // a file of its own: other suites' accepted cases put the plain PDF in this wallet too
    const own = Buffer.concat([PDF, Buffer.from(`% wallet test ${process.pid} ${Date.now()}\n`)])
    const u = await upload(citizen, c.json.id, '居民户口簿', '户口簿.pdf', own)
    assert.equal(u.status, 201, u.text)
    const before = await request('/api/v1/wallet', { jar: citizen })
    assert.ok(!before.json.materials.some((m) => m.sha256 === u.json.sha256 && m.material === '居民户口簿'))
    const acc = await request(`/api/v1/cases/${c.json.id}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(acc.status, 200, acc.text)
    const after = await request('/api/v1/wallet', { jar: citizen })
    const m = after.json.materials.find((x) => x.sha256 === u.json.sha256 && x.material === '居民户口簿')
    assert.ok(m, after.text)
    const dl = await request(m.download_url, { jar: citizen })
    assert.equal(dl.status, 200)
    // a later application takes it from the wallet
    const c2 = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: marriage.id, materials: [] } })
    const r = await request(`/api/v1/cases/${c2.json.id}/materials`, { method: 'POST', jar: citizen, body: { material: '居民户口簿', wallet_material_id: m.id } })
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.source, 'wallet')
    assert.equal(r.json.sha256, u.json.sha256)
    const mismatch = await request(`/api/v1/cases/${c2.json.id}/materials`, { method: 'POST', jar: citizen, body: { material: '居民身份证', wallet_material_id: m.id } })
    assert.equal(mismatch.status, 400)
  })
})
