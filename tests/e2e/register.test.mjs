// Registration on the portal (一号申请): a person by resident ID number on a phone, an
// enterprise by USCC; the server's checks show on the field they name; the new account
// is signed in and can later sign in with its number. A number registered before is
// answered like a new one (hardening #24): the page sends its holder to sign-in.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { makeIdNumber, makeMobile, makeUscc } from '../api/lib.mjs'
import { BASE_URL, assertNoPageErrors, launch, newPage, screenshot } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

const seed = (Date.now() % 1_000_000) * 7 + 3

/** Fills in and sends the enterprise form on a new page; returns the page. */
async function registerEnterprise({ name, code, legal, mobile, password = 'Trade#2026x' }) {
  const page = await newPage(browser, 1280, 900)
  await page.goto('/register')
  await page.locator('.el-radio-button', { hasText: '法人注册' }).click()
  await page.locator('#reg-name').fill(name)
  await page.locator('#reg-uscc').fill(code)
  await page.locator('#reg-legal').fill(legal)
  await page.locator('#reg-mobile').fill(mobile)
  await page.locator('#reg-password').fill(password)
  await page.locator('#reg-again').fill(password)
  await page.getByRole('button', { name: '注册并登录' }).click()
  return page
}

describe('registration', () => {
  test('a person registers by ID number on a phone, lands signed in on 我的办件, and signs in again by the number', async () => {
    const page = await newPage(browser, 390, 844)
    await page.goto('/login?redirect=/my/cases')
    await page.getByTestId('to-register').click()
    await page.waitForURL((u) => u.pathname === '/register')
    await page.getByRole('heading', { name: '注册账号' }).waitFor()
    const id = makeIdNumber(seed)
    await page.locator('#reg-name').fill('李春燕')
    // a wrong check character is named on the ID field by the server
    const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
    await page.locator('#reg-id-number').fill(bad)
    await page.locator('#reg-mobile').fill(makeMobile(seed))
    await page.locator('#reg-password').fill('Spring#2026x')
    await page.locator('#reg-again').fill('Spring#2026y')
    await page.getByRole('button', { name: '注册并登录' }).click()
    await page.locator('.el-form-item__error', { hasText: '两次输入的密码不一致' }).waitFor()
    await page.locator('#reg-again').fill('Spring#2026x')
    await page.getByRole('button', { name: '注册并登录' }).click()
    const idError = page.locator('.el-form-item', { has: page.locator('#reg-id-number') }).locator('.el-form-item__error')
    await idError.waitFor()
    assert.match(await idError.innerText(), /校验/)
    await page.locator('#reg-id-number').fill(id.toLowerCase())
    await idError.waitFor({ state: 'hidden' }) // the message goes once the field is edited
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'register-390x844.png')
    await page.getByRole('button', { name: '注册并登录' }).click()
    await page.waitForURL((u) => u.pathname === '/my/cases')
    const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).user)
    assert.equal(me.kind, 'citizen')
    assert.equal(me.name, '李春燕')
    // no horizontal scrolling at phone width
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth))
    assertNoPageErrors(page)
    await page.context().close()

    const again = await fetch(`${BASE_URL}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: id, password: 'Spring#2026x' }),
    })
    assert.equal(again.status, 200)
  })

  test('an enterprise registers by USCC; the same code again is sent to sign-in, a used mobile number is refused', async () => {
    const code = makeUscc(seed)
    const page = await registerEnterprise({ name: '益阳市赫山区春燕商贸有限公司', code, legal: '李春燕', mobile: makeMobile(seed + 1) })
    await page.waitForURL((u) => u.pathname === '/my/cases')
    const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).user)
    assert.equal(me.kind, 'enterprise')
    await page.context().close()

    // someone else with the same code and another password: not signed in, not told more
    const twice = await registerEnterprise({ name: '另一家公司', code, legal: '王五', mobile: makeMobile(seed + 2), password: 'Other#2026x' })
    const notice = twice.getByTestId('register-notice')
    await notice.waitFor()
    assert.match(await notice.innerText(), /如该号码此前已注册/)
    assert.equal(await notice.getByRole('link', { name: '去登录' }).count(), 1)
    assert.equal(new URL(twice.url()).pathname, '/register')
    assertNoPageErrors(twice)
    await twice.context().close()

    // a mobile number already used by an account is named on its field
    const used = await registerEnterprise({ name: '第三家公司', code: makeUscc(seed + 1), legal: '王五', mobile: makeMobile(seed + 1) })
    const err = used.locator('.el-form-item', { has: used.locator('#reg-mobile') }).locator('.el-form-item__error')
    await err.waitFor()
    assert.match(await err.innerText(), /手机号码已用于其他账号/)
    assertNoPageErrors(used)
    await used.context().close()
  })
})
