// 出生一件事 through the browser (issue 22): a parent applies once on the phone for the
// newborn's 出生登记 (公安), 医保参保 (医保) and 社会保障卡 (人社); the window takes the
// bundle in once; 人社's approver decides its case while the window decides 公安's; the
// newborn's 居民户口簿 then reaches 医保's case by itself and it is accepted without
// anyone; the window hands everything out once; the parent rates once on the phone.
// Screenshots (tests/e2e/screenshots/): bundle-guide-390x844.png, bundle-applied-390x844.png,
// bundle-window-accepted.png, bundle-fed.png, bundle-delivered.png, bundle-rated-390x844.png.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { PASSWORD, apiAs, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

/** Click an action on the workbench case page and confirm it. */
async function decide(page, caseId, name, state) {
  await page.goto(`/work/cases/${caseId}`)
  await page.getByTestId('case-actions').getByRole('button', { name, exact: true }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: `确认${name}` }).click()
  await page.getByTestId('case-state').filter({ hasText: state }).waitFor()
  await dialog.waitFor({ state: 'hidden' })
}

describe('出生一件事: one phone application, each department\'s approval, one delivery, one rating', () => {
  let phone, clerk, hrss, appId, appNo, kids

  test('the parent reads the guide and applies once on the phone', async () => {
    phone = await newPage(browser, 390, 844)
    await phone.goto('/bundles')
    await phone.getByTestId('bundle-list').getByRole('link', { name: /出生一件事/ }).click()
    await phone.getByRole('heading', { name: '出生一件事' }).waitFor()
    await phone.getByText('其结果将自动作为本事项的“居民户口簿”', { exact: false }).waitFor()
    await screenshot(phone, 'bundle-guide-390x844.png')
    await phone.getByTestId('bundle-apply-link').click()
    await phone.waitForURL((u) => u.pathname === '/login')
    await phone.locator('#portal-login-username').fill('demo-citizen')
    await phone.locator('#portal-login-password').fill(PASSWORD)
    await phone.getByRole('button', { name: '登录', exact: true }).click()
    await phone.waitForURL((u) => /^\/bundles\/\d+\/apply$/.test(u.pathname))
    await phone.getByRole('heading', { name: /一次申请：出生一件事/ }).waitFor()
    // each question once, though all three items ask for the child's name
    assert.equal(await phone.locator('[data-field="child_name"]').count(), 1)
    // a required question left empty is named on the form
    await phone.getByTestId('bundle-submit').click()
    await phone.getByText('请填写新生儿姓名').waitFor()
    const answers = { child_name: '张小满', child_gender: '女', birth_date: '2026-11-20', birth_cert_no: 'R430900123', address: '赫山区桃花仑街道桃花仑社区' }
    for (const [k, v] of Object.entries(answers)) await phone.locator(`#bf-${k}`).fill(v)
    // every material marked 必需, each listed once though several items ask for it
    const mats = phone.getByTestId('bundle-materials')
    const needed = mats.locator('.mat', { hasText: '（必需）' })
    assert.equal(await mats.locator('.mat', { hasText: /^\s*居民身份证（/ }).count(), 1)
    for (let i = 0; i < (await needed.count()); i++) await needed.nth(i).locator('.el-checkbox').first().click()
    for (const m of ['出生医学证明', '父母双方居民户口簿', '近期免冠彩色照片'])
      assert.ok(await mats.locator('.mat', { hasText: m }).locator('.el-checkbox').first().locator('input').isChecked(), m)
    // the newborn's 居民户口簿 is not asked for: 出生登记 supplies it
    await phone.getByText('居民户口簿：“出生登记”办结后自动取得').waitFor()
    await phone.getByTestId('bundle-submit').click()
    const box = phone.locator('.el-message-box')
    await box.getByText('3 个部门', { exact: false }).waitFor()
    await box.getByRole('button', { name: '提交申请' }).click()
    await phone.waitForURL((u) => /^\/my\/bundles\/\d+$/.test(u.pathname))
    appId = Number(new URL(phone.url()).pathname.split('/').pop())
    appNo = (await phone.getByTestId('bundle-no').innerText()).trim()
    assert.match(appNo, /^YJS-\d{8}-\d{4}$/)
    await phone.getByTestId('bundle-state').filter({ hasText: '办理中' }).waitFor()
    const children = phone.getByTestId('bundle-children')
    await children.getByText('等待“出生登记”办结', { exact: false }).waitFor()
    await box.waitFor({ state: 'hidden' })
    await screenshot(phone, 'bundle-applied-390x844.png')
    assertNoPageErrors(phone)
  })

  test('the window takes the whole bundle in at once; 医保 waits for 公安', async () => {
    clerk = await newPage(browser, 1440, 900)
    await workSignIn(clerk, 'demo-clerk')
    await clerk.waitForURL((u) => u.pathname === '/work')
    await clerk.goto('/work/bundles/applications')
    await clerk.getByTestId('bundle-desk').getByRole('link', { name: appNo }).click()
    await clerk.waitForURL((u) => u.pathname === `/work/bundles/applications/${appId}`)
    await clerk.getByText('新生儿姓名').waitFor()
    await clerk.getByTestId('bundle-accept').click()
    const rows = clerk.getByTestId('bundle-children')
    await rows.locator('tr', { hasText: '出生登记' }).getByText('审查中').waitFor()
    await rows.locator('tr', { hasText: '社会保障卡申领' }).getByText('审查中').waitFor()
    await rows.locator('tr', { hasText: '城乡居民基本医疗保险参保登记' }).getByText('待受理').waitFor()
    await rows.getByText('等待“出生登记”办结', { exact: false }).waitFor()
    await screenshot(clerk, 'bundle-window-accepted.png')
    const api = await apiAs('demo-clerk')
    kids = (await api.get(`/bundle-applications/${appId}`)).json.children
  })

  test('人社 decides its own case while 公安 has not yet', async () => {
    const admin = await apiAs('demo-admin')
    const depts = (await admin.get('/orgs?kind=department&per_page=100')).json.items
    const d08 = depts.find((o) => o.code === 'D08')
    const username = `e2e-hrss-${Date.now() % 1_000_000}`
    const mk = await admin.post('/users', { username, name: '谢社保', role: 'approver', org_id: d08.id, password: 'Staff#2026x' })
    assert.equal(mk.status, 201, mk.text)
    hrss = await newPage(browser, 1440, 900)
    await workSignIn(hrss, username, 'Staff#2026x')
    await hrss.waitForURL((u) => u.pathname === '/work')
    await decide(hrss, kids[2].case_id, '审查通过，转下一环节', '审查中')
    await decide(hrss, kids[2].case_id, '准予许可', '待出件')
    assertNoPageErrors(hrss)
  })

  test('公安 approves 出生登记 at the window: the 居民户口簿 reaches 医保 and it is accepted by itself', async () => {
    await decide(clerk, kids[0].case_id, '准予许可', '待出件')
    await clerk.goto(`/work/bundles/applications/${appId}`)
    const rows = clerk.getByTestId('bundle-children')
    await rows.getByText('已自动取得“居民户口簿”', { exact: false }).waitFor()
    await rows.locator('tr', { hasText: '城乡居民基本医疗保险参保登记' }).getByText('审查中').waitFor()
    await screenshot(clerk, 'bundle-fed.png')
    // 医保's step is done at its window (即办)
    await decide(clerk, kids[1].case_id, '准予许可', '待出件')
  })

  test('the window hands everything out once', async () => {
    await clerk.goto(`/work/bundles/applications/${appId}`)
    await clerk.getByTestId('bundle-state').filter({ hasText: '待领取' }).waitFor()
    await clerk.getByTestId('bundle-deliver').click()
    await clerk.getByTestId('bundle-state').filter({ hasText: '已办结' }).waitFor()
    const rows = clerk.getByTestId('bundle-children')
    assert.equal(await rows.locator('tr', { hasText: '已办结' }).count(), 3)
    await screenshot(clerk, 'bundle-delivered.png')
    assertNoPageErrors(clerk)
  })

  test('the parent rates once on the phone, and every department hears it', async () => {
    await phone.goto(`/my/bundles/${appId}`)
    await phone.getByTestId('bundle-state').filter({ hasText: '已办结' }).waitFor()
    await phone.getByRole('radio', { name: '非常满意' }).click({ force: true })
    await phone.getByRole('textbox', { name: '评价意见' }).fill('一次申请三个部门都办好了，不用来回跑')
    await phone.getByTestId('bundle-rate-submit').click()
    await phone.getByTestId('bundle-rated').filter({ hasText: '非常满意' }).waitFor()
    await screenshot(phone, 'bundle-rated-390x844.png')
    const citizen = await apiAs('demo-citizen')
    for (const k of kids) {
      const r = await citizen.get(`/cases/${k.case_id}/rating`)
      assert.equal(r.json.rating.level, 5)
    }
    assertNoPageErrors(phone)
    for (const p of [phone, clerk, hrss]) await p.context().close()
  })
})
