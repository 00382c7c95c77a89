// Accessibility (issue 27, GB/T 37668-2019): axe-core's WCAG 2.0 A/AA and 2.1 A/AA rules
// on every route of the portal, the kiosk and the hall's big screen, and on every page of
// the workbench as each demo role sees it — once in the normal look and once in 长辈模式.
// Portal and kiosk pages (the evaluator, the hall's ticket machine and display) are checked
// at 390 px (a phone) and 1440 px; the workbench, a desktop tool, at 1440 px, and the
// clerk's pages also at 390 px.
//
// One browser, one context per account and mode (signed in once through the API), and
// in-app navigation between the pages (a11y.mjs, spaGo): the walk pays for the pages, not
// for a browser or a sign-in per page. Any violation fails the test with its rule, page,
// account, mode, width and element; a route added to web/src/router.ts but not to this
// walk fails it too.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { BASE_URL, PASSWORD, apiAs, launch, newPage } from './helpers.mjs'
import { axeViolations, settle, spaGo, trackRequests } from './a11y.mjs'

const PHONE = { width: 390, height: 844 }
const DESK = { width: 1440, height: 900 }

let browser
const cookies = {} // username → session cookie value
const ids = {} // ids of demo records the detail pages need

/** Sign in through the API once per account; every context of the walk reuses the session. */
async function session(username) {
  const res = await fetch(`${BASE_URL}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  assert.equal(res.status, 200, `sign-in ${username}`)
  const [name, value] = res.headers.get('set-cookie').split(';')[0].split('=')
  return { name, value }
}

before(async () => {
  browser = await launch()
  const users = ['demo-citizen', 'demo-agent', 'demo-clerk', 'demo-approver', 'demo-supervisor', 'demo-discloser', 'demo-admin']
  for (const u of users) cookies[u] = await session(u)

  const anyone = async (path) => (await fetch(`${BASE_URL}/api/v1${path}`)).json()
  const [citizen, clerk, approver, discloser] = await Promise.all(
    ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-discloser'].map((u) => apiAs(u)),
  )
  const item = (await anyone('/items?q=' + encodeURIComponent('内地居民结婚登记'))).items.find((i) => i.name === '内地居民结婚登记')
  ids.item = item.id
  ids.publication = (await anyone('/publications?per_page=1')).items[0].id
  const mine = (await citizen.get('/cases?per_page=100')).json.items
  ids.myCase = mine[0].id
  ids.concluded = mine.find((c) => c.state === 'concluded').id
  ids.verify = (await citizen.get('/wallet')).json.licenses[0].verify_code
  ids.myRequest = (await citizen.get('/info-requests?per_page=1')).json.items[0].id
  ids.intakeCase = (await clerk.get('/cases?queue=intake&per_page=1')).json.items[0].id
  ids.reviewCase = (await approver.get('/cases?queue=review&per_page=1')).json.items[0].id
  ids.request = (await discloser.get('/info-requests?per_page=1')).json.items[0].id
  ids.ownPublication = (await discloser.get('/publications?manage=true&state=all&per_page=1')).json.items[0].id
  // the hall (issue 18): the citizen's ticket taken on the phone, an agent's 代办 record
  // waiting for the applicant's confirmation, the ticket machine's link
  const [agent, admin] = await Promise.all(['demo-agent', 'demo-admin'].map((u) => apiAs(u)))
  const hall = await anyone('/hall/sites/C00')
  const take = await citizen.post('/hall/sites/C00/tickets', { via: 'phone', group_id: hall.groups[0].id })
  assert.equal(take.status, 201, take.text)
  ids.ticket = `${take.json.id}?t=${take.json.token}`
  const assist = await agent.post('/hall/assists', {
    kind: 'agent', applicant_name: '张伟', id_number: '430903199003152317', minutes: 20, item_id: item.id,
  })
  assert.equal(assist.status, 201, assist.text)
  ids.assist = `${assist.json.id}?t=${assist.json.token}`
  const key = await admin.post('/hall/sites/C00/kiosk-key')
  assert.equal(key.status, 201, key.text)
  ids.kioskUrl = key.json.kiosk_url
  // the case modes (issue 22): the citizen's 个体工商户设立登记 on commitment, its 承诺书
  // not yet confirmed (the portal's block with the confirm button), and a 食品经营许可
  // accepted with a material owed (the workbench's owed list with 登记已补交)
  const guideOf = async (name) => anyone(`/items/${(await anyone('/items?q=' + encodeURIComponent(name))).items.find((i) => i.name === name).id}`)
  const biz = await guideOf('个体工商户设立登记')
  const promised = biz.case_modes.commitment.materials
  const onCommitment = await citizen.post('/cases', {
    item_id: biz.id, commitment: true,
    materials: biz.materials.filter((m) => m.required === 'yes' && !promised.includes(m.name)).map((m) => m.name),
  })
  assert.equal(onCommitment.status, 201, onCommitment.text)
  ids.commitCase = onCommitment.json.id
  const food = await guideOf('食品经营许可')
  const owe = food.case_modes.tolerance.materials
  const enterprise = await apiAs('demo-enterprise')
  const owing = await enterprise.post('/cases', {
    item_id: food.id, materials: food.materials.filter((m) => m.required === 'yes' && !owe.includes(m.name)).map((m) => m.name),
  })
  assert.equal(owing.status, 201, owing.text)
  const accepted = await clerk.post(`/cases/${owing.json.id}/transitions`, { action: 'accept', owed: owe, owed_days: 3 })
  assert.equal(accepted.status, 200, accepted.text)
  ids.owedCase = owing.json.id
  // 一件事 (issue 22): the demo's 出生一件事 and an application of demo-citizen's for it
  const bundles = await anyone('/bundles')
  ids.bundle = bundles.items.find((b) => b.name === '出生一件事').id
  const applied = await citizen.post(`/bundles/${ids.bundle}/applications`, {
    form: { child_name: '张小满', child_gender: '女', birth_date: '2026-11-20', birth_cert_no: 'R430900001', address: '赫山区桃花仑街道' },
    materials: ['出生医学证明', '父母双方居民户口簿', '父母双方居民身份证', '近期免冠彩色照片'],
  })
  assert.equal(applied.status, 201, applied.text)
  ids.myBundle = applied.json.id
  for (const [k, v] of Object.entries(ids)) assert.ok(v, `the demo data has a ${k}`)
})
after(async () => {
  await browser?.close()
})

// Who sees what. `phone`: also checked at 390 px. Workbench roles add every entry of their
// side menu (read from the page, so a new menu entry is walked without editing this list).
const PORTAL_PUBLIC = () => [
  '/',
  '/search?q=' + encodeURIComponent('身份证'),
  '/services',
  `/items/${ids.item}`,
  '/login',
  '/register',
  '/track',
  '/calendar',
  '/open',
  `/open/publications/${ids.publication}`,
  '/open/reports',
  `/verify/${ids.verify}`,
  '/open/reports/2025', // not right after /open/reports: the same page, which spaGo cannot tell apart
  '/complaints',
  '/bundles',
  `/bundles/${ids.bundle}`,
  '/hall',
  '/hall/C00',
  `/hall/ticket/${ids.ticket}`,
  `/hall/assist/${ids.assist}`,
  '/no-such-page',
  '/work/login',
]
const PORTAL_CITIZEN = () => [
  '/my/cases',
  `/my/cases/${ids.myCase}`,
  '/my/wallet',
  // not right after another case: the same page component, which spaGo cannot tell apart
  `/my/cases/${ids.commitCase}`,
  '/my/messages',
  '/my/ratings',
  `/apply/${ids.item}`,
  `/rate/${ids.concluded}`,
  '/open/apply',
  '/open/my',
  `/open/my/${ids.myRequest}`,
  '/complaints',
  '/appointments/new',
  '/my/appointments',
  '/my/bundles',
  `/my/bundles/${ids.myBundle}`,
  `/bundles/${ids.bundle}/apply`,
]
const WORK = {
  'demo-agent': () => [],
  'demo-clerk': () => [`/work/cases/${ids.intakeCase}`, '/work/messages', `/work/cases/${ids.owedCase}`, `/work/bundles/applications/${ids.myBundle}`],
  'demo-approver': () => [`/work/cases/${ids.reviewCase}`],
  'demo-supervisor': () => [],
  'demo-discloser': () => [
    `/work/disclosure/requests/${ids.request}`,
    '/work/disclosure/requests/new',
    `/work/disclosure/publications/${ids.ownPublication}`,
  ],
  'demo-admin': () => [`/work/catalog/items/${ids.item}`],
}

/** Every route of web/src/router.ts as a regular expression over the path. */
function routePatterns() {
  const src = readFileSync(new URL('../../web/src/router.ts', import.meta.url), 'utf8')
  const patterns = []
  let parent = ''
  for (const [, p] of src.matchAll(/\bpath: '([^']*)'/g)) {
    let full
    if (p.startsWith('/')) {
      parent = p.replace(/\/$/, '')
      full = p
    } else full = p ? `${parent}/${p}` : parent || '/'
    const re = full
      .replace(/\\\\/g, '\\')
      .replace(/\/:pathMatch\(\.\*\)\*/, '/.*')
      .replace(/\/:\w+\?/g, '(/[^/]+)?')
      .replace(/:\w+\(([^)]*)\)/g, '$1')
      .replace(/:\w+/g, '[^/]+')
    patterns.push({ route: full, re: new RegExp(`^${re}$`) })
  }
  return patterns
}

/**
 * Visit `paths` in one context as `username` (or nobody), in 长辈模式 when `elderly`,
 * collecting axe's findings into `found` and the checked pages into `seen`.
 */
async function walkAs(username, paths, { elderly, phone, found, seen, skip, extra }) {
  const page = await newPage(browser, DESK.width, DESK.height)
  await trackRequests(page)
  const context = page.context()
  if (username) await context.addCookies([{ ...cookies[username], url: BASE_URL }])
  if (elderly) await context.addInitScript(() => localStorage.setItem('ow.elderly', '1'))
  const who = username ?? 'anonymous'
  const mode = elderly ? '长辈模式' : 'normal'

  const check = async (path, label = path) => {
    const landed = new URL(page.url()).pathname
    assert.equal(landed, new URL(path, BASE_URL).pathname, `${who} opened ${path} but landed on ${landed}`)
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('ow-elderly')), !!elderly)
    const sizes = phone ? [PHONE, DESK] : [DESK]
    for (const size of sizes) {
      if (page.viewportSize().width !== size.width) {
        await page.setViewportSize(size)
        await settle(page, 0)
      }
      found.push(...(await axeViolations(page, `${label} [${who}, ${mode}, ${size.width} px]`)))
    }
    seen.push(landed)
  }

  await page.goto(paths[0])
  await page.locator('h1').first().waitFor()
  await settle(page)
  let menu = []
  if (username && paths[0].startsWith('/work')) {
    await page.locator('aside nav a[data-menu-path]').first().waitFor()
    menu = await page.locator('aside nav a[data-menu-path]').evaluateAll((as) => as.map((a) => a.dataset.menuPath))
    assert.ok(menu.length >= 4, `${who} has a side menu`)
  }
  const all = [...new Set([paths[0], ...menu, ...paths.slice(1)])].filter((p, i) => i === 0 || !skip?.has(p))
  for (const [i, path] of all.entries()) {
    if (i > 0) await spaGo(page, path)
    await check(path)
    if (extra?.[path]) await extra[path](page, check)
  }
  assert.deepEqual(page.pageErrors.map(String), [], `uncaught errors in the page (${who})`)
  await context.close()
  return all
}

/** Run the walks two at a time: the browser's page processes and the server share 2 cores. */
async function twoAtATime(jobs) {
  const queue = [...jobs]
  await Promise.all([1, 2].map(async () => {
    while (queue.length) await queue.shift()()
  }))
}

/**
 * One mode's walk. In the normal look every role walks every page of its menu. 长辈模式
 * changes type sizes and colours, the same for every role, so there the administrator
 * walks first and the other roles then walk their home page and the pages the
 * administrator does not have: every page is still checked in both modes, each role's
 * variant of a shared page in the normal look.
 */
async function walk(elderly) {
  const found = []
  const seen = []
  const opts = { elderly, found, seen }
  const mode = elderly ? '长辈模式' : 'normal'

  // The kiosk as it waits, and with the clerk's service open: the five rating buttons.
  const clerk = await apiAs('demo-clerk')
  const kiosk = () =>
    walkAs(null, ['/kiosk/W01', ids.kioskUrl, '/hall/C00/display'], {
      ...opts,
      phone: true,
      extra: {
        '/kiosk/W01': async (page, check) => {
          const service = await clerk.post('/services', { topic: '无障碍检查' })
          assert.equal(service.status, 201, service.text)
          await page.reload()
          await page.getByRole('button', { name: '非常满意' }).waitFor()
          await settle(page)
          await check('/kiosk/W01', '/kiosk/W01 (rating)')
          assert.equal((await clerk.post(`/services/${service.json.service.id}/end`)).status, 200)
        },
      },
    })
  const work = (username, skip) => {
    const extra = {}
    if (username === 'demo-admin') {
      // the hall's big screen: the supervision dashboard in its dark 大屏模式
      extra['/work/supervision'] = async (page) => {
        await page.getByTestId('big-screen').click()
        await page.locator('.dash.big').waitFor()
        await settle(page)
        found.push(...(await axeViolations(page, `/work/supervision 大屏模式 [${username}, ${mode}, 1440 px]`)))
        await page.getByTestId('big-screen').click()
      }
    }
    // the workbench is a desktop tool, but a clerk's pages are also checked on a phone
    // (the menu folds behind 菜单 there: WorkLayout.vue)
    return walkAs(username, ['/work', ...WORK[username]()], { ...opts, skip, extra, phone: username === 'demo-clerk' })
  }

  let adminPages = []
  await twoAtATime([
    kiosk,
    () => walkAs(null, PORTAL_PUBLIC(), { ...opts, phone: true }),
    async () => {
      adminPages = await work('demo-admin')
    },
    () => walkAs('demo-citizen', PORTAL_CITIZEN(), { ...opts, phone: true }),
  ])
  const skip = elderly ? new Set(adminPages) : undefined
  await twoAtATime(Object.keys(WORK).filter((u) => u !== 'demo-admin').map((u) => () => work(u, skip)))

  const missing = routePatterns()
    .filter(({ re }) => !seen.some((p) => re.test(p)))
    .map((r) => r.route)
  assert.deepEqual(missing, [], 'routes of web/src/router.ts that the walk does not visit')
  assert.deepEqual(found, [], `${found.length} accessibility violations:\n${found.join('\n')}`)
  return seen.length
}

describe('accessibility: axe-core WCAG 2.0/2.1 A and AA on every page', () => {
  test('the normal look', async (t) => {
    const n = await walk(false)
    t.diagnostic(`${n} pages checked`)
  })

  test('长辈模式', async (t) => {
    const n = await walk(true)
    t.diagnostic(`${n} pages checked`)
  })
})

describe('charts have a text alternative', () => {
  test('each chart is a named image followed by its figures, the same as the server’s', async () => {
    const page = await newPage(browser, DESK.width, DESK.height)
    await trackRequests(page)
    await page.context().addCookies([{ ...cookies['demo-supervisor'], url: BASE_URL }])
    const rows = (name) =>
      page.locator(`[data-chart="${name}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())))

    // the workbench home: accepted and concluded per day
    await page.goto('/work')
    await page.locator('[data-chart="trend"]').waitFor({ state: 'attached' })
    const home = await page.evaluate(async () => (await fetch('/api/v1/stats/workbench')).json())
    assert.ok(home.trend.length > 0)
    assert.deepEqual(await rows('trend'), home.trend.map((p) => [p.date, String(p.accepted), String(p.concluded)]))

    // the supervision dashboard's five charts
    await spaGo(page, '/work/supervision')
    await page.locator('[data-chart="towns"]').waitFor({ state: 'attached' })
    const d = await page.evaluate(async () => (await fetch('/api/v1/stats/dashboard')).json())
    const charts = await page.locator('[_echarts_instance_]').evaluateAll((els) =>
      els.map((e) => ({ role: e.getAttribute('role'), label: e.getAttribute('aria-label'), text: e.nextElementSibling?.textContent.trim() ?? '' })),
    )
    assert.equal(charts.length, 5)
    for (const c of charts) {
      assert.equal(c.role, 'img')
      assert.match(c.label, /数据见下(表|文)$/)
      assert.ok(c.text.length > 0, `${c.label}: the figures follow the chart`)
    }
    const m = d.cases_by_month_channel
    assert.deepEqual(await rows('months'), m.months.map((mon, i) => [mon, ...Object.keys(m.series).map((k) => String(m.series[k][i]))]))
    const depts = d.on_time_by_department.rows.filter((r) => r.concluded > 0).slice(0, 12)
    assert.deepEqual(await rows('ontime'), depts.map((r) => [r.name, String(r.on_time_rate)]))
    assert.deepEqual(await rows('sat'), d.satisfaction_by_month.rows.map((r) => [r.key, String(r.satisfaction_rate), String(r.bad)]))
    const towns = d.township_workload.rows.filter((r) => /街道|镇|乡/.test(r.name))
    assert.ok(towns.length > 0)
    assert.deepEqual(await rows('towns'), towns.map((r) => [r.name.replace('便民服务中心', ''), String(r.received)]))
    assert.equal(
      (await page.getByTestId('lights-text').textContent()).trim(),
      `绿灯 ${d.lights.green}，黄灯 ${d.lights.yellow}，红灯 ${d.lights.red}`,
    )
    await page.context().close()
  })
})
