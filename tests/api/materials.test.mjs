// Uploaded materials (src/files, issue 7): the type comes from the content, not the
// name; an over-size upload gets 413 and leaves nothing behind; downloads carry the
// type and a Chinese file name (RFC 5987); only who may see the case may download.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'

import { request, signIn } from './lib.mjs'
import { PDF, upload } from './materials-lib.mjs'

const DATA_DIR = process.env.OW_DATA_DIR_UNDER_TEST

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)])
const ELF = Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(200, 1)])

async function itemByName (name) {
  const r = await request('/api/v1/items?per_page=50&q=' + encodeURIComponent(name))
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, `item ${name}`)
  return it
}

function tempFiles () {
  const dir = join(DATA_DIR, 'files', 'tmp')
  return existsSync(dir) ? readdirSync(dir) : []
}

describe('materials: uploads', () => {
  let citizen, other, caseId
  const MATERIAL = '居民户口簿'
  test('a citizen applies', async () => {
    citizen = await signIn('demo-citizen')
    other = await signIn('demo-enterprise')
    const item = await itemByName('内地居民结婚登记')
    const r = await request('/api/v1/cases', {
      method: 'POST', jar: citizen,
      body: { item_id: item.id, title: '上传测试', materials: [MATERIAL] },
    })
    assert.equal(r.status, 201, r.text)
    caseId = r.json.id
  })

  test('a PDF is stored under its SHA-256 and listed', async () => {
    const r = await upload(citizen, caseId, MATERIAL, '户口簿 扫描件.pdf', PDF)
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.content_type, 'application/pdf')
    assert.equal(r.json.size, PDF.length)
    const sha = createHash('sha256').update(PDF).digest('hex')
    assert.equal(r.json.sha256, sha)
    assert.ok(existsSync(join(DATA_DIR, 'files', sha.slice(0, 2), sha.slice(2, 4), sha)))
    const list = await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })
    assert.equal(list.status, 200)
    assert.ok(list.json.items.some((m) => m.id === r.json.id && m.source === 'upload'))
  })

  test('the download carries the type and the Chinese name', async () => {
    const list = await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })
    const m = list.json.items.find((x) => x.filename === '户口簿 扫描件.pdf')
    const r = await request(m.download_url + '?download=1', { jar: citizen })
    assert.equal(r.status, 200)
    assert.equal(r.headers.get('content-type'), 'application/pdf')
    const cd = r.headers.get('content-disposition')
    assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/)
    assert.ok(cd.includes(encodeURIComponent('户口簿').toUpperCase()) || cd.includes("%E6%88%B7"), cd)
    assert.equal(r.text, PDF.toString('utf8'))
    // sent from the store by its content address: the hash is a strong ETag, a 304 then
    const sha = createHash('sha256').update(PDF).digest('hex')
    assert.equal(r.headers.get('etag'), `"${sha}"`)
    assert.equal(Number(r.headers.get('content-length')), PDF.length)
    const again = await request(m.download_url, { jar: citizen, headers: { 'if-none-match': `"${sha}"` } })
    assert.equal(again.status, 304)
    assert.equal(again.text, '')
  })

  test('someone who may not see the case cannot list or download', async () => {
    const r = await request(`/api/v1/cases/${caseId}/materials`, { jar: other })
    assert.equal(r.status, 404)
    const list = await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })
    const d = await request(list.json.items[0].download_url, { jar: other })
    assert.equal(d.status, 404)
    const anon = await request(list.json.items[0].download_url)
    assert.equal(anon.status, 401)
  })

  test('a PNG is accepted by content', async () => {
    const r = await upload(citizen, caseId, MATERIAL, 'photo.bin', PNG)
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.content_type, 'image/png')
  })

  test('a renamed executable is refused with a message naming the field', async () => {
    const r = await upload(citizen, caseId, MATERIAL, '户口簿.pdf', ELF)
    assert.equal(r.status, 415, r.text)
    assert.equal(r.json.error.field, 'file')
    assert.match(r.json.error.message, /可执行程序/)
    const sh = await upload(citizen, caseId, MATERIAL, 'scan.jpg', Buffer.from('#!/bin/sh\nrm -rf /\n'))
    assert.equal(sh.status, 415)
    assert.match(sh.json.error.message, /脚本/)
    const zip = await upload(citizen, caseId, MATERIAL, 'doc.ofd', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100)]))
    assert.equal(zip.status, 415)
    assert.match(zip.json.error.message, /OFD/)
    assert.deepEqual(tempFiles(), [])
  })

  test('a material not in the guide is refused', async () => {
    const r = await upload(citizen, caseId, '不存在的材料', 'a.pdf', PDF)
    assert.equal(r.status, 400, r.text)
    assert.equal(r.json.error.field, 'material')
  })

  test('an over-size upload gets 413 and leaves nothing behind', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 0x41)
    PDF.copy(big)
    const r = await upload(citizen, caseId, MATERIAL, 'big.pdf', big)
    assert.equal(r.status, 413, r.text)
    assert.equal(r.json.error.field, 'file')
    assert.deepEqual(tempFiles(), [])
    const list = await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })
    assert.ok(!list.json.items.some((m) => m.filename === 'big.pdf'))
  })

  test('an over-size chunked upload is cut off with 413 and its temporary file removed', async () => {
    const { Readable } = await import('node:stream')
    const chunk = Buffer.alloc(1024 * 1024, 0x41)
    PDF.copy(chunk)
    let n = 0
    const body = new Readable({ read () { this.push(n++ < 22 ? chunk : null) } })
    const { BASE_URL } = await import('./lib.mjs')
    const q = `material=${encodeURIComponent(MATERIAL)}&filename=chunked.pdf`
    const r = await fetch(`${BASE_URL}/api/v1/cases/${caseId}/materials/upload?${q}`, {
      method: 'POST', body: Readable.toWeb(body), duplex: 'half',
      headers: { cookie: citizen.cookie, 'x-csrf-token': citizen.csrf, 'content-type': 'application/octet-stream' },
    })
    assert.equal(r.status, 413)
    assert.deepEqual(tempFiles(), [])
  })

  test('a required material uploaded after applying counts as handed in (已收): the window can accept', async () => {
    const clerk = await signIn('demo-clerk')
    const provided = async (name) => {
      const c = await request(`/api/v1/cases/${caseId}`, { jar: clerk })
      assert.equal(c.status, 200, c.text)
      return c.json.materials.find((m) => m.name === name).provided
    }
    assert.equal((await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })).json.may_attach, true)
    assert.equal((await request(`/api/v1/cases/${caseId}/materials`, { jar: clerk })).json.may_attach, true)
    const ID = '居民身份证'
    const PHOTO = '近期半身免冠合影照片'
    const DECLARATION = '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'
    assert.equal(await provided(ID), false)
    const refused = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(refused.status, 409, refused.text)
    assert.equal(refused.json.error.code, 'materials_incomplete')
    assert.equal((await upload(citizen, caseId, ID, '身份证.pdf', PDF)).status, 201)
    assert.equal(await provided(ID), true)
    // a refused upload hands nothing in
    assert.equal((await upload(citizen, caseId, PHOTO, 'photo.jpg', ELF)).status, 415)
    assert.equal(await provided(PHOTO), false)
    const still = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(still.status, 409, still.text)
    assert.doesNotMatch(still.json.error.message, /居民身份证/)
    // the window scans the other two for the applicant
    assert.equal((await upload(clerk, caseId, PHOTO, '合影.png', PNG)).status, 201)
    assert.equal((await upload(clerk, caseId, DECLARATION, '声明.pdf', PDF)).status, 201)
    const ok = await request(`/api/v1/cases/${caseId}/transitions`, { method: 'POST', jar: clerk, body: { action: 'accept' } })
    assert.equal(ok.status, 200, ok.text)
    assert.equal(ok.json.state, 'review')
    assert.ok(ok.json.materials.every((m) => !m.required || m.provided))
    // accepted: the file is closed, for the applicant and the window alike
    assert.equal((await request(`/api/v1/cases/${caseId}/materials`, { jar: citizen })).json.may_attach, false)
    assert.equal((await request(`/api/v1/cases/${caseId}/materials`, { jar: clerk })).json.may_attach, false)
  })
})
