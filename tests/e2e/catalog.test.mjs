// The catalog in the browser (issue 5): a citizen types 婚姻, finds 婚姻登记, opens the
// guide and sees the materials and the time limit; an administrator edits an item and
// publishes it, and the portal shows the new version; the workbench home shows coverage;
// the catalog screen's Excel export holds every item and imports back through its dialog.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import XLSX from 'xlsx'
import { assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('catalog', () => {
  test('a citizen finds 婚姻登记 by typing 婚姻 and reads the guide', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/search')
    await page.locator('#search-page-input').fill('婚姻')
    await page.locator('#search-page-input').press('Enter')
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '婚姻')
    const link = page.getByRole('link', { name: '内地居民结婚登记' })
    await link.waitFor()
    await link.click()
    await page.waitForURL((u) => /^\/items\/\d+$/.test(u.pathname))
    const guide = page.getByTestId('item-guide')
    await guide.getByRole('heading', { name: '内地居民结婚登记' }).waitFor()
    const materials = page.getByTestId('guide-materials')
    assert.ok(await materials.getByText('居民户口簿').isVisible())
    assert.ok(await materials.getByText('离婚证或者离婚判决书、调解书').isVisible())
    assert.match(await page.getByTestId('committed').textContent(), /即办/)
    assert.ok(await page.getByTestId('guide-limits').getByText('法定办结时限').isVisible())
    // the QR code points a phone at the online application for this item
    const qr = page.getByTestId('guide-qr').locator('img')
    assert.match(await qr.getAttribute('alt'), /\/apply\/\d+$/)
    assert.ok((await qr.evaluate((img) => img.naturalWidth)) > 0, 'the QR image renders')
    await screenshot(page, 'catalog-guide-mobile.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('an administrator edits an item and publishes it; the portal shows the new version', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-admin')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.getByTestId('coverage-card').locator('[data-rate="online"]').getByText('网上可办率').waitFor()
    await page.goto('/work/catalog/items')
    await page.getByLabel('事项名称或编码').fill('高龄津贴申领')
    await page.getByRole('button', { name: '查询' }).click()
    const row = page.getByTestId('item-table').locator('tr', { hasText: '高龄津贴申领' })
    await row.waitFor()
    await row.getByRole('button', { name: '编辑' }).click()
    await page.waitForURL((u) => /^\/work\/catalog\/items\/\d+$/.test(u.pathname))
    const id = new URL(page.url()).pathname.split('/').pop()
    const name = page.locator('input[name="name"]')
    await page.waitForFunction(() => document.querySelector('input[name="name"]')?.value === '高龄津贴申领')
    await name.fill('高龄津贴申领（80周岁以上）')
    // a rule the server checks comes back on the field
    const committed = page.locator('input[name="committed_days"]')
    await committed.fill('99')
    await page.getByRole('button', { name: '保存', exact: true }).click()
    await page.locator('.el-form-item__error', { hasText: '不能超过法定时限' }).waitFor()
    await committed.fill('15')
    await page.getByRole('button', { name: '保存并发布' }).click()
    await page.getByTestId('item-status').filter({ hasText: '第 2 版' }).waitFor()
    await screenshot(page, 'catalog-edit.png')
    assertNoPageErrors(page)

    const portal = await newPage(browser, 1280, 900)
    await portal.goto(`/items/${id}`)
    await portal.getByRole('heading', { name: '高龄津贴申领（80周岁以上）' }).waitFor()
    assert.match(await portal.getByTestId('committed').textContent(), /15个工作日/)
    await portal.context().close()
    await page.context().close()
  })

  test('an administrator exports the catalog as Excel and imports the workbook back', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-admin')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.goto('/work/catalog/items')
    await page.getByTestId('item-table').locator('tbody tr').first().waitFor()
    await screenshot(page, 'catalog-list.png')
    const total = await page.evaluate(() =>
      fetch('/api/v1/items?status=all&per_page=1').then((r) => r.json()).then((j) => j.total))
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()])
    assert.equal(download.suggestedFilename(), 'catalog.xlsx')
    const wb = XLSX.readFile(await download.path())
    assert.equal(wb.SheetNames[0], '事项清单')
    const rows = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, blankrows: false })
    assert.deepEqual(rows[0].slice(0, 3), ['事项编码', '事项名称', '事项类型'])
    assert.equal(rows.length - 1, total, 'one row per item')
    const marriage = rows.find((r) => r[1] === '内地居民结婚登记')
    assert.ok(marriage, 'the marriage item')
    assert.equal(typeof marriage[rows[0].indexOf('法定时限（工作日）')], 'number')
    // the same workbook goes back in through the import dialog: every item updated
    const file = join(mkdtempSync(join(tmpdir(), 'ow-e2e-')), 'catalog.xlsx')
    await download.saveAs(file)
    await page.getByRole('button', { name: '导入CSV/Excel' }).click()
    await page.getByLabel('选择CSV或Excel文件').setInputFiles(file)
    await page.getByTestId('import-xlsx-name').getByText('catalog.xlsx').waitFor()
    await page.getByRole('button', { name: '导入', exact: true }).click()
    await page.getByText(`导入完成：新增 0 项，更新 ${total} 项`).waitFor()
    assertNoPageErrors(page)
  })
})
