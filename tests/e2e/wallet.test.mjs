// The wallet (issue 7) through the browser: demo-citizen holds the 结婚证 issued by a
// concluded demo case; they apply online for an item whose materials list names that
// license type (生育登记), take it from the wallet in the apply form instead of uploading
// (免提交), and submit. On their case page a renamed executable is refused with the
// server's Chinese message and a real PDF uploads with a progress bar. The window clerk
// (demo-clerk, W01, accepts online filings) opens the case and sees the 结婚证 attached
// as a license reference — its number, 免提交, no file. 我的卡包 lists the license with its
// certificate PDF.
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
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

describe('a license from the wallet instead of an upload (免提交)', () => {
  let citizen, clerk, item, material, license, caseId

  test('the citizen picks the 结婚证 from the wallet in the apply form and submits', async () => {
    citizen = await newPage(browser, 1280, 900)
    // an online item whose guide asks for a 结婚证 (license_type), found through the API
    const found = await (await citizen.request.get('/api/v1/items?q=' + encodeURIComponent('生育登记'))).json()
    for (const s of found.items) {
      const it = await (await citizen.request.get(`/api/v1/items/${s.id}`)).json()
      const m = it.materials.find((x) => x.license_type === '结婚证')
      if (m && it.modes.includes('online')) {
        item = it
        material = m.name
        break
      }
    }
    assert.ok(item, 'an online item needing a 结婚证')

    await portalSignIn(citizen, 'demo-citizen', `/apply/${item.id}`)
    await citizen.waitForURL((u) => u.pathname === `/apply/${item.id}`)
    const wallet = await (await citizen.request.get('/api/v1/wallet')).json()
    license = wallet.licenses.find((l) => l.type === '结婚证' && l.status === 'valid')
    assert.ok(license, 'demo-citizen holds a valid 结婚证 (init --demo)')

    await citizen.getByRole('heading', { name: /在线申请/ }).waitFor()
    const row = citizen.locator(`[data-material="${material}"]`)
    await row.getByText('从卡包选用（免提交）').click()
    // the first (only) license of that type is chosen, and the material is ticked
    await row.getByText(license.number, { exact: false }).waitFor()
    await row.getByText('免提交', { exact: true }).waitFor()
    assert.equal(await row.locator('.el-checkbox.is-checked').count(), 1)
    await screenshot(citizen, 'wallet-apply.png')

    await citizen.getByRole('button', { name: '提交申请' }).click()
    await citizen.locator('.el-message-box').getByRole('button', { name: '提交申请' }).click()
    await citizen.waitForURL((u) => /^\/my\/cases\/\d+$/.test(u.pathname))
    caseId = Number(new URL(citizen.url()).pathname.split('/').pop())

    const rows = (await (await citizen.request.get(`/api/v1/cases/${caseId}/materials`)).json()).items
    assert.equal(rows.length, 1)
    assert.equal(rows[0].material, material)
    assert.equal(rows[0].source, 'license')
    assert.equal(rows[0].license_id, license.id)
    assert.equal(rows[0].download_url, undefined)
    const mats = citizen.getByTestId('case-materials')
    await mats.getByText(license.number).waitFor()
    await mats.getByTestId('exempt-tag').first().waitFor()
    const detail = await (await citizen.request.get(`/api/v1/cases/${caseId}`)).json()
    assert.equal(detail.materials.find((m) => m.name === material).provided, true)
  })

  test('an upload on the case page: a renamed executable is refused, a PDF goes through with progress', async () => {
    const other = item.materials.find((m) => m.name !== material && m.required === 'yes') ?? item.materials.find((m) => m.name !== material)
    const upload = citizen.getByTestId('case-upload')
    await upload.waitFor()
    const input = upload.getByLabel(`${other.name}：选择文件`)
    await input.setInputFiles({ name: '身份证.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096)]) })
    const err = upload.getByRole('alert').filter({ hasText: '不是 PDF' })
    await err.waitFor()
    assert.match(await err.innerText(), /可执行程序/)

    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(256 * 1024, 0x20), Buffer.from('\n%%EOF\n')])
    await input.setInputFiles({ name: '身份证.pdf', mimeType: 'application/pdf', buffer: pdf })
    await upload.getByText('已上传', { exact: true }).waitFor()
    await upload.getByRole('progressbar', { name: `${other.name}上传进度` }).waitFor()
    assert.equal(await upload.getByRole('progressbar', { name: `${other.name}上传进度` }).getAttribute('aria-valuenow'), '100')
    const mats = citizen.getByTestId('case-materials')
    await mats.getByRole('link', { name: '身份证.pdf' }).waitFor()
    // the checklist counts the upload as handed in, without a reload
    const tags = await citizen.locator('.mat-list li').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.lastChild.textContent.trim(), li.querySelector('.el-tag').textContent.trim()])))
    assert.equal(tags[other.name], '已提交', JSON.stringify(tags))
    const rows = (await (await citizen.request.get(`/api/v1/cases/${caseId}/materials`)).json()).items
    const up = rows.find((r) => r.source === 'upload')
    assert.equal(up.material, other.name)
    assert.equal(up.size, pdf.length)
    assert.equal(up.content_type, 'application/pdf')
    assertNoPageErrors(citizen)
  })

  test('the window clerk sees the 结婚证 attached from the wallet, without an upload', async () => {
    clerk = await newPage(browser, 1440, 900)
    await workSignIn(clerk, 'demo-clerk')
    await clerk.waitForURL((u) => u.pathname === '/work')
    await clerk.goto(`/work/cases/${caseId}`)
    const mats = clerk.getByTestId('case-materials')
    const row = mats.locator('tr', { hasText: material }).filter({ hasText: license.number })
    await row.waitFor()
    assert.match(await row.innerText(), /电子证照/)
    assert.equal(await row.getByTestId('exempt-tag').innerText(), '免提交')
    assert.equal(await row.getByRole('link').count(), 0, 'a license reference has no file to download')
    assert.match(await row.innerText(), /无需文件/)
    // only the one upload of the other material has a file
    assert.equal(await mats.getByRole('link', { name: '下载' }).count(), 1)
    // a case waiting for intake has no notices yet
    await clerk.getByTestId('case-notices').getByText('尚未产生').waitFor()
    const tags = await clerk.locator('.mat-list li').evaluateAll((lis) =>
      Object.fromEntries(lis.map((li) => [li.lastChild.textContent.trim(), li.querySelector('.el-tag').textContent.trim()])))
    assert.equal(tags[material], '已收', JSON.stringify(tags))
    await screenshot(clerk, 'wallet-clerk.png')
    assertNoPageErrors(clerk)
  })

  test('我的卡包 lists the license with its certificate and verification link', async () => {
    await citizen.goto('/my/wallet')
    const lic = citizen.getByTestId('wallet-licenses').locator('tr', { hasText: license.number })
    await lic.waitFor()
    assert.match(await lic.innerText(), /结婚证/)
    assert.match(await lic.innerText(), /有效/)
    const href = await lic.getByRole('link', { name: /^下载证照 .*（PDF）$/ }).getAttribute('href')
    const pdf = await citizen.request.get(href)
    assert.equal(pdf.status(), 200)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')
    assert.equal(await lic.getByRole('link', { name: /核验/ }).getAttribute('href'), license.verify_path)
    await screenshot(citizen, 'wallet-page.png')
    assertNoPageErrors(citizen)
  })
})
