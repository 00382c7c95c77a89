// 督办 in the browser (issue 8): the supervisor issues a notice from the case page; 民政局
// (demo-approver) sees the alert on its workbench home, opens 督办 from it and replies;
// the supervisor reads the reply with the whole exchange and closes the notice. Also the
// department head's 每日监察摘要 and the supervisor's alerts (information requests).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { apiAs, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})


/** A marriage registration accepted today, waiting for 民政局. */
async function openCase() {
  const [citizen, clerk] = await Promise.all(['demo-citizen', 'demo-clerk'].map((u) => apiAs(u)))
  const items = await citizen.get('/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = items.json.items.find((i) => i.name === '内地居民结婚登记')
  const c = await citizen.post('/cases', {
    item_id: item.id,
    title: '结婚登记',
    materials: ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明', '近期半身免冠合影照片'],
  })
  assert.equal(c.status, 201, c.text)
  const r = await clerk.post(`/cases/${c.json.id}/transitions`, { action: 'accept' })
  assert.equal(r.status, 200, r.text)
  return c.json
}

const CONTENT = '该办件已受理两天，请说明审批进度并尽快作出决定。'
const REPLY = '材料已审查完毕，将于明日作出准予许可决定。'

describe('督办 from the case page to the department and back', () => {
  let kase
  test('the supervisor issues a 督办 notice on the case page', async () => {
    kase = await openCase()
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto(`/work/cases/${kase.id}`)
    await page.getByTestId('case-no').getByText(kase.case_no).waitFor()
    await page.getByTestId('case-issue-notice').click()
    const dlg = page.getByTestId('issue-notice')
    await dlg.getByText(kase.case_no).waitFor()
    await page.getByTestId('notice-content').fill(CONTENT)
    await page.getByTestId('notice-days').locator('input').fill('2')
    await page.waitForTimeout(500) // the dialog's fade-in
    await screenshot(page, 'notice-issue.png')
    await page.getByTestId('notice-submit').click()
    const panel = page.getByTestId('case-supervision')
    await panel.getByText(CONTENT).waitFor()
    assert.match(await panel.textContent(), /待回复/)
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('民政局 sees the alert on its workbench home and replies from 督办', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-approver')
    await page.waitForURL((u) => u.pathname === '/work')
    const line = page.locator('[data-alert="notices"]')
    await line.waitFor()
    const api = await page.evaluate(async () => (await fetch('/api/v1/supervision/alerts')).json())
    assert.ok(api.notices_open >= 1)
    assert.equal(Number(await line.locator('.count').textContent()), api.notices_open)
    await screenshot(page, 'home-alerts-department.png')
    await line.getByRole('link').click()
    await page.waitForURL((u) => u.pathname === '/work/notices' && u.searchParams.get('state') === 'open')
    const row = page.getByTestId('notice-table').locator('tr', { hasText: kase.case_no })
    await row.waitFor()
    assert.match(await row.textContent(), /待回复/)
    await screenshot(page, 'notices-department.png')
    await row.getByTestId('notice-reply').click()
    await page.getByTestId('notice-note').fill(REPLY)
    await page.getByTestId('notice-confirm').click()
    await row.waitFor({ state: 'detached' })
    await page.getByTestId('notice-filter').getByText('已回复').click()
    const done = page.getByTestId('notice-table').locator('tr', { hasText: kase.case_no })
    await done.getByText(REPLY).waitFor()
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('the supervisor reads the reply with the exchange and closes the notice', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    // the home page says a reply waits to be read, and links to it
    const line = page.locator('[data-alert="notices-replied"]')
    await line.waitFor()
    await screenshot(page, 'home-alerts-supervisor.png')
    const info = await page.evaluate(async () => (await fetch('/api/v1/supervision/alerts')).json())
    if (info.info_requests.red + info.info_requests.yellow > 0) {
      const il = page.locator('[data-alert="info"] .count')
      assert.equal(Number(await il.textContent()), info.info_requests.red + info.info_requests.yellow)
    }
    await line.getByRole('link').click()
    await page.waitForURL((u) => u.pathname === '/work/notices' && u.searchParams.get('state') === 'replied')
    const row = page.getByTestId('notice-table').locator('tr', { hasText: kase.case_no })
    await row.getByText(REPLY).waitFor()
    await row.getByRole('button', { name: '详情' }).click()
    const events = page.getByTestId('notice-events')
    await events.getByText('部门回复').waitFor()
    assert.match(await events.textContent(), new RegExp(CONTENT))
    await page.waitForTimeout(500) // the drawer's slide-in
    await screenshot(page, 'notice-detail.png')
    // the supervisor decides from the exchange itself: 办结 in the drawer
    await page.getByTestId('notice-detail-close').click()
    await page.getByTestId('notice-note').fill('部门已说明情况并明确办结时间，督办办结。')
    await page.getByTestId('notice-confirm').click()
    await events.getByText('部门已说明情况并明确办结时间').waitFor()
    await page.keyboard.press('Escape')
    await row.waitFor({ state: 'detached' })
    await page.getByTestId('notice-filter').getByText('已办结').click()
    await page.getByTestId('notice-table').locator('tr', { hasText: kase.case_no }).waitFor()
    await page.waitForTimeout(400) // the tab's highlight moves
    await screenshot(page, 'notices-supervisor.png')
    assertNoPageErrors(page)
    await page.context().close()
  })
})

describe('督办 from the 电子监察 page', () => {
  test('the supervisor issues a notice on one of the most urgent cases', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/supervision')
    const list = page.getByTestId('urgent-cases')
    await list.waitFor()
    const alerts = await page.evaluate(async () => (await fetch('/api/v1/supervision/alerts')).json())
    const first = alerts.cases[0]
    await list.getByTestId(`issue-${first.id}`).click()
    await page.getByTestId('issue-notice').getByText(first.case_no).waitFor()
    await page.getByTestId('notice-content').fill('该办件即将到期，请说明办理进度，确保按时办结。')
    await page.getByTestId('notice-submit').click()
    await page.getByText('已向').waitFor()
    const notices = await page.evaluate(async (id) => (await fetch(`/api/v1/supervision/notices?case_id=${id}`)).json(), first.id)
    assert.ok(notices.items.some((n) => n.content === '该办件即将到期，请说明办理进度，确保按时办结。' && n.state === 'open'))
    await list.locator('tr', { hasText: first.case_no }).getByText('督办中').waitFor()
    await screenshot(page, 'dashboard-issue.png')
    assertNoPageErrors(page)
    await page.context().close()
  })
})

describe('每日监察摘要', () => {
  test('民政局\'s head reads today\'s digest, and prints it without the menu', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-approver')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/digest')
    const api = await page.evaluate(async () => (await fetch('/api/v1/supervision/digest')).json())
    await page.locator('[data-card="red"] .value').waitFor()
    assert.equal(Number(await page.locator('[data-card="red"] .value').textContent()), api.red)
    assert.equal(Number(await page.locator('[data-card="yellow"] .value').textContent()), api.yellow)
    const overdueRows = page.locator('[data-section="overdue"] tbody tr')
    assert.equal(await overdueRows.count(), api.overdue.length)
    assert.match(await page.locator('h1').textContent(), /民政局/)
    await screenshot(page, 'digest.png')
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.locator('.side').isVisible(), false, 'printed without the menu')
    await page.emulateMedia({ media: 'screen' })
    // an earlier day: the digest kept that morning, or a plain statement that there is none
    const dateInput = page.locator('.tools input').first()
    await dateInput.fill('2026-01-05')
    await dateInput.press('Enter')
    await page.getByTestId('digest-empty').getByText('2026-01-05 没有每日摘要').waitFor()
    assertNoPageErrors(page)
    await page.context().close()
  })
})
