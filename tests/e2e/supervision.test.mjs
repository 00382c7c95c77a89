// Ratings to dashboard, in the browser: a citizen rates a concluded case 非常不满意 on the
// portal; 民政局 sees the rectification on its workbench; the supervisor sees it on the
// 电子监察 dashboard; the statistics page's Excel export, read back with SheetJS, has the
// same figures as the page. Also the window evaluator kiosk.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import XLSX from 'xlsx'
import { PASSWORD, apiAs, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})


async function concludedCase() {
  const [citizen, clerk, approver] = await Promise.all(['demo-citizen', 'demo-clerk', 'demo-approver'].map((u) => apiAs(u)))
  const items = await citizen.get('/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const c = await citizen.post('/cases', {
    item_id: item.id,
    title: '结婚登记',
    materials: ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', '近期半身免冠合影照片'],
  })
  assert.equal(c.status, 201, c.text)
  for (const [who, body] of [[clerk, { action: 'accept' }], [approver, { action: 'approve' }], [clerk, { action: 'deliver', delivery: 'window' }]]) {
    const r = await who.post(`/cases/${c.json.id}/transitions`, body)
    assert.equal(r.status, 200, r.text)
  }
  return c.json
}

describe('a bad rating travels from the citizen to the supervisor', () => {
  let kase
  test('the citizen rates the concluded case 非常不满意 on the portal', async () => {
    kase = await concludedCase()
    const page = await newPage(browser, 390, 844)
    await page.goto(`/login?redirect=${encodeURIComponent('/rate/' + kase.id)}`)
    await page.locator('#portal-login-username').fill('demo-citizen')
    await page.locator('#portal-login-password').fill(PASSWORD)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL((u) => u.pathname === `/rate/${kase.id}`)
    await page.getByText(kase.case_no).waitFor()
    await page.locator('button[data-level="1"]').click()
    await page.locator('.tags').getByText('服务态度差').click()
    await page.getByLabel('评价意见').fill('跑了两次才拿到证')
    await page.getByTestId('rate-submit').click()
    const mine = page.getByTestId('my-rating')
    await mine.getByText('非常不满意').waitFor()
    assert.equal(await page.getByTestId('rect-state').textContent(), '待回访')
    await screenshot(page, 'rating-portal.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('民政局 sees the rectification task on its workbench', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-approver')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/rectifications')
    const row = page.getByTestId('rect-table').locator('tr', { hasText: kase.case_no })
    await row.waitFor()
    assert.match(await row.textContent(), /非常不满意/)
    assert.match(await row.textContent(), /待回访/)
    await screenshot(page, 'rectifications.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('the supervisor sees it on the dashboard, and the Excel export matches the page', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/supervision')
    const alerts = await page.evaluate(async () => (await fetch('/api/v1/supervision/alerts')).json())
    assert.ok(alerts.rectifications_open >= 1)
    const card = page.locator('[data-card="rect"] .value')
    await card.waitFor()
    assert.equal(Number(await card.textContent()), alerts.rectifications_open)
    await page.getByTestId('lights-text').waitFor({ state: 'attached' })
    await screenshot(page, 'dashboard.png')

    await page.goto('/work/stats')
    await page.getByRole('radio', { name: '好差评' }).click({ force: true })
    const table = page.getByTestId('stats-table')
    await table.locator('tr', { hasText: '合计' }).waitFor()
    const totalRow = table.locator('tbody tr', { hasText: '合计' })
    const pageCells = (await totalRow.locator('td').allTextContents()).map((s) => s.trim())
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()])
    const path = await download.path()
    const wb = XLSX.readFile(path)
    const rows = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, blankrows: false })
    const headIndex = rows.findIndex((r) => r[0] === '统计项')
    const heads = (await table.locator('thead th').allTextContents()).map((s) => s.trim())
    assert.deepEqual(rows[headIndex], heads, 'the same columns')
    const xTotal = rows.find((r) => r[0] === '合计')
    assert.ok(xTotal, 'a total row in the workbook')
    const fmt = (v) => (v === undefined || v === null ? '—' : typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v))
    assert.deepEqual(xTotal.map(fmt), pageCells, 'the same figures as the page')
    const bad = heads.indexOf('差评数')
    assert.ok(Number(String(pageCells[bad]).replace(/,/g, '')) >= 1)
    assertNoPageErrors(page)
    await page.context().close()
  })
})

describe('the window evaluator', () => {
  test('shows the buttons while the clerk serves, takes one tap, resets', async () => {
    const clerk = await apiAs('demo-clerk')
    const page = await newPage(browser, 1280, 800)
    await page.goto('/kiosk/W01')
    await page.getByText('综合受理一号窗口').waitFor()
    const s = await clerk.post('/services', { topic: '社保卡补办咨询' })
    assert.equal(s.status, 201)
    await page.getByRole('button', { name: '非常满意' }).waitFor({ timeout: 10_000 })
    await page.getByText('社保卡补办咨询').waitFor()
    await screenshot(page, 'kiosk.png')
    await page.getByRole('button', { name: '非常满意' }).click()
    await page.getByText('感谢您的评价！').waitFor()
    const cur = await clerk.get('/services/current')
    assert.equal(cur.json.service, null)
    assert.equal(cur.json.recent[0].level_name, '非常满意')
    await page.getByText('欢迎办事').waitFor({ timeout: 12_000 })
    assertNoPageErrors(page)
    await page.context().close()
  })
})
