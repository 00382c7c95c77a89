// Keyboard only (issue 27): the main path of a case — a citizen applies online, the window
// clerk accepts it (intake), the approver of 民政局 approves it (review), the clerk hands
// the result over (deliver), the citizen rates it — with no mouse at all: Tab and
// Shift+Tab to move, Enter and Space to act, the arrow keys inside radio groups, Escape to
// close a dialog, typing into fields. On each page of the way every control a person can
// see must be reached by Tab, with a visible focus indicator, and Tab must come out at the
// end of the page (no trap); a modal dialog keeps the focus inside until it closes, and
// then gives it back to the control that opened it — or, when an action removed that
// control, to the case's new state, never to nowhere. Each dialog on the way is also
// checked by axe-core.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, assertNoPageErrors, launch, newPage, screenshot } from './helpers.mjs'
import { assertFocusVisible, axeViolations, focusInfo, settle, tabCycle, tabTo, trackRequests } from './a11y.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Sign in on a sign-in page by keyboard: Tab to each field, type, Enter. */
async function keyboardSignIn(page, path, prefix, username) {
  await page.goto(path)
  await page.locator(`#${prefix}-username`).waitFor()
  await tabTo(page, page.locator(`#${prefix}-username`))
  await page.keyboard.type(username)
  await tabTo(page, page.locator(`#${prefix}-password`))
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
}

/** The keyboard focus is inside `locator` (waits for it to move there). */
async function focusIsIn(page, locator, what) {
  const handle = await locator.elementHandle()
  try {
    await page.waitForFunction((h) => h.contains(document.activeElement), handle, { timeout: 5_000 })
  } catch {
    const f = await focusInfo(page)
    assert.fail(`${what}: the focus is on ${f.none ? 'nothing' : `“${f.name}”`}`)
  }
}

/**
 * With the focus on a button that opens a dialog: Enter opens it, the focus moves into
 * it, every control in it is reached by Tab without the focus leaving it, Escape closes
 * it and the focus is back on the button.
 */
async function dialogRoundTrip(page, opener, dialog, what) {
  await page.keyboard.press('Enter')
  await dialog.waitFor()
  await focusIsIn(page, dialog, `${what} opened`)
  // the page walk of a11y.test.mjs sees pages as they open; their dialogs are checked here
  assert.deepEqual(await axeViolations(page, what, { include: '[role=dialog]' }), [], `axe-core in ${what}`)
  await tabCycle(page, { dialog: true })
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await focusIsIn(page, opener, `${what} closed with Escape`)
  await assertFocusVisible(page, `on the button that opened ${what}`)
}

/** In the workbench's queue page: find the case by its number and open it, by keyboard. */
async function openFromQueue(page, caseNo, caseId) {
  await tabTo(page, page.getByRole('textbox', { name: '办件编号或申请人姓名' }))
  await page.keyboard.type(caseNo)
  await page.keyboard.press('Enter')
  const link = page.getByTestId('case-queue').getByRole('link', { name: caseNo })
  await link.waitFor()
  await settle(page)
  await tabTo(page, link)
  await page.keyboard.press('Enter')
  await page.waitForURL((u) => u.pathname === `/work/cases/${caseId}`)
  await page.getByTestId('case-state').waitFor()
  await settle(page)
}

/**
 * On the workbench case page: the action button, its dialog round trip, then the action
 * for real (`fill` types into the dialog), ending with the case in `state` and the focus
 * on the case's heading line, where its new state is.
 */
async function act(page, name, state, fill) {
  const button = page.getByTestId('case-actions').getByRole('button', { name, exact: true })
  await tabTo(page, button)
  const dialog = page.getByRole('dialog')
  await dialogRoundTrip(page, button, dialog, `the ${name} dialog`)
  await page.keyboard.press('Enter')
  await dialog.waitFor()
  await focusIsIn(page, dialog, `the ${name} dialog`)
  if (fill) await fill(dialog)
  await tabTo(page, dialog.getByRole('button', { name: `确认${name}` }))
  await page.keyboard.press('Enter')
  await page.getByTestId('case-state').filter({ hasText: state }).waitFor()
  await dialog.waitFor({ state: 'hidden' })
  await focusIsIn(page, page.getByTestId('case-head'), `after ${name}`)
  await assertFocusVisible(page, `after ${name}`)
}

describe('keyboard only: a case from online application to its rating', () => {
  let citizen, clerk, approver, item, caseId, caseNo

  test('apply: the citizen signs in, opens 在线申请 from the guide and files, by keyboard', async () => {
    citizen = await newPage(browser, 1280, 900)
    await trackRequests(citizen)
    const items = await citizen.request.get('/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
    item = (await items.json()).items.find((i) => i.name === '内地居民结婚登记')
    await keyboardSignIn(citizen, `/login?redirect=/items/${item.id}`, 'portal-login', 'demo-citizen')
    await citizen.waitForURL((u) => u.pathname === `/items/${item.id}`)
    await citizen.getByRole('heading', { name: item.name, level: 1 }).waitFor()
    await settle(citizen)
    await tabTo(citizen, citizen.getByRole('link', { name: '在线申请', exact: true }))
    await citizen.keyboard.press('Enter')
    await citizen.waitForURL((u) => u.pathname === `/apply/${item.id}`)
    await citizen.getByRole('heading', { name: /在线申请/ }).waitFor()
    await settle(citizen)
    const stops = await tabCycle(citizen)
    assert.ok(stops.length >= 15, `the application page's stops: ${stops.join(' › ')}`)

    const mats = citizen.getByTestId('apply-materials')
    for (const m of ['居民户口簿', '居民身份证', '本人无配偶']) {
      const box = mats.getByRole('checkbox', { name: m })
      await tabTo(citizen, box)
      await citizen.keyboard.press('Space')
      assert.ok(await box.isChecked(), `Space ticks ${m}`)
    }
    // 提交申请 asks first, naming the photo still missing; Escape goes back to the form
    const submit = citizen.getByRole('button', { name: '提交申请' })
    await tabTo(citizen, submit)
    const box = citizen.getByRole('dialog', { name: '确认提交申请' })
    await dialogRoundTrip(citizen, submit, box, 'the confirmation')
    const photo = mats.getByRole('checkbox', { name: '近期半身免冠合影照片' })
    await tabTo(citizen, photo, { back: true })
    await citizen.keyboard.press('Space')
    assert.ok(await photo.isChecked())
    await tabTo(citizen, submit)
    await citizen.keyboard.press('Enter')
    await box.getByText('确认提交“内地居民结婚登记”的申请吗？').waitFor()
    await tabTo(citizen, box.getByRole('button', { name: '提交申请' }))
    await citizen.keyboard.press('Enter')
    await citizen.waitForURL((u) => /^\/my\/cases\/\d+$/.test(u.pathname))
    caseId = Number(new URL(citizen.url()).pathname.split('/').pop())
    caseNo = (await citizen.getByTestId('case-no').innerText()).trim()
    await citizen.getByTestId('case-state').filter({ hasText: '待受理' }).waitFor()
    // the new page has the focus (the router moves it to the main content)
    await focusIsIn(citizen, citizen.locator('main#main'), 'on the new case')
    assertNoPageErrors(citizen)
  })

  test('intake: the window clerk opens it from 受理登记 and accepts it, by keyboard', async () => {
    clerk = await newPage(browser, 1440, 900)
    await trackRequests(clerk)
    await keyboardSignIn(clerk, '/work/login', 'work-login', 'demo-clerk')
    await clerk.waitForURL((u) => u.pathname === '/work')
    await settle(clerk)
    await tabTo(clerk, clerk.locator('aside nav a', { hasText: '受理登记' }))
    await clerk.keyboard.press('Enter')
    await clerk.waitForURL((u) => u.pathname === '/work/cases/intake')
    await settle(clerk)
    await tabCycle(clerk) // the 代为申请登记 form and the queue
    // a select works from the keyboard: Enter opens it, the arrows move, Enter chooses
    const state = clerk.getByRole('combobox', { name: '状态' })
    await tabTo(clerk, state)
    await clerk.keyboard.press('Enter')
    await clerk.keyboard.press('ArrowDown')
    await clerk.keyboard.press('Enter')
    await clerk.locator('.el-select', { has: state }).getByText('待受理', { exact: true }).waitFor()
    await settle(clerk)
    await openFromQueue(clerk, caseNo, caseId)
    await tabCycle(clerk)
    await act(clerk, '受理', '审查中', async () => {
      await tabTo(clerk, clerk.locator('#action-comment'))
      await clerk.keyboard.type('材料齐全，予以受理')
    })
    await screenshot(clerk, 'keyboard-accepted.png')
    assertNoPageErrors(clerk)
  })

  test('review: the approver of 民政局 approves it from 审批办件, by keyboard', async () => {
    approver = await newPage(browser, 1440, 900)
    await trackRequests(approver)
    await keyboardSignIn(approver, '/work/login', 'work-login', 'demo-approver')
    await approver.waitForURL((u) => u.pathname === '/work')
    await settle(approver)
    await tabTo(approver, approver.locator('aside nav a', { hasText: '审批办件' }))
    await approver.keyboard.press('Enter')
    await approver.waitForURL((u) => u.pathname === '/work/cases/review')
    await settle(approver)
    await tabCycle(approver)
    await openFromQueue(approver, caseNo, caseId)
    await act(approver, '准予许可', '待出件')
    assertNoPageErrors(approver)
    await approver.context().close()
  })

  test('deliver: the clerk hands it over by post from 出件, choosing the way with the arrow keys', async () => {
    await tabTo(clerk, clerk.locator('aside nav a', { hasText: '出件' }), { back: true })
    await clerk.keyboard.press('Enter')
    await clerk.waitForURL((u) => u.pathname === '/work/cases/delivery')
    await settle(clerk)
    await tabCycle(clerk)
    await openFromQueue(clerk, caseNo, caseId)
    await act(clerk, '出件', '已办结', async (dialog) => {
      const byWindow = dialog.getByRole('radio', { name: '窗口领取' })
      await tabTo(clerk, byWindow)
      await clerk.keyboard.press('ArrowRight')
      const byPost = dialog.getByRole('radio', { name: '邮寄送达' })
      assert.ok(await byPost.isChecked(), 'the arrow key chooses 邮寄送达')
      await focusIsIn(clerk, byPost, 'after the arrow key')
      await tabTo(clerk, dialog.getByRole('textbox', { name: '邮件运单号' }))
      await clerk.keyboard.type('SF1234567890')
    })
    await clerk.getByText('出件：邮寄送达，运单号 SF1234567890').waitFor()
    assertNoPageErrors(clerk)
    await clerk.context().close()
  })

  test('rate: the citizen rates the concluded case 满意 from 我的评价, by keyboard', async () => {
    const rating = await (await citizen.request.get(`/api/v1/cases/${caseId}/rating`)).json()
    await citizen.goto('/my/ratings')
    const link = citizen.getByTestId(`rate-${caseId}`)
    await link.waitFor()
    await settle(citizen)
    await tabTo(citizen, link)
    await citizen.keyboard.press('Enter')
    await citizen.waitForURL((u) => u.pathname === `/rate/${caseId}`)
    await citizen.getByRole('radiogroup', { name: '评价等级' }).waitFor()
    await settle(citizen)
    await tabCycle(citizen)
    // the five levels are one radio group: Tab enters it, the arrow keys choose
    await tabTo(citizen, citizen.getByRole('radio', { name: '非常满意' }))
    await citizen.keyboard.press('ArrowRight')
    const good = citizen.getByRole('radio', { name: '满意', exact: true })
    assert.equal(await good.getAttribute('aria-checked'), 'true', 'the arrow key chooses 满意')
    await focusIsIn(citizen, good, 'after the arrow key')
    const tag = citizen.getByRole('checkbox', { name: rating.tags.good[0] })
    await tabTo(citizen, tag)
    await citizen.keyboard.press('Space')
    assert.ok(await tag.isChecked())
    await tabTo(citizen, citizen.getByRole('textbox', { name: '评价意见' }))
    await citizen.keyboard.type('一次办好')
    await tabTo(citizen, citizen.getByRole('button', { name: '提交评价' }))
    await citizen.keyboard.press('Enter')
    const mine = citizen.getByTestId('my-rating')
    await mine.getByText('满意').first().waitFor()
    // the form is gone with the button that had the focus: the focus is on the answer
    await focusIsIn(citizen, mine, 'after 提交评价')
    await assertFocusVisible(citizen, 'after 提交评价')
    await screenshot(citizen, 'keyboard-rated.png')
    assertNoPageErrors(citizen)
    await citizen.context().close()
  })
})
