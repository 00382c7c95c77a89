// The authorization matrix (issue 4): every endpoint × every demo role, with the
// answer each cell must get, written out.
//
// How a cell is made: every request carries a body that would succeed (a fresh
// code, a fresh username, a fresh ID number), so an allowed cell answers 2xx and
// a forbidden cell is stopped by nothing but the role check.  Remove any single
// check from a domain function (src/account/account.c, src/audit/audit_api.c) and
// a 403 cell turns 2xx and this file fails.  401 is the auth hook: no session.
//
// Transitions: a row whose allowed cells change their target's state either gives
// each cell a target of its own (created in the setup test, or in the row's
// before(role) hook), or acts where the domain function checks the role before the
// state, so the forbidden cells cannot be told apart from the allowed ones by
// anything but the role; each such row says which.  404 cells are where the domain
// code deliberately hides that a target exists from an actor outside its scope.
//
// Coverage: the last test parses the route tables (`{"GET", "/api/v1/…", …}`) of
// every src/**/*.c and fails when a route under one of COVERED_PREFIXES is missing
// from the matrix; a route under a first path segment not in COVERED_PREFIXES fails
// too.  When a module adds a route, add its row here (and a new first segment to
// COVERED_PREFIXES), and the check holds it from then on.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEMO_PASSWORD, makeIdNumber, makeMobile, makeUscc, request, serverToday, signIn, uniqueSeed } from './lib.mjs'
import { PDF, upload } from './materials-lib.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** First path segments (after /api/v1/) whose routes must all be in the matrix. */
const COVERED_PREFIXES = ['health', 'meta', 'session', 'sessions', 'me', 'accounts', 'orgs', 'users', 'audit',
  'items', 'catalog', 'calendar', 'cases', 'applicants', 'services', 'kiosk', 'rating-tags', 'ratings',
  'rectifications', 'public', 'complaints', 'supervision', 'stats', 'info-requests', 'info-request-outcomes',
  'publications', 'publication-columns', 'disclosure-reports', 'disclosure-stats', 'disclosure-inspections',
  'verify', 'wallet', 'licenses', 'assessment', 'work-plans', 'work-tasks', 'bulletins', 'hall', 'oidc',
  'messages', 'notify', 'exchange', 'sms', 'credit-records', 'bundles', 'bundle-applications']

const ROLES = ['anonymous', 'demo-citizen', 'demo-enterprise', 'demo-agent', 'demo-clerk',
  'demo-township-clerk', 'demo-approver', 'demo-supervisor', 'demo-discloser', 'demo-admin']

const seed = uniqueSeed()
let serial = 0
const next = () => `${seed}${String(serial++).padStart(4, '0')}`

// Set up in the first test: the targets the rows act on.
const ctx = {}

// Request bodies and targets of the module rows (catalog, cases, disclosure …).
const MARRIAGE_MATERIALS = ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明',
  '近期半身免冠合影照片']
const IMPORT_HEADER = '事项编码,事项名称,事项类型,实施部门编码,设定依据,法定时限（工作日）,承诺时限（工作日）,办理方式,网办深度,到现场次数,申请材料,办理流程\n'
/** A fresh public-service item code (20 + 8 digits). */
const itemCode = () => `20${String(seed % 100000).padStart(5, '0')}${String(serial++ % 1000).padStart(3, '0')}`
const itemBody = (code = itemCode()) => ({
  code, name: `矩阵测试事项${code}`, type: 'public_service', department_code: 'D05',
  basis: '《测试条例》', statutory_days: 10, committed_days: 5, modes: ['online', 'one_visit'],
  online_depth: 'apply', visits: 1, materials: [{ name: '居民身份证' }],
  steps: [{ name: '受理', role: 'clerk', org_code: 'W01' }, { name: '决定', role: 'approver', days: 5 }],
})
/** A person not in the demo, for desk filings: apart from the numbers of accounts.test.mjs and the account rows. */
const person = () => {
  const n = 20_000_000 + seed + serial++
  return { id_number: makeIdNumber(n), name: '矩阵申请人', mobile: makeMobile(n) }
}
function caseBody (role) {
  if (role === 'demo-enterprise') return { item_id: ctx.invoice, materials: [] }
  if (['demo-clerk', 'demo-township-clerk', 'demo-agent'].includes(role)) return { item_id: ctx.birth, ...person(), materials: [] }
  return { item_id: ctx.marriage, materials: MARRIAGE_MATERIALS }
}
function infoBody (role) {
  if (role === 'demo-enterprise') {
    // an enterprise files as itself: the name and USCC come from its account
    return { org_id: ctx.d35, applicant_type: 'commercial',
      contact_name: '联系人', mobile: '13907372002', content: '矩阵测试', delivery: 'electronic' }
  }
  if (role === 'demo-discloser' || role === 'demo-admin') {
    return { org_id: ctx.d35, channel: 'in_person', applicant_type: 'person', ...person(), content: '矩阵测试', delivery: 'pickup' }
  }
  // as disclosure.test.mjs files for demo-citizen (its list check wants the name 张伟)
  return { org_id: ctx.d35, applicant_type: 'person', name: '张伟', id_number: '430903199003152317',
    mobile: '13907372001', content: '矩阵测试', delivery: 'electronic' }
}
const pubBody = () => ({ column: 'news', title: '矩阵测试草稿', issued_date: ctx.today, body: '矩阵测试正文。' })
/** A bundle of two person items from two departments that every desk may file. */
const bundleBody = (name) => ({
  name, life_event: '矩阵测试', committed_days: 5, on_denial: 'continue',
  items: [{ item_id: ctx.birth, fields: [] }, { item_id: ctx.socialCard, fields: [] }],
})
const MATRIX_BUNDLE_MATERIALS = ['夫妻双方居民身份证', '结婚证', '近期免冠彩色照片', '居民身份证']
const ENTERPRISE_FORM = { company_name: '矩阵测试有限公司', legal_rep: '矩阵', reg_capital: '10', address: '赫山区',
  mobile: '13907372003', tax_contact: '矩阵', staff_count: '3' }

/** role's request; fails the setup unless it answers want. */
async function as (role, method, path, body, want) {
  const res = await request(path, { method, jar: await sessionOf(role), body })
  if (want) assert.equal(res.status, want, `${role} ${method} ${path}: ${res.text}`)
  return res.json
}
/** demo-clerk opens a service at W01 (ending the open one): its id. */
async function startService () {
  return (await as('demo-clerk', 'POST', '/api/v1/services', { topic: '矩阵测试' }, 201)).service.id
}
/** demo-citizen applies online for 结婚登记 with every required material: the case. */
const marriageOnline = () => as('demo-citizen', 'POST', '/api/v1/cases', caseBody('demo-citizen'), 201)
/** accept, approve, deliver: 已办结 (and a 结婚证 for the applicant). */
async function conclude (id) {
  await as('demo-clerk', 'POST', `/api/v1/cases/${id}/transitions`, { action: 'accept' }, 200)
  await as('demo-approver', 'POST', `/api/v1/cases/${id}/transitions`, { action: 'approve' }, 200)
  await as('demo-clerk', 'POST', `/api/v1/cases/${id}/transitions`, { action: 'deliver', delivery: 'window' }, 200)
}

/*
 * One row per endpoint (and per interesting target).  Columns, in ROLES order:
 *   anonymous, citizen, enterprise, agent, clerk, township-clerk, approver, supervisor,
 *   discloser, admin.
 * route: the route-table entry it covers.  path(role) and body(role) build the request.
 * fresh: the cell gets a session of its own (the request ends or changes it).
 * check(role, res): more than the status, for allowed cells.
 * notFound: the error code of its 404 cells when it is not not_found (oidc_disabled).
 */
const MATRIX = [
  // sign-in through the identity platform (issue 20): off on this server (no oidc_issuer),
  // so its ways in and back answer 404 oidc_disabled to everyone; tests/api/oidc.test.mjs
  // runs them against a provider
  {
    route: 'GET /api/v1/oidc/config', path: () => '/api/v1/oidc/config',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.equal(res.json.enabled, false),
  },
  {
    route: 'GET /api/v1/oidc/login', path: () => '/api/v1/oidc/login', notFound: 'oidc_disabled',
    expect: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'GET /api/v1/oidc/callback', path: () => `/api/v1/oidc/callback?code=x&state=${'A'.repeat(43)}`,
    notFound: 'oidc_disabled',
    expect: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    // a session opened with a password has no provider identity
    route: 'GET /api/v1/oidc/session', path: () => '/api/v1/oidc/session',
    expect: [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'DELETE /api/v1/oidc/session', path: () => '/api/v1/oidc/session', fresh: true,
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.equal(res.json.logout_url, null),
  },
  {
    // the provider's back-channel logout: no session (the logout token is the credential);
    // 404 oidc_disabled on this server for everyone
    route: 'POST /api/v1/oidc/backchannel-logout', path: () => '/api/v1/oidc/backchannel-logout',
    notFound: 'oidc_disabled',
    body: () => ({ logout_token: 'x' }),
    expect: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    // every staff binding (the workbench's screen): administrators only
    route: 'GET /api/v1/identities', path: () => '/api/v1/identities',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/users/{id}/identities', path: () => `/api/v1/users/${ctx.ids['demo-clerk']}/identities`,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // administrators only; then 404 oidc_disabled on this server
    route: 'POST /api/v1/users/{id}/identities', path: () => `/api/v1/users/${ctx.ids['demo-clerk']}/identities`,
    notFound: 'oidc_disabled',
    body: () => ({ subject: `matrix-${next()}` }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 404],
  },
  {
    route: 'DELETE /api/v1/users/{id}/identities/{link}', path: () => `/api/v1/users/${ctx.ids['demo-clerk']}/identities/999999999`,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 404],
  },
  // the message center: everyone signed in has one, and only their own
  {
    route: 'GET /api/v1/messages', path: () => '/api/v1/messages',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/messages/unread', path: () => '/api/v1/messages/unread',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/messages/{id}/read', path: () => '/api/v1/messages/999999999/read',
    expect: [401, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'POST /api/v1/messages/read-all', path: () => '/api/v1/messages/read-all',
    expect: [401, 204, 204, 204, 204, 204, 204, 204, 204, 204],
  },
  {
    route: 'GET /api/v1/notify/templates', path: () => '/api/v1/notify/templates',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'PUT /api/v1/notify/templates/{event}', path: () => '/api/v1/notify/templates/case_ready',
    body: () => ({ title: '办理结果可以领取了', body: '您申请的“{item_name}”（办件编号 {case_no}）结果可以领取。' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'DELETE /api/v1/notify/templates/{event}', path: () => '/api/v1/notify/templates/case_ready',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 204],
  },
  {
    route: 'PUT /api/v1/notify/templates/{event}/sms', path: () => '/api/v1/notify/templates/case_ready/sms',
    body: () => ({ text: '您的办件{case_no}结果可以领取了，窗口领取请带上本人身份证件。' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'DELETE /api/v1/notify/templates/{event}/sms', path: () => '/api/v1/notify/templates/case_ready/sms',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 204],
  },
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
    expect: [202, 202, 202, 202, 202, 202, 202, 202, 202, 202],
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
    // an administrator sets another account's password; nobody else does
    route: 'POST /api/v1/users/{id}/password', path: () => `/api/v1/users/${ctx.staff}/password`,
    body: () => ({ password: 'Reset#2026x' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 204],
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

  // ------------------------------------------------------------ catalog (src/catalog)
  {
    route: 'GET /api/v1/items', path: () => '/api/v1/items?per_page=5',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // ?status= is the administrators' list of heads (ow_catalog_admin_list)
    route: 'GET /api/v1/items', path: () => '/api/v1/items?status=all&per_page=5',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'POST /api/v1/items', path: () => '/api/v1/items',
    body: () => itemBody(),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'GET /api/v1/items/export', path: () => '/api/v1/items/export?status=published',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/items/export.xlsx', path: () => '/api/v1/items/export.xlsx?status=published',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'POST /api/v1/items/import', path: () => '/api/v1/items/import',
    body: () => ({ csv: IMPORT_HEADER + `${itemCode()},矩阵导入事项,公共服务,D05,《条例》,20,5,网上办,网上申请,1,居民身份证|原件|1|纸质|必需,受理|窗口受理人员|W01|0\n` }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/items/{id}', path: () => `/api/v1/items/${ctx.marriage}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // a draft: 404 (as if it did not exist) for all but administrators, who get the head
    route: 'GET /api/v1/items/{id}', path: () => `/api/v1/items/${ctx.draftItem}`,
    expect: [404, 404, 404, 404, 404, 404, 404, 404, 404, 200],
  },
  {
    route: 'PUT /api/v1/items/{id}', path: () => `/api/v1/items/${ctx.draftItem}`,
    body: () => ctx.draftItemBody,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // ow_catalog_publish checks the role before the state; only the admin cell (the
    // last) publishes the draft
    route: 'POST /api/v1/items/{id}/publish', path: () => `/api/v1/items/${ctx.itemToPublish}/publish`,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // role before state, as publish; only the admin cell (the last) suspends
    route: 'POST /api/v1/items/{id}/suspend', path: () => `/api/v1/items/${ctx.itemToSuspend}/suspend`,
    body: () => ({ reason: '矩阵测试暂停' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/items/{id}/versions', path: () => `/api/v1/items/${ctx.marriage}/versions`,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/items/{id}/versions/{version}', path: () => `/api/v1/items/${ctx.marriage}/versions/1`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/catalog/coverage', path: () => '/api/v1/catalog/coverage',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/catalog/vocabularies', path: () => '/api/v1/catalog/vocabularies',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ calendar (src/calendar)
  {
    route: 'GET /api/v1/calendar/due', path: () => '/api/v1/calendar/due?from=2026-09-30&days=1',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/calendar', path: () => '/api/v1/calendar?year=2026',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // an ordinary Wednesday set to what it is: changes nothing when allowed
    route: 'PUT /api/v1/calendar/days/{date}', path: () => '/api/v1/calendar/days/2026-03-11',
    body: () => ({ kind: 'normal' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // 2025's notice loaded again as shipped: changes no day and no deadline when allowed
    route: 'PUT /api/v1/calendar/years/{year}', path: () => '/api/v1/calendar/years/2025',
    body: () => ({ csv: readFileSync(new URL('../../data/calendar/2025.csv', import.meta.url), 'utf8') }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },

  // ------------------------------------------------------------ cases (src/cases)
  {
    // citizens apply online (结婚登记), the enterprise online (发票领用); the window clerk,
    // the township clerk and the agent file 生育登记 (delegated to townships and agent
    // points) for a person at the desk; nobody else files
    route: 'POST /api/v1/cases', path: () => '/api/v1/cases',
    body: (role) => caseBody(role),
    expect: [401, 201, 201, 201, 201, 201, 403, 403, 403, 403],
  },
  {
    // no queue: "mine", the applicants' own cases; staff have no such queue
    route: 'GET /api/v1/cases', path: () => '/api/v1/cases?per_page=5',
    expect: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/cases', path: () => '/api/v1/cases?queue=intake&per_page=5',
    expect: [401, 403, 403, 200, 200, 200, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/cases', path: () => '/api/v1/cases?queue=review&per_page=5',
    expect: [401, 403, 403, 403, 403, 403, 200, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/cases', path: () => '/api/v1/cases?queue=delivery&per_page=5',
    expect: [401, 403, 403, 403, 200, 200, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/cases', path: () => '/api/v1/cases?queue=all&per_page=5',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/cases/track', path: () => `/api/v1/cases/track?case_no=${ctx.caseOpenNo}&id_tail=152317`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // demo-citizen's online 结婚登记 (民政局 D05, accepted by the center's windows): the
    // applicant, the center's clerk, 民政局's approver, supervisors and admins see it;
    // for everyone else it does not exist (404)
    route: 'GET /api/v1/cases/{id}', path: () => `/api/v1/cases/${ctx.caseOpen}`,
    expect: [401, 200, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    // accept: each cell acts on a submitted case of its own (all required materials in),
    // so only the role decides.  Those who may see the case but not accept it: 403;
    // those who may not see it: 404
    route: 'POST /api/v1/cases/{id}/transitions', path: (role) => `/api/v1/cases/${ctx.acceptCases[role]}/transitions`,
    body: () => ({ action: 'accept' }),
    expect: [401, 403, 404, 404, 200, 404, 403, 403, 404, 403],
  },
  // the case modes (issue 22, src/cases/cases_modes.c): on demo-citizen's open 结婚登记,
  // filed without a commitment and owing nothing, so each allowed cell gets past the role
  // check and stops at the state (409); those who may see the case but not act 403; the
  // rest 404
  {
    route: 'POST /api/v1/cases/{id}/commitment/confirm', path: () => `/api/v1/cases/${ctx.caseOpen}/commitment/confirm`,
    expect: [401, 409, 404, 404, 409, 404, 403, 403, 404, 403],
  },
  {
    route: 'POST /api/v1/cases/{id}/commitment/check', path: () => `/api/v1/cases/${ctx.caseOpen}/commitment/check`,
    body: () => ({ result: 'pass', notes: '矩阵测试' }),
    expect: [401, 403, 404, 404, 403, 404, 409, 403, 404, 409],
  },
  {
    route: 'POST /api/v1/cases/{id}/owed/receive', path: () => `/api/v1/cases/${ctx.caseOpen}/owed/receive`,
    body: () => ({ material: '居民户口簿' }),
    expect: [401, 403, 404, 404, 409, 404, 403, 403, 404, 403],
  },
  {
    // each approver's department's joint reviews (并联审批)
    route: 'GET /api/v1/cases/joint-reviews', path: () => '/api/v1/cases/joint-reviews',
    expect: [401, 403, 403, 403, 403, 403, 200, 403, 403, 403],
  },
  {
    // owed materials and commitment checks past due: supervision district-wide, the
    // offices their own
    route: 'GET /api/v1/cases/mode-alerts', path: () => '/api/v1/cases/mode-alerts',
    expect: [401, 403, 403, 403, 200, 200, 200, 200, 403, 200],
  },
  {
    // credit records (信用记录): the staff who accept, decide and supervise
    route: 'GET /api/v1/credit-records', path: () => '/api/v1/credit-records',
    expect: [401, 403, 403, 403, 200, 200, 200, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/applicants/profile', path: () => '/api/v1/applicants/profile?id_number=430903199003152317',
    expect: [401, 403, 403, 200, 200, 200, 403, 403, 403, 403],
  },

  // ------------------------------------------------------------ materials, wallet, licenses, notices (src/files, src/wallet, src/docs)
  {
    // the applicant and the intake clerk upload while the case is 待受理; those who may
    // see the case but not add to it get 403 (ow_cases_attach_check); the rest 404
    route: 'POST /api/v1/cases/{id}/materials/upload',
    path: () => `/api/v1/cases/${ctx.caseOpen}/materials/upload?material=${encodeURIComponent('居民户口簿')}&filename=hkb.pdf`,
    body: () => PDF, headers: { 'content-type': 'application/octet-stream' },
    expect: [401, 201, 404, 404, 201, 404, 403, 403, 404, 403],
  },
  {
    route: 'GET /api/v1/cases/{id}/materials', path: () => `/api/v1/cases/${ctx.caseOpen}/materials`,
    expect: [401, 200, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/cases/{id}/materials/{mid}/file', path: () => `/api/v1/cases/${ctx.caseOpen}/materials/${ctx.uploadId}/file`,
    expect: [401, 200, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    // 免提交: demo-citizen's 结婚证 for their 生育登记 (卫健 D16, window W01): the applicant
    // and the intake clerk may; supervisors and admins see the case but may not add
    // (403, as upload); the rest 404
    route: 'POST /api/v1/cases/{id}/materials', path: () => `/api/v1/cases/${ctx.birthCase}/materials`,
    body: () => ({ material: '结婚证', license_id: ctx.citizenLicense }),
    expect: [401, 201, 404, 404, 201, 404, 404, 403, 404, 403],
  },
  {
    route: 'GET /api/v1/cases/{id}/notices/{kind}', path: () => `/api/v1/cases/${ctx.caseAccepted}/notices/acceptance`,
    expect: [401, 200, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    // a correction of the notice the row above issued: the window's clerk, the approver
    // and admins who may see the case (each cell corrects the newest); other roles 403,
    // a township's clerk sees no such case (404)
    route: 'POST /api/v1/cases/{id}/notices/{kind}/corrections', path: () => `/api/v1/cases/${ctx.caseAccepted}/notices/acceptance/corrections`,
    body: () => ({ reason: '矩阵测试更正' }),
    expect: [401, 403, 403, 403, 201, 404, 201, 403, 403, 201],
  },
  {
    route: 'GET /api/v1/wallet', path: () => '/api/v1/wallet',
    expect: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/wallet/offers', path: () => `/api/v1/wallet/offers?item_id=${ctx.birth}`,
    expect: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    // demo-citizen's reusable 居民户口簿: someone else's wallet does not hold it (404)
    route: 'GET /api/v1/wallet/materials/{mid}/file', path: () => `/api/v1/wallet/materials/${ctx.walletMaterial}/file`,
    expect: [401, 200, 404, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    // a 结婚证 of a person filed at the window (not demo-citizen's): any clerk, 民政局's
    // approvers, supervisors and admins; 404 for the rest
    // a license issued by a case filed at the centre's W01: the holder (not a demo
    // account), the centre's clerk who may see that case, the issuing department (民政局),
    // supervisors, admins — not a township's clerk, who has no case of it
    route: 'GET /api/v1/licenses/{id}', path: () => `/api/v1/licenses/${ctx.license}`,
    expect: [401, 404, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/licenses/{id}/certificate', path: () => `/api/v1/licenses/${ctx.license}/certificate`,
    expect: [401, 404, 404, 404, 200, 404, 200, 200, 404, 200],
  },
  {
    // the issuing department's approver and admins; each cell revokes a license of its
    // own, so 409 already_revoked cannot stand in for the role check
    route: 'POST /api/v1/licenses/{id}/revoke', path: (role) => `/api/v1/licenses/${ctx.revokeLicenses[role]}/revoke`,
    body: () => ({ reason: '矩阵测试注销' }),
    expect: [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
  },
  {
    route: 'GET /api/v1/verify/{code}', path: () => `/api/v1/verify/${ctx.verifyCode}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ ratings, rectifications (src/rating)
  {
    // the clerk's and the agent's own window; nobody else serves at one
    route: 'POST /api/v1/services', path: () => '/api/v1/services',
    body: () => ({ topic: '矩阵测试咨询' }),
    expect: [401, 403, 403, 201, 201, 201, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/services/current', path: () => '/api/v1/services/current',
    expect: [401, 403, 403, 200, 200, 200, 403, 403, 403, 403],
  },
  {
    // a service demo-clerk opened at W01 just before each cell: the agent and the
    // township clerk serve elsewhere (404: not their window's)
    route: 'POST /api/v1/services/{id}/end', path: () => `/api/v1/services/${ctx.service}/end`,
    before: async () => { ctx.service = await startService() },
    expect: [401, 403, 403, 404, 200, 404, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/kiosk/{code}', path: () => '/api/v1/kiosk/W01',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // the evaluator is public: each cell rates a service opened just before it
    route: 'POST /api/v1/kiosk/{code}/ratings', path: () => '/api/v1/kiosk/W01/ratings',
    before: async () => { ctx.service = await startService() },
    body: () => ({ service_id: ctx.service, level: 5 }),
    expect: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
  },
  {
    route: 'GET /api/v1/rating-tags', path: () => '/api/v1/rating-tags',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // without a token only the applicant rates their case; for anyone else it does not
    // exist (404 before the one-rating-per-case check, so one case serves the row)
    route: 'POST /api/v1/ratings', path: () => '/api/v1/ratings',
    body: () => ({ case_id: ctx.rateCase, level: 4 }),
    expect: [401, 201, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'GET /api/v1/ratings', path: () => '/api/v1/ratings?per_page=5',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // demo-citizen's 非常不满意 of a 民政局 case taken at window W14: the rater, 民政局's
    // staff, supervisors, admins; 404 for other offices
    route: 'GET /api/v1/ratings/{id}', path: () => `/api/v1/ratings/${ctx.rating}`,
    expect: [401, 200, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/cases/{id}/rating', path: () => `/api/v1/cases/${ctx.ratedCase}/rating`,
    expect: [401, 200, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'GET /api/v1/rectifications', path: () => '/api/v1/rectifications?per_page=5',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/rectifications/{id}', path: () => `/api/v1/rectifications/${ctx.rects['demo-approver']}`,
    expect: [401, 403, 403, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    // visit (the office or a supervisor): each cell acts on an open rectification of
    // its own, so 409 cannot stand in for the scope check
    route: 'POST /api/v1/rectifications/{id}/transitions', path: (role) => `/api/v1/rectifications/${ctx.rects[role]}/transitions`,
    body: () => ({ action: 'visit', note: '矩阵测试回访' }),
    expect: [401, 403, 403, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/public/rectifications', path: () => '/api/v1/public/rectifications',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ complaints (src/complaint)
  {
    route: 'POST /api/v1/complaints', path: () => '/api/v1/complaints',
    body: () => ({ kind: 'suggestion', subject: 'general', title: '矩阵测试建议', content: '建议大厅增加座椅。' }),
    expect: [201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
  },
  {
    route: 'GET /api/v1/complaints', path: () => '/api/v1/complaints?per_page=5',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/complaints/lookup', path: () => `/api/v1/complaints/lookup?ref_no=${ctx.complaintRef}&query_code=${ctx.complaintCode}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // demo-citizen's complaint about 民政局: the complainant, 民政局, supervisors, admins
    route: 'GET /api/v1/complaints/{id}', path: () => `/api/v1/complaints/${ctx.complaint}`,
    expect: [401, 200, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    // assign (supervisors): the role check comes before the state check, and assigning
    // to 民政局 again leaves the complaint assignable.  The route is public (the
    // complainant rates with a query code), so anonymous is refused by the role: 403
    route: 'POST /api/v1/complaints/{id}/transitions', path: () => `/api/v1/complaints/${ctx.complaint}/transitions`,
    body: () => ({ action: 'assign', assigned_org_id: ctx.d05 }),
    expect: [403, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },

  // ------------------------------------------------------------ supervision (src/supervision)
  {
    route: 'GET /api/v1/supervision/lights', path: () => '/api/v1/supervision/lights',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/supervision/alerts', path: () => '/api/v1/supervision/alerts',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // today's digest of one's own office: the one the sweep stored (民政局 has open
    // cases), or made now for offices without one; supervisors: the whole center
    route: 'GET /api/v1/supervision/digest', path: () => '/api/v1/supervision/digest',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // another office's digest: only supervisors and administrators pick the office
    route: 'GET /api/v1/supervision/digest', path: () => `/api/v1/supervision/digest?org_id=${ctx.d05}`,
    expect: [401, 403, 403, 403, 403, 403, 200, 200, 403, 200],
  },
  {
    route: 'POST /api/v1/supervision/sweep', path: () => '/api/v1/supervision/sweep',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/supervision/notices', path: () => '/api/v1/supervision/notices',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/supervision/notices', path: () => '/api/v1/supervision/notices',
    body: () => ({ case_id: ctx.caseOpen, content: '请加快办理矩阵测试办件' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    // the case's department replies; supervisors who issue may not (403); other offices
    // 404.  Each cell replies to a notice of its own (a second reply is 409)
    route: 'POST /api/v1/supervision/notices/{id}/reply', path: (role) => `/api/v1/supervision/notices/${ctx.notices[role]}/reply`,
    body: () => ({ reply: '已督促经办人加快办理' }),
    expect: [401, 403, 403, 404, 404, 404, 200, 403, 404, 403],
  },
  {
    // the notice with its exchange: the department it is addressed to and supervisors
    route: 'GET /api/v1/supervision/notices/{id}', path: (role) => `/api/v1/supervision/notices/${ctx.notices[role]}`,
    expect: [401, 403, 403, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    // closing (and following up) is the supervisors'; the department may not close
    // its own notice (403); other offices do not see it (404)
    route: 'POST /api/v1/supervision/notices/{id}/transitions', path: (role) => `/api/v1/supervision/notices/${ctx.notices[role]}/transitions`,
    body: () => ({ action: 'close', note: '矩阵测试办结督办' }),
    expect: [401, 403, 403, 404, 404, 404, 403, 200, 404, 200],
  },

  // ------------------------------------------------------------ statistics (src/report)
  {
    route: 'GET /api/v1/stats/cases', path: () => '/api/v1/stats/cases?by=department',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/stats/ratings', path: () => '/api/v1/stats/ratings?by=department',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/stats/complaints', path: () => '/api/v1/stats/complaints?by=department',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/stats/workbench', path: () => '/api/v1/stats/workbench',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/stats/dashboard', path: () => '/api/v1/stats/dashboard',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/public/ratings', path: () => '/api/v1/public/ratings?by=department',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ disclosure (src/disclosure)
  {
    // the public for themselves online; disclosers for their own agency at the desk
    // (admins for any)
    route: 'POST /api/v1/info-requests', path: () => '/api/v1/info-requests',
    body: (role) => infoBody(role),
    expect: [401, 201, 201, 403, 403, 403, 403, 403, 201, 201],
  },
  {
    route: 'GET /api/v1/info-requests', path: () => '/api/v1/info-requests?per_page=5',
    expect: [401, 200, 200, 403, 403, 403, 403, 200, 200, 200],
  },
  {
    // demo-citizen's request to D35: the applicant, D35's disclosers, supervisors,
    // admins; 404 for the rest
    route: 'GET /api/v1/info-requests/{id}', path: () => `/api/v1/info-requests/${ctx.infoMine}`,
    expect: [401, 200, 404, 404, 404, 404, 404, 200, 200, 200],
  },
  {
    // papers of a request (scanned letter …): the handling discloser and admins add them;
    // the applicant and supervisors, who may read the request, get 403; the rest 404
    route: 'POST /api/v1/info-requests/{id}/files',
    path: (role) => `/api/v1/info-requests/${ctx.infoMine}/files?filename=${encodeURIComponent(`矩阵扫描件-${role}.pdf`)}`,
    body: () => PDF, headers: { 'content-type': 'application/octet-stream' },
    expect: [401, 403, 404, 404, 404, 404, 404, 403, 201, 201],
  },
  {
    // and whoever may read the request downloads them
    route: 'GET /api/v1/info-requests/{id}/files/{fid}', path: () => `/api/v1/info-requests/${ctx.infoMine}/files/${ctx.infoPaper}`,
    expect: [401, 200, 404, 404, 404, 404, 404, 200, 200, 200],
  },
  {
    // unmasked numbers: the handling discloser (and admins) and the applicant themself;
    // even supervisors, who may read the request, are refused (403); the rest, who may
    // not, get 404 as for a request that does not exist (hardening #24)
    route: 'GET /api/v1/info-requests/{id}/pii', path: () => `/api/v1/info-requests/${ctx.infoMine}/pii`,
    expect: [401, 200, 404, 404, 404, 404, 404, 403, 200, 200],
  },
  {
    // ask_supplement on an in-person request of D35 of each cell's own (the clock runs
    // from today): readers who may not act 403 (supervisors), the rest 404
    route: 'POST /api/v1/info-requests/{id}/transitions', path: (role) => `/api/v1/info-requests/${ctx.infoCells[role]}/transitions`,
    body: () => ({ action: 'ask_supplement', items: '请写明文件名称', workdays: 10 }),
    expect: [401, 404, 404, 404, 404, 404, 404, 403, 200, 200],
  },
  {
    route: 'GET /api/v1/info-requests/{id}/notices/{nid}/pdf', path: () => `/api/v1/info-requests/${ctx.infoMine}/notices/${ctx.infoNotice}/pdf`,
    expect: [401, 200, 404, 404, 404, 404, 404, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/info-requests/{id}/reviews', path: () => `/api/v1/info-requests/${ctx.infoMine}/reviews`,
    body: () => ({ kind: 'reconsideration', filed_date: ctx.today, result: 'pending' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 201, 201],
  },
  {
    route: 'PUT /api/v1/info-requests/{id}/reviews/{rid}', path: () => `/api/v1/info-requests/${ctx.infoMine}/reviews/${ctx.review}`,
    body: () => ({ note: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    route: 'GET /api/v1/info-request-outcomes', path: () => '/api/v1/info-request-outcomes',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/publications', path: () => '/api/v1/publications?per_page=5',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // manage=true: disclosers, supervisors, admins.  The route is public, so anonymous
    // is refused by the role check: 403
    route: 'GET /api/v1/publications', path: () => '/api/v1/publications?manage=true&per_page=5',
    expect: [403, 403, 403, 403, 403, 403, 403, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/publications', path: () => '/api/v1/publications',
    body: () => pubBody(),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 201, 201],
  },
  {
    route: 'GET /api/v1/publications/{id}', path: () => `/api/v1/publications/${ctx.pubPublished}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // a draft of D35: its disclosers, admins and supervisors; 404 for the rest
    route: 'GET /api/v1/publications/{id}', path: () => `/api/v1/publications/${ctx.pubDraft}`,
    expect: [404, 404, 404, 404, 404, 404, 404, 200, 200, 200],
  },
  {
    route: 'PUT /api/v1/publications/{id}', path: () => `/api/v1/publications/${ctx.pubDraft}`,
    body: () => ({ title: '矩阵测试草稿（修改）' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    // submit (draft → review) on a draft of each cell's own
    route: 'POST /api/v1/publications/{id}/transitions', path: (role) => `/api/v1/publications/${ctx.pubCells[role]}/transitions`,
    body: () => ({ action: 'submit' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    // attachments are added to a draft by the unit's disclosers (and admins); a file
    // name of each cell's own, as two attachments of one draft may not share a name
    route: 'POST /api/v1/publications/{id}/attachments',
    path: (role) => `/api/v1/publications/${ctx.pubDraft}/attachments?filename=${encodeURIComponent(`矩阵附件-${role}.pdf`)}`,
    body: () => PDF, headers: { 'content-type': 'application/octet-stream' },
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 201, 201],
  },
  {
    // removing: an attachment of each cell's own on the same draft
    route: 'DELETE /api/v1/publications/{id}/attachments/{aid}',
    path: (role) => `/api/v1/publications/${ctx.pubAttDraft}/attachments/${ctx.pubAttCells[role]}`,
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    // a draft's attachment: as the draft itself, hidden (404) from all but its unit's
    // disclosers, supervisors and admins
    route: 'GET /api/v1/publications/{id}/attachments/{aid}',
    path: () => `/api/v1/publications/${ctx.pubAttDraft}/attachments/${ctx.pubAttCells['demo-citizen']}`,
    expect: [404, 404, 404, 404, 404, 404, 404, 200, 200, 200],
  },
  {
    // a published one's: the public's
    route: 'GET /api/v1/publications/{id}/attachments/{aid}',
    path: () => `/api/v1/publications/${ctx.pubAttPublished}/attachments/${ctx.pubAttPublishedFile}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/publication-columns', path: () => '/api/v1/publication-columns',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/publication-columns/{code}/feed', path: () => '/api/v1/publication-columns/news/feed',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-reports/{year}', path: () => '/api/v1/disclosure-reports/2025',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-reports/{year}/html', path: () => '/api/v1/disclosure-reports/2025/html',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-reports/{year}/pdf', path: () => `/api/v1/disclosure-reports/2025/pdf?org_id=${ctx.d35}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-reports/{year}/xlsx', path: () => `/api/v1/disclosure-reports/2025/xlsx?org_id=${ctx.d35}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // D35's report: D35's disclosers and admins
    route: 'PUT /api/v1/disclosure-reports/{year}', path: () => `/api/v1/disclosure-reports/2026?org_id=${ctx.d35}`,
    body: () => ({ problems: '矩阵测试：存在的问题' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    // no org_id: the district's own report — the disclosure office's disclosers (config
    // disclosure_office, D35 = demo-discloser's unit) and admins; a discloser of another
    // unit gets 403 (disclosure.test.mjs creates one)
    route: 'PUT /api/v1/disclosure-reports/{year}', path: () => '/api/v1/disclosure-reports/2026',
    body: () => ({ other: '矩阵测试：其他需要报告的事项' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-stats/units', path: () => '/api/v1/disclosure-stats/units?year=2025',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/disclosure-inspections', path: () => '/api/v1/disclosure-inspections?year=2026&quarter=1',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 200, 200],
  },
  {
    // several records per unit and quarter: every save is a new one
    route: 'POST /api/v1/disclosure-inspections', path: () => '/api/v1/disclosure-inspections',
    body: () => ({ org_id: ctx.d05, year: 2026, quarter: 1, rating: 'good', findings: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 201, 201],
  },
  {
    // nobody grades their own unit: the discloser of D35 may not inspect D35
    route: 'POST /api/v1/disclosure-inspections', path: () => '/api/v1/disclosure-inspections',
    body: () => ({ org_id: ctx.d35, year: 2026, quarter: 1, rating: 'good', findings: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'PUT /api/v1/disclosure-inspections/{id}', path: () => `/api/v1/disclosure-inspections/${ctx.inspection}`,
    body: () => ({ rectified_date: '2026-03-31', rectification_note: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 204, 204, 204],
  },
  {
    route: 'GET /api/v1/disclosure-inspections/bulletin', path: () => '/api/v1/disclosure-inspections/bulletin?year=2025&quarter=2',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 200, 200],
  },

  // ---- assessment (issue 21): the center (supervisor, admin) sets schemes, publishes,
  // enters points, answers objections, keeps the work plan and issues bulletins; the staff
  // of a department or township centre see their unit's sheets and file its objection; a
  // scheme, sheet or objection of another kind of unit, or of another unit, is hidden (404)
  // where the caller is a unit of the wrong kind and refused (403) where the caller is no
  // unit at all (a window's clerk, an agent point, an applicant)
  {
    route: 'GET /api/v1/assessment/metrics', path: () => '/api/v1/assessment/metrics',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // everyone signed in may ask; units see the issued schemes of their kind, others none
    route: 'GET /api/v1/assessment/schemes', path: () => '/api/v1/assessment/schemes?year=2026',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // a year and kind of its own per allowed cell (one scheme per year and kind)
    route: 'POST /api/v1/assessment/schemes', path: () => '/api/v1/assessment/schemes',
    body: (role) => ({ year: 2025, unit_kind: role === 'demo-admin' ? 'township' : 'department', name: '矩阵测试方案' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/assessment/schemes/{id}', path: () => `/api/v1/assessment/schemes/${ctx.scheme}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 200, 200],
  },
  {
    route: 'PUT /api/v1/assessment/schemes/{id}', path: () => `/api/v1/assessment/schemes/${ctx.scheme}`,
    body: () => ({ notes: '矩阵测试：方案说明' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    // the scheme is issued already: the role is checked before the state
    route: 'POST /api/v1/assessment/schemes/{id}/transitions', path: () => `/api/v1/assessment/schemes/${ctx.scheme}/transitions`,
    body: () => ({ action: 'issue' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 409, 403, 409],
  },
  {
    route: 'GET /api/v1/assessment/schemes/{id}/scores', path: () => `/api/v1/assessment/schemes/${ctx.scheme}/scores?period=2026-Q3`,
    expect: [401, 403, 403, 403, 403, 404, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/assessment/schemes/{id}/scores/{org_id}', path: () => `/api/v1/assessment/schemes/${ctx.scheme}/scores/${ctx.d05}?period=2026-Q3`,
    expect: [401, 403, 403, 403, 403, 403, 200, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/assessment/schemes/{id}/records', path: () => `/api/v1/assessment/schemes/${ctx.scheme}/records?period=2026-Q3&org_id=${ctx.d05}&indicator_id=${ctx.indicator}`,
    expect: [401, 403, 403, 403, 403, 403, 200, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/assessment/sheets', path: () => '/api/v1/assessment/sheets?year=2026',
    expect: [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
  },
  {
    // every allowed cell publishes a new version of the month, with the reason
    route: 'POST /api/v1/assessment/sheets', path: () => '/api/v1/assessment/sheets',
    body: () => ({ scheme_id: ctx.scheme, period: '2026-07', note: '矩阵测试：重新发布' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/assessment/sheets/{id}', path: () => `/api/v1/assessment/sheets/${ctx.sheet}`,
    expect: [401, 403, 403, 403, 403, 404, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/assessment/sheets/{id}/units/{org_id}', path: () => `/api/v1/assessment/sheets/${ctx.sheet}/units/${ctx.d05}`,
    expect: [401, 403, 403, 403, 403, 404, 200, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/assessment/sheets/{id}/records', path: () => `/api/v1/assessment/sheets/${ctx.sheet}/records?org_id=${ctx.d05}&indicator_id=${ctx.indicator}`,
    expect: [401, 403, 403, 403, 403, 404, 200, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/assessment/sheets/{id}/xlsx', path: () => `/api/v1/assessment/sheets/${ctx.sheet}/xlsx`,
    expect: [401, 403, 403, 403, 403, 404, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/assessment/trend', path: () => `/api/v1/assessment/trend?scheme_id=${ctx.scheme}&period_kind=month`,
    expect: [401, 403, 403, 403, 403, 404, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/assessment/adjustments', path: () => `/api/v1/assessment/adjustments?scheme_id=${ctx.scheme}`,
    expect: [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/assessment/adjustments', path: () => '/api/v1/assessment/adjustments',
    body: () => ({ scheme_id: ctx.scheme, indicator_id: ctx.manual, org_id: ctx.d05, date: '2026-07-15', points: 1, reason: '矩阵测试：加分' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/assessment/adjustments/{id}', path: () => `/api/v1/assessment/adjustments/${ctx.adjustment}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    // voided in the setup: the role is checked before the state
    route: 'POST /api/v1/assessment/adjustments/{id}/transitions', path: () => `/api/v1/assessment/adjustments/${ctx.adjustmentVoid}/transitions`,
    body: () => ({ action: 'void', reason: '矩阵测试：撤销' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 409, 403, 409],
  },
  {
    route: 'POST /api/v1/assessment/adjustments/{id}/evidence', path: (role) => `/api/v1/assessment/adjustments/${ctx.adjustment}/evidence?filename=${encodeURIComponent(`矩阵佐证-${role}.pdf`)}`,
    body: () => PDF, headers: { 'content-type': 'application/octet-stream' },
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/assessment/adjustments/{id}/evidence/{fid}', path: () => `/api/v1/assessment/adjustments/${ctx.adjustment}/evidence/${ctx.adjustmentFile}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/assessment/objections', path: () => '/api/v1/assessment/objections',
    expect: [401, 403, 403, 403, 403, 200, 200, 200, 200, 200],
  },
  {
    // the units of the sheet object, once each (D05 and D35 are both departments)
    route: 'POST /api/v1/assessment/objections', path: () => '/api/v1/assessment/objections',
    body: () => ({ sheet_id: ctx.sheetObject, reason: '矩阵测试：申诉理由，请核实本单位的办件数据。' }),
    expect: [401, 403, 403, 403, 403, 404, 201, 403, 201, 403],
  },
  {
    route: 'GET /api/v1/assessment/objections/{id}', path: () => `/api/v1/assessment/objections/${ctx.objection}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    // D35's objection: the supervisor answers it, then it is answered (409 for the admin)
    route: 'POST /api/v1/assessment/objections/{id}/transitions', path: () => `/api/v1/assessment/objections/${ctx.objection35}/transitions`,
    body: () => ({ action: 'reject', answer: '矩阵测试：经核实数据无误。' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 409],
  },
  {
    route: 'POST /api/v1/assessment/objections/{id}/evidence', path: (role) => `/api/v1/assessment/objections/${ctx.objection}/evidence?filename=${encodeURIComponent(`矩阵申诉材料-${role}.pdf`)}`,
    body: () => PDF, headers: { 'content-type': 'application/octet-stream' },
    expect: [401, 403, 403, 403, 403, 403, 201, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/assessment/objections/{id}/evidence/{fid}', path: () => `/api/v1/assessment/objections/${ctx.objection}/evidence/${ctx.objectionFile}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  // ---- work plans: every staff member sees the issued plan and the tasks of their unit
  {
    route: 'GET /api/v1/work-plans', path: () => '/api/v1/work-plans',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/work-plans', path: () => '/api/v1/work-plans',
    body: () => ({ year: 2026, title: '矩阵测试工作要点' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/work-plans/{id}', path: () => `/api/v1/work-plans/${ctx.plan}`,
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'PUT /api/v1/work-plans/{id}', path: () => `/api/v1/work-plans/${ctx.plan}`,
    body: () => ({ notes: '矩阵测试：说明' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    // the demo plan is issued: the role is checked before the state
    route: 'POST /api/v1/work-plans/{id}/transitions', path: () => `/api/v1/work-plans/${ctx.plan}/transitions`,
    body: () => ({ action: 'issue' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 409, 403, 409],
  },
  {
    route: 'POST /api/v1/work-plans/{id}/tasks', path: () => `/api/v1/work-plans/${ctx.plan}/tasks`,
    body: () => ({ title: '矩阵测试任务', lead_org_id: ctx.d35, deadline: '2026-12-31' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/work-plans/{id}/xlsx', path: () => `/api/v1/work-plans/${ctx.plan}/xlsx`,
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/work-tasks', path: () => '/api/v1/work-tasks',
    expect: [401, 403, 403, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // a task D05 shares (its lead is another department)
    route: 'GET /api/v1/work-tasks/{id}', path: () => `/api/v1/work-tasks/${ctx.task}`,
    expect: [401, 404, 404, 404, 404, 404, 200, 200, 404, 200],
  },
  {
    route: 'PUT /api/v1/work-tasks/{id}', path: () => `/api/v1/work-tasks/${ctx.task}`,
    body: () => ({ content: '矩阵测试：任务内容' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'POST /api/v1/work-tasks/{id}/reports', path: () => `/api/v1/work-tasks/${ctx.task}/reports`,
    body: () => ({ kind: 'progress', percent: 50, text: '矩阵测试：已完成一半' }),
    expect: [401, 404, 404, 404, 404, 404, 201, 403, 404, 403],
  },
  {
    // the task is open, not reported complete: the role is checked before the state
    route: 'POST /api/v1/work-tasks/{id}/transitions', path: () => `/api/v1/work-tasks/${ctx.task}/transitions`,
    body: () => ({ action: 'accept', note: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 409, 403, 409],
  },
  // ---- bulletins: sent to departments, township centres and windows
  {
    route: 'GET /api/v1/bulletins', path: () => '/api/v1/bulletins',
    expect: [401, 403, 403, 403, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/bulletins', path: () => '/api/v1/bulletins',
    body: () => ({ kind: 'progress', plan_id: ctx.plan }),
    expect: [401, 403, 403, 403, 403, 403, 403, 201, 403, 201],
  },
  {
    route: 'GET /api/v1/bulletins/preview', path: () => `/api/v1/bulletins/preview?kind=progress&plan_id=${ctx.plan}`,
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/bulletins/rule', path: () => '/api/v1/bulletins/rule',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'PUT /api/v1/bulletins/rule', path: () => '/api/v1/bulletins/rule',
    body: () => ({ praise_top: 3 }),
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/bulletins/red-flag', path: () => '/api/v1/bulletins/red-flag?month=2026-10',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    // the progress bulletin goes to the units of the plan's tasks: T01, D05, D35 among
    // them, the first window not
    route: 'GET /api/v1/bulletins/{id}', path: () => `/api/v1/bulletins/${ctx.bulletin}`,
    expect: [401, 403, 403, 403, 404, 200, 200, 200, 200, 200],
  },
  {
    route: 'POST /api/v1/bulletins/{id}/read', path: () => `/api/v1/bulletins/${ctx.bulletin}/read`,
    expect: [401, 403, 403, 403, 404, 200, 200, 403, 200, 403],
  },
  {
    route: 'GET /api/v1/bulletins/{id}/pdf', path: () => `/api/v1/bulletins/${ctx.bulletin}/pdf`,
    expect: [401, 403, 403, 403, 404, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/bulletins/{id}/xlsx', path: () => `/api/v1/bulletins/${ctx.bulletin}/xlsx`,
    expect: [401, 403, 403, 403, 404, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ the exchange (src/exchange)
  // The test server is a district with no city joined: the log and the outbox's figures are
  // the supervisors' and administrators'; the city-wide figures exist only on a city (404
  // here, after the role check); a peer's batch needs no session but a signature, so an
  // empty one is refused alike for everyone.
  {
    route: 'POST /api/v1/exchange/messages', path: () => '/api/v1/exchange/messages',
    body: () => ({ messages: [] }),
    expect: [400, 400, 400, 400, 400, 400, 400, 400, 400, 400],
  },
  {
    route: 'GET /api/v1/exchange/status', path: () => '/api/v1/exchange/status',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/exchange/log', path: () => '/api/v1/exchange/log',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/exchange/city', path: () => '/api/v1/exchange/city',
    expect: [401, 403, 403, 403, 403, 403, 403, 404, 403, 404],
  },
  {
    // the city's license index: supervisors and admins, and only on a city (404 here)
    route: 'GET /api/v1/exchange/city/licenses', path: () => '/api/v1/exchange/city/licenses',
    expect: [401, 403, 403, 403, 403, 403, 403, 404, 403, 404],
  },
  {
    route: 'POST /api/v1/exchange/retry', path: () => '/api/v1/exchange/retry',
    body: () => ({}),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },

  // SMS (issue 20): the gateway's delivery reports carry the shared secret, not a session
  // (the test server has none set, so every report is refused); the SMS and their state
  // are for supervisors and administrators
  {
    route: 'POST /api/v1/sms/reports', path: () => '/api/v1/sms/reports',
    body: () => ({ id: 'sms-x-1', status: 'delivered' }),
    expect: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  },
  {
    route: 'GET /api/v1/sms', path: () => '/api/v1/sms',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    // whether one's own messages also come as SMS: everyone signed in, for themselves
    route: 'GET /api/v1/messages/settings', path: () => '/api/v1/messages/settings',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'PUT /api/v1/messages/settings', path: () => '/api/v1/messages/settings',
    body: () => ({ sms: true }),
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },

  // ------------------------------------------------------------ the hall (src/hall)
  // Targets away from what tests/api/hall.test.mjs counts on: tickets at 赫山街道 (T01,
  // the township clerk's hall), settings at T09, an appointment at the centre on the last
  // bookable day, cancelled again.  The display's stream never ends, so its row asks for
  // a hall that does not exist (the stream itself: hall.test.mjs).
  {
    route: 'GET /api/v1/hall/sites', path: () => '/api/v1/hall/sites',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/hall/sites/{code}', path: () => '/api/v1/hall/sites/C00',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/hall/sites/{code}/board', path: () => '/api/v1/hall/sites/T01/board',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/hall/sites/{code}/events', path: () => '/api/v1/hall/sites/X99/events',
    expect: [404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'GET /api/v1/hall/sites/{code}/slots', path: () => `/api/v1/hall/sites/C00/slots?item_id=${ctx.marriage}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    route: 'GET /api/v1/hall/sites/{code}/settings', path: () => '/api/v1/hall/sites/T09/settings',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'POST /api/v1/hall/sites/{code}/groups', path: () => '/api/v1/hall/sites/T09/groups',
    body: () => ({ letter: 'K', name: '矩阵测试', service_min: 10, windows: [ctx.hallT09Window] }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'PUT /api/v1/hall/sites/{code}/groups/{id}', path: () => `/api/v1/hall/sites/T09/groups/${ctx.hallT09Group.id}`,
    body: () => ({ letter: ctx.hallT09Group.letter, name: ctx.hallT09Group.name, is_default: true, windows: [ctx.hallT09Window] }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'POST /api/v1/hall/sites/{code}/kiosk-key', path: () => '/api/v1/hall/sites/T09/kiosk-key',
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
    check: (role, res) => assert.match(res.json.key, /^[A-Za-z0-9_-]{43}$/),
  },
  {
    // on a phone: the public for themselves (then cancelled again); staff take tickets
    // for someone with via staff (hall.test.mjs), not as a phone
    route: 'POST /api/v1/hall/sites/{code}/tickets', path: () => '/api/v1/hall/sites/T09/tickets',
    body: () => ({ via: 'phone', group_id: ctx.hallT09Group.id }),
    expect: [401, 201, 201, 403, 403, 403, 403, 403, 403, 403],
    after: async (role, jar) => {
      const mine = await request('/api/v1/hall/tickets/mine', { jar })
      for (const t of mine.json.filter((x) => x.state === 'waiting' && x.site.code === 'T09')) {
        const c = await request(`/api/v1/hall/tickets/${t.id}/cancel`, { method: 'POST', jar, body: {} })
        assert.equal(c.status, 200, c.text)
      }
    },
  },
  {
    route: 'GET /api/v1/hall/tickets/mine', path: () => '/api/v1/hall/tickets/mine',
    expect: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    // the holder, staff of its hall, supervisors and admins; nobody else learns it exists
    route: 'GET /api/v1/hall/tickets/{id}', path: () => `/api/v1/hall/tickets/${ctx.hallTicket}`,
    expect: [401, 200, 404, 404, 404, 200, 404, 200, 404, 200],
  },
  {
    route: 'GET /api/v1/hall/tickets/{id}/visit', path: () => `/api/v1/hall/tickets/${ctx.hallTicket}/visit`,
    expect: [401, 404, 404, 404, 404, 200, 404, 200, 404, 200],
  },
  {
    // acts where the role is checked before the state: the ticket waits, so even its
    // hall's clerk cannot recall it (409); a clerk of another hall does not see it
    route: 'POST /api/v1/hall/tickets/{id}/transitions', path: () => `/api/v1/hall/tickets/${ctx.hallTicket}/transitions`,
    body: () => ({ action: 'recall' }),
    expect: [401, 403, 403, 403, 404, 409, 403, 403, 403, 403],
  },
  {
    // the same: a waiting ticket has no case yet
    route: 'POST /api/v1/hall/tickets/{id}/case', path: () => `/api/v1/hall/tickets/${ctx.hallTicket}/case`,
    body: () => ({ case_id: ctx.caseOpen }),
    expect: [401, 403, 403, 403, 404, 409, 403, 403, 403, 403],
  },
  {
    route: 'GET /api/v1/hall/counter', path: () => '/api/v1/hall/counter',
    expect: [401, 403, 403, 403, 200, 200, 403, 403, 403, 403],
  },
  {
    route: 'POST /api/v1/hall/counter/transitions', path: () => '/api/v1/hall/counter/transitions',
    body: () => ({ action: 'open' }),
    expect: [401, 403, 403, 403, 200, 200, 403, 403, 403, 403],
    check: (role, res) => assert.equal(res.json.state, 'open'),
    after: async (role, jar) => {
      const c = await request('/api/v1/hall/counter/transitions', { method: 'POST', jar, body: { action: 'close' } })
      assert.equal(c.status, 200, c.text)
    },
  },
  {
    // the township clerk calls 赫山街道's oldest ticket (then marks it a no-show); the
    // centre's queue is empty, which only a clerk gets to hear (409)
    route: 'POST /api/v1/hall/counter/call-next', path: () => '/api/v1/hall/counter/call-next',
    expect: [401, 403, 403, 403, 409, 200, 403, 403, 403, 403],
    check: (role, res) => assert.equal(res.json.ticket.id, ctx.hallTicket),
    after: async (role, jar) => {
      for (const action of ['no_show']) {
        const r = await request(`/api/v1/hall/tickets/${ctx.hallTicket}/transitions`, { method: 'POST', jar, body: { action } })
        assert.equal(r.status, 200, r.text)
      }
      const c = await request('/api/v1/hall/counter/transitions', { method: 'POST', jar, body: { action: 'close' } })
      assert.equal(c.status, 200, c.text)
    },
  },
  {
    // the holder gives up a waiting ticket, or staff of its hall for them (a fresh
    // ticket of demo-enterprise's per cell); nobody else learns it exists
    route: 'POST /api/v1/hall/tickets/{id}/cancel', path: () => `/api/v1/hall/tickets/${ctx.hallTicketEnt}/cancel`,
    before: async () => {
      await as('demo-enterprise', 'POST', `/api/v1/hall/tickets/${ctx.hallTicketEnt}/cancel`, {})
      ctx.hallTicketEnt = (await as('demo-enterprise', 'POST', '/api/v1/hall/sites/T01/tickets',
        { via: 'phone', group_id: ctx.hallT01Group }, 201)).id
    },
    body: () => ({}),
    expect: [401, 404, 200, 404, 404, 200, 404, 200, 404, 200],
    check: (role, res) => assert.equal(res.json.state, 'cancelled'),
  },
  {
    route: 'GET /api/v1/hall/overview', path: () => '/api/v1/hall/overview',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/hall/booking-status', path: () => '/api/v1/hall/booking-status',
    expect: [401, 200, 200, 403, 403, 403, 403, 403, 403, 403],
  },
  {
    // people book for themselves (and cancel again at once); staff do not book
    route: 'POST /api/v1/hall/appointments', path: () => '/api/v1/hall/appointments',
    body: () => ({ site: 'C00', item_id: ctx.marriage, day: ctx.hallDay, slot: 900 }),
    expect: [401, 201, 201, 403, 403, 403, 403, 403, 403, 403],
    after: async (role, jar) => {
      const mine = await request('/api/v1/hall/appointments', { jar })
      for (const a of mine.json.items.filter((x) => x.state === 'booked' && x.day === ctx.hallDay && x.slot === 900)) {
        const c = await request(`/api/v1/hall/appointments/${a.id}/transitions`, { method: 'POST', jar, body: { action: 'cancel' } })
        assert.equal(c.status, 200, c.text)
      }
    },
  },
  {
    route: 'GET /api/v1/hall/appointments', path: () => '/api/v1/hall/appointments',
    expect: [401, 200, 200, 403, 200, 200, 403, 200, 403, 200],
  },
  {
    route: 'GET /api/v1/hall/appointments/{id}', path: () => `/api/v1/hall/appointments/${ctx.hallAppt}`,
    expect: [401, 200, 404, 404, 200, 404, 404, 200, 404, 200],
  },
  {
    // a fresh appointment of demo-citizen's per cell: the holder, the centre's clerk and
    // admins cancel it (staff with a reason)
    route: 'POST /api/v1/hall/appointments/{id}/transitions', path: () => `/api/v1/hall/appointments/${ctx.hallApptCell}/transitions`,
    before: async () => {
      if (ctx.hallApptCell) {
        await as('demo-citizen', 'POST', `/api/v1/hall/appointments/${ctx.hallApptCell}/transitions`, { action: 'cancel' })
      }
      ctx.hallApptCell = (await as('demo-citizen', 'POST', '/api/v1/hall/appointments',
        { site: 'C00', item_id: ctx.marriage, day: ctx.hallDay, slot: 930 }, 201)).id
    },
    body: () => ({ action: 'cancel', reason: '矩阵测试' }),
    expect: [401, 200, 404, 404, 200, 404, 404, 200, 404, 200],
    check: (role, res) => assert.equal(res.json.state, 'cancelled'),
  },
  {
    route: 'GET /api/v1/hall/blocks', path: () => '/api/v1/hall/blocks',
    expect: [401, 403, 403, 403, 403, 403, 403, 200, 403, 200],
  },
  {
    // administrators only; no block exists on the shared server (three no-shows take
    // days: hall-time.test.mjs)
    route: 'POST /api/v1/hall/blocks/{id}/lift', path: () => '/api/v1/hall/blocks/999999/lift',
    body: () => ({ reason: '矩阵测试' }),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 404],
  },
  {
    route: 'POST /api/v1/hall/assists', path: () => '/api/v1/hall/assists',
    body: () => ({ kind: 'help', applicant_name: '矩阵申请人', id_number: person().id_number, item_id: ctx.marriage, minutes: 10 }),
    expect: [401, 403, 403, 201, 201, 201, 403, 403, 403, 403],
  },
  {
    // everyone signed in sees the ones about them or their office's (none for an approver)
    route: 'GET /api/v1/hall/assists', path: () => '/api/v1/hall/assists',
    expect: [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  },
  {
    // the agent point's record: the agent, the township centre above it, supervisors
    route: 'GET /api/v1/hall/assists/{id}', path: () => `/api/v1/hall/assists/${ctx.hallAssist}`,
    expect: [401, 404, 404, 200, 404, 200, 404, 200, 404, 200],
  },
  {
    // the applicant's signature on paper, recorded by the office that helped (a fresh
    // record per cell)
    route: 'POST /api/v1/hall/assists/{id}/transitions', path: () => `/api/v1/hall/assists/${ctx.hallAssistCell}/transitions`,
    before: async () => {
      ctx.hallAssistCell = (await as('demo-agent', 'POST', '/api/v1/hall/assists',
        { kind: 'agent', applicant_name: '矩阵申请人', id_number: person().id_number, item_id: ctx.marriage, minutes: 10 }, 201)).id
    },
    body: () => ({ action: 'paper' }),
    expect: [404, 404, 404, 200, 404, 200, 404, 403, 404, 403],
  },
  {
    route: 'GET /api/v1/stats/hall', path: () => '/api/v1/stats/hall?by=category',
    expect: [401, 403, 403, 403, 200, 200, 403, 200, 403, 200],
  },

  // ------------------------------------------------------------ one-thing bundles (src/bundle)
  {
    route: 'GET /api/v1/bundles', path: () => '/api/v1/bundles',
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.ok(res.json.items.some((b) => b.name === '出生一件事')),
  },
  {
    // inactive bundles too: administrators only
    route: 'GET /api/v1/bundles', path: () => '/api/v1/bundles?all=1',
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    route: 'POST /api/v1/bundles', path: () => '/api/v1/bundles',
    body: () => bundleBody(`矩阵一件事${next()}`),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'GET /api/v1/bundles/{id}', path: () => `/api/v1/bundles/${ctx.bundle}`,
    expect: [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    check: (role, res) => assert.ok(res.json.form.length > 0),
  },
  {
    route: 'PUT /api/v1/bundles/{id}', path: () => `/api/v1/bundles/${ctx.matrixBundle}`,
    body: () => bundleBody(ctx.matrixBundleName),
    expect: [401, 403, 403, 403, 403, 403, 403, 403, 403, 200],
  },
  {
    // applicants for themselves (an enterprise its own bundle), the offices that file for
    // a person; nobody else
    route: 'POST /api/v1/bundles/{id}/applications',
    path: (role) => `/api/v1/bundles/${role === 'demo-enterprise' ? ctx.bundleEnt : ctx.matrixBundle}/applications`,
    body: (role) => role === 'demo-enterprise' ? { form: ENTERPRISE_FORM, materials: [] }
      : ['demo-clerk', 'demo-township-clerk', 'demo-agent'].includes(role) ? { ...person(), form: {}, materials: [] }
        : { form: {}, materials: [] },
    expect: [401, 201, 201, 201, 201, 201, 403, 403, 403, 403],
    check: (role, res) => assert.match(res.json.app_no, /^YJS-\d{8}-\d{4}$/),
  },
  {
    route: 'GET /api/v1/bundle-applications', path: () => '/api/v1/bundle-applications',
    expect: [401, 200, 200, 403, 200, 200, 403, 200, 403, 200],
  },
  {
    // the applicant, the intake centre's clerks (not a township's), supervisors, admins
    route: 'GET /api/v1/bundle-applications/{id}', path: () => `/api/v1/bundle-applications/${ctx.bundleApp}`,
    expect: [401, 200, 404, 404, 200, 404, 404, 200, 404, 200],
  },
  {
    // the window takes a fresh application in (one per cell)
    route: 'POST /api/v1/bundle-applications/{id}/accept', path: () => `/api/v1/bundle-applications/${ctx.bundleAppCell}/accept`,
    before: async () => {
      ctx.bundleAppCell = (await as('demo-citizen', 'POST', `/api/v1/bundles/${ctx.matrixBundle}/applications`,
        { form: {}, materials: MATRIX_BUNDLE_MATERIALS }, 201)).id
    },
    expect: [401, 403, 403, 403, 200, 404, 403, 403, 403, 403],
    check: (role, res) => assert.ok(res.json.children.every((k) => k.state === 'review')),
  },
  {
    // the window's role is checked before the state: nothing is ready to hand out yet
    route: 'POST /api/v1/bundle-applications/{id}/deliver', path: () => `/api/v1/bundle-applications/${ctx.bundleApp}/deliver`,
    body: () => ({ delivery: 'window' }),
    expect: [401, 403, 403, 403, 409, 404, 403, 403, 403, 403],
  },
  {
    // the applicant alone rates, once it has ended (409 while open); others who see it: 403
    route: 'POST /api/v1/bundle-applications/{id}/rating', path: () => `/api/v1/bundle-applications/${ctx.bundleApp}/rating`,
    body: () => ({ level: 5 }),
    expect: [401, 409, 404, 404, 403, 404, 404, 403, 404, 403],
  },
  {
    route: 'GET /api/v1/supervision/bundle-lights', path: () => '/api/v1/supervision/bundle-lights',
    expect: [401, 403, 403, 403, 200, 200, 403, 200, 403, 200],
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

test('set up the module targets', async () => {
  ctx.today = serverToday()
  const depts = await as('demo-admin', 'GET', '/api/v1/orgs?kind=department&per_page=100', undefined, 200)
  ctx.d05 = depts.items.find((o) => o.code === 'D05').id
  ctx.d35 = depts.items.find((o) => o.code === 'D35').id
  const item = async (name) => {
    const r = await as('anonymous', 'GET', `/api/v1/items?per_page=50&q=${encodeURIComponent(name)}`, undefined, 200)
    const it = r.items.find((i) => i.name === name)
    assert.ok(it, `item ${name}`)
    return it.id
  }
  ctx.marriage = await item('内地居民结婚登记')
  ctx.birth = await item('生育登记')
  ctx.invoice = await item('发票领用')

  // catalog: a draft to read and edit, one to publish, a published one to suspend
  ctx.draftItemBody = itemBody()
  ctx.draftItem = (await as('demo-admin', 'POST', '/api/v1/items', ctx.draftItemBody, 201)).id
  ctx.itemToPublish = (await as('demo-admin', 'POST', '/api/v1/items', itemBody(), 201)).id
  ctx.itemToSuspend = (await as('demo-admin', 'POST', '/api/v1/items', itemBody(), 201)).id
  await as('demo-admin', 'POST', `/api/v1/items/${ctx.itemToSuspend}/publish`, undefined, 200)

  // cases: one submitted 结婚登记 with an upload, one submitted per cell to accept,
  // one accepted (its upload becomes a reusable material), a 生育登记 to take the 结婚证 into
  const open = await marriageOnline()
  ctx.caseOpen = open.id
  ctx.caseOpenNo = open.case_no
  const up = await upload(await sessionOf('demo-citizen'), ctx.caseOpen, '居民户口簿', 'hkb.pdf', PDF)
  assert.equal(up.status, 201, up.text)
  ctx.uploadId = up.json.id
  ctx.acceptCases = {}
  for (const r of ROLES) ctx.acceptCases[r] = (await marriageOnline()).id
  const accepted = await marriageOnline()
  ctx.caseAccepted = accepted.id
  const up2 = await upload(await sessionOf('demo-citizen'), accepted.id, '居民户口簿', 'hkb2.pdf',
    Buffer.concat([PDF, Buffer.from(`% ${seed}\n`)]))
  assert.equal(up2.status, 201, up2.text)
  await as('demo-clerk', 'POST', `/api/v1/cases/${accepted.id}/transitions`, { action: 'accept' }, 200)
  const wallet = await as('demo-citizen', 'GET', '/api/v1/wallet', undefined, 200)
  ctx.walletMaterial = wallet.materials.find((m) => m.sha256 === up2.json.sha256).id
  ctx.citizenLicense = wallet.licenses.find((l) => l.type === '结婚证' && l.status === 'valid').id
  ctx.birthCase = (await as('demo-citizen', 'POST', '/api/v1/cases', { item_id: ctx.birth, materials: [] }, 201)).id

  // licenses of people filed at the window (not demo-citizen's, whose wallet.test.mjs uses)
  const deskNos = []
  for (let i = 0; i < 3; i++) {
    const c = await as('demo-clerk', 'POST', '/api/v1/cases', { item_id: ctx.marriage, ...person(), materials: MARRIAGE_MATERIALS }, 201)
    await conclude(c.id)
    deskNos.push(c.case_no)
  }
  const byCase = {}
  for (let id = 1, misses = 0; misses < 3 && id < 100_000; id++) {
    const r = await request(`/api/v1/licenses/${id}`, { jar: await sessionOf('demo-admin') })
    if (r.status !== 200) { misses++; continue }
    misses = 0
    byCase[r.json.case_no] = r.json
  }
  for (const no of deskNos) assert.ok(byCase[no], `the license of ${no}`)
  ctx.license = byCase[deskNos[0]].id
  ctx.verifyCode = byCase[deskNos[0]].verify_code
  ctx.revokeLicenses = Object.fromEntries(ROLES.map((r) => [r, ctx.license]))
  ctx.revokeLicenses['demo-approver'] = byCase[deskNos[1]].id
  ctx.revokeLicenses['demo-admin'] = byCase[deskNos[2]].id

  // ratings: a concluded case to rate; one bad rating (and so one rectification) per cell
  const rate = await marriageOnline()
  await conclude(rate.id)
  ctx.rateCase = rate.id
  ctx.rects = {}
  for (const r of ROLES) {
    const c = await marriageOnline()
    await conclude(c.id)
    const rating = await as('demo-citizen', 'POST', '/api/v1/ratings', { case_id: c.id, level: 1, comment: '矩阵测试' }, 201)
    ctx.rects[r] = rating.rectification_id
    ctx.rating ??= rating.id
    ctx.ratedCase ??= c.id
  }

  // complaints: demo-citizen's about 民政局
  const cmp = await as('demo-citizen', 'POST', '/api/v1/complaints', {
    kind: 'complaint', subject: 'department', about_org_id: ctx.d05, title: '矩阵测试投诉', content: '窗口办理速度太慢了。',
  }, 201)
  ctx.complaint = cmp.complaint.id
  ctx.complaintRef = cmp.complaint.ref_no
  ctx.complaintCode = cmp.query_code

  // supervision: today's digests (民政局 has open cases now), a 督办 notice per cell
  await as('demo-supervisor', 'POST', '/api/v1/supervision/sweep', undefined, 200)
  ctx.notices = {}
  for (const r of ROLES) {
    ctx.notices[r] = (await as('demo-supervisor', 'POST', '/api/v1/supervision/notices',
      { case_id: ctx.caseOpen, content: '矩阵测试督办内容' }, 201)).id
  }

  // disclosure: demo-citizen's request to D35 with a 补正 notice and a review; an
  // in-person request per cell; drafts
  const mine = await as('demo-citizen', 'POST', '/api/v1/info-requests', infoBody('demo-citizen'), 201)
  ctx.infoMine = mine.id
  const paper = await request(`/api/v1/info-requests/${mine.id}/files?filename=${encodeURIComponent('申请书扫描件.pdf')}`, {
    method: 'POST', jar: await sessionOf('demo-discloser'), body: PDF, headers: { 'content-type': 'application/octet-stream' },
  })
  assert.equal(paper.status, 201, paper.text)
  ctx.infoPaper = paper.json.papers[0].id
  await as('demo-discloser', 'POST', `/api/v1/info-requests/${mine.id}/transitions`, { action: 'confirm_receipt' }, 200)
  const asked = await as('demo-discloser', 'POST', `/api/v1/info-requests/${mine.id}/transitions`,
    { action: 'ask_supplement', items: '请写明文件名称', workdays: 10 }, 200)
  ctx.infoNotice = asked.notices.at(-1).id
  const rev = await request(`/api/v1/info-requests/${mine.id}/reviews`, {
    method: 'POST', jar: await sessionOf('demo-discloser'), body: { kind: 'reconsideration', filed_date: ctx.today, result: 'pending' },
  })
  assert.ok(rev.status < 300, rev.text)
  ctx.review = rev.json.reviews[0].id
  ctx.infoCells = {}
  for (const r of ROLES) ctx.infoCells[r] = (await as('demo-discloser', 'POST', '/api/v1/info-requests', infoBody('demo-discloser'), 201)).id
  ctx.pubPublished = (await as('anonymous', 'GET', '/api/v1/publications?per_page=1', undefined, 200)).items[0].id
  ctx.pubDraft = (await as('demo-discloser', 'POST', '/api/v1/publications', pubBody(), 201)).id
  ctx.pubCells = {}
  for (const r of ROLES) ctx.pubCells[r] = (await as('demo-discloser', 'POST', '/api/v1/publications', pubBody(), 201)).id
  const attach = async (pub, name) => {
    const r = await request(`/api/v1/publications/${pub}/attachments?filename=${encodeURIComponent(name)}`, {
      method: 'POST', jar: await sessionOf('demo-discloser'), body: PDF, headers: { 'content-type': 'application/octet-stream' },
    })
    assert.equal(r.status, 201, r.text)
    return r.json.attachments.find((a) => a.filename === name).id
  }
  ctx.pubAttDraft = (await as('demo-discloser', 'POST', '/api/v1/publications', pubBody(), 201)).id
  ctx.pubAttCells = {}
  for (const r of ROLES) ctx.pubAttCells[r] = await attach(ctx.pubAttDraft, `矩阵删除-${r}.pdf`)
  ctx.pubAttPublished = (await as('demo-discloser', 'POST', '/api/v1/publications', pubBody(), 201)).id
  ctx.pubAttPublishedFile = await attach(ctx.pubAttPublished, '矩阵公开附件.pdf')
  await as('demo-discloser', 'POST', `/api/v1/publications/${ctx.pubAttPublished}/transitions`, { action: 'submit' }, 200)
  // the approver is another discloser than the submitter (separation of duties)
  await as('demo-discloser2', 'POST', `/api/v1/publications/${ctx.pubAttPublished}/transitions`, { action: 'approve', note: '矩阵测试：审查通过' }, 200)
  ctx.inspection = (await as('demo-supervisor', 'POST', '/api/v1/disclosure-inspections',
    { org_id: ctx.d35, year: 2026, quarter: 1, rating: 'good', findings: '矩阵测试' }, 201)).id
  // assessment: the 2026 department scheme (assessment.test.mjs may have made it), issued,
  // its months published; adjustments, objections, the demo work plan, a bulletin
  let scheme = (await as('demo-supervisor', 'GET', '/api/v1/assessment/schemes?year=2026', undefined, 200))
    .items.find((x) => x.unit_kind === 'department')
  if (!scheme) {
    scheme = await as('demo-supervisor', 'POST', '/api/v1/assessment/schemes', {
      year: 2026, unit_kind: 'department', name: '矩阵测试方案',
      indicators: [{ name: '按时办结率', metric: 'on_time_rate', rule: 'rate', weight: 80 },
        { name: '作风建设', metric: 'manual', rule: 'manual', weight: 20, params: { start_full: true } }],
    }, 201)
    scheme = await as('demo-supervisor', 'POST', `/api/v1/assessment/schemes/${scheme.id}/transitions`, { action: 'issue' }, 200)
  }
  ctx.scheme = scheme.id
  ctx.indicator = scheme.indicators.find((i) => i.metric === 'on_time_rate').id
  ctx.manual = scheme.indicators.find((i) => i.metric === 'manual').id
  const publish = async (period) => (await request('/api/v1/assessment/sheets', {
    method: 'POST', jar: await sessionOf('demo-supervisor'), body: { scheme_id: ctx.scheme, period, note: '矩阵测试' },
  })).json.id
  ctx.sheet = await publish('2026-08')
  ctx.sheetObject = await publish('2026-09')
  const objections = await publish('2026-06')
  const adj = { scheme_id: ctx.scheme, indicator_id: ctx.manual, org_id: ctx.d05, date: '2026-08-10', points: -1, reason: '矩阵测试：扣分' }
  ctx.adjustment = (await as('demo-supervisor', 'POST', '/api/v1/assessment/adjustments', adj, 201)).id
  ctx.adjustmentVoid = (await as('demo-supervisor', 'POST', '/api/v1/assessment/adjustments', adj, 201)).id
  await as('demo-supervisor', 'POST', `/api/v1/assessment/adjustments/${ctx.adjustmentVoid}/transitions`, { action: 'void', reason: '矩阵测试：录错' }, 200)
  const ev = await request(`/api/v1/assessment/adjustments/${ctx.adjustment}/evidence?filename=${encodeURIComponent('矩阵佐证.pdf')}`, {
    method: 'POST', jar: await sessionOf('demo-supervisor'), body: PDF, headers: { 'content-type': 'application/octet-stream' },
  })
  assert.equal(ev.status, 201, ev.text)
  ctx.adjustmentFile = ev.json.evidence[0].id
  const reason = '矩阵测试：申诉理由，请核实本单位的办件数据。'
  ctx.objection = (await as('demo-approver', 'POST', '/api/v1/assessment/objections', { sheet_id: objections, reason }, 201)).id
  ctx.objection35 = (await as('demo-discloser', 'POST', '/api/v1/assessment/objections', { sheet_id: objections, reason }, 201)).id
  const oev = await request(`/api/v1/assessment/objections/${ctx.objection}/evidence?filename=${encodeURIComponent('申诉材料.pdf')}`, {
    method: 'POST', jar: await sessionOf('demo-approver'), body: PDF, headers: { 'content-type': 'application/octet-stream' },
  })
  assert.equal(oev.status, 201, oev.text)
  ctx.objectionFile = oev.json.evidence[0].id
  const plans = await as('demo-supervisor', 'GET', '/api/v1/work-plans?year=2026', undefined, 200)
  ctx.plan = plans.items.find((p) => p.state === 'issued' && p.title === '政务服务工作要点').id
  const plan = await as('demo-supervisor', 'GET', `/api/v1/work-plans/${ctx.plan}`, undefined, 200)
  ctx.task = plan.task_list.find((t) => t.state === 'open' && t.lead.id !== ctx.d05 &&
    t.units.some((u) => u.id === ctx.d05)).id
  ctx.bulletin = (await as('demo-supervisor', 'POST', '/api/v1/bulletins', { kind: 'progress', plan_id: ctx.plan }, 201)).id
})

test('set up the hall targets', async () => {
  const t09 = await as('demo-admin', 'GET', '/api/v1/hall/sites/T09/settings', undefined, 200)
  ctx.hallT09Window = t09.windows[0].id
  ctx.hallT09Group = t09.groups[0]
  const t01 = await as('anonymous', 'GET', '/api/v1/hall/sites/T01', undefined, 200)
  ctx.hallT01Group = t01.groups[0].id
  const take = (role) => as(role, 'POST', '/api/v1/hall/sites/T01/tickets', { via: 'phone', group_id: ctx.hallT01Group }, 201)
  ctx.hallTicket = (await take('demo-citizen')).id // the oldest: the township clerk calls it
  ctx.hallTicketEnt = (await take('demo-enterprise')).id
  // the last bookable day, which hall.test.mjs books nothing on
  ctx.hallDay = (await as('anonymous', 'GET', `/api/v1/hall/sites/C00/slots?item_id=${ctx.marriage}`, undefined, 200)).days.at(-1).date
  ctx.hallAppt = (await as('demo-citizen', 'POST', '/api/v1/hall/appointments',
    { site: 'C00', item_id: ctx.marriage, day: ctx.hallDay, slot: 960 }, 201)).id
  ctx.hallAssist = (await as('demo-agent', 'POST', '/api/v1/hall/assists',
    { kind: 'agent', applicant_name: '矩阵申请人', id_number: person().id_number, item_id: ctx.marriage, minutes: 10 }, 201)).id
})

test('set up the bundle targets', async () => {
  const items = await as('anonymous', 'GET', '/api/v1/items?per_page=5&q=' + encodeURIComponent('社会保障卡申领'), undefined, 200)
  ctx.socialCard = items.items.find((i) => i.name === '社会保障卡申领').id
  const list = await as('anonymous', 'GET', '/api/v1/bundles', undefined, 200)
  ctx.bundle = list.items.find((b) => b.name === '出生一件事').id
  ctx.bundleEnt = list.items.find((b) => b.name === '企业开办一件事').id
  ctx.matrixBundleName = `矩阵一件事${next()}`
  ctx.matrixBundle = (await as('demo-admin', 'POST', '/api/v1/bundles', bundleBody(ctx.matrixBundleName), 201)).id
  ctx.bundleApp = (await as('demo-citizen', 'POST', `/api/v1/bundles/${ctx.matrixBundle}/applications`,
    { form: {}, materials: MATRIX_BUNDLE_MATERIALS }, 201)).id
})

for (const [n, row] of MATRIX.entries()) {
  test(`matrix row ${n + 1}: ${row.route}`, async () => {
    const [method] = row.route.split(' ')
    const failures = []
    for (let i = 0; i < ROLES.length; i++) {
      const role = ROLES[i]
      const jar = await sessionOf(role, row.fresh)
      if (row.before) await row.before(role)
      const res = await request(row.path(role), { method, jar, body: row.body?.(role), headers: row.headers })
      const want = row.expect[i]
      if (res.status !== want) {
        failures.push(`${role}: want ${want}, got ${res.status} ${res.text.slice(0, 160)}`)
        continue
      }
      if (want === 401) assert.equal(res.json?.error?.code, 'unauthenticated', res.text)
      if (want === 403) assert.equal(res.json?.error?.code, 'forbidden', `${role}: ${res.text}`)
      if (want === 404) assert.equal(res.json?.error?.code, row.notFound ?? 'not_found', `${role}: ${res.text}`)
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
    .filter((f) => f.endsWith('.c'))
  const routes = new Set()
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'src', f), 'utf8')
    for (const m of text.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"(\/api\/v1\/[^"]*)"/g)) {
      routes.add(`${m[1]} ${m[2]}`)
    }
  }
  return routes
}

test('the matrix covers every route', (t) => {
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
  for (const r of others) t.diagnostic(`not in the authorization matrix (first path segment not covered): ${r}`)
  assert.deepEqual(missing, [], 'routes of covered modules without a matrix row')
  assert.deepEqual(others, [], 'routes under a first path segment missing from COVERED_PREFIXES')
  // and no row for a route that no longer exists
  assert.deepEqual([...inMatrix].filter((r) => !routes.has(r)), [], 'matrix rows without a route')
})
