// The case modes of issue 22 in the browser: on a phone, an enterprise applies for 食品经营许可
// on commitment (告知承诺制) without the management-system documents, reads the 承诺书 and
// confirms it; at the window the clerk accepts it with the equipment layout still owed
// (容缺受理) and a deadline, the case shows the material owed; the approvers of a joint
// review (并联审批) see where each department stands in their review page.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { apiAs, assertNoPageErrors, launch, newPage, PASSWORD, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const FOOD = '食品经营许可'
const PROMISED = '食品安全自查、从业人员健康管理等食品安全管理制度'
const OWED = '与食品经营相适应的主要设备设施布局、操作流程等文件'

async function portalSignIn(page, username, redirect) {
  await page.goto(redirect)
  await page.waitForURL((u) => u.pathname === '/login')
  await page.locator('#portal-login-username').fill(username)
  await page.locator('#portal-login-password').fill(PASSWORD)
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

describe('告知承诺 on a phone, 容缺 at the window', () => {
  let phone, caseId, caseNo

  test('the enterprise applies on commitment and confirms the 承诺书', async () => {
    phone = await newPage(browser, 390, 844)
    const items = await phone.request.get('/api/v1/items?q=' + encodeURIComponent(FOOD))
    const item = (await items.json()).items.find((i) => i.name === FOOD)
    await portalSignIn(phone, 'demo-enterprise', `/apply/${item.id}`)
    await phone.waitForURL((u) => u.pathname === `/apply/${item.id}`)
    const promise = phone.getByTestId('apply-commitment')
    await promise.getByText(PROMISED, { exact: false }).waitFor()
    await promise.getByText('以告知承诺方式办理').click()
    const mats = phone.getByTestId('apply-materials')
    for (const m of ['《食品经营许可申请书》', '营业执照']) await mats.getByText(m, { exact: false }).first().click()
    await screenshot(phone, 'modes-apply-commitment.png')
    await phone.getByRole('button', { name: '提交申请' }).click()
    // only the owed-to-be layout is missing: the commitment stands in for the other
    const box = phone.locator('.el-message-box')
    await box.getByText(OWED, { exact: false }).waitFor()
    assert.ok(!(await box.innerText()).includes(PROMISED), 'the promised material is not asked for')
    await box.getByRole('button', { name: '提交申请' }).click()
    await phone.waitForURL((u) => /^\/my\/cases\/\d+$/.test(u.pathname))
    caseId = Number(new URL(phone.url()).pathname.split('/').pop())
    caseNo = (await phone.getByTestId('case-no').innerText()).trim()
    const modes = phone.getByTestId('case-modes')
    await modes.getByText('承诺书尚未确认', { exact: false }).waitFor()
    // the 承诺书 is a PDF the applicant reads before confirming
    const href = await modes.getByTestId('commitment-pdf').getAttribute('href')
    const pdf = await phone.request.get(href)
    assert.equal(pdf.status(), 200)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
    await box.waitFor({ state: 'hidden' })
    await modes.scrollIntoViewIfNeeded()
    await screenshot(phone, 'modes-commitment-unconfirmed.png')
    await modes.getByTestId('commitment-confirm').click()
    await modes.getByTestId('commitment-confirmed').waitFor()
    await phone.getByText('已确认告知承诺书').waitFor({ state: 'hidden' })
    await modes.scrollIntoViewIfNeeded()
    await screenshot(phone, 'modes-commitment-confirmed.png')
    // no horizontal scrolling on the phone
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1))
    assertNoPageErrors(phone)
  })

  test('the clerk accepts with the layout owed for 3 working days', async () => {
    const clerk = await newPage(browser, 1440, 900)
    await workSignIn(clerk, 'demo-clerk')
    await clerk.waitForURL((u) => u.pathname === '/work')
    await clerk.goto(`/work/cases/${caseId}`)
    await clerk.getByTestId('case-no').filter({ hasText: caseNo }).waitFor()
    await clerk.getByTestId('case-actions').getByRole('button', { name: '受理', exact: true }).click()
    const dialog = clerk.getByRole('dialog')
    const owe = dialog.getByTestId('owe-choice')
    await owe.getByText(OWED).click()
    await owe.locator('#owed-days input, input#owed-days').first().fill('3')
    await screenshot(clerk, 'modes-accept-owed.png')
    await dialog.getByRole('button', { name: '确认受理' }).click()
    await clerk.getByTestId('case-state').filter({ hasText: '审查中' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    const owed = clerk.getByTestId('owed-list')
    await owed.getByText(OWED).waitFor()
    await owed.getByText('待补交').waitFor()
    const c = await clerk.evaluate(async (id) => (await (await fetch(`/api/v1/cases/${id}`)).json()), caseId)
    assert.deepEqual(c.modes.owed.map((o) => o.name), [OWED])
    assert.ok(c.modes.owed[0].due > c.accepted_date, 'due after the day of acceptance')
    assert.ok(c.modes.commitment.confirmed_at)
    await clerk.getByTestId('case-modes').scrollIntoViewIfNeeded()
    await screenshot(clerk, 'modes-case-owed.png')
    // handed in on paper at the window
    await owed.getByRole('button', { name: '登记已补交' }).click()
    await owed.getByText('已补交').waitFor()
    assertNoPageErrors(clerk)
    await clerk.context().close()
  })

  test('the applicant’s phone shows the material as handed in', async () => {
    await phone.goto(`/my/cases/${caseId}`)
    const owed = phone.getByTestId('owed-list')
    await owed.getByText('已补交').waitFor()
    assertNoPageErrors(phone)
    await phone.context().close()
  })
})

describe('并联审批 in the approvers’ review page', () => {
  test('each department of the group sees the case and the other’s opinion', async () => {
    const admin = await apiAs('demo-admin')
    const depts = (await admin.get('/orgs?kind=department')).json.items
    const seed = Date.now() % 1_000_000
    const users = {}
    for (const code of ['D04', 'D33']) {
      const username = `e2e-joint-${code}-${seed}`.toLowerCase()
      const r = await admin.post('/users', {
        username, name: `并联${code}`, role: 'approver', org_id: depts.find((d) => d.code === code).id,
        mobile: `139${String(seed).padStart(6, '0')}${code === 'D04' ? '04' : '33'}`, password: 'Staff#2026x',
      })
      assert.equal(r.status, 201, r.text)
      users[code] = username
    }
    const enterprise = await apiAs('demo-enterprise')
    const clerk = await apiAs('demo-clerk')
    const items = (await enterprise.get('/items?q=' + encodeURIComponent('大型群众性活动安全许可'))).json.items
    const item = (await enterprise.get(`/items/${items.find((i) => i.name === '大型群众性活动安全许可').id}`)).json
    const filed = await enterprise.post('/cases', {
      item_id: item.id, title: '赫山区元宵灯会', materials: item.materials.filter((m) => m.required === 'yes').map((m) => m.name),
    })
    assert.equal(filed.status, 201, filed.text)
    assert.equal((await clerk.post(`/cases/${filed.json.id}/transitions`, { action: 'accept' })).status, 200)
    const fire = await apiAs(users.D33, 'Staff#2026x')
    assert.equal((await fire.post(`/cases/${filed.json.id}/transitions`, { action: 'forward', comment: '消防安全条件符合' })).status, 200)

    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, users.D04, 'Staff#2026x')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/cases/review')
    const q = page.getByTestId('joint-queue')
    const row = q.locator('tr', { hasText: filed.json.case_no })
    await row.waitFor()
    assert.match(await row.innerText(), /赫山区消防救援大队：\s*同意/)
    assert.match(await row.innerText(), /益阳市公安局赫山分局：\s*待提出意见/)
    await screenshot(page, 'modes-joint-queue.png')
    await row.getByRole('link', { name: filed.json.case_no }).click()
    const joint = page.getByTestId('joint-status')
    await joint.getByText('消防安全条件符合').waitFor()
    await page.getByTestId('case-modes').scrollIntoViewIfNeeded()
    await screenshot(page, 'modes-joint-case.png')
    assertNoPageErrors(page)
    await page.context().close()
  })
})
