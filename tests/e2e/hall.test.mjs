// The hall end to end (issue 18): a citizen books on a phone (390×844), checks in at the
// ticket machine and follows the number on the phone; the clerk calls it at the window's
// desk; the hall's display (1920×1080) shows the call and speaks it; the clerk serves it
// and files the case from the ticket; the citizen rates the service at the window's
// evaluator; the figures show that visit.
//
// Runs its own server on a fresh demo database with its clock at Tuesday 2026-11-24 09:00
// and booking_cutoff_min = 30 (a setting, README.md "Configuration"), so that a half hour
// booked now — 10:00 — is one whose check-in window (from 60 minutes before it) is already
// open: with the default 60-minute cut-off no appointment is both bookable and checkable
// within one test.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, resolve } from 'node:path'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { makeIdNumber } from '../api/lib.mjs'
import { PASSWORD, assertNoPageErrors, launch, newPageOn, screenshot, workSignIn } from './helpers.mjs'

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const bin = resolve(ROOT, process.env.OW_SERVER_BIN || 'build-asan/onewindow')
const NOW = Date.parse('2026-11-24T09:00:00+08:00')
const offset = NOW - Date.now()
const s = scratch('ow-hall-e2e-', {
  OW_CLOCK_OFFSET_MS: String(offset),
  OW_BOOKING_CUTOFF_MIN: '30',
  OW_WEB_ROOT: join(ROOT, 'web/dist'),
  OW_CALENDAR_DIR: join(ROOT, 'data/calendar'),
  OW_DEMO_DIR: join(ROOT, 'data/demo'),
})
const ITEM = '教师资格认定' // handled at the 综合受理 windows (group A)
let srv, base, browser

async function apiAs (username) {
  const res = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  })
  assert.equal(res.status, 200)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await res.json()
  const call = async (method, path, body) => {
    const r = await fetch(base + '/api/v1' + path, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    return { status: r.status, json: text ? JSON.parse(text) : undefined, text }
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}

before(async () => {
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  srv = await startServer(bin, s)
  base = `http://127.0.0.1:${srv.port}`
  browser = await launch()
})

after(async () => {
  await browser?.close()
  srv.proc.kill('SIGTERM')
  const { code } = await srv.exited
  const reports = readdirSync(s.dir).filter((f) => /^(asan|ubsan)/.test(f))
  const text = reports.map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('\n')
  rmSync(s.dir, { recursive: true, force: true })
  assert.equal(code, 0, `server exit status; ${srv.stderr()}`)
  assert.equal(reports.length, 0, `sanitizer reports:\n${text}`)
})

const page = (w, h) => newPageOn(browser, base, offset, w, h)

describe('one visit to the hall', () => {
  let kioskUrl, code, ticketNumber, ticketUrl, phone, display, caseNo

  test('the administrator enables the ticket machine', async () => {
    const admin = await apiAs('demo-admin')
    const r = await admin.post('/hall/sites/C00/kiosk-key')
    assert.equal(r.status, 201, r.text)
    kioskUrl = r.json.kiosk_url
  })

  test('a citizen books 10:00 today on a phone', async () => {
    phone = await page(390, 844)
    const items = await (await fetch(`${base}/api/v1/items?q=${encodeURIComponent(ITEM)}`)).json()
    const item = items.items.find((i) => i.name === ITEM)
    await phone.goto(`/appointments/new?item=${item.id}&site=C00`)
    await phone.waitForURL((u) => u.pathname === '/login')
    await phone.locator('#portal-login-username').fill('demo-citizen')
    await phone.locator('#portal-login-password').fill(PASSWORD)
    await phone.getByRole('button', { name: '登录', exact: true }).click()
    await phone.waitForURL((u) => u.pathname === '/appointments/new')
    await phone.locator('button.day[data-date="2026-11-24"]').click()
    await phone.locator('button.slot[data-slot="09:00"][disabled]').waitFor() // past the cut-off
    await phone.locator('button.slot[data-slot="10:00"]').click()
    await phone.getByText(`到 益阳市赫山区政务服务中心 办理“${ITEM}”`).waitFor()
    await screenshot(phone, 'hall-book-390x844.png')
    await phone.getByTestId('book-submit').click()
    const done = phone.getByTestId('book-done')
    await done.waitFor()
    code = (await phone.getByTestId('book-code').innerText()).trim()
    assert.match(code, /^\d{6}$/)
    assert.match(await done.innerText(), /2026-11-24 周二 10:00–10:30/)
    assert.match(await done.innerText(), /09:00–10:45 到大厅/)
    // nothing on the page is wider than the phone
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(wide <= 390, `page is ${wide}px wide`)
    await screenshot(phone, 'hall-booked-390x844.png')
    assertNoPageErrors(phone)
  })

  test('the ticket machine: categories with waits, 长辈模式, and the check-in by code', async () => {
    const kiosk = await page(1280, 1024)
    await kiosk.goto(kioskUrl)
    await kiosk.locator('.tile[data-letter="A"]').waitFor()
    assert.equal(new URL(kiosk.url()).hash, '', 'the key leaves the address bar')
    assert.match(await kiosk.locator('.tile[data-letter="A"]').innerText(), /综合受理[\s\S]*无需等候/)
    await screenshot(kiosk, 'hall-kiosk-1280x1024.png')
    await kiosk.getByTestId('kiosk-elderly').click()
    await kiosk.locator('.kiosk.elder').waitFor()
    await screenshot(kiosk, 'hall-kiosk-elderly-1280x1024.png')
    await kiosk.getByTestId('kiosk-elderly').click()
    await kiosk.getByTestId('kiosk-checkin').click()
    for (const d of code) await kiosk.locator(`.key[data-key="${d}"]`).click()
    assert.equal((await kiosk.getByTestId('kiosk-entry').innerText()).trim(), code)
    await kiosk.getByTestId('kiosk-checkin-submit').click()
    const t = kiosk.getByTestId('kiosk-ticket')
    await t.waitFor()
    ticketNumber = (await kiosk.getByTestId('kiosk-number').innerText()).trim()
    assert.equal(ticketNumber, 'A001')
    assert.match(await t.innerText(), /预约已签到，优先叫号/)
    assert.match(await t.innerText(), /前面没有人等候/)
    const qr = await t.locator('img').getAttribute('src')
    assert.match(qr, /^data:image\/png;base64,/)
    await screenshot(kiosk, 'hall-kiosk-ticket-1280x1024.png')
    // the slip's QR code opens the ticket on the phone
    const tickets = await (await apiAs('demo-citizen')).get('/hall/tickets/mine')
    const mine = tickets.json.find((x) => x.number === ticketNumber)
    ticketUrl = `/hall/ticket/${mine.id}?t=${mine.token}`
    assertNoPageErrors(kiosk)
    await kiosk.context().close()
  })

  test('the display, the clerk\'s call, the phone: shown and spoken', async () => {
    display = await page(1920, 1080)
    await display.context().addInitScript(() => {
      window.__spoken = []
      const synth = window.speechSynthesis
      if (synth) synth.speak = (u) => window.__spoken.push(u.text)
      else Object.defineProperty(window, 'speechSynthesis', { value: { speak: (u) => window.__spoken.push(u.text), getVoices: () => [], cancel () {} } })
    })
    await display.goto('/hall/C00/display')
    await display.locator('[data-window="W01"]').waitFor()
    await display.getByTestId('display-voice').click()
    await display.getByTestId('display-waiting').filter({ hasText: '共 1 人等候' }).waitFor()
    await phone.goto(ticketUrl)
    await phone.getByTestId('ticket-state').filter({ hasText: '等候中' }).waitFor()

    const desk = await page(1440, 900)
    await workSignIn(desk, 'demo-clerk')
    await desk.waitForURL((u) => u.pathname === '/work')
    await desk.locator('aside nav a', { hasText: '窗口叫号' }).click()
    await desk.waitForURL((u) => u.pathname === '/work/hall/counter')
    await desk.getByTestId('counter-next').filter({ hasText: `下一位：${ticketNumber}（预约）` }).waitFor()
    await desk.getByTestId('counter-call-next').click()
    await desk.getByTestId('counter-number').filter({ hasText: ticketNumber }).waitFor()
    assert.match(await desk.locator('.now').innerText(), /预约人 张伟/)
    await screenshot(desk, 'hall-counter-1440x900.png')

    const sentence = `请${ticketNumber}号到综合受理一号窗口办理`
    await display.getByTestId('display-number').filter({ hasText: ticketNumber }).waitFor()
    assert.equal((await display.getByTestId('display-window').innerText()).trim(), '综合受理一号窗口')
    assert.equal(await display.locator('[data-window="W01"] .win-number').innerText(), ticketNumber)
    assert.equal((await display.getByTestId('display-announce').innerText()).trim(), sentence)
    await display.waitForFunction((s) => window.__spoken.filter((x) => x === s).length === 2, sentence)
    const spoken = await display.evaluate(() => window.__spoken)
    assert.deepEqual(spoken, ['语音播报已开启', sentence, sentence])
    await screenshot(display, 'hall-display-1920x1080.png')

    await phone.getByTestId('ticket-message').filter({ hasText: '请到综合受理一号窗口办理' }).waitFor()
    await screenshot(phone, 'hall-ticket-called-390x844.png')

    // recall: said twice more
    await desk.getByTestId('counter-recall').click()
    await display.waitForFunction((s) => window.__spoken.filter((x) => x === s).length === 4, sentence)
    assertNoPageErrors(display)
    assertNoPageErrors(desk)

    // the clerk serves it and files the case from the ticket
    await desk.getByTestId('counter-serve').click()
    await desk.getByTestId('counter-ticket-state').filter({ hasText: '办理中' }).waitFor()
    await desk.getByTestId('counter-file-case').click()
    await desk.waitForURL((u) => u.pathname === '/work/cases/intake')
    await desk.getByTestId('intake-from-ticket').waitFor()
    assert.equal(await desk.locator('#intake-name').inputValue(), '张伟')
    await desk.locator('.mats .el-checkbox').first().waitFor()
    await desk.locator('#intake-number').fill('430903199003152317')
    await desk.locator('#intake-mobile').fill('13907372001')
    for (const m of await desk.locator('.mats .el-checkbox').all()) await m.click()
    await desk.getByRole('button', { name: '登记', exact: true }).click()
    await desk.locator('.el-message-box').getByRole('button', { name: '登记' }).click()
    await desk.waitForURL((u) => u.pathname === '/work/hall/counter')
    const link = desk.getByTestId('counter-case')
    await link.waitFor()
    caseNo = (await link.innerText()).trim()
    assert.match(caseNo, /^430903-20261124-\d{5}$/)
    await desk.getByTestId('counter-done').click()
    await desk.getByTestId('counter-served').filter({ hasText: '1' }).waitFor()
    await screenshot(desk, 'hall-counter-done-1440x900.png')
    assertNoPageErrors(desk)
    await desk.context().close()
    await display.context().close()
  })

  test('the citizen rates the service at the window\'s evaluator', async () => {
    const ev = await page(1280, 800)
    await ev.goto('/kiosk/W01')
    await ev.getByRole('heading', { name: '请对本次服务进行评价' }).waitFor()
    assert.match(await ev.locator('.kiosk-who').innerText(), new RegExp(`${ticketNumber} ${ITEM}`))
    await ev.locator('.kiosk-btn[data-level="5"]').click()
    await ev.getByText('感谢您的评价！').waitFor()
    assertNoPageErrors(ev)
    await ev.context().close()
    await phone.getByTestId('ticket-state').filter({ hasText: '已办结' }).waitFor()
    assertNoPageErrors(phone)
    await phone.context().close()
  })

  test('the figures show the visit: one ticket, its appointment shown, served, rated', async () => {
    const sup = await page(1440, 900)
    await workSignIn(sup, 'demo-supervisor')
    await sup.waitForURL((u) => u.pathname === '/work')
    await sup.goto('/work/stats')
    await sup.getByRole('radio', { name: '排队叫号' }).click({ force: true })
    const table = sup.getByTestId('stats-table')
    await table.getByText('A 综合受理').waitFor()
    const row = await sup.evaluate(async () => {
      const r = await (await fetch('/api/v1/stats/hall?by=category&from=2026-11-24&to=2026-11-24&site=C00')).json()
      return r.rows.find((x) => x.name === 'A 综合受理')
    })
    assert.equal(row.tickets, 1)
    assert.equal(row.served, 1)
    assert.equal(row.appointments, 1)
    assert.equal(row.shown, 1)
    assert.equal(row.show_up_rate, 100)
    const cells = await table.locator('tr', { hasText: 'A 综合受理' }).locator('td').allInnerTexts()
    assert.deepEqual(cells.slice(0, 3).map((c) => c.trim()), ['A 综合受理', '1', '1'])
    await screenshot(sup, 'hall-stats-1440x900.png')
    // by clerk: 刘敏 served one and has one rating, 非常满意
    const clerk = await sup.evaluate(async () => {
      const r = await (await fetch('/api/v1/stats/hall?by=clerk&from=2026-11-24&to=2026-11-24&site=C00')).json()
      return r.rows.find((x) => x.name === '刘敏')
    })
    assert.equal(clerk.served, 1)
    assert.ok(clerk.ratings >= 1)
    // the dashboard's live board
    await sup.goto('/work/supervision')
    await sup.getByTestId('hall-board').getByText('益阳市赫山区政务服务中心').waitFor()
    await screenshot(sup, 'hall-dashboard-1440x900.png')
    // the visit's record ties it together
    const v = await (await apiAs('demo-clerk')).get(`/hall/tickets/${ticketUrl.split('/')[3].split('?')[0]}/visit`)
    assert.equal(v.json.case.case_no, caseNo)
    assert.equal(v.json.rating.level, 5)
    assertNoPageErrors(sup)
    await sup.context().close()
  })
})

describe('the hall\'s back office', () => {
  test('the administrator\'s 大厅设置: groups, windows, the ticket machine\'s link', async () => {
    const p = await page(1440, 900)
    await workSignIn(p, 'demo-admin')
    await p.waitForURL((u) => u.pathname === '/work')
    await p.goto('/work/hall/settings')
    const groups = p.getByTestId('hall-groups')
    await groups.getByText('综合受理一号窗口、综合受理二号窗口').waitFor()
    assert.match(await groups.innerText(), /不动产登记[\s\S]*赫山区不动产登记中心/)
    await p.getByTestId('hall-kiosk-key').click()
    await p.locator('.el-message-box').getByRole('button', { name: '生成' }).click()
    const url = (await p.getByTestId('hall-kiosk-url').innerText()).trim()
    assert.match(url, /\/hall\/C00\/kiosk#key=[A-Za-z0-9_-]{43}$/)
    await screenshot(p, 'hall-settings-1440x900.png')
    assertNoPageErrors(p)
    await p.context().close()
  })

  test('the clerk\'s 预约管理 lists the day with who checked in', async () => {
    const p = await page(1440, 900)
    await workSignIn(p, 'demo-clerk')
    await p.waitForURL((u) => u.pathname === '/work')
    await p.goto('/work/hall/appointments')
    const row = p.getByTestId('appointments-day').locator('tr', { hasText: '张伟' })
    await row.waitFor()
    assert.match(await row.innerText(), /10:00–10:30[\s\S]*教师资格认定[\s\S]*已签到/)
    await screenshot(p, 'hall-appointments-1440x900.png')
    assertNoPageErrors(p)
    await p.context().close()
  })

  test('an agent records a 代办 and the applicant confirms it on a phone', async () => {
    const p = await page(1440, 900)
    await workSignIn(p, 'demo-agent')
    await p.waitForURL((u) => u.pathname === '/work')
    await p.locator('aside nav a', { hasText: '帮办代办' }).click()
    await p.waitForURL((u) => u.pathname === '/work/hall/assists')
    await p.getByText('代办（代为申请）').click()
    const form = p.locator('form')
    await form.getByLabel('申请人姓名').fill('王秀英')
    const idNumber = makeIdNumber(31_337)
    await form.getByLabel('身份证号码').fill(idNumber)
    await p.locator('#assist-item').click()
    await p.locator('#assist-item').fill('高龄津贴')
    await p.locator('.el-select-dropdown__item:visible', { hasText: '高龄津贴申领' }).click()
    await form.getByLabel('用时（分钟）').fill('40')
    await p.getByTestId('assist-save').click()
    await p.getByRole('heading', { name: '请申请人确认' }).waitFor()
    const list = p.getByTestId('assists')
    await list.getByText('王秀英').waitFor()
    assert.match(await list.innerText(), /代办[\s\S]*王秀英[\s\S]*高龄津贴申领[\s\S]*40[\s\S]*待申请人确认/)
    await screenshot(p, 'hall-assists-1440x900.png')
    const rec = await p.evaluate(async () => (await (await fetch('/api/v1/hall/assists')).json()).items[0])
    assertNoPageErrors(p)
    await p.context().close()

    const phone = await page(390, 844)
    await phone.goto(`/hall/assist/${rec.id}?t=${rec.token}`)
    const card = phone.getByTestId('assist-record')
    await card.waitFor()
    assert.match(await card.innerText(), /王\*\*[\s\S]*高龄津贴申领[\s\S]*用时 40 分钟/)
    assert.ok(!(await card.innerText()).includes(idNumber), 'the number only masked')
    await phone.getByTestId('assist-confirm').click()
    await phone.getByTestId('assist-state').filter({ hasText: '申请人已确认（扫码确认）' }).waitFor()
    await screenshot(phone, 'hall-assist-confirmed-390x844.png')
    assertNoPageErrors(phone)
    await phone.context().close()
  })
})
