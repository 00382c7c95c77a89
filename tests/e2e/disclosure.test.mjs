// Browser test of an information request from filing to the annual report (issue 9):
// a citizen files online; the officer confirms receipt and asks for a supplement; the
// citizen supplements; the officer replies with partial disclosure; the citizen
// downloads the notice (a PDF); the annual report shows the request in the 部分公开 /
// 自然人 cell.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, PASSWORD, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

// the server's year: scripts/with-server.sh runs it at a fixed instant (OW_CLOCK_OFFSET_MS)
const year = new Date(Date.now() + Number(process.env.OW_CLOCK_OFFSET_MS ?? 0) + 8 * 3600e3).getUTCFullYear()

async function orgId() {
  const r = await fetch(`${BASE_URL}/api/v1/orgs?kind=department`)
  const body = await r.json()
  return body.items.find((o) => o.name.includes('政务公开股')).id
}

async function reportCell(org, row, col) {
  const r = await fetch(`${BASE_URL}/api/v1/disclosure-reports/${year}?org_id=${org}`)
  const rep = await r.json()
  const i = rep.requests.columns.findIndex((c) => c.key === col)
  return rep.requests.rows.find((x) => x.key === row).values[i]
}

describe('information request, end to end', () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  test('file, supplement, partial disclosure, notice, annual report', async () => {
    const org = await orgId()
    const before = await reportCell(org, 'g2', 'person')
    const content = `端到端测试：${year}年政务服务中心窗口服务评价汇总`

    // 1. the citizen files online
    const citizen = await newPage(browser, 1280, 900)
    await citizen.goto('/open/apply')
    await citizen.waitForURL((u) => u.pathname === '/login')
    await citizen.locator('#portal-login-username').fill('demo-citizen')
    await citizen.locator('#portal-login-password').fill(PASSWORD)
    await citizen.getByRole('button', { name: '登录', exact: true }).click()
    await citizen.waitForURL((u) => u.pathname === '/open/apply')
    await citizen.locator('#req-org').click()
    await citizen.locator('.el-select-dropdown__item', { hasText: '政务公开股' }).click()
    await citizen.locator('#req-id-number').fill('430903199003152317')
    await citizen.locator('#req-mobile').fill('13907372001')
    await citizen.locator('#req-content').fill(content)
    await citizen.getByRole('button', { name: '提交申请' }).click()
    await citizen.waitForURL((u) => /^\/open\/my\/\d+$/.test(u.pathname))
    const id = Number(new URL(citizen.url()).pathname.split('/').pop())
    await citizen.locator('#req-state', { hasText: '待确认收到' }).waitFor()
    await screenshot(citizen, 'disclosure-filed.png')

    // 2. the officer confirms receipt and asks for a supplement
    const officer = await newPage(browser, 1366, 900)
    await workSignIn(officer, 'demo-discloser')
    await officer.waitForURL((u) => u.pathname === '/work')
    await officer.goto('/work/disclosure/requests')
    await officer.locator('a', { hasText: /430903-GK-/ }).first().waitFor()
    await officer.goto(`/work/disclosure/requests/${id}`)
    await officer.locator('button[data-action="confirm_receipt"]').click()
    await officer.locator('#act-submit').click()
    await officer.locator('#req-state', { hasText: '办理中' }).waitFor()
    await officer.locator('button[data-action="ask_supplement"]').click()
    await officer.locator('#act-items').fill('请写明所需汇总的时间段和服务窗口')
    await officer.locator('#act-submit').click()
    await officer.locator('#req-state', { hasText: '待补正' }).waitFor()
    await officer.locator('#req-due', { hasText: '暂停计时' }).waitFor()

    // 3. the citizen supplements
    await citizen.reload()
    await citizen.getByText('行政机关请您补正：请写明所需汇总的时间段和服务窗口').waitFor()
    await citizen.locator('#supplement-text').fill(`${year}年1月至今，综合受理一号至六号窗口`)
    await citizen.getByRole('button', { name: '提交补正' }).click()
    await citizen.locator('#req-state', { hasText: '办理中' }).waitFor()

    // 4. the officer replies with partial disclosure
    await officer.reload()
    await officer.locator('#req-state', { hasText: '办理中' }).waitFor()
    await officer.locator('button[data-action="reply"]').click()
    await officer.locator('#act-outcome').click()
    await officer.locator('.el-select-dropdown__item', { hasText: '部分公开' }).click()
    await officer.getByText('将出具《政府信息部分公开告知书》').waitFor()
    await officer.locator('#act-reason').fill('其中涉及窗口工作人员个人信息的部分不予公开')
    await officer.locator('#act-body').fill('窗口服务评价汇总表（已隐去个人信息）')
    await officer.locator('#act-submit').click()
    await officer.locator('#req-state', { hasText: '已答复' }).waitFor()
    await screenshot(officer, 'disclosure-officer-replied.png')

    // 5. the citizen downloads the notice
    await citizen.reload()
    await citizen.locator('#req-state', { hasText: '已答复' }).waitFor()
    const link = citizen.locator('a.notice-link', { hasText: '政府信息部分公开告知书' })
    await link.waitFor()
    const href = await link.getAttribute('href')
    const res = await citizen.context().request.get(href)
    assert.equal(res.status(), 200)
    assert.equal(res.headers()['content-type'], 'application/pdf')
    const pdf = await res.body()
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.ok(pdf.length > 10000)
    // the supplement notice is there too
    await citizen.locator('a.notice-link', { hasText: '补正申请通知书' }).waitFor()

    // 6. the annual report shows it in 部分公开 × 自然人
    const after = await reportCell(org, 'g2', 'person')
    assert.equal(after, before + 1)
    await citizen.goto(`/open/reports/${year}?org_id=${org}`)
    const cell = citizen.locator('#report-requests tr[data-row="g2"] td[data-col="person"]')
    await cell.waitFor()
    assert.equal(Number((await cell.innerText()).trim()), after)
    await screenshot(citizen, 'disclosure-report.png')
    assertNoPageErrors(citizen)
    assertNoPageErrors(officer)
    await citizen.context().close()
    await officer.context().close()
  })

  test('the portal lists publications, searches them and opens one', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/open')
    await page.locator('main h1', { hasText: '政务公开' }).waitFor()
    await page.locator('#open-search').fill('部门预算')
    await page.getByRole('button', { name: '搜索' }).click()
    await page.waitForURL((u) => u.searchParams.get('q') === '部门预算')
    const first = page.locator('.pubs li a').first()
    await first.waitFor()
    const title = await first.innerText()
    assert.ok(title.includes('部门预算'), title)
    await first.click()
    await page.getByText('索引号').waitFor()
    await page.locator('h1', { hasText: title }).waitFor()
    assertNoPageErrors(page)
    await page.context().close()
  })
})
