// Issued documents are frozen (issue 23 point 1, src/docs/docs.c "frozen documents"): a
// notice or certificate is rendered once, the first time it is asked for, its PDF kept in
// the content-addressed store and its SHA-256 in the audit row; every download after that
// sends the same bytes (ETag = the hash, 304 on If-None-Match, Content-Length) whatever
// changed since — the department's name, the host the verification URL is built from — and
// a correction is a new document with its own number that names the one it replaces,
// /verify showing both.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import { BASE_URL, request, signIn } from './lib.mjs'
import { checkPdf } from './pdf-check.mjs'

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex')

/** The PDF's text, whitespace removed. */
function textOf (buf) {
  const dir = mkdtempSync(join(tmpdir(), 'ow-fz-'))
  try {
    writeFileSync(join(dir, 'n.pdf'), buf)
    return execFileSync('pdftotext', [join(dir, 'n.pdf'), '-']).toString().replace(/\s+/g, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function get (jar, path, headers = {}) {
  const res = await fetch(`${BASE_URL}${path}`, { headers: { cookie: jar.cookie, ...headers } })
  return { res, buf: Buffer.from(await res.arrayBuffer()) }
}

const MARRIAGE_MATERIALS = ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明',
  '近期半身免冠合影照片']

async function itemByName (name) {
  const r = await request('/api/v1/items?per_page=50&q=' + encodeURIComponent(name))
  return r.json.items.find((i) => i.name === name)
}

describe('frozen documents', () => {
  let citizen, clerk, approver, admin, caseId, dept, decider
  const first = {}

  test('a marriage registration is accepted and decided; its notices are issued once', async () => {
    ;[citizen, clerk, approver, admin] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-admin'].map((u) => signIn(u)))
    const item = await itemByName('内地居民结婚登记')
    const c = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id, materials: MARRIAGE_MATERIALS } })
    assert.equal(c.status, 201, c.text)
    caseId = c.json.id
    const g = await request(`/api/v1/cases/${caseId}`, { jar: citizen })
    dept = g.json.department
    let r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(r.status, 200, r.text)
    r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: approver, body: { action: 'approve' } })
    decider = approver
    if (r.status !== 200) {
      decider = admin
      r = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: admin, body: { action: 'approve' } })
    }
    assert.equal(r.status, 200, r.text)
    for (const kind of ['acceptance', 'decision']) {
      const { res, buf } = await get(decider, `/api/v1/cases/${caseId}/notices/${kind}`)
      assert.equal(res.status, 200, kind)
      assert.equal(res.headers.get('content-type'), 'application/pdf')
      assert.equal(Number(res.headers.get('content-length')), buf.length)
      assert.equal(res.headers.get('etag'), `"${sha256(buf)}"`)
      first[kind] = buf
    }
    const text = textOf(first.decision)
    assert.ok(text.includes(dept.name), 'the decision bears the department as issued')
  })

  test('the audit row of the issue carries the PDF hash', async () => {
    const au = await request(`/api/v1/audit?object_type=case&object_id=${caseId}&per_page=100`, { jar: admin })
    assert.equal(au.status, 200, au.text)
    const rows = au.json.items.filter((r) => r.action === 'case.notice_issue')
    const hashes = rows.map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail).pdf_sha256)
    assert.ok(hashes.includes(sha256(first.acceptance)), au.text)
    assert.ok(hashes.includes(sha256(first.decision)), au.text)
    assert.equal(rows.length, 2, 'one issue per document, not per download')
  })

  test('the same bytes after the department is renamed and from another host', async () => {
    const old = dept.name
    const renamed = `${old}（更名测试）`
    let r = await request(`/api/v1/orgs/${dept.id}`, { method: 'PUT', jar: admin, body: { name: renamed } })
    assert.equal(r.status, 200, r.text)
    try {
      const g = await request(`/api/v1/cases/${caseId}`, { jar: citizen })
      assert.equal(g.json.department.name, renamed, 'the rename shows on the case')
      for (const kind of ['acceptance', 'decision']) {
        const { res, buf } = await get(decider, `/api/v1/cases/${caseId}/notices/${kind}`, { host: 'elsewhere.example:8080' })
        assert.equal(res.status, 200)
        assert.ok(buf.equals(first[kind]), `${kind}: the issued bytes`)
      }
    } finally {
      r = await request(`/api/v1/orgs/${dept.id}`, { method: 'PUT', jar: admin, body: { name: old } })
      assert.equal(r.status, 200, r.text)
    }
  })

  test('If-None-Match with the hash is a 304 without a body', async () => {
    const etag = `"${sha256(first.acceptance)}"`
    const { res, buf } = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance`, { 'if-none-match': etag })
    assert.equal(res.status, 304)
    assert.equal(buf.length, 0)
    assert.equal(res.headers.get('etag'), etag)
    const other = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance`, { 'if-none-match': '"0000"' })
    assert.equal(other.res.status, 200)
    assert.ok(other.buf.equals(first.acceptance))
    const dl = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance?download=1`)
    assert.match(dl.res.headers.get('content-disposition'), /^attachment/)
  })

  test('a correction is a new document naming the replaced one; /verify shows both', async () => {
    const oldCode = /核验码([2-9A-Z]{20})/.exec(textOf(first.acceptance))[1]
    const before = await request(`/api/v1/verify/${oldCode}`)
    assert.equal(before.json.status, 'valid')
    assert.equal(before.json.pdf_sha256, sha256(first.acceptance))
    const bad = await request(`/api/v1/cases/${caseId}/notices/acceptance/corrections`, { method: 'POST', jar: clerk, body: {} })
    assert.equal(bad.status, 400)
    assert.equal(bad.json.error.field, 'reason')
    const no = await request(`/api/v1/cases/${caseId}/notices/acceptance/corrections`, { method: 'POST', jar: citizen, body: { reason: '自行更正' } })
    assert.equal(no.status, 403)
    const notYet = await request(`/api/v1/cases/${caseId}/notices/delivery/corrections`, { method: 'POST', jar: clerk, body: { reason: 'x' } })
    assert.equal(notYet.status, 409)
    const c = await request(`/api/v1/cases/${caseId}/notices/acceptance/corrections`, { method: 'POST', jar: clerk, body: { reason: '承办部门名称有误' } })
    assert.equal(c.status, 201, c.text)
    assert.equal(c.json.replaces, oldCode)
    assert.notEqual(c.json.code, oldCode)
    assert.notEqual(c.json.number, before.json.number)
    const { res, buf } = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance`)
    assert.equal(res.status, 200)
    assert.ok(!buf.equals(first.acceptance), 'the correction is a new document')
    const text = checkPdf(buf, `${BASE_URL}/verify/${c.json.code}`)
    for (const w of [c.json.number, before.json.number, oldCode, '承办部门名称有误', '更正并替代']) assert.ok(text.includes(w), w)
    // and it is frozen in its turn
    const again = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance`)
    assert.ok(again.buf.equals(buf))
    const vOld = await request(`/api/v1/verify/${oldCode}`)
    assert.equal(vOld.json.status, 'replaced')
    assert.equal(vOld.json.valid, false)
    assert.equal(vOld.json.replaced_by.code, c.json.code)
    assert.equal(vOld.json.replaced_by.number, c.json.number)
    const vNew = await request(`/api/v1/verify/${c.json.code}`)
    assert.equal(vNew.json.status, 'valid')
    assert.equal(vNew.json.replaces.code, oldCode)
    assert.equal(vNew.json.correction_reason, '承办部门名称有误')
    assert.equal(vNew.json.pdf_sha256, sha256(buf))
    // the replaced one cannot be corrected again: the newest is
    const au = await request(`/api/v1/audit?object_type=case&object_id=${caseId}&action=case.notice_correct`, { jar: admin })
    assert.equal(au.json.items.length, 1, au.text)
  })

  test('onewindow docs freeze renders and stores what was registered but not frozen', async () => {
    // a correction is registered at once and frozen at its first download; the CLI step
    // that upgrades an installation freezes such documents without one
    const c = await request(`/api/v1/cases/${caseId}/notices/acceptance/corrections`, { method: 'POST', jar: clerk, body: { reason: '再次更正：办结时限有误' } })
    assert.equal(c.status, 201, c.text)
    assert.equal((await request(`/api/v1/verify/${c.json.code}`)).json.pdf_sha256, undefined, 'not frozen yet')
    const out = execFileSync(process.env.OW_SERVER_BIN, ['--data-dir', process.env.OW_DATA_DIR_UNDER_TEST, 'docs', 'freeze']).toString()
    // at least this one (other test files on the same server may leave more)
    const n = Number(/docs freeze: (\d+) notices and \d+ certificates frozen, 0 could not be/.exec(out)?.[1])
    assert.ok(n >= 1, out)
    const v = await request(`/api/v1/verify/${c.json.code}`)
    assert.match(v.json.pdf_sha256 ?? '', /^[0-9a-f]{64}$/)
    const { res, buf } = await get(citizen, `/api/v1/cases/${caseId}/notices/acceptance`)
    assert.equal(res.status, 200)
    assert.equal(sha256(buf), v.json.pdf_sha256, 'the download is what the CLI froze')
    const text = textOf(buf)
    for (const w of [c.json.number, '再次更正：办结时限有误', c.json.code]) assert.ok(text.includes(w), w)
    const au = await request(`/api/v1/audit?object_type=case&object_id=${caseId}&action=case.notice_issue`, { jar: admin })
    assert.ok(au.json.items.some((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail).pdf_sha256 === v.json.pdf_sha256), au.text)
    // a second run leaves it as it is: frozen once
    execFileSync(process.env.OW_SERVER_BIN, ['--data-dir', process.env.OW_DATA_DIR_UNDER_TEST, 'docs', 'freeze'])
    assert.equal((await request(`/api/v1/verify/${c.json.code}`)).json.pdf_sha256, v.json.pdf_sha256)
    assert.equal((await request(`/api/v1/audit?object_type=case&object_id=${caseId}&action=case.notice_issue`, { jar: admin })).json.items.length,
      au.json.items.length, 'no second issue row')
  })

  test('a certificate is frozen too', async () => {
    const w = await request('/api/v1/wallet', { jar: citizen })
    const lic = w.json.licenses.find((l) => l.status === 'valid')
    assert.ok(lic, 'demo-citizen holds a license')
    const a = await get(citizen, `/api/v1/licenses/${lic.id}/certificate`)
    assert.equal(a.res.status, 200)
    assert.equal(a.res.headers.get('etag'), `"${sha256(a.buf)}"`)
    const b = await get(citizen, `/api/v1/licenses/${lic.id}/certificate`, { host: 'elsewhere.example' })
    assert.ok(b.buf.equals(a.buf))
    const au = await request(`/api/v1/audit?object_type=license&object_id=${lic.id}&action=license.certificate_issue`, { jar: admin })
    assert.equal(au.status, 200, au.text)
    assert.equal(au.json.items.length, 1, au.text)
    const d = au.json.items[0].detail
    assert.equal((typeof d === 'string' ? JSON.parse(d) : d).pdf_sha256, sha256(a.buf))
  })
})
