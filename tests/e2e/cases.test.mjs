// The whole path of a case through the browser, as the people who do it: a citizen
// applies online for 内地居民结婚登记 (民政局, where demo-approver works) without the
// photos; the window clerk sends the one-time 补正 notice; the citizen hands them in; the
// clerk accepts; the approver approves; the clerk delivers at the window; the citizen
// sees 已办结. Plus the public progress lookup and the deadline calculator.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function portalSignIn(page, username, redirect) {
  await page.goto(redirect)
  await page.waitForURL((u) => u.pathname === '/login')
  await page.locator('#portal-login-username').fill(username)
  await page.locator('#portal-login-password').fill(PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.waitForURL((u) => u.pathname + u.search !== '/login' && !u.pathname.startsWith('/login'))
}

/** Click an action button on the workbench case page and confirm its dialog. */
async function act(page, name) {
  await page.getByTestId('case-actions').getByRole('button', { name, exact: true }).click()
  const dialog = page.getByRole('dialog')
  await dialog.waitFor()
  return dialog
}

async function confirmAndWaitState(page, dialog, name, state) {
  await dialog.getByRole('button', { name: `确认${name}` }).click()
  await page.getByTestId('case-state').filter({ hasText: state }).waitFor()
  // the dialog fades out: the screenshots after an action show the page, not the fade
  await dialog.waitFor({ state: 'hidden' })
}

describe('a case from online application to 已办结', () => {
  let citizen, clerk, approver, caseId, caseNo

  test('the citizen applies online from the guide’s materials list', async () => {
    citizen = await newPage(browser, 1280, 900)
    const items = await citizen.request.get('/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
    const item = (await items.json()).items.find((i) => i.name === '内地居民结婚登记')
    await portalSignIn(citizen, 'demo-citizen', `/apply/${item.id}`)
    await citizen.waitForURL((u) => u.pathname === `/apply/${item.id}`)
    await citizen.getByRole('heading', { name: /在线申请/ }).waitFor()
    const mats = citizen.getByTestId('apply-materials')
    for (const m of ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'])
      await mats.getByText(m, { exact: false }).first().click()
    await citizen.getByRole('button', { name: '提交申请' }).click()
    // the confirmation names the material still missing
    const box = citizen.locator('.el-message-box')
    await box.getByText('近期半身免冠合影照片', { exact: false }).waitFor()
    await box.getByRole('button', { name: '提交申请' }).click()
    await citizen.waitForURL((u) => /^\/my\/cases\/\d+$/.test(u.pathname))
    caseId = Number(new URL(citizen.url()).pathname.split('/').pop())
    caseNo = (await citizen.getByTestId('case-no').innerText()).trim()
    assert.match(caseNo, /^430903-\d{8}-\d{5}$/)
    await citizen.getByTestId('case-state').filter({ hasText: '待受理' }).waitFor()
    await box.waitFor({ state: 'hidden' })
    await screenshot(citizen, 'case-applied.png')
  })

  test('the window clerk finds it in the intake queue and sends the one-time 补正 notice', async () => {
    clerk = await newPage(browser, 1440, 900)
    await workSignIn(clerk, 'demo-clerk')
    await clerk.waitForURL((u) => u.pathname === '/work')
    await clerk.goto('/work/cases/intake')
    await clerk.getByTestId('case-queue').getByRole('link', { name: caseNo }).click()
    await clerk.waitForURL((u) => u.pathname === `/work/cases/${caseId}`)
    const dialog = await act(clerk, '一次性告知补正')
    // the missing required material is already ticked with its problem
    const photo = dialog.getByRole('textbox', { name: '近期半身免冠合影照片的问题' })
    await photo.fill('未提交2寸红底合影照片3张')
    await confirmAndWaitState(clerk, dialog, '一次性告知补正', '待补正')
    await clerk.getByTestId('case-timeline').getByText('未提交2寸红底合影照片3张', { exact: false }).waitFor()
    await screenshot(clerk, 'case-supplement.png')
  })

  test('the citizen reads the notice and hands in the photos', async () => {
    await citizen.goto(`/my/cases/${caseId}`)
    const notice = citizen.getByTestId('supplement-notice')
    await notice.getByText('未提交2寸红底合影照片3张', { exact: false }).waitFor()
    await notice.getByText('已补齐：近期半身免冠合影照片').click()
    await notice.getByRole('button', { name: '提交补正材料' }).click()
    await citizen.locator('.el-message-box').getByRole('button', { name: '提交' }).click()
    await citizen.getByTestId('case-state').filter({ hasText: '待受理' }).waitFor()
  })

  test('the clerk accepts (受理)', async () => {
    await clerk.reload()
    const dialog = await act(clerk, '受理')
    await dialog.locator('#action-comment').fill('材料齐全，予以受理')
    await confirmAndWaitState(clerk, dialog, '受理', '审查中')
    // the item's steps: 预约与受理 done, 审查登记 by 民政局 now, 颁证 to come
    await clerk.getByTestId('case-step').filter({ hasText: '当前环节：审查登记' }).waitFor()
    const steps = clerk.getByTestId('case-steps')
    await steps.locator('[data-status="done"]', { hasText: '预约与受理' }).waitFor()
    await steps.locator('[data-status="current"]', { hasText: '审查登记' }).waitFor()
    await steps.locator('[data-status="current"]', { hasText: '赫山区民政局' }).waitFor()
    await steps.locator('[data-status="todo"]', { hasText: '颁证' }).waitFor()
    await steps.scrollIntoViewIfNeeded()
    await screenshot(clerk, 'case-steps.png')
  })

  test('the approver of 民政局 approves from the review queue', async () => {
    approver = await newPage(browser, 1440, 900)
    await workSignIn(approver, 'demo-approver')
    await approver.waitForURL((u) => u.pathname === '/work')
    await approver.goto('/work/cases/review')
    await approver.getByRole('textbox', { name: '办件编号或申请人姓名' }).fill(caseNo)
    await approver.getByRole('button', { name: '查询' }).click()
    const queue = approver.getByTestId('case-queue')
    await queue.locator('tr', { hasText: caseNo }).getByText('审查登记').waitFor() // 当前环节
    await queue.getByRole('link', { name: caseNo }).click()
    // a reason-less denial is stopped on the form
    let dialog = await act(approver, '不予许可')
    await dialog.getByRole('button', { name: '确认不予许可' }).click()
    await dialog.getByText('请填写不予许可的理由和法律依据').waitFor()
    await dialog.getByRole('button', { name: '取消' }).click()
    dialog = await act(approver, '准予许可')
    await confirmAndWaitState(approver, dialog, '准予许可', '待出件')
    assertNoPageErrors(approver)
  })

  test('the clerk hands over the result at the window (出件)', async () => {
    await clerk.goto('/work/cases/delivery')
    // a busy delivery queue runs to several pages: find the case by its number
    await clerk.getByRole('textbox', { name: '办件编号或申请人姓名' }).fill(caseNo)
    await clerk.getByRole('button', { name: '查询' }).click()
    await clerk.getByTestId('case-queue').getByRole('link', { name: caseNo }).click()
    const dialog = await act(clerk, '出件')
    await dialog.getByText('窗口领取').click()
    await confirmAndWaitState(clerk, dialog, '出件', '已办结')
    assertNoPageErrors(clerk)
  })

  test('the citizen sees 已办结 in 我的办件', async () => {
    await citizen.goto('/my/cases')
    const row = citizen.getByTestId('my-cases').locator('li', { hasText: caseNo })
    await row.getByTestId('case-state').filter({ hasText: '已办结' }).waitFor()
    await row.getByRole('link').click()
    const tl = citizen.getByTestId('case-timeline')
    for (const step of ['提交申请', '一次性告知补正', '补正材料', '受理', '准予许可', '出件'])
      await tl.getByText(step, { exact: true }).first().waitFor()
    const steps = citizen.getByTestId('case-steps')
    assert.equal(await steps.locator('[data-status="done"]').count(), 3)
    await screenshot(citizen, 'case-concluded.png')
    assertNoPageErrors(citizen)
  })

  test('anyone looks up the progress with the case number and the last 6 ID characters', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/track')
    await page.locator('#track-case-no').fill(caseNo)
    await page.locator('#track-id-tail').fill('152317')
    await page.getByRole('button', { name: '查询' }).click()
    const res = page.getByTestId('track-result')
    await res.getByText('已办结').first().waitFor()
    assert.ok((await res.innerText()).includes('430903********2317'))
    await page.locator('#track-id-tail').fill('000000')
    await page.getByRole('button', { name: '查询' }).click()
    await page.getByRole('alert').filter({ hasText: '未找到' }).waitFor()
    assertNoPageErrors(page)
    await page.context().close()
    for (const p of [citizen, clerk, approver]) await p.context().close()
  })
})

describe('deadline calculator', () => {
  /** Ask the calculator (workbench or portal) for `days` working days from `from`. */
  async function calc (page, from, days) {
    await page.locator('#calc-from').fill(from)
    await page.locator('#calc-from').press('Enter')
    if (days !== undefined) await page.locator('#calc-days').fill(String(days))
    await page.getByRole('button', { name: '计算' }).click()
    return page.getByTestId('due-result')
  }

  test('computes across National Day, provisionally into 2027, and refuses a year past the law table', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-clerk')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/calendar')
    const result = await calc(page, '2026-09-30', 1)
    await result.filter({ hasText: '2026-10-08' }).waitFor()
    assert.ok((await result.innerText()).includes('10月1日（国庆节）'))
    assert.equal(await page.getByTestId('due-provisional').count(), 0)
    // 2027 has no State Council notice in data/calendar: computed from the law, and said so
    await page.getByTestId('next-year-missing').filter({ hasText: '暂按法定节假日推算' }).waitFor()
    await calc(page, '2026-12-07', 20)
    await result.filter({ hasText: '2027-01-05' }).waitFor()
    await page.getByTestId('due-provisional').waitFor()
    assert.ok((await result.innerText()).includes('1月1日（元旦）'))
    await screenshot(page, 'deadline-provisional.png')
    await calc(page, '2101-03-03')
    await page.getByRole('alert').filter({ hasText: '2101' }).waitFor()
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('citizens work out a period on the portal, on a phone', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/')
    await page.getByRole('link', { name: '办理期限计算' }).first().click()
    await page.waitForURL((u) => u.pathname === '/calendar')
    // 12-29, 12-30, 12-31, then 元旦 2027 by the law, Mon 1-04, Tue 1-05
    const result = await calc(page, '2026-12-28', 5)
    await result.filter({ hasText: '2027-01-05' }).waitFor()
    await page.getByTestId('due-provisional').waitFor()
    assert.ok((await result.innerText()).includes('发布后以实际安排为准'))
    await screenshot(page, 'portal-due-calc.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('an administrator sees the provisional year and where to load its notice', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-admin')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/calendar')
    await page.getByRole('spinbutton', { name: '年份' }).fill('2027')
    await page.getByRole('spinbutton', { name: '年份' }).press('Enter')
    await page.getByRole('cell', { name: '春节补假' }).first().waitFor()
    await page.getByTestId('load-notice').waitFor()
    await screenshot(page, 'calendar-admin-provisional.png')
    assertNoPageErrors(page)
    await page.context().close()
  })
})
