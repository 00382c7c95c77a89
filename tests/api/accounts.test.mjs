// Accounts over HTTP (issue 4): registration, sign-in, /me, sign-out, CSRF,
// lockout and throttling, password change, administration, and the promise
// that the database file alone reveals no ID or mobile number.
//
// Each test that fails sign-ins on purpose binds its own loopback source
// address (127.0.4.x), so the per-address throttle it trips stays its own.
import assert from 'node:assert/strict'
import { readFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  DEMO_PASSWORD, assertError, makeIdNumber, makeMobile, makeUscc, request, sessionCookie, signIn,
  uniqueSeed,
} from './lib.mjs'

const seed = uniqueSeed()
let serial = 0
// Every ID and mobile number this file sends to the server, for the raw-file check at the end.
const secrets = new Set(['430903199003152317', '13907372001', '13907372002', '13807371001'])

function nextCitizen (password = 'Secret#2026') {
  const n = seed + serial++
  const body = {
    kind: 'citizen', id_number: makeIdNumber(n), name: '测试用户', mobile: makeMobile(n), password,
  }
  secrets.add(body.id_number)
  secrets.add(body.mobile)
  return body
}

// Registrations are throttled per address (register_max, 20 an hour by default): this
// file registers from its own loopback address, apart from the other suites.
async function register (body, opts = {}) {
  return request('/api/v1/accounts', { method: 'POST', body, localAddress: '127.0.4.100', ...opts })
}

/** The one answer to every registration that passed the checks, new number or not. */
function assertAccepted (res) {
  assert.equal(res.status, 202, res.text)
  assert.equal(res.json.accepted, true, res.text)
  assert.match(res.json.message, /如该号码此前已注册/)
  assert.deepEqual(Object.keys(res.json).sort(), ['accepted', 'message'])
}

/** first17 with its check character (GB 11643). */
function withCheck (first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  return first17 + '10X98765432'[[...first17].reduce((s, c, i) => s + Number(c) * w[i], 0) % 11]
}

const hasChinese = (s) => /[\u4e00-\u9fff]/.test(s ?? '')

test('register a citizen, sign in with the ID number, see /me masked, sign out', async () => {
  const body = nextCitizen()
  const reg = await register(body)
  assertAccepted(reg)
  const masked = `430903********${body.id_number.slice(14)}`
  assert.ok(!reg.text.includes(body.id_number) && !reg.text.includes(body.mobile))
  assert.equal(sessionCookie(reg), undefined, 'registering does not sign in')

  const signin = await request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password: body.password },
  })
  assert.equal(signin.status, 200, signin.text)
  const cookie = signin.setCookie.find((c) => c.startsWith('ow_session='))
  assert.match(cookie, /^ow_session=[A-Za-z0-9_-]{43}; /)
  assert.match(cookie, /; HttpOnly/)
  assert.match(cookie, /; SameSite=Lax/)
  assert.match(cookie, /; Path=\//)
  assert.match(cookie, /; Max-Age=\d+/)
  assert.match(signin.json.csrf_token, /^[A-Za-z0-9_-]{43}$/)
  assert.equal(signin.json.user.id_number, masked)
  assert.equal(signin.json.user.mobile, `${body.mobile.slice(0, 3)}****${body.mobile.slice(7)}`)
  assert.equal(signin.json.user.kind, 'citizen')
  assert.equal(signin.json.user.role, 'citizen')
  const jar = { cookie: `ow_session=${sessionCookie(signin)}`, csrf: signin.json.csrf_token }

  const me = await request('/api/v1/me', { jar })
  assert.equal(me.status, 200, me.text)
  assert.equal(me.json.user.id_number, masked)
  assert.equal(me.json.user.name, '测试用户')
  assert.equal(me.json.csrf_token, jar.csrf, '/me hands out the same CSRF token again')
  assert.ok(!me.text.includes(body.id_number) && !me.text.includes(body.mobile))

  const out = await request('/api/v1/session', { method: 'DELETE', jar })
  assert.equal(out.status, 204, out.text)
  assert.equal(sessionCookie(out), '', 'the cookie is cleared')
  assertError(await request('/api/v1/me', { jar }), 401, 'unauthenticated')
})

test('the demo citizen signs in by ID number, mobile or name and sees 430903********2317', async () => {
  for (const username of ['430903199003152317', '13907372001', 'demo-citizen']) {
    const s = await signIn(username)
    assert.equal(s.user.username, 'demo-citizen')
    const me = await request('/api/v1/me', { jar: s })
    assert.equal(me.json.user.id_number, '430903********2317')
    assert.equal(me.json.user.mobile, '139****2001')
  }
  assertError(await request('/api/v1/me'), 401, 'unauthenticated')
})

test('an enterprise registers with its USCC and signs in with it', async () => {
  const n = (seed + serial++) % 1_000_000
  const body = {
    kind: 'enterprise', uscc: makeUscc(n).toLowerCase(), name: '测试科技有限公司',
    legal_representative: '王五', mobile: makeMobile(n + 500_000), password: 'Secret#2026',
  }
  secrets.add(body.mobile)
  const reg = await register(body)
  assertAccepted(reg)
  const s = await signIn(body.uscc.toUpperCase(), body.password)
  assert.equal(s.user.kind, 'enterprise')
  assert.equal(s.user.uscc, body.uscc.toUpperCase(), 'normalised to upper case')
  assert.equal(s.user.legal_representative, '王五')
  assert.equal(s.user.role, 'enterprise')
  // the same code again makes no second account, and the answer does not say so
  const again = await register({ ...body, name: '另一家公司', mobile: makeMobile(n + 600_000), password: 'Other#2026x' })
  assert.deepEqual([again.status, again.json], [reg.status, reg.json])
  assertError(await request('/api/v1/session', {
    method: 'POST', body: { username: body.uscc.toUpperCase(), password: 'Other#2026x' }, localAddress: '127.0.4.102',
  }), 401, 'bad_credentials')
})

test('registration errors name the field in Chinese', async () => {
  const good = nextCitizen()
  const badCheck = good.id_number.slice(0, 17) + (good.id_number[17] === '0' ? '1' : '0')
  const cases = [
    [{ ...good, id_number: badCheck }, 'id_number'],
    [{ ...good, id_number: '43090319900101' }, 'id_number'],
    // hardening #24: a prefecture's code and counties that never existed passed
    [{ ...good, id_number: withCheck('32110019900307123') }, 'id_number'],
    [{ ...good, id_number: withCheck('61105619900307123') }, 'id_number'],
    [{ ...good, id_number: withCheck('34692019900307123') }, 'id_number'],
    [{ ...good, id_number: undefined }, 'id_number'],
    [{ ...good, name: '' }, 'name'],
    [{ ...good, mobile: '12345678901' }, 'mobile'],
    [{ ...good, kind: 'robot' }, 'kind'],
    [{ ...good, password: 'short1A' }, 'password'],
    [{ ...good, password: 'alllowercaseletters' }, 'password'],
    [{ ...good, password: 'x'.repeat(65) + 'A1' }, 'password'],
    [{ kind: 'enterprise', name: '某公司', legal_representative: '王五', mobile: good.mobile, password: good.password, uscc: '91430903MA4L000119' }, 'uscc'],
  ]
  for (const [body, field] of cases) {
    const res = await register(body)
    assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`)
    assert.equal(res.json.error.field, field, res.text)
    assert.ok(hasChinese(res.json.error.message), res.text)
  }
  // the check digit in particular
  const res = await register({ ...good, id_number: badCheck })
  assert.match(res.json.error.message, /校验/)
  // and the good one still registers, once
  assertAccepted(await register(good))
})

// hardening #24: a second registration of a number answered 409 already_registered,
// telling anyone whether an ID number has an account.
test('a registered ID number gets the same answer as a new one, and no second account', async () => {
  const first = nextCitizen('First#2026x')
  const fresh = await register(first)
  assertAccepted(fresh)
  const again = { ...nextCitizen('Second#2026x'), id_number: first.id_number, name: '冒名者' }
  const res = await register(again)
  assert.deepEqual([res.status, res.json], [fresh.status, fresh.json])
  // the account is the first one's: its password signs in, the second's does not
  const s = await signIn(first.id_number, 'First#2026x', { localAddress: '127.0.4.103' })
  assert.equal(s.user.name, '测试用户')
  assertError(await request('/api/v1/session', {
    method: 'POST', body: { username: first.id_number, password: 'Second#2026x' }, localAddress: '127.0.4.103',
  }), 401, 'bad_credentials')
  // the second mobile number made no account either: it is still free
  assertAccepted(await register({ ...nextCitizen(), mobile: again.mobile }))
})

// hardening #24: one mobile number was accepted on three accounts; sign-in by it reached the first.
test('a mobile number belongs to one account: a second is refused with 409 on mobile', async () => {
  const a = nextCitizen()
  assertAccepted(await register(a))
  for (const mobile of [a.mobile, `${a.mobile.slice(0, 3)} ${a.mobile.slice(3, 7)} ${a.mobile.slice(7)}`, '13907372001']) {
    const b = { ...nextCitizen(), mobile }
    const res = await register(b)
    assertError(res, 409, 'mobile_taken')
    assert.equal(res.json.error.field, 'mobile')
    assert.match(res.json.error.message, /手机号码/)
    // and nothing was made for b's ID number
    assertError(await request('/api/v1/session', {
      method: 'POST', body: { username: b.id_number, password: b.password }, localAddress: '127.0.4.103',
    }), 401, 'bad_credentials')
  }
  const byMobile = await signIn(a.mobile, a.password, { localAddress: '127.0.4.103' })
  assert.equal(byMobile.user.id_number, `430903********${a.id_number.slice(14)}`)
})

// hardening #24: 30 registrations in 0.9 s from one address all succeeded.
test('registrations from one address are limited: 20 an hour, then 429 with Retry-After', async () => {
  const localAddress = '127.0.4.101'
  const bodies = Array.from({ length: 30 }, () => nextCitizen())
  const burst = await Promise.all(bodies.map((b) => register(b, { localAddress })))
  const statuses = burst.map((r) => r.status)
  assert.equal(statuses.filter((s) => s === 202).length, 20, `statuses ${statuses}`)
  assert.equal(statuses.filter((s) => s === 429).length, 10, `statuses ${statuses}`)
  for (const r of burst.filter((r) => r.status === 429)) {
    assertError(r, 429, 'too_many_attempts')
    assert.match(r.json.error.message, /注册账号过于频繁，请 \d+ 分钟后再试/)
    const ra = Number(r.headers.get('retry-after'))
    assert.ok(ra > 0 && ra <= 3600, `Retry-After ${ra}`)
  }
  // a refused body is not counted, but a checked one from this address now waits
  assert.equal((await register({ ...nextCitizen(), name: '' }, { localAddress })).status, 400)
  assertError(await register(nextCitizen(), { localAddress }), 429, 'too_many_attempts')
  // X-Forwarded-For from an address that is not a trusted proxy changes nothing
  assertError(await register(nextCitizen(), { localAddress, headers: { 'X-Forwarded-For': '203.0.113.7' } }),
    429, 'too_many_attempts')
  // another address registers as usual
  assertAccepted(await register(nextCitizen(), { localAddress: '127.0.4.104' }))
})

test('five wrong passwords lock the account: 429 with Retry-After, even for the right one', async () => {
  const localAddress = '127.0.4.1'
  const body = nextCitizen()
  assertAccepted(await register(body))
  const attempt = (password) => request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password }, localAddress,
  })
  for (let i = 1; i <= 5; i++) assertError(await attempt('Wrong#Pass' + i), 401, 'bad_credentials')
  for (const pw of ['Wrong#Pass6', body.password]) {
    const res = await attempt(pw)
    assertError(res, 429, 'too_many_attempts')
    const ra = Number(res.headers.get('retry-after'))
    assert.ok(ra >= 1 && ra <= 60, `Retry-After ${res.headers.get('retry-after')}`)
    assert.ok(hasChinese(res.json.error.message))
    assert.equal(sessionCookie(res), undefined)
  }
  // other accounts from the same address are not locked
  await signIn('demo-discloser', DEMO_PASSWORD, { localAddress })
})

test('a parallel burst of guesses cannot outrun the lockout', async () => {
  const localAddress = '127.0.4.2'
  const body = nextCitizen()
  assertAccepted(await register(body))
  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password: 'Wrong#Burst' + i }, localAddress,
  })))
  const statuses = burst.map((r) => r.status).sort()
  assert.equal(statuses.filter((s) => s === 401).length, 5, `statuses ${statuses}`)
  assert.equal(statuses.filter((s) => s === 429).length, 7, `statuses ${statuses}`)
  for (const r of burst.filter((r) => r.status === 429)) assert.ok(Number(r.headers.get('retry-after')) > 0)
  const right = await request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password: body.password }, localAddress,
  })
  assertError(right, 429, 'too_many_attempts')
})

test('twenty failures from one address throttle it, for every account, with Retry-After', async () => {
  const localAddress = '127.0.4.3'
  // spread over accounts that do not exist, so no per-account lock is involved
  for (let i = 0; i < 20; i++) {
    const res = await request('/api/v1/session', {
      method: 'POST', body: { username: `nobody-${seed}-${i}`, password: 'Guess#12345' }, localAddress,
    })
    assertError(res, 401, 'bad_credentials')
  }
  const res = await request('/api/v1/session', {
    method: 'POST', body: { username: 'demo-agent', password: DEMO_PASSWORD }, localAddress,
  })
  assertError(res, 429, 'too_many_attempts')
  const ra = Number(res.headers.get('retry-after'))
  assert.ok(ra >= 1 && ra <= 60, `Retry-After ${ra}`)
  // another address signs in as usual
  await signIn('demo-agent', DEMO_PASSWORD, { localAddress: '127.0.4.4' })
})

test('state-changing requests need the X-CSRF-Token of the session', async () => {
  const s = await signIn('demo-supervisor')
  const other = await signIn('demo-approver')
  const tries = [
    { path: '/api/v1/session', method: 'DELETE' },
    { path: '/api/v1/sessions', method: 'DELETE' },
    { path: '/api/v1/me/password', method: 'POST', body: { current_password: DEMO_PASSWORD, new_password: 'Next#Pass2026' } },
  ]
  for (const t of tries) {
    assertError(await request(t.path, { ...t, jar: s, csrf: false }), 403, 'csrf_failed')
    assertError(await request(t.path, { ...t, jar: s, headers: { 'x-csrf-token': other.csrf } }), 403, 'csrf_failed')
    assertError(await request(t.path, { ...t, jar: s, headers: { 'x-csrf-token': s.csrf.slice(0, 42) } }), 403, 'csrf_failed')
  }
  // nothing happened: the session lives, the password is unchanged
  assert.equal((await request('/api/v1/me', { jar: s })).status, 200)
  await signIn('demo-supervisor')
  // with the token, sign-out works
  assert.equal((await request('/api/v1/session', { method: 'DELETE', jar: s })).status, 204)
  assertError(await request('/api/v1/me', { jar: s }), 401, 'unauthenticated')
})

test('sign out everywhere ends every session of the account', async () => {
  const body = nextCitizen()
  assertAccepted(await register(body))
  const a = await signIn(body.id_number, body.password)
  const b = await signIn(body.mobile, body.password)
  const stranger = await signIn('demo-enterprise')
  assert.equal((await request('/api/v1/sessions', { method: 'DELETE', jar: b })).status, 204)
  assertError(await request('/api/v1/me', { jar: a }), 401, 'unauthenticated')
  assertError(await request('/api/v1/me', { jar: b }), 401, 'unauthenticated')
  assert.equal((await request('/api/v1/me', { jar: stranger })).status, 200)
})

test('a password change ends the other sessions and only the new password works', async () => {
  const body = nextCitizen()
  assertAccepted(await register(body))
  const a = await signIn(body.id_number, body.password)
  const b = await signIn(body.id_number, body.password)
  const change = (jar, current, next) => request('/api/v1/me/password', {
    method: 'POST', jar, body: { current_password: current, new_password: next },
  })
  const wrong = await change(a, 'Not#ThePassword1', 'Brand#New2026')
  assert.equal(wrong.status, 400)
  assert.equal(wrong.json.error.field, 'current_password')
  const weak = await change(a, body.password, 'weak')
  assert.equal(weak.status, 400)
  assert.equal(weak.json.error.field, 'new_password')
  assert.equal((await change(a, body.password, 'Brand#New2026')).status, 204)
  assert.equal((await request('/api/v1/me', { jar: a })).status, 200, 'the changing session stays')
  assertError(await request('/api/v1/me', { jar: b }), 401, 'unauthenticated')
  const old = await request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password: body.password }, localAddress: '127.0.4.5',
  })
  assertError(old, 401, 'bad_credentials')
  await signIn(body.id_number, 'Brand#New2026')
})

test('an admin creates a staff account and disabling it ends its session', async () => {
  const admin = await signIn('demo-admin')
  const windows = await request('/api/v1/orgs?kind=window', { jar: admin })
  assert.equal(windows.status, 200)
  const w02 = windows.json.items.find((o) => o.code === 'W02')
  assert.ok(w02, 'window W02 in the demo district')
  const username = `clerk-${seed}`
  const mobile = makeMobile(seed + 77_000_000)
  secrets.add(mobile)
  const created = await request('/api/v1/users', {
    method: 'POST', jar: admin,
    body: { username, name: '钱七', role: 'clerk', org_id: w02.id, mobile, password: 'Staff#2026x' },
  })
  assert.equal(created.status, 201, created.text)
  assert.equal(created.json.role, 'clerk')
  assert.equal(created.json.org.id, w02.id)
  assert.ok(!created.text.includes(mobile))
  // a clerk cannot sit in a department
  const misplaced = await request('/api/v1/users', {
    method: 'POST', jar: admin,
    body: { username: username + 'x', name: '钱七', role: 'approver', org_id: w02.id, password: 'Staff#2026x' },
  })
  assert.equal(misplaced.status, 400)
  assert.equal(misplaced.json.error.field, 'org_id')

  const staff = await signIn(username, 'Staff#2026x')
  assert.equal(staff.user.role, 'clerk')
  assert.equal((await request('/api/v1/me', { jar: staff })).status, 200)
  const off = await request(`/api/v1/users/${created.json.id}`, { method: 'PUT', jar: admin, body: { active: false } })
  assert.equal(off.status, 200, off.text)
  assert.equal(off.json.active, false)
  // its sessions were ended, so the cookie names no session at all
  assertError(await request('/api/v1/me', { jar: staff }), 401, 'unauthenticated')
  const again = await request('/api/v1/session', {
    method: 'POST', body: { username, password: 'Staff#2026x' }, localAddress: '127.0.4.6',
  })
  assertError(again, 403, 'account_disabled')
  // enabled again, it signs in
  assert.equal((await request(`/api/v1/users/${created.json.id}`, { method: 'PUT', jar: admin, body: { active: true } })).status, 200)
  await signIn(username, 'Staff#2026x')
})

test('unmasked numbers only through /pii, and each view is in the audit trail', async () => {
  const admin = await signIn('demo-admin')
  const clerk = await signIn('demo-clerk')
  const citizen = await signIn('demo-citizen')
  const id = citizen.user.id
  const approver = await signIn('demo-approver')
  assertError(await request(`/api/v1/users/${id}/pii`, { jar: approver }), 403, 'forbidden')
  const pii = await request(`/api/v1/users/${id}/pii`, { jar: clerk })
  assert.equal(pii.status, 200, pii.text)
  assert.deepEqual(pii.json, { id_number: '430903199003152317', mobile: '13907372001' })
  const audit = await request(`/api/v1/audit?action=account.pii_view&object_id=${id}`, { jar: admin })
  assert.equal(audit.status, 200, audit.text)
  assert.ok(audit.json.items.some((r) => r.actor === 'demo-clerk'), audit.text)
  assert.ok(!audit.text.includes('430903199003152317'))
  const user = await request(`/api/v1/users/${id}`, { jar: admin })
  assert.equal(user.json.id_number, '430903********2317')
})

test('the database files hold none of the ID or mobile numbers sent', async (t) => {
  const dir = process.env.OW_DATA_DIR_UNDER_TEST
  if (!dir) { t.skip('OW_DATA_DIR_UNDER_TEST not set (run through scripts/with-server.sh)'); return }
  let files
  const pg = process.env.OW_PG_DATA
  if (pg) {
    // PostgreSQL: every file of the cluster's tables and its write-ahead log
    const walk = (d) => readdirSync(d, { withFileTypes: true })
      .flatMap((e) => e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])
    files = [...walk(join(pg, 'base')), ...walk(join(pg, 'pg_wal'))]
    assert.ok(files.some((f) => f.includes('pg_wal')), 'the WAL, where recent writes are')
  } else {
    files = readdirSync(dir).filter((f) => f.startsWith('onewindow.db')).map((f) => join(dir, f))
    assert.ok(files.includes(join(dir, 'onewindow.db')))
    assert.ok(existsSync(join(dir, 'onewindow.db-wal')), 'the WAL, where recent writes are')
  }
  assert.ok(secrets.size >= 10, `${secrets.size} numbers to look for`)
  let bytes = 0
  for (const f of files) {
    let buf
    try { buf = readFileSync(f) } catch (e) {
      if (e.code === 'ENOENT') continue // PostgreSQL removed a temporary file meanwhile
      throw e
    }
    bytes += buf.length
    for (const s of secrets) {
      assert.equal(buf.indexOf(Buffer.from(s, 'latin1')), -1, `${s} in clear in ${f}`)
      // nor in UTF-16, should a text column ever be stored that way
      assert.equal(buf.indexOf(Buffer.from(s, 'utf16le')), -1, `${s} (UTF-16) in ${f}`)
    }
  }
  assert.ok(bytes > 100_000, `${bytes} bytes searched`)
  // and a positive control: the masked form and the names are there, so the search works
  const readOrEmpty = (f) => { try { return readFileSync(f) } catch { return Buffer.alloc(0) } }
  const all = Buffer.concat(files.map(readOrEmpty))
  assert.notEqual(all.indexOf(Buffer.from('430903********2317')), -1)
})

test('an administrator resets a password: the old one stops working, sessions end, a lockout clears, audited', async () => {
  const admin = await signIn('demo-admin')
  const orgs = await request('/api/v1/orgs?kind=window')
  const username = `reset${uniqueSeed() % 1e7}`
  const mk = await request('/api/v1/users', {
    method: 'POST', jar: admin,
    body: { username, name: '重置测试', role: 'clerk', org_id: orgs.json.items[0].id, password: 'First#2026x' },
  })
  assert.equal(mk.status, 201, mk.text)
  const id = mk.json.id
  const before = await signIn(username, 'First#2026x')
  // a lockout from wrong passwords (from an address of its own: the per-address throttle
  // must not reach the other tests)
  const localAddress = '127.0.4.5'
  for (let i = 0; i < 5; i++) await request('/api/v1/session', { method: 'POST', body: { username, password: 'Wrong#2026x' }, localAddress })
  assert.equal((await request('/api/v1/session', { method: 'POST', body: { username, password: 'First#2026x' }, localAddress })).status, 429)

  const weak = await request(`/api/v1/users/${id}/password`, { method: 'POST', jar: admin, body: { password: '123' } })
  assert.equal(weak.status, 400, weak.text)
  assert.equal(weak.json.error.field, 'password')
  const self = await request(`/api/v1/users/${admin.user.id}/password`, { method: 'POST', jar: admin, body: { password: 'Other#2026x' } })
  assert.equal(self.status, 409, self.text)
  assert.equal((await request('/api/v1/users/999999999/password', { method: 'POST', jar: admin, body: { password: 'Reset#2026x' } })).status, 404)

  const r = await request(`/api/v1/users/${id}/password`, { method: 'POST', jar: admin, body: { password: 'Reset#2026x' } })
  assert.equal(r.status, 204, r.text)
  assert.equal((await request('/api/v1/me', { jar: before })).status, 401, 'the old session ended')
  assert.equal((await request('/api/v1/session', { method: 'POST', body: { username, password: 'First#2026x' }, localAddress: '127.0.4.6' })).status, 401)
  const after = await signIn(username, 'Reset#2026x', { localAddress: '127.0.4.7' })
  assert.equal(after.user.id, id)
  const audit = await request('/api/v1/audit?' + new URLSearchParams({ action: 'account.password_reset', object_id: String(id) }), { jar: admin })
  assert.equal(audit.json.total, 1, audit.text)
  assert.equal(audit.json.items[0].actor_id, admin.user.id)
})
