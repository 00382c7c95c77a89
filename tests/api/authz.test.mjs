// The authorization matrix (issue 4): every endpoint × every demo role, with the
// answer each cell must get, written out.
//
// How a cell is made: every request carries a body that would succeed (a fresh
// code, a fresh username, a fresh ID number), so an allowed cell answers 2xx and
// a forbidden cell is stopped by nothing but the role check.  Remove any single
// check from a domain function (src/account/account.c, src/audit/audit_api.c) and
// a 403 cell turns 2xx and this file fails.  401 is the auth hook: no session.
//
// Coverage: the last test parses the route tables (`{"GET", "/api/v1/…", …}`) of
// src/**/*_api.c and src/system/system.c and fails when a route under one of
// COVERED_PREFIXES is missing from the matrix.  Routes of modules that are not
// in the matrix yet (catalog, cases, … as they are merged) are printed as
// diagnostics, not failures: when you merge a module, add its rows here and its
// first path segment to COVERED_PREFIXES, and the check holds it from then on.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEMO_PASSWORD, makeIdNumber, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** First path segments (after /api/v1/) whose routes must all be in the matrix. */
const COVERED_PREFIXES = ['health', 'meta', 'session', 'sessions', 'me', 'accounts', 'orgs', 'users', 'audit']

const ROLES = ['anonymous', 'demo-citizen', 'demo-enterprise', 'demo-agent', 'demo-clerk',
  'demo-township-clerk', 'demo-approver', 'demo-supervisor', 'demo-discloser', 'demo-admin']

const seed = uniqueSeed()
let serial = 0
const next = () => `${seed}${String(serial++).padStart(4, '0')}`

// Set up in the first test: the targets the rows act on.
const ctx = {}

/*
 * One row per endpoint (and per interesting target).  Columns, in ROLES order:
 *   anonymous, citizen, enterprise, agent, clerk, township-clerk, approver, supervisor,
 *   discloser, admin.
 * route: the route-table entry it covers.  path(role) and body(role) build the request.
 * fresh: the cell gets a session of its own (the request ends or changes it).
 * check(role, res): more than the status, for allowed cells.
 */
const MATRIX = [
  {
    route: 'GET /api/v1/health', path: () => '/api/v1/health',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/meta', path: () => '/api/v1/meta',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/session', path: () => '/api/v1/session',
    body: (role) => ({ username: role === 'anonymous' ? 'demo-citizen' : role, password: DEMO_PASSWORD }),
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'DELETE /api/v1/session', path: () => '/api/v1/session', fresh: true,
    expect: [401, 204, 204, 204, 204, 204, 204, 204, 204, 204],
  },
  {
    route: 'DELETE /api/v1/sessions', path: () => '/api/v1/sessions', fresh: true,
    expect: [401, 204, 204, 204, 204, 204, 204, 204, 204, 204],
  },
  {
    route: 'GET /api/v1/me', path: () => '/api/v1/me',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.equal(res.json.user.username, role),
  },
  {
    route: 'POST /api/v1/me/password', path: () => '/api/v1/me/password', fresh: true,
    body: () => ({ current_password: DEMO_PASSWORD, new_password: 'Authz#Temp2026' }),
    expect: [401, 204, 204, 204, 204, 204, 204, 204, 204, 204],
    // put the demo password back so the rest of the suite can sign in
    after: async (role, jar) => {
      const back = await request('/api/v1/me/password', {
        method: 'POST', jar, body: { current_password: 'Authz#Temp2026', new_password: DEMO_PASSWORD },
      })
      assert.equal(back.status, 204, `${role}: restoring the demo password: ${back.text}`)
    },
  },
  {
    route: 'POST /api/v1/accounts', path: () => '/api/v1/accounts',
    body: () => {
      const n = 10_000_000 + seed + serial++ // apart from accounts.test.mjs's numbers
      return { kind: 'citizen', id_number: makeIdNumber(n), name: '矩阵测试', mobile: makeMobile(n), password: 'Secret#2026' }
    },
    expect: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
  },
  {
    route: 'GET /api/v1/orgs', path: () => '/api/v1/orgs?kind=department',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.ok(res.json.items.length >= 35),
  },
  {
    // include_inactive is honoured for admins only (ow_org_list_json)
    route: 'GET /api/v1/orgs', path: () => '/api/v1/orgs?kind=department&include_inactive=true',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.equal(res.json.items.some((o) => o.id === ctx.inactiveOrg),
      role === 'demo-admin', `${role} sees the inactive department?`),
  },
  {
    route: 'POST /api/v1/orgs', path: () => '/api/v1/orgs',
    body: () => ({ code: `Z${next()}`, name: '矩阵测试部门', kind: 'department' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'GET /api/v1/orgs/{id}', path: () => `/api/v1/orgs/${ctx.org}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.equal(res.json.id, ctx.org),
  },
  {
    route: 'PUT /api/v1/orgs/{id}', path: () => `/api/v1/orgs/${ctx.org}`,
    body: () => ({ name: `矩阵测试部门${next()}` }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/users', path: () => '/api/v1/users?kind=staff',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
    check: (role, res) => assert.ok(res.json.total >= 7),
  },
  {
    route: 'POST /api/v1/users', path: () => '/api/v1/users',
    body: () => ({ username: `authz-${next()}`, name: '矩阵测试', role: 'supervisor', org_id: ctx.center, password: 'Staff#2026x' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    // somebody else's account: the demo citizen's
    route: 'GET /api/v1/users/{id}', path: () => `/api/v1/users/${ctx.ids['demo-citizen']}`,
    expect: [401, 200, 403, 403, 403, 403, 403, 403, 403, 200],
    check: (role, res) => assert.equal(res.json.id_number, '430903********2317'),
  },
  {
    // one's own account
    route: 'GET /api/v1/users/{id}', path: (role) => `/api/v1/users/${ctx.ids[role] ?? ctx.ids['demo-citizen']}`,
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/users/{id}/pii', path: () => `/api/v1/users/${ctx.ids['demo-citizen']}/pii`,
    expect: [401, 200, 403, 403, 200, 200, 403, 403, 403, 200],
    check: (role, res) => assert.equal(res.json.id_number, '430903199003152317'),
  },
  {
    route: 'GET /api/v1/users/{id}/pii', path: (role) => `/api/v1/users/${ctx.ids[role] ?? ctx.ids['demo-citizen']}/pii`,
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'PUT /api/v1/users/{id}', path: () => `/api/v1/users/${ctx.staff}`,
    body: () => ({ name: `矩阵测试${serial++ % 10}号` }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // one's own account, renamed to the name it has: only admins edit accounts, even their own
    route: 'PUT /api/v1/users/{id}', path: (role) => `/api/v1/users/${ctx.ids[role] ?? ctx.ids['demo-citizen']}`,
    body: (role) => ({ name: ctx.names[role] ?? ctx.names['demo-citizen'] }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/audit', path: () => '/api/v1/audit?per_page=5',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
    check: (role, res) => assert.ok(res.json.items.length > 0),
  },
]

const sessions = new Map()
async function sessionOf (role, fresh) {
  if (role === 'anonymous') return undefined
  if (fresh) return signIn(role)
  if (!sessions.has(role)) sessions.set(role, await signIn(role))
  return sessions.get(role)
}

test('set up the targets', async () => {
  const admin = await sessionOf('demo-admin')
  const staff = await request('/api/v1/users?kind=staff&per_page=100', { jar: admin })
  const citizens = await request('/api/v1/users?per_page=100&q=demo-', { jar: admin })
  ctx.ids = {}
  ctx.names = {}
  for (const u of [...staff.json.items, ...citizens.json.items]) {
    ctx.ids[u.username] = u.id
    ctx.names[u.username] = u.name
  }
  for (const r of ROLES.slice(1)) assert.ok(ctx.ids[r], `id of ${r}`)
  const center = await request('/api/v1/orgs?kind=center', { jar: admin })
  ctx.center = center.json.items.find((o) => o.code === 'C00').id
  const mk = async (code) => {
    const res = await request('/api/v1/orgs', { method: 'POST', jar: admin, body: { code, name: '矩阵测试目标', kind: 'department' } })
    assert.equal(res.status, 201, res.text)
    return res.json.id
  }
  ctx.org = await mk(`ZT${seed}`)
  ctx.inactiveOrg = await mk(`ZI${seed}`)
  const off = await request(`/api/v1/orgs/${ctx.inactiveOrg}`, { method: 'PUT', jar: admin, body: { active: false } })
  assert.equal(off.status, 200, off.text)
  const user = await request('/api/v1/users', {
    method: 'POST', jar: admin,
    body: { username: `authz-target-${seed}`, name: '矩阵目标', role: 'supervisor', org_id: ctx.center, password: 'Staff#2026x' },
  })
  assert.equal(user.status, 201, user.text)
  ctx.staff = user.json.id
})

for (const [n, row] of MATRIX.entries()) {
  test(`matrix row ${n + 1}: ${row.route}`, async () => {
    const [method] = row.route.split(' ')
    const failures = []
    for (let i = 0; i < ROLES.length; i++) {
      const role = ROLES[i]
      const jar = await sessionOf(role, row.fresh)
      const res = await request(row.path(role), { method, jar, body: row.body?.(role) })
      const want = row.expect[i]
      if (res.status !== want) {
        failures.push(`${role}: want ${want}, got ${res.status} ${res.text.slice(0, 160)}`)
        continue
      }
      if (want === 401) assert.equal(res.json?.error?.code, 'unauthenticated', res.text)
      if (want === 403) assert.equal(res.json?.error?.code, 'forbidden', `${role}: ${res.text}`)
      if (want < 300 && row.check) row.check(role, res)
      if (want < 300 && row.after) await row.after(role, jar)
      // a request that ends or changes sessions leaves the cached one in doubt
      if (row.fresh) sessions.delete(role)
    }
    assert.deepEqual(failures, [], `${row.route}:\n  ${failures.join('\n  ')}`)
  })
}

/** Every {"METHOD", "/api/v1/…"} entry of the route tables in the source. */
function sourceRoutes () {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true })
    .filter((f) => f.endsWith('_api.c') || f === join('system', 'system.c'))
  const routes = new Set()
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'src', f), 'utf8')
    for (const m of text.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"(\/api\/v1\/[^"]*)"/g)) {
      routes.add(`${m[1]} ${m[2]}`)
    }
  }
  return routes
}

test('the matrix covers every route of the covered modules', (t) => {
  const routes = sourceRoutes()
  assert.ok(routes.has('GET /api/v1/me') && routes.has('GET /api/v1/audit'), 'the parser finds the tables')
  const inMatrix = new Set(MATRIX.map((r) => r.route))
  const segment = (r) => r.split(' ')[1].split('/')[3]
  const missing = []
  const others = []
  for (const r of [...routes].sort()) {
    if (inMatrix.has(r)) continue
    if (COVERED_PREFIXES.includes(segment(r))) missing.push(r)
    else others.push(r)
  }
  for (const r of others) t.diagnostic(`not yet in the authorization matrix (module not covered): ${r}`)
  assert.deepEqual(missing, [], 'routes of covered modules without a matrix row')
  // and no row for a route that no longer exists
  assert.deepEqual([...inMatrix].filter((r) => !routes.has(r)), [], 'matrix rows without a route')
})
