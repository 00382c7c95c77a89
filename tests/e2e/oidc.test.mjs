// Sign-in through the identity platform in the browser (issue 20): the portal's
// 统一身份认证登录 button leads to a real OpenID provider (the npm oidc-provider, started
// here from tests/api/oidc-provider.mjs on the server's clock), the person signs in on the
// provider's own login page and comes back to the portal signed in, with an account made
// from the ID number the provider vouches for; signing out in the portal ends the
// provider's session too, on its own page, and comes back.  Runs a server of its own
// configured for that provider.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, resolve } from 'node:path'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { makeIdNumber, uniqueSeed } from '../api/lib.mjs'
import { oidcEnv, registerClient, startProvider } from '../api/oidc-lib.mjs'
import { assertNoPageErrors, launch, newPageOn, screenshot } from './helpers.mjs'

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
