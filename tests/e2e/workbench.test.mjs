// The staff workbench: route guard, sign-in errors from the server, the role-filtered
// menu (clerk vs admin), folded behind 菜单 on a phone, the admin's 系统信息 page, sign-out,
// citizens turned away.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE_URL, assertNoPageErrors, here, launch, menuLabels, newPage, screenshot, workSignIn } from './helpers.mjs'
import { settle, trackRequests } from './a11y.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('workbench', () => {
  test('an unauthenticated visit to /work goes to /work/login with the way back', async () => {
    const page = await newPage(browser, 1440, 900)
    await page.goto('/work/admin/system')
    await page.waitForURL((u) => u.pathname === '/work/login')
    assert.equal(new URL(page.url()).searchParams.get('redirect'), '/work/admin/system')
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
    await page.context().close()
  })

  test('a wrong password shows the server message on the form', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-clerk', 'not-the-password')
    const error = page.locator('.el-form-item__error', { hasText: '用户名或密码不正确' })
    await error.waitFor()
    assert.ok(await error.isVisible())
    assert.equal(here(page), '/work/login')
    // the password field is the one marked, and it was emptied for a new try
    assert.equal(await page.locator('#work-login-password').inputValue(), '')
    await page.context().close()
  })

  test('the clerk sees the clerk menu (no admin pages), name, role and organisation', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-clerk')
    await page.waitForURL((u) => u.pathname === '/work')
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json())
    assert.equal(me.user.role, 'clerk')

    const labels = await menuLabels(page)
    assert.deepEqual(labels, ['首页', '受理登记', '出件', '一件事办理', '期限计算', '窗口叫号', '预约管理', '帮办代办', '窗口服务与评价',
      '差评整改', '投诉建议办理', '一件事监察', '统计报表', '简报通报'])
    assert.equal(await page.locator('aside').getByText('系统信息').count(), 0)
    assert.equal(await page.locator('aside').getByText('系统管理').count(), 0)

    const who = page.getByTestId('who')
    await who.getByText(me.user.name).waitFor()
    const text = await who.innerText()
    assert.ok(text.includes(me.user.role_name), 'role name in Chinese')
    assert.ok(text.includes(me.user.org.name), 'organisation name')
    assert.ok(await page.getByRole('button', { name: '退出登录' }).isVisible())

    // counter cards: the server's figures, one number each
    await page.locator('[data-counter="today_accepted"] .counter-value').filter({ hasNotText: '…' }).waitFor()
    const stats = await page.evaluate(async () => (await fetch('/api/v1/stats/workbench')).json())
    const values = await page.locator('.counter-value').allTextContents()
    assert.equal(values.length, 4)
    for (const v of values) assert.match(v, /^[\d,]+$/)
    assert.equal(values[0].replace(/,/g, ''), String(stats.today_accepted))
    await screenshot(page, 'workbench-1440x900.png')

    // an admin-only page is refused even by typing its address
    await page.goto('/work/admin/system')
    await page.waitForURL((u) => u.pathname === '/work')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('the admin sees 系统信息 with health and meta from the server', async () => {
    const health = await (await fetch(`${BASE_URL}/api/v1/health`)).json()
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-admin')
    await page.waitForURL((u) => u.pathname === '/work')
    const labels = await menuLabels(page)
    assert.ok(labels.includes('首页'))
    assert.ok(labels.includes('系统信息'), `admin menu: ${labels}`)

    // keyboard only: Tab through the page until the menu entry has focus, then Enter
    let focused = ''
    for (let i = 0; i < 50 && focused !== '系统信息'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
    }
    assert.equal(focused, '系统信息', 'the menu entry is reachable with Tab')
    await page.keyboard.press('Enter')
    await page.waitForURL((u) => u.pathname === '/work/admin/system')
    assert.equal(await page.locator('aside nav a[aria-current="page"]').innerText(), '系统信息')
    await page.getByTestId('health-version').filter({ hasText: health.version }).waitFor()
    assert.equal((await page.getByTestId('health-schema').innerText()).trim(), String(health.schema_version))
    assert.equal((await page.getByTestId('health-status').innerText()).trim(), health.status === 'ok' ? '正常' : `异常（${health.status}）`)
    assert.equal((await page.getByTestId('health-database').innerText()).trim(), health.database === 'ok' ? '正常' : `异常（${health.database}）`)
    await page.getByTestId('meta-region').filter({ hasText: '赫山区' }).waitFor()
    await screenshot(page, 'workbench-admin-system-1440x900.png')
    assertNoPageErrors(page)
    await page.context().close()
  })

  test('on a phone the menu folds behind 菜单, and no page is wider than the screen', async () => {
    for (const username of ['demo-clerk', 'demo-admin']) {
      const page = await newPage(browser, 390, 844)
      await trackRequests(page)
      await workSignIn(page, username)
      await page.waitForURL((u) => u.pathname === '/work')
      const toggle = page.getByTestId('menu-toggle')
      const menu = page.locator('#work-side')
      assert.ok(await toggle.isVisible(), '菜单 shows on a phone')
      assert.equal(await menu.isVisible(), false, 'the side menu is folded away')
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false')

      // open it: the focus goes into it; Esc closes it and gives the focus back
      await toggle.click()
      await menu.waitFor()
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-close')
      if (username === 'demo-clerk') await screenshot(page, 'work-menu-390x844.png')
      await page.keyboard.press('Escape')
      await menu.waitFor({ state: 'hidden' })
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'menu-toggle')

      // every page of the menu, reached through it, fits the screen
      await toggle.click()
      const paths = await menu.locator('a[data-menu-path]').evaluateAll((as) => as.map((a) => a.dataset.menuPath))
      assert.ok(paths.length >= 8, `${username} has a menu`)
      await page.keyboard.press('Escape')
      for (const path of paths) {
        await toggle.click()
        await menu.locator(`a[data-menu-path="${path}"]`).click()
        await page.waitForURL((u) => u.pathname === path)
        await menu.waitFor({ state: 'hidden' })
        await page.locator('main h1').first().waitFor()
        await settle(page)
        const wide = await page.evaluate(() => document.documentElement.scrollWidth)
        assert.ok(wide <= 390, `${username}: ${path} is ${wide}px wide on a 390px screen`)
      }
      if (username === 'demo-admin') {
        await screenshot(page, 'work-page-390x844.png')
      }
      assertNoPageErrors(page)
      await page.context().close()
    }
  })

  test('sign-out ends the session and returns to the sign-in page', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-clerk')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.getByRole('button', { name: '退出登录' }).click()
    await page.waitForURL((u) => u.pathname === '/work/login')
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor()
    // the server agrees the session is gone
    const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
    assert.equal(status, 401)
    // and the workbench is closed again
    await page.goto('/work')
    await page.waitForURL((u) => u.pathname === '/work/login')
    await page.context().close()
  })

  test('the API client: network failure offers 重试 and re-issues the request; 5xx toasts carry the request id', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-clerk')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.locator('.counter-value').first().filter({ hasNotText: '…' }).waitFor()

    // 1. the network drops: the person is asked, and 重试 sends the same request again
    let calls = 0
    await page.route('**/api/v1/stats/workbench', async (route) => {
      calls += 1
      if (calls === 1) return route.abort('internetdisconnected')
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ today_accepted: 1234, pending_approval: 5, due_soon: 2, overdue: 1 }),
      })
    })
    await page.goto('/work')
    const box = page.locator('.el-message-box', { hasText: '网络连接失败' })
    await box.waitFor()
    assert.equal(calls, 1)
    await box.getByRole('button', { name: '重试' }).click()
    await page.locator('[data-counter="today_accepted"] .counter-value', { hasText: '1,234' }).waitFor()
    assert.equal(calls, 2)
    await page.unroute('**/api/v1/stats/workbench')

    // 2. a server fault: the toast quotes X-Request-Id so the clerk can report it
    await page.route('**/api/v1/stats/workbench', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        headers: { 'X-Request-Id': 'e2e-req-42' },
        body: JSON.stringify({ error: { code: 'internal', message: '服务器内部错误' } }),
      }),
    )
    await page.goto('/work')
    const toast = page.locator('.el-message--error', { hasText: '请求编号：e2e-req-42' })
    await toast.waitFor()
    assert.match(await toast.innerText(), /服务器内部错误/)
    await page.locator('.stats-note', { hasText: '统计数据暂时无法加载' }).waitFor()
    await page.context().close()
  })

  test('a citizen account at /work/login is told it is not a staff account and sent to the portal', async () => {
    const page = await newPage(browser, 1440, 900)
    await workSignIn(page, 'demo-citizen')
    await page.locator('.el-message', { hasText: '该账号不是工作人员账号' }).waitFor()
    await page.waitForURL((u) => u.pathname === '/')
    await page.getByTestId('site-title').filter({ hasText: '赫山区' }).waitFor()
    await page.context().close()
  })
})
