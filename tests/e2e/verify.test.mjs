// The verification page of a corrected notice (issue 23): a clerk corrects an issued
// 受理通知书; whoever scans the old one's QR code reads that it was replaced, with a link
// to the correction, which in turn names the one it replaces, the reason and the SHA-256
// of its PDF.  Both pages without signing in.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, apiAs, assertNoPageErrors, launch, newPage, screenshot } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const MARRIAGE_MATERIALS = ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明',
  '近期半身免冠合影照片']

test('a replaced notice links to its correction and back', async () => {
  const citizen = await apiAs('demo-citizen')
  const clerk = await apiAs('demo-clerk')
  const items = await citizen.get('/items?per_page=50&q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const c = await citizen.post('/cases', { item_id: item.id, materials: MARRIAGE_MATERIALS })
  assert.equal(c.status, 201, c.text)
  const acc = await clerk.post(`/cases/${c.json.id}/transitions`, { action: 'accept' })
  assert.equal(acc.status, 200, acc.text)
  // issued (and frozen) by its first download
  const session = await fetch(BASE_URL + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'demo-citizen', password: 'Demo@2026' }),
  })
  const cookie = session.headers.get('set-cookie').split(';')[0]
  const pdf = await fetch(`${BASE_URL}/api/v1/cases/${c.json.id}/notices/acceptance`, { headers: { cookie } })
  assert.equal(pdf.status, 200)
  await pdf.arrayBuffer()
  const fix = await clerk.post(`/cases/${c.json.id}/notices/acceptance/corrections`, { reason: '申请人姓名有误' })
  assert.equal(fix.status, 201, fix.text)

  const page = await newPage(browser, 1280, 900)
  await page.goto(`/verify/${fix.json.replaces}`)
  await page.getByText('该文书真实，但已被更正，以更正后的文书为准').waitFor()
  const link = page.locator('[data-test="replaced-by"]')
  await link.waitFor()
  assert.ok((await link.textContent()).includes(fix.json.number))
  await screenshot(page, 'verify-replaced.png')
  await link.click()
  await page.waitForURL((u) => u.pathname === `/verify/${fix.json.code}`)
  await page.getByText('该文书真实有效').waitFor()
  await page.getByText('申请人姓名有误').waitFor()
  assert.ok((await page.locator('[data-test="replaces"]').textContent()).length > 0)
  assertNoPageErrors(page)
})
