// 考核 in the browser (issue 21): the supervisor sets up the 2026 department scheme from
// the common indicators and issues it, computes the third quarter and publishes it; the
// assessment bulletin's PDF reads right (pdftotext); 民政局's head (demo-approver) sees
// the unit's sheet, drills down to a late case and opens it, and files an objection.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { BASE_URL, PASSWORD, apiAs, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function pick(page, testid, option) {
  await page.getByTestId(testid).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

describe('a quarter assessed from the scheme to the objection', () => {
  let sheetId
  test('the supervisor sets up the scheme, issues it and publishes the third quarter', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.locator('aside nav a', { hasText: '考核方案' }).click()
    await page.waitForURL((u) => u.pathname === '/work/assessment/schemes')
    await page.getByTestId('scheme-new').click()
    await page.getByTestId('scheme-defaults').click()
    await page.getByTestId('scheme-total').getByText('分值合计 100 分').waitFor()
    await page.getByTestId('scheme-save').click()
    const card = page.getByTestId('scheme-department')
    await card.getByText('草稿').waitFor()
    await card.getByTestId('scheme-issue').click()
    await card.getByText('已印发').waitFor()
    await screenshot(page, 'assessment-scheme-1440x900.png')

    await page.locator('aside nav a', { hasText: '考核评分' }).click()
    await page.waitForURL((u) => u.pathname === '/work/assessment/scores')
    await pick(page, 'scores-period', '2026年第三季度')
    await page.getByTestId('scores-compute').click()
    await page.getByText('按当前数据计算，尚未发布').waitFor()
    const rows = page.getByTestId('scores-table').locator('.el-table__body-wrapper tbody tr')
    await rows.first().waitFor()
    assert.ok((await rows.count()) >= 30, 'every department is ranked')
    await page.getByTestId('scores-publish').click()
    await page.getByText('已发布第 1 版').waitFor()
    await page.getByTestId('published-table').getByText('2026年第三季度').waitFor()
    await screenshot(page, 'assessment-scores-1440x900.png')
    assertNoPageErrors(page)
    await page.context().close()

    const sup = await apiAs('demo-supervisor')
    const sheets = await sup.get('/assessment/sheets?year=2026')
    sheetId = sheets.json.items.find((s) => s.period === '2026-Q3').id
  })

  test('the assessment bulletin’s PDF names the period and the units', async () => {
    const sup = await apiAs('demo-supervisor')
    const b = await sup.post('/bulletins', { kind: 'assessment', sheet_id: sheetId })
    assert.equal(b.status, 201, b.text)
    const login = await fetch(BASE_URL + '/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'demo-supervisor', password: PASSWORD }),
    })
    const cookie = login.headers.get('set-cookie').split(';')[0]
    const pdf = Buffer.from(await (await fetch(`${BASE_URL}/api/v1/bulletins/${b.json.id}/pdf`, { headers: { Cookie: cookie } })).arrayBuffer())
    const dir = mkdtempSync(join(tmpdir(), 'ow-e2e-'))
    try {
      writeFileSync(join(dir, 'b.pdf'), pdf)
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'b.pdf'), '-']).toString().replace(/\s+/g, '')
      assert.ok(text.includes('关于2026年第三季度区直部门考核结果的通报'), text.slice(0, 300))
      assert.ok(text.includes('赫山区民政局'))
      assert.ok(text.includes(b.json.number))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('民政局’s head sees its sheet, drills down to a late case and objects', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-approver')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.locator('aside nav a', { hasText: '本单位考核' }).click()
    await page.waitForURL((u) => u.pathname === '/work/assessment/mine')
    await page.getByTestId('unit-sheet-head').getByText('赫山区民政局').waitFor()
    await page.getByTestId('drill-on_time_rate').click()
    const link = page.getByTestId('drill-table').locator('a').first()
    await link.waitFor()
    const caseNo = (await link.textContent()).trim()
    assert.match(caseNo, /^430903-\d{8}-\d{5}$/)
    await screenshot(page, 'assessment-drill-1440x900.png')
    await link.click()
    await page.waitForURL((u) => /^\/work\/cases\/\d+$/.test(u.pathname))
    await page.getByText(caseNo).first().waitFor()
    await page.goBack()
    await page.waitForURL((u) => u.pathname === '/work/assessment/mine')
    await page.getByTestId('object-open').click()
    await page.locator('textarea[data-testid="object-reason"], [data-testid="object-reason"] textarea').first().fill('第三季度两件办件因省级平台故障延误办结，已有情况说明，请予核减。')
    await page.getByTestId('object-submit').click()
    await page.getByTestId('my-objection').getByText('待答复').waitFor()
    await screenshot(page, 'assessment-objection-1440x900.png')
    assertNoPageErrors(page)
    await page.context().close()
  })
})
