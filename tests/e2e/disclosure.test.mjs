// Browser test of an information request from filing to the annual report (issue 9):
// a citizen files online; the officer confirms receipt and asks for a supplement; the
// citizen supplements; the officer replies with partial disclosure; the citizen
// downloads the notice (a PDF); the annual report shows the request in the 部分公开 /
// 自然人 cell.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import XLSX from 'xlsx'
import { BASE_URL, PASSWORD, apiAs, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

// the server's year: scripts/with-server.sh runs it at a fixed instant (OW_CLOCK_OFFSET_MS)
const year = new Date(Date.now() + Number(process.env.OW_CLOCK_OFFSET_MS ?? 0) + 8 * 3600e3).getUTCFullYear()

async function orgId() {
  const r = await fetch(`${BASE_URL}/api/v1/orgs?kind=department`)
  const body = await r.json()
  return body.items.find((o) => o.name.includes('政务公开股')).id
}

/** A valid unified social credit code (GB 32100 check characters) for n. */
function uscc(n) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const org8 = 'MA' + String(n).padStart(6, '0')
  const ow = [3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 8; i++) s += parseInt(org8[i], 36) * ow[i]
  const c9 = 11 - (s % 11)
  const first17 = '31430903' + org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9))
  let t = 0
  for (let i = 0; i < 17; i++) t += A.indexOf(first17[i]) * (3 ** i % 31)
  return first17 + A[(31 - (t % 31)) % 31]
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
    // the applicant is the account: its name and masked ID number are shown, not typed
    assert.equal(await citizen.locator('#req-name').inputValue(), '张伟')
    assert.equal(await citizen.locator('#req-id-number').inputValue(), '430903********2317')
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
    await officer.locator('#act-submit').waitFor({ state: 'hidden' }) // the dialog has faded out
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
    // the screenshot shows section 3's table, with its three label columns
    await citizen.locator('#report-requests').evaluate((t) => t.scrollIntoView({ block: 'start' }))
    await screenshot(citizen, 'disclosure-report.png')
    assertNoPageErrors(citizen)
    assertNoPageErrors(officer)
    await citizen.context().close()
    await officer.context().close()
  })

  test('the officer registers a letter request with its sign-for date; the deadline follows Art. 31 and 33', async () => {
    // the sign-for date: ten calendar days ago (a letter signed for at the mail room and
    // registered later); its reply deadline counted here from the calendar's days, not
    // by the server's rule: 20 working days, the sign-for day itself not counted
    const iso = (d) => d.toISOString().slice(0, 10)
    // the server's today (the test server runs at a fixed instant, scripts/with-server.sh)
    const today = new Date(Date.now() + Number(process.env.OW_CLOCK_OFFSET_MS ?? 0) + 8 * 3600e3)
    const signed = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 10))
    const special = new Map()
    for (const y of [signed.getUTCFullYear(), signed.getUTCFullYear() + 1]) {
      const cal = await (await fetch(`${BASE_URL}/api/v1/calendar?year=${y}`)).json()
      for (const d of cal.days ?? []) special.set(d.date, d.kind)
    }
    const isWorkday = (d) => {
      const k = special.get(iso(d))
      if (k) return k === 'workday'
      return d.getUTCDay() !== 0 && d.getUTCDay() !== 6
    }
    const addWorkdays = (from, n) => {
      const d = new Date(from)
      while (n > 0) {
        d.setUTCDate(d.getUTCDate() + 1)
        if (isWorkday(d)) n--
      }
      return iso(d)
    }
    const wantDue = addWorkdays(signed, 20)
    const wantAskBy = addWorkdays(signed, 7)

    const officer = await newPage(browser, 1366, 1000)
    await workSignIn(officer, 'demo-discloser')
    await officer.waitForURL((u) => u.pathname === '/work')
    await officer.goto('/work/disclosure/requests')
    await officer.getByTestId('register-request').click()
    await officer.waitForURL((u) => u.pathname === '/work/disclosure/requests/new')
    await officer.locator('h1', { hasText: '登记来信来访申请' }).waitFor()
    // a registered letter (the default channel): the date is the sign-for date
    await officer.getByText('需签收（挂号信、EMS 等）').click()
    await officer.locator('label', { hasText: '签收日期' }).waitFor()
    await officer.locator('#reg-date').fill(iso(signed))
    await officer.locator('#reg-date').press('Enter')
    await officer.locator('#reg-due-date', { hasText: wantDue }).waitFor()
    assert.equal((await officer.locator('#reg-ask-by').innerText()).trim(), wantAskBy)
    // an organisation applying by letter
    await officer.getByTestId('reg-kind').getByText('法人或其他组织').click()
    await officer.locator('#reg-name').fill('益阳市赫山区测试律师事务所')
    await officer.locator('.el-form-item', { hasText: '组织类别' }).locator('.el-select').click()
    await officer.locator('.el-select-dropdown__item', { hasText: '法律服务机构' }).click()
    await officer.locator('#reg-uscc').fill(uscc(Date.now() % 1_000_000))
    await officer.locator('#reg-contact').fill('李律师')
    await officer.locator('#reg-mobile').fill('13907371234')
    await officer.locator('#reg-address').fill('益阳市赫山区龙岭路 8 号')
    const content = `来信登记测试：${iso(signed)} 签收的关于龙岭路拓宽工程征收补偿方案的申请`
    await officer.locator('#reg-content').fill(content)
    const letterPdf = Buffer.from('%PDF-1.4\n% 来信扫描件\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
    await officer.getByTestId('reg-scan').setInputFiles({ name: '来信扫描件.pdf', mimeType: 'application/pdf', buffer: letterPdf })
    await screenshot(officer, 'disclosure-register-letter.png')
    await officer.getByTestId('reg-submit').click()
    await officer.waitForURL((u) => /^\/work\/disclosure\/requests\/\d+$/.test(u.pathname))
    await officer.locator('#req-state', { hasText: '办理中' }).waitFor()
    assert.equal((await officer.locator('#req-due').innerText()).trim(), wantDue)
    await officer.getByText(iso(signed)).first().waitFor()
    await officer.getByText('邮寄').first().waitFor()
    await officer.getByTestId('request-papers').getByText('来信扫描件.pdf').waitFor()
    await screenshot(officer, 'disclosure-register-letter-detail.png')

    // the stored request says the same
    const id = Number(new URL(officer.url()).pathname.split('/').pop())
    const r = await officer.context().request.get(`/api/v1/info-requests/${id}`)
    const req = await r.json()
    assert.equal(req.channel, 'post')
    assert.equal(req.received_date, iso(signed))
    assert.equal(req.due_date, wantDue)
    assert.equal(req.applicant_type, 'legal_service')
    assert.equal(req.contact_name, '李律师')
    assert.equal(req.content, content)
    assert.deepEqual(req.papers.map((p) => [p.label, p.filename, p.size]), [['申请书', '来信扫描件.pdf', letterPdf.length]])
    assertNoPageErrors(officer)
    await officer.context().close()
  })

  test('the discloser attaches files to a draft; they are reviewed with it and listed on the public page', async () => {
    const officer = await newPage(browser, 1366, 1000)
    await workSignIn(officer, 'demo-discloser')
    await officer.waitForURL((u) => u.pathname === '/work')
    await officer.goto('/work/disclosure/publications/new')
    const title = `附件测试：赫山区${year}年老旧小区改造实施方案`
    await officer.locator('#pub-title').fill(title)
    await officer.locator('#pub-issued').fill(`${year}-01-15`)
    await officer.locator('#pub-issued').press('Enter')
    await officer.locator('#pub-body').fill('现将实施方案及项目清单印发，详见附件。')
    await officer.getByRole('button', { name: '保存草稿' }).click()
    await officer.waitForURL((u) => /\/work\/disclosure\/publications\/\d+$/.test(u.pathname))
    const id = Number(new URL(officer.url()).pathname.split('/').pop())

    // a PDF goes in; an executable renamed .pdf is refused with the server's reason
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
    const box = officer.getByTestId('pub-attachments')
    await box.getByTestId('attachment-input').setInputFiles({ name: '附件1：实施方案.pdf', mimeType: 'application/pdf', buffer: pdf })
    await box.getByTestId('attachment-附件1：实施方案.pdf').waitFor()
    const elf = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), Buffer.alloc(100)])
    await box.getByTestId('attachment-input').setInputFiles({ name: '附件2：项目清单.pdf', mimeType: 'application/pdf', buffer: elf })
    await box.getByText('可执行程序').waitFor()
    await screenshot(officer, 'disclosure-pub-attachments.png')

    // submitted: the list is frozen; approved: published with it
    await officer.getByRole('button', { name: '提交保密审查' }).click()
    await box.getByText('附件随正文一并审查').waitFor()
    assert.equal(await box.getByRole('button', { name: '添加附件' }).count(), 0)
    // the 保密审查 is another discloser's: the submitter is not offered the approval
    await officer.getByTestId('pub-own-review').waitFor()
    assert.equal(await officer.getByRole('button', { name: '保密审查通过并发布' }).count(), 0)
    const reviewer = await newPage(browser, 1366, 900)
    await workSignIn(reviewer, 'demo-discloser2')
    await reviewer.waitForURL((u) => u.pathname === '/work')
    await reviewer.goto(`/work/disclosure/publications/${id}`)
    await reviewer.getByRole('button', { name: '保密审查通过并发布' }).click()
    await reviewer.locator('.el-message-box__input input').fill('正文及附件经保密审查，同意公开')
    await reviewer.locator('.el-message-box__btns .el-button--primary').click()
    await reviewer.locator('.muted', { hasText: '索引号' }).waitFor()
    await reviewer.context().close()

    const page = await newPage(browser, 390, 844)
    await page.goto(`/open/publications/${id}`)
    await page.locator('h1', { hasText: title }).waitFor()
    const link = page.getByTestId('pub-attachments').locator('a', { hasText: '附件1：实施方案.pdf' })
    await link.waitFor()
    const res = await page.context().request.get(await link.getAttribute('href'))
    assert.equal(res.status(), 200)
    assert.ok((await res.body()).equals(pdf))
    assert.match(res.headers()['content-disposition'], /^attachment;.*filename\*=UTF-8''/)
    await screenshot(page, 'disclosure-pub-public-attachments.png')
    assertNoPageErrors(officer)
    assertNoPageErrors(page)
    await officer.context().close()
    await page.context().close()
  })

  test('the annual-report screen exports the workbook; its request table matches the page', async () => {
    const officer = await newPage(browser, 1366, 1000)
    await workSignIn(officer, 'demo-discloser')
    await officer.waitForURL((u) => u.pathname === '/work')
    await officer.goto('/work/disclosure/report')
    await officer.locator('h2.rt', { hasText: '年度报告' }).waitFor()
    await officer.locator('#report-requests tr[data-row="new"] td[data-col="total"]').waitFor()
    const [download] = await Promise.all([officer.waitForEvent('download'), officer.getByTestId('report-xlsx').click()])
    const wb = XLSX.readFile(await download.path())
    assert.equal(wb.SheetNames.length, 3)
    const ws = wb.Sheets['三、收到和处理政府信息公开申请情况']
    // rows 5 一、本年新收, 8 （二）部分公开, 29 四、结转下年度: every column D–J as the page shows it
    const cols = ['person', 'commercial', 'research', 'public_interest', 'legal_service', 'other_org', 'total']
    for (const [r, key] of [[5, 'new'], [8, 'g2'], [29, 'carried_out']]) {
      const shown = []
      for (const c of cols) {
        shown.push(Number((await officer.locator(`#report-requests tr[data-row="${key}"] td[data-col="${c}"]`).innerText()).trim()))
      }
      assert.deepEqual(['D', 'E', 'F', 'G', 'H', 'I', 'J'].map((c) => ws[`${c}${r}`].v), shown, key)
    }
    assert.ok(ws.J5.v > 0, 'the district received requests in the year shown')
    assertNoPageErrors(officer)
    await officer.context().close()
  })

  test('a department’s discloser sees the district report and the inspections read-only', async () => {
    const admin = await apiAs('demo-admin')
    const depts = await admin.get('/orgs?kind=department&per_page=100')
    const office = (await (await apiAs('demo-discloser')).get('/me')).json.user.org.id
    const unit = depts.json.items.find((o) => o.id !== office)
    const username = `e2e-unit-discloser-${Date.now() % 1e8}`
    const mk = await admin.post('/users', { username, name: '部门公开员', role: 'discloser', org_id: unit.id, password: 'Staff#2026x' })
    assert.equal(mk.status, 201, mk.text)
    const page = await newPage(browser, 1366, 900)
    await workSignIn(page, username, 'Staff#2026x')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/disclosure/report')
    await page.getByTestId('report-readonly').filter({ hasText: '政务公开办' }).waitFor()
    assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0)
    assert.equal(await page.locator('textarea').first().isDisabled(), true)
    await screenshot(page, 'disclosure-report-readonly.png')
    // its own unit's report it edits
    await page.getByRole('radio', { name: '本单位' }).check({ force: true })
    await page.getByRole('button', { name: '保存' }).waitFor()
    assert.equal(await page.getByTestId('report-readonly').count(), 0)
    await page.goto('/work/disclosure/inspections')
    await page.getByTestId('inspect-readonly').waitFor()
    assert.equal(await page.getByRole('button', { name: '保存' }).count(), 0)
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('the portal lists publications, searches them and opens one', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/open')
    await page.locator('main h1', { hasText: '政务公开' }).waitFor()
    await page.locator('#open-search').fill('部门预算')
    await page.getByRole('button', { name: '搜索' }).click()
    await page.waitForURL((u) => u.searchParams.get('q') === '部门预算')
    // the unfiltered list is on screen until the search answers (the newest item first,
    // which another test may just have published): wait for the answer, not for any list
    await page.waitForFunction(() => document.querySelector('.pubs li a')?.textContent?.includes('部门预算'))
    const first = page.locator('.pubs li a').first()
    const title = await first.innerText()
    assert.ok(title.includes('部门预算'), title)
    await first.click()
    await page.getByText('索引号').waitFor()
    await page.locator('h1', { hasText: title }).waitFor()
    assertNoPageErrors(page)
    await page.context().close()
  })
})
