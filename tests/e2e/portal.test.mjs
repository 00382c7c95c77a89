// The citizen portal: region name from /api/v1/meta, 长辈模式, accessibility basics,
// phone width without horizontal scrolling, the search page's tolerance of a catalog
// that isn't there yet.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, assertNoPageErrors, launch, newPage, screenshot } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

async function scrollWidth(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth)
}

describe('portal', () => {
  test('loads with the region name from /api/v1/meta, landmarks and footer', async () => {
    const meta = await (await fetch(`${BASE_URL}/api/v1/meta`)).json()
    assert.equal(meta.region.name, '益阳市赫山区')

    const page = await newPage(browser, 1280, 900)
    await page.goto('/')
    const title = page.getByTestId('site-title')
    await title.filter({ hasText: '赫山区' }).waitFor()
    assert.equal((await title.textContent()).trim(), `${meta.region.name}政务服务网`)
    assert.ok(await page.getByText('赫山区').first().isVisible())

    // landmarks, one each
    for (const sel of ['header', 'nav[aria-label="主导航"]', 'main#main', 'footer']) {
      assert.equal(await page.locator(sel).count(), 1, `landmark ${sel}`)
    }
    const nav = (await page.locator('nav[aria-label="主导航"] a').allTextContents()).map((s) => s.trim())
    assert.deepEqual(nav, ['办事服务', '一件事', '预约取号', '我的办件', '政务公开', '投诉建议', '登录'])

    const footer = await page.locator('footer').innerText()
    assert.match(footer, /12345/)
    assert.ok(footer.includes(meta.hours), 'footer shows the opening hours from /meta')
    assert.ok(footer.includes(meta.center_address), 'footer shows the address from /meta')
    assert.ok(footer.includes(meta.center), 'footer names the service center')

    // the search box has a label
    const input = page.locator('#home-search')
    assert.equal(await page.locator('label[for="home-search"]').count(), 1)
    assert.equal(await input.getAttribute('type'), 'search')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('keyboard: the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const page = await newPage(browser, 1280, 900)
    await page.goto('/')
    await page.getByTestId('site-title').filter({ hasText: '赫山区' }).waitFor()
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim())
    assert.equal(focused, '跳到主要内容')
    // the focus ring is really drawn
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
    assert.notEqual(outline, 'none')
    await page.keyboard.press('Enter')
    assert.match(page.url(), /#main$/)
    await page.context().close()
  })

  test('长辈模式 enlarges the text, is applied on <html> and survives a reload', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/')
    const toggle = page.getByRole('button', { name: '长辈模式' })
    await toggle.waitFor()
    const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))
    const hasClass = () => page.evaluate(() => document.documentElement.classList.contains('ow-elderly'))

    assert.equal(await hasClass(), false)
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false')
    const normal = await rootSize()

    await toggle.click()
    // the class is set by the page's script after the click; wait for it rather than race it
    await page.waitForFunction(() => document.documentElement.classList.contains('ow-elderly'))
    assert.equal(await hasClass(), true)
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true')
    assert.ok((await rootSize()) > normal, 'root font size grows')

    await page.reload()
    await page.getByTestId('site-title').filter({ hasText: '赫山区' }).waitFor()
    await page.waitForFunction(() => document.documentElement.classList.contains('ow-elderly'), null, { timeout: 5000 }).catch(() => {})
    assert.equal(await hasClass(), true, 'still on after reload')
    assert.equal(await page.getByRole('button', { name: '长辈模式' }).getAttribute('aria-pressed'), 'true')

    // still fits a phone in elderly mode
    assert.ok((await scrollWidth(page)) <= 390, 'no horizontal scroll in 长辈模式 at 390 px')
    await screenshot(page, 'portal-elderly-390x844.png')

    await page.getByRole('button', { name: '长辈模式' }).click()
    await page.reload()
    await page.getByTestId('site-title').filter({ hasText: '赫山区' }).waitFor()
    assert.equal(await hasClass(), false, 'off after switching off and reloading')
    assert.equal(await rootSize(), normal)
    await page.context().close()
  })

  test('no horizontal scrolling at 390 px wide', async () => {
    const page = await newPage(browser, 390, 844)
    for (const path of ['/', '/services', '/login', '/search?q=%E8%BA%AB%E4%BB%BD%E8%AF%81', '/open']) {
      await page.goto(path)
      await page.locator('main#main h1').first().waitFor()
      await page.getByTestId('site-title').filter({ hasText: '赫山区' }).waitFor()
      const w = await scrollWidth(page)
      assert.ok(w <= 390, `${path}: scrollWidth ${w} > 390`)
      if (path === '/') await screenshot(page, 'portal-390x844.png')
    }
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('search goes to /search?q= and answers for the catalog as the server does', async () => {
    const probe = await fetch(`${BASE_URL}/api/v1/items?q=${encodeURIComponent('身份证')}`)
    const page = await newPage(browser, 390, 844)
    await page.goto('/')
    await page.locator('#home-search').fill('身份证')
    await page.locator('#home-search').press('Enter')
    await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('q') === '身份证')
    assert.equal(probe.status, 200)
    const body = await probe.json()
    assert.ok(body.total > 0, 'the demo catalog has 身份证 items')
    await page.getByText(`找到 ${body.total} 个`).waitFor()
    assert.equal(await page.locator('.el-message--error').count(), 0)
    await page.context().close()
  })

  test('我的办件 asks for sign-in first, and the portal sign-in brings the person back', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/my/cases')
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/my/cases')
    await page.locator('#portal-login-username').fill('demo-citizen')
    await page.locator('#portal-login-password').fill('Demo@2026')
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await page.waitForURL((u) => u.pathname === '/my/cases')
    await page.locator('main h1', { hasText: '我的办件' }).waitFor()
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json())
    assert.equal(me.user.kind, 'citizen')
    await page.locator('.nav-user-name', { hasText: me.user.name }).waitFor()
    await page.context().close()
  })
})
