// Sign-in through the identity platform in the browser (issue 20): the portal's
// 统一身份认证登录 button leads to a real OpenID provider (the npm oidc-provider, started
// here from tests/api/oidc-provider.mjs on the server's clock), the person signs in on the
// provider's own login page and comes back to the portal signed in, with an account made
// from the ID number the provider vouches for; signing out in the portal ends the
// provider's session too, on its own page, and comes back.  Then (notifications) a
// citizen signed in that way applies online, the window clerk asks for 补正 on the
// workbench, and the citizen finds the message, listing the material, in the portal's
// message center, with the unread count in the header.  Runs a server of its own
// configured for that provider.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, resolve } from 'node:path'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { makeIdNumber, uniqueSeed } from '../api/lib.mjs'
import { oidcEnv, registerClient, startProvider } from '../api/oidc-lib.mjs'
import { assertNoPageErrors, launch, newPageOn, screenshot, workSignIn } from './helpers.mjs'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const bin = resolve(ROOT, process.env.OW_SERVER_BIN || 'build-asan/onewindow')
const offset = Number(process.env.OW_CLOCK_OFFSET_MS ?? (Date.parse('2026-11-24T09:00:00+08:00') - Date.now()))
let provider, s, srv, base, browser

before(async () => {
  provider = await startProvider(scratch('ow-oidc-e2e-provider-').dir, offset)
  s = scratch('ow-oidc-e2e-', {
    OW_CLOCK_OFFSET_MS: String(offset),
    OW_WEB_ROOT: join(ROOT, 'web/dist'),
    OW_CALENDAR_DIR: join(ROOT, 'data/calendar'),
    OW_DEMO_DIR: join(ROOT, 'data/demo'),
    ...oidcEnv(provider.issuer),
  })
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  srv = await startServer(bin, s)
  base = `http://127.0.0.1:${srv.port}`
  await registerClient(provider, base)
  browser = await launch()
})

after(async () => {
  await browser?.close()
  let code = 0
  if (srv) {
    srv.proc.kill('SIGTERM')
    code = (await srv.exited).code
  }
  await provider?.stop()
  const reports = s ? readdirSync(s.dir).filter((f) => /^(asan|ubsan)/.test(f)) : []
  const text = reports.map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('\n')
  if (s) rmSync(s.dir, { recursive: true, force: true })
  assert.equal(code, 0, `exit status; ${srv?.stderr()}`)
  assert.equal(reports.length, 0, `sanitizer reports:\n${text}`)
})

test('a citizen signs in through the provider’s own login page and out again at both ends', async () => {
  const page = await newPageOn(browser, base, offset, 1280, 900)
  const idn = makeIdNumber(uniqueSeed() + 40)
  await page.goto('/login?redirect=/my/cases')
  await page.getByTestId('oidc-login').click()
  // the provider's page, not ours
  await page.waitForURL((u) => u.origin === provider.issuer)
  await page.locator('input[name="login"]').fill(idn)
  await page.locator('input[name="password"]').fill('whatever the platform asks')
  await screenshot(page, 'oidc-provider-login.png')
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${base}/my/cases`)
  await page.getByText('统一认证用户').first().waitFor()
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json())
  assert.equal(me.user.kind, 'citizen')
  assert.equal(me.user.id_number, `${idn.slice(0, 6)}********${idn.slice(14)}`)
  const level = await page.evaluate(async () => (await fetch('/api/v1/oidc/session')).json())
  assert.equal(level.level, 'L3')
  await screenshot(page, 'oidc-signed-in.png')

  const before = (await provider.ctl('logouts')).logouts
  await page.getByRole('button', { name: '退出' }).click()
  await page.waitForURL((u) => u.origin === provider.issuer)
  await page.getByRole('button', { name: '退出统一身份认证' }).click()
  await page.waitForURL(`${base}/`)
  assert.equal((await provider.ctl('logouts')).logouts, before + 1, 'the provider ended its session')
  const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status)
  assert.equal(after, 401)
  await page.getByRole('link', { name: '登录' }).first().waitFor()
  assertNoPageErrors(page)
  await page.context().close()
})

test('signed in through the provider, a citizen applies and sees the message when the clerk asks for 补正', async () => {
  const citizen = await newPageOn(browser, base, offset, 1280, 900)
  const items = await citizen.request.get('/api/v1/items?q=' + encodeURIComponent('内地居民结婚登记'))
  const item = (await items.json()).items.find((i) => i.name === '内地居民结婚登记')
  await citizen.goto(`/login?redirect=/apply/${item.id}`)
  await citizen.getByTestId('oidc-login').click()
  await citizen.waitForURL((u) => u.origin === provider.issuer)
  await citizen.locator('input[name="login"]').fill(makeIdNumber(uniqueSeed() + 41))
  await citizen.locator('input[name="password"]').fill('whatever the platform asks')
  await citizen.locator('button[type="submit"]').click()
  await citizen.waitForURL(`${base}/apply/${item.id}`)
  await citizen.getByRole('heading', { name: /在线申请/ }).waitFor()
  const mats = citizen.getByTestId('apply-materials')
  for (const m of ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'])
    await mats.getByText(m, { exact: false }).first().click()
  await citizen.getByRole('button', { name: '提交申请' }).click()
  const box = citizen.locator('.el-message-box')
  await box.getByRole('button', { name: '提交申请' }).click()
  await citizen.waitForURL((u) => /^\/my\/cases\/\d+$/.test(u.pathname))
  const caseId = Number(new URL(citizen.url()).pathname.split('/').pop())
  const caseNo = (await citizen.getByTestId('case-no').innerText()).trim()
  await box.waitFor({ state: 'hidden' })
  // nothing yet in the message center
  await citizen.getByTestId('nav-messages').click()
  await citizen.getByText('暂无消息').waitFor()

  const clerk = await newPageOn(browser, base, offset, 1440, 900)
  await workSignIn(clerk, 'demo-clerk')
  await clerk.waitForURL((u) => u.pathname === '/work')
  await clerk.goto('/work/cases/intake')
  await clerk.getByTestId('case-queue').getByRole('link', { name: caseNo }).click()
  await clerk.waitForURL((u) => u.pathname === `/work/cases/${caseId}`)
  await clerk.getByTestId('case-actions').getByRole('button', { name: '一次性告知补正', exact: true }).click()
  const dialog = clerk.getByRole('dialog')
  await dialog.getByRole('textbox', { name: '近期半身免冠合影照片的问题' }).fill('未提交2寸红底合影照片3张')
  await dialog.getByRole('button', { name: '确认一次性告知补正' }).click()
  await clerk.getByTestId('case-state').filter({ hasText: '待补正' }).waitFor()

  // the citizen, on the next page they open, sees one unread message and reads it
  await citizen.goto('/services')
  await citizen.getByTestId('nav-messages').filter({ hasText: '1' }).waitFor()
  await citizen.getByTestId('nav-messages').click()
  const msg = citizen.getByTestId('message-case_supplement')
  await msg.getByText('请补正申请材料').waitFor()
  await msg.getByText('近期半身免冠合影照片：未提交2寸红底合影照片3张', { exact: false }).waitFor()
  await msg.getByText(caseNo, { exact: false }).waitFor()
  await citizen.getByTestId('unread-count').filter({ hasText: '未读 1 条' }).waitFor()
  await screenshot(citizen, 'oidc-message-supplement.png')
  await msg.getByRole('link', { name: '查看办件' }).click()
  await citizen.waitForURL(`${base}/my/cases/${caseId}`)
  await citizen.getByTestId('supplement-notice').waitFor()
  await citizen.getByTestId('nav-messages').filter({ hasNotText: '1' }).waitFor()
  assertNoPageErrors(citizen)
  assertNoPageErrors(clerk)
  await citizen.context().close()
  await clerk.context().close()
})

test('an administrator binds a staff account to a provider identity on the workbench, sees it listed, and unbinds it', async () => {
  const page = await newPageOn(browser, base, offset, 1440, 900)
  await workSignIn(page, 'demo-admin')
  await page.waitForURL((u) => u.pathname === '/work')
  await page.goto('/work/admin/identities')
  await page.getByText(`认证平台：${provider.issuer}`).waitFor()
  const subject = `staff-e2e-${uniqueSeed()}`
  const form = page.getByTestId('bind-form')
  // nothing chosen: the form says what is missing where it is
  await form.getByRole('button', { name: '绑定' }).click()
  await form.locator('.el-form-item__error', { hasText: '请选择工作人员账号' }).waitFor()
  await page.locator('#bind-user').click()
  await page.keyboard.type('demo-approver')
  await page.getByRole('option', { name: /demo-approver/ }).click()
  await page.locator('#bind-subject').fill(subject)
  await form.getByRole('button', { name: '绑定' }).click()
  const row = page.getByTestId('bindings').locator('tr', { hasText: subject })
  await row.waitFor()
  assert.match(await row.textContent(), /demo-approver/)
  await screenshot(page, 'identities-bound-1440x900.png')
  // the same subject again: refused under the field
  await page.locator('#bind-user').click()
  await page.keyboard.type('demo-clerk')
  await page.getByRole('option', { name: /demo-clerk/ }).click()
  await page.locator('#bind-subject').fill(subject)
  await form.getByRole('button', { name: '绑定' }).click()
  await form.locator('.el-form-item__error').filter({ hasText: /./ }).last().waitFor()
  // audited, then unbound through the confirmation
  const audit = await page.evaluate(async () => (await fetch('/api/v1/audit?action=identity.bind')).json())
  assert.ok(audit.items.length >= 1, JSON.stringify(audit))
  await row.getByRole('button', { name: /解除/ }).click()
  await page.getByRole('dialog').getByRole('button', { name: '解除' }).click()
  await row.waitFor({ state: 'detached' })
  const left = await page.evaluate(async () => (await fetch('/api/v1/identities')).json())
  assert.ok(!left.items.some((b) => b.subject === subject))
  assertNoPageErrors(page)
  await page.context().close()
})
