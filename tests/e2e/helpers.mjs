// Shared set-up for the browser tests: the server under test, Debian's Chromium driven by
// playwright-core (no browser download), fresh contexts, screenshots, sign-in.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.OW_BASE_URL ?? '').replace(/\/+$/, '')
if (!BASE_URL) {
  throw new Error('OW_BASE_URL is not set: start the server and run `OW_BASE_URL=http://127.0.0.1:18080 node --test`')
}

export const CHROMIUM = process.env.OW_CHROMIUM ?? '/usr/bin/chromium'
export const PASSWORD = 'Demo@2026'
export const SCREENSHOTS = join(fileURLToPath(new URL('.', import.meta.url)), 'screenshots')
export const TIMEOUT_MS = 15_000

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A fresh context (own cookies and storage) and page at the given viewport. */
export async function newPage(browser, width, height) {
  // The page's clock is the server's: scripts/with-server.sh starts the server at a fixed
  // instant (OW_CLOCK_OFFSET_MS from the real clock), and what the UI dates by itself
  // (this year, today) must agree with the server's data.  Time flows on from there.
  return newPageOn(browser, BASE_URL, Number(process.env.OW_CLOCK_OFFSET_MS ?? 0), width, height)
}

/** The same against another server (a test's own), whose clock is shifted by offsetMs. */
export async function newPageOn(browser, baseURL, offsetMs, width, height) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    timezoneId: 'Asia/Shanghai',
    baseURL,
  })
  context.setDefaultTimeout(TIMEOUT_MS)
  if (offsetMs) await context.clock.install({ time: Date.now() + offsetMs })
  const page = await context.newPage()
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e))
  page.pageErrors = pageErrors
  return page
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  // animations: 'disabled' runs CSS transitions to their end, so a checkbox just ticked
  // shows ticked and a closing dialog shows closed, not caught half way
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: false, animations: 'disabled' })
}

/** Path + search of the page's current URL, e.g. "/work/login?redirect=%2Fwork". */
export function here(page) {
  const u = new URL(page.url())
  return u.pathname + u.search
}

/** Sign in on /work/login through the form, as a person would. */
export async function workSignIn(page, username, password = PASSWORD) {
  await page.goto('/work/login')
  await page.locator('#work-login-username').fill(username)
  await page.locator('#work-login-password').fill(password)
  await page.getByRole('button', { name: '登录工作台' }).click()
}

/** Labels of the workbench side menu's entries, in order. */
export async function menuLabels(page) {
  const items = page.locator('aside nav a')
  await items.first().waitFor()
  return (await items.allTextContents()).map((s) => s.trim())
}

/** No uncaught script errors happened on this page. */
export function assertNoPageErrors(page) {
  assert.deepEqual(
    page.pageErrors.map((e) => String(e)),
    [],
    'uncaught errors in the page',
  )
}

/** An API client for setting the scene (node fetch, cookie + CSRF). */
export async function apiAs(username, password = PASSWORD) {
  const res = await fetch(BASE_URL + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`sign-in ${username}: HTTP ${res.status}`)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await res.json()
  const call = async (method, path, body) => {
    const r = await fetch(BASE_URL + '/api/v1' + path, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : undefined, text }
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}
