// 就近办 through a village agent point: the agent files an application for a resident by
// ID number (代办), choosing among the items handed down to agent points only; the case
// waits at the township centre above the point, whose clerk accepts it.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { makeIdNumber, makeMobile } from '../api/lib.mjs'
import { assertNoPageErrors, launch, menuLabels, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const seed = (Date.now() % 1_000_000) * 7 + 5
const BANK = '本人银行卡或存折'
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 0x20), Buffer.from('\n%%EOF\n')])

describe('an agent point files, the township centre accepts', () => {
  let caseNo, caseId

  test('the agent registers 高龄津贴申领 for a resident; items not handed down are not offered', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-agent')
    await page.waitForURL((u) => u.pathname === '/work')
    assert.ok((await menuLabels(page)).includes('受理登记'))
    await page.locator('aside nav a', { hasText: '受理登记' }).click()
    await page.waitForURL((u) => u.pathname === '/work/cases/intake')
    await page.getByText('只列出下放到村（社区）代办点代办的事项').waitFor()
    await page.locator('#intake-number').fill(makeIdNumber(seed))
    await page.locator('#intake-name').fill('刘桂英')
    await page.locator('#intake-mobile').fill(makeMobile(seed))
    // 内地居民结婚登记 is handled at the district's 婚姻登记窗口 only: the search has nothing for it
    await page.locator('#intake-item').click()
    await page.locator('#intake-item').fill('结婚登记')
    await page.locator('.el-select-dropdown__empty:visible, .el-select-dropdown__item:visible').first().waitFor()
    assert.equal(await page.locator('.el-select-dropdown__item:visible', { hasText: '内地居民结婚登记' }).count(), 0)
    await page.locator('#intake-item').fill('高龄津贴')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '高龄津贴申领' }).click()
    // the paper materials in hand are ticked; the bank book is scanned in after filing
    const mats = page.locator('.mats .el-checkbox')
    await mats.first().waitFor()
    for (const m of await mats.all()) {
      const t = await m.innerText()
      if (t.includes('必需') && !t.includes(BANK)) await m.click()
    }
    await page.getByRole('button', { name: '登记', exact: true }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '登记' }).click()
    await page.waitForURL((u) => /^\/work\/cases\/\d+$/.test(u.pathname))
    caseId = Number(new URL(page.url()).pathname.split('/').pop())
    const c = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()), caseId)
    caseNo = c.case_no
    assert.equal(c.channel, 'agent')
    assert.equal(c.state, 'submitted')
    assert.match(await page.locator('body').innerText(), /石光港社区便民服务代办点/)
    assert.equal(c.materials.find((m) => m.name === BANK).provided, false)
    await page.locator('.el-message-box').waitFor({ state: 'hidden' })
    // scan the bank book into the case: it counts as handed in
    const scan = page.getByTestId('case-scan')
    await scan.getByLabel(`${BANK}：选择文件`).setInputFiles({ name: '存折.pdf', mimeType: 'application/pdf', buffer: PDF })
    await scan.getByText('已上传', { exact: true }).waitFor()
    await page.getByTestId('case-materials').getByRole('link', { name: '存折.pdf' }).waitFor()
    const tags = await page.locator('.mat-list li').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.lastChild.textContent.trim(), li.querySelector('.el-tag').textContent.trim()])))
    assert.equal(tags[BANK], '已收', JSON.stringify(tags))
    await screenshot(page, 'intake-agent.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('the township centre’s clerk finds it in the intake queue and accepts it', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-township-clerk')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/cases/intake')
    await page.getByTestId('case-queue').getByRole('link', { name: caseNo }).click()
    await page.waitForURL((u) => u.pathname === `/work/cases/${caseId}`)
    // The acceptance commits but its answer is lost: a 503 with Retry-After: 1 comes back
    // instead, as when the database's primary fails over while COMMIT is on its way. The
    // page sends it again by itself with the same Idempotency-Key and gets the first
    // answer; the case is accepted once (docs/api.md "Retrying a write").
    const keys = []
    await page.route(`**/api/v1/cases/${caseId}/transitions`, async (route) => {
      keys.push(route.request().headers()['idempotency-key'])
      if (keys.length > 1) return route.continue()
      await route.fetch()
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'database_unavailable', message: '数据库暂时不可用' } }) })
    })
    await page.getByRole('button', { name: '受理', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: '确认受理' }).click()
    await page.getByTestId('case-state').filter({ hasNotText: '待受理' }).waitFor()
    assert.equal(keys.length, 2)
    assert.ok(keys[0] && keys[0] === keys[1], JSON.stringify(keys))
    await page.unroute(`**/api/v1/cases/${caseId}/transitions`)
    const c = await page.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()), caseId)
    assert.notEqual(c.state, 'submitted')
    assert.equal(c.timeline.filter((e) => e.action === 'accept').length, 1, JSON.stringify(c.timeline.map((e) => e.action)))
    assertNoPageErrors(page)
    await page.context().close()
  })
})
