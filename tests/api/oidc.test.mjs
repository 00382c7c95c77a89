// Sign-in through the identity platform over OpenID Connect (issue 20, src/identity/,
// docs/decisions/0007-oidc.md), against a real OpenID provider: the npm oidc-provider
// package started by the test (oidc-provider.mjs), on the server's clock.  The server
// under test is one of its own, configured to use that provider.  Every refusal is driven
// through the whole flow: the browser's way to the provider and back, the code exchanged
// by the server; where the token must be wrong, the provider hands out a token the test
// minted with the provider's own signing keys (or another key, for the bad signature).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { SignJWT, importJWK, generateKeyPair } from 'jose'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { makeIdNumber, makeUscc, makeMobile, uniqueSeed } from './lib.mjs'
import { Jar, get, oidcEnv, registerClient, signInVia, startProvider, throughProvider } from './oidc-lib.mjs'

const bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
const offset = Number(process.env.OW_CLOCK_OFFSET_MS ?? (Date.parse('2026-11-24T09:00:00+08:00') - Date.now()))
const serverNowS = () => Math.floor((Date.now() + offset) / 1000)
const seed = uniqueSeed()
let provider, s, srv, base, sNoPw, srvNoPw, baseNoPw

async function startOwn (prefix, extra) {
  const sc = scratch(prefix, { OW_CLOCK_OFFSET_MS: String(offset), ...oidcEnv(provider.issuer), ...extra })
  const init = runCli(bin, sc, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  return { sc, srv: await startServer(bin, sc) }
}

before(async () => {
  const dir = scratch('ow-oidc-provider-').dir
  provider = await startProvider(dir, offset)
  ;({ sc: s, srv } = await startOwn('ow-oidc-', {}))
  base = `http://127.0.0.1:${srv.port}`
  // a second node on the same database with local citizen passwords off
  sNoPw = { ...s, env: { ...s.env, OW_LOCAL_CITIZEN_PASSWORDS: 'false' } }
  srvNoPw = await startServer(bin, sNoPw)
  baseNoPw = `http://127.0.0.1:${srvNoPw.port}`
  await registerClient(provider, base, [baseNoPw])
})

after(async () => {
  const codes = []
  for (const n of [srv, srvNoPw]) {
    if (!n) continue
    n.proc.kill('SIGTERM')
    codes.push((await n.exited).code)
  }
  await provider?.stop()
  const reports = []
  for (const sc of [s]) {
    if (!sc) continue
    for (const f of readdirSync(sc.dir).filter((f) => /^(asan|ubsan)/.test(f))) reports.push(readFileSync(`${sc.dir}/${f}`, 'utf8'))
    rmSync(sc.dir, { recursive: true, force: true })
  }
  assert.deepEqual(codes, codes.map(() => 0), `exit statuses; ${srv?.stderr()}${srvNoPw?.stderr()}`)
  assert.equal(reports.length, 0, `sanitizer reports:\n${reports.join('\n')}`)
})

async function api (b, path, jar, { method = 'GET', body, csrf } = {}) {
  const headers = { cookie: jar ? jar.header() : '' }
  if (body) headers['content-type'] = 'application/json'
  if (csrf) headers['x-csrf-token'] = csrf
  const r = await fetch(`${b}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined, redirect: 'manual' })
  const text = await r.text()
  let json
  try { json = JSON.parse(text) } catch {}
  return { status: r.status, json, text, headers: r.headers }
}

async function me (b, jar) {
  return api(b, '/api/v1/me', jar)
}

async function passwordJar (b, username, password = 'Demo@2026') {
  const r = await fetch(`${b}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const jar = new Jar()
  jar.take(r)
  return { status: r.status, json: await r.json(), jar }
}

function assertError (r, status, code) {
  assert.equal(r.status, status, r.text)
  assert.equal(r.json?.error?.code, code, r.text)
}

/** Sign in as `login`, but have the provider hand out what make(nonce) mints. */
async function withToken (login, make) {
  const { callback, authorize, jar } = await throughProvider(base, login)
  // the provider already made its code; the token it answers for it is replaced
  await provider.ctl('next-id-token', { id_token: await make(authorize.searchParams.get('nonce')) })
  const res = await get(callback.href, jar)
  const text = await res.text()
  let json
  try { json = JSON.parse(text) } catch {}
  return { status: res.status, json, text, jar }
}

async function providerKey () {
  const { keys } = await provider.ctl('keys')
  return { kid: keys[0].kid, key: await importJWK(keys[0], 'RS256') }
}

async function mint (claims, { kid, key, alg = 'RS256' } = {}) {
  if (!key) ({ kid, key } = await providerKey())
  return new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(key)
}

function goodClaims (nonce, over = {}) {
  const now = serverNowS()
  return { iss: provider.issuer, aud: 'onewindow', sub: `u-${makeIdNumber(seed + 900)}`, nonce, iat: now, exp: now + 300, id_number: makeIdNumber(seed + 900), name: '测试', ...over }
}

test('a citizen signs in through the provider: the account is created from the ID number, its level recorded, and found again next time', async () => {
  const idn = makeIdNumber(seed + 1)
  const first = await signInVia(base, idn, { returnTo: '/portal/cases' })
  assert.equal(first.res.status, 302, await first.res.text())
  assert.equal(first.res.headers.get('location'), '/portal/cases')
  const m = await me(base, first.jar)
  assert.equal(m.status, 200, m.text)
  assert.equal(m.json.user.kind, 'citizen')
  assert.equal(m.json.user.name, '统一认证用户')
  assert.equal(m.json.user.id_number, `${idn.slice(0, 6)}********${idn.slice(14)}`)
  const again = await signInVia(base, idn)
  assert.equal(again.res.status, 302)
  assert.equal((await me(base, again.jar)).json.user.id, m.json.user.id, 'the same account the second time')
  // the session knows it came through the provider, and at which assurance level
  const sess = await api(base, '/api/v1/oidc/session', again.jar)
  assert.equal(sess.status, 200, sess.text)
  assert.deepEqual(sess.json, { issuer: provider.issuer, subject: `u-${idn}`, level: 'L3' })
  const pw = await passwordJar(base, 'demo-citizen')
  assertError(await api(base, '/api/v1/oidc/session', pw.jar), 404, 'not_found')
})

test('a citizen who registered with a password is matched by ID number, not given a second account', async () => {
  const idn = makeIdNumber(seed + 2)
  const reg = await api(base, '/api/v1/accounts', null, { method: 'POST', body: { kind: 'citizen', id_number: idn, name: '注册用户', mobile: makeMobile(seed + 2), password: 'Reg@2026abc' } })
  assert.equal(reg.status, 202, reg.text)
  const pw = await passwordJar(base, idn, 'Reg@2026abc')
  assert.equal(pw.status, 200, JSON.stringify(pw.json))
  const viaProvider = await signInVia(base, idn)
  assert.equal(viaProvider.res.status, 302)
  const m = await me(base, viaProvider.jar)
  assert.equal(m.json.user.id, pw.json.user.id)
  assert.equal(m.json.user.name, '注册用户', 'the existing account, its name kept')
})

test('an enterprise is matched or created by the USCC in the claims', async () => {
  const uscc = makeUscc(seed + 3)
  const r = await signInVia(base, uscc)
  assert.equal(r.res.status, 302, await r.res.text())
  const m = await me(base, r.jar)
  assert.equal(m.json.user.kind, 'enterprise')
  assert.equal(m.json.user.uscc, uscc)
})

test('staff sign in only once an administrator bound their provider identity', async () => {
  const login = `clerk-${seed}`
  const before = await signInVia(base, login)
  const text = await before.res.text()
  assert.equal(before.res.status, 403, text)
  assert.equal(JSON.parse(text).error.code, 'identity_not_bound')

  const admin = await passwordJar(base, 'demo-admin')
  const adminCsrf = admin.json.csrf_token
  const clerk = await passwordJar(base, 'demo-clerk')
  const citizen = await passwordJar(base, 'demo-citizen')
  const clerkId = clerk.json.user.id
  // only administrators bind, and only staff accounts
  assertError(await api(base, `/api/v1/users/${clerkId}/identities`, clerk.jar, { method: 'POST', body: { subject: `u-${login}` }, csrf: clerk.json.csrf_token }), 403, 'forbidden')
  assertError(await api(base, `/api/v1/users/${citizen.json.user.id}/identities`, admin.jar, { method: 'POST', body: { subject: `u-${login}` }, csrf: adminCsrf }), 400, 'not_staff')
  assertError(await api(base, `/api/v1/users/${clerkId}/identities`, admin.jar, { method: 'POST', body: {}, csrf: adminCsrf }), 400, 'missing_field')
  const bound = await api(base, `/api/v1/users/${clerkId}/identities`, admin.jar, { method: 'POST', body: { subject: `u-${login}` }, csrf: adminCsrf })
  assert.equal(bound.status, 201, bound.text)
  assert.equal(bound.json.issuer, provider.issuer)
  assertError(await api(base, `/api/v1/users/${clerkId}/identities`, admin.jar, { method: 'POST', body: { subject: `u-${login}` }, csrf: adminCsrf }), 409, 'identity_taken')

  const now = await signInVia(base, login)
  assert.equal(now.res.status, 302)
  const m = await me(base, now.jar)
  assert.equal(m.json.user.id, clerkId)
  assert.equal(m.json.user.role, 'clerk')
  const links = await api(base, `/api/v1/users/${clerkId}/identities`, admin.jar)
  assert.equal(links.status, 200, links.text)
  assert.equal(links.json.items.length, 1)
  assert.equal(links.json.items[0].level, 'L3')
  assert.ok(links.json.items[0].last_sign_in_at > 0)
  // the workbench's list of every staff binding, with the account it signs into
  const all = await api(base, '/api/v1/identities', admin.jar)
  assert.equal(all.status, 200, all.text)
  assert.equal(all.json.issuer, provider.issuer)
  const row = all.json.items.find((x) => x.id === bound.json.id)
  assert.deepEqual([row.user_id, row.username, row.subject], [clerkId, 'demo-clerk', `u-${login}`])
  assert.ok(all.json.items.every((x) => x.username && x.name), 'only staff, each with a name')
  assertError(await api(base, '/api/v1/identities', clerk.jar), 403, 'forbidden')
  const audit = await api(base, `/api/v1/audit?action=identity.bind&object_id=${clerkId}`, admin.jar)
  assert.equal(audit.status, 200, audit.text)
  assert.ok(audit.json.items.length >= 1, audit.text)

  // unbound again: the identity signs into nothing
  const del = await api(base, `/api/v1/users/${clerkId}/identities/${bound.json.id}`, admin.jar, { method: 'DELETE', csrf: adminCsrf })
  assert.equal(del.status, 204, del.text)
  const gone = await api(base, '/api/v1/identities', admin.jar)
  assert.ok(!gone.json.items.some((x) => x.id === bound.json.id), gone.text)
  const after = await signInVia(base, login)
  assert.equal(after.res.status, 403)
})

test('an ID token for another client (wrong audience) is refused', async () => {
  const r = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce, { aud: 'another-client' })))
  assertError(r, 401, 'id_token_audience')
  assert.equal(r.jar.get('ow_session'), undefined)
  // with us among several audiences but authorised for another party: refused too
  const r2 = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce, { aud: ['another-client', 'onewindow'], azp: 'another-client' })))
  assertError(r2, 401, 'id_token_audience')
})

test('an expired ID token is refused, and one issued in the future', async () => {
  const now = serverNowS()
  const r = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce, { iat: now - 7200, exp: now - 3600 })))
  assertError(r, 401, 'id_token_expired')
  const f = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce, { iat: now + 3600, exp: now + 7200 })))
  assertError(f, 401, 'id_token_iat')
})

test('a token with a bad signature, or from another issuer, or unsigned, is refused', async () => {
  const { kid } = await providerKey()
  const { privateKey } = await generateKeyPair('RS256')
  // signed by somebody else's key under the provider's key id
  const forged = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce), { kid, key: privateKey }))
  assertError(forged, 401, 'id_token_signature')
  // the provider's own token with its payload changed afterwards
  const altered = await withToken(makeIdNumber(seed + 900), async (nonce) => {
    const [h, , sig] = (await mint(goodClaims(nonce))).split('.')
    const p = Buffer.from(JSON.stringify(goodClaims(nonce, { id_number: makeIdNumber(seed + 901) }))).toString('base64url')
    return `${h}.${p}.${sig}`
  })
  assertError(altered, 401, 'id_token_signature')
  const issuer = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce, { iss: 'http://127.0.0.1:1' })))
  assertError(issuer, 401, 'id_token_issuer')
  const none = await withToken(makeIdNumber(seed + 900), async (nonce) => {
    const h = Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')
    return `${h}.${Buffer.from(JSON.stringify(goodClaims(nonce))).toString('base64url')}.`
  })
  assert.equal(none.status, 401, none.text)
  assert.match(none.json.error.code, /^id_token_(alg|malformed)$/)
  const hs = await withToken(makeIdNumber(seed + 900), async (nonce) =>
    new SignJWT(goodClaims(nonce)).setProtectedHeader({ alg: 'HS256', kid }).sign(Buffer.from('a-secret-of-at-least-32-characters-long')))
  assertError(hs, 401, 'id_token_alg')
  // and a well-made token is taken: the refusals above are the checks, not the minting
  const good = await withToken(makeIdNumber(seed + 900), async (nonce) => mint(goodClaims(nonce)))
  assert.equal(good.status, 302, good.text)
})

test('a replayed state is refused: a callback URL works once, and only in the browser that started it', async () => {
  const idn = makeIdNumber(seed + 4)
  const { callback, jar } = await throughProvider(base, idn)
  const state = jar.get('ow_oidc_state')
  // another browser (no state cookie) cannot use the callback
  const stranger = await get(callback.href, new Jar())
  assert.equal(stranger.status, 400)
  assert.equal((await stranger.json()).error.code, 'state_mismatch')
  const first = await get(callback.href, jar)
  assert.equal(first.status, 302, await first.text())
  // the same callback again, cookie and all
  const replayJar = new Jar()
  replayJar.c.set('ow_oidc_state', state)
  const again = await get(callback.href, replayJar)
  assert.equal(again.status, 400)
  assert.equal((await again.json()).error.code, 'state_replayed')
  assert.equal(replayJar.get('ow_session'), undefined)
  // a made-up state
  const madeUp = new URL(callback.href)
  const fake = 'A'.repeat(43)
  madeUp.searchParams.set('state', fake)
  const fj = new Jar()
  fj.c.set('ow_oidc_state', fake)
  const unknown = await get(madeUp.href, fj)
  assert.equal((await unknown.json()).error.code, 'state_unknown')
})

test('a replayed nonce is refused: an ID token from an earlier sign-in does not open a new one', async () => {
  const idn = makeIdNumber(seed + 5)
  const first = await signInVia(base, idn)
  assert.equal(first.res.status, 302)
  const { issued } = await provider.ctl('issued')
  const old = issued[issued.length - 1]
  const r = await withToken(idn, async () => old)
  assertError(r, 401, 'id_token_nonce')
})

test('the provider rotates its keys: tokens signed with the new key are verified after the JWKS is fetched again', async () => {
  const idn = makeIdNumber(seed + 6)
  assert.equal((await signInVia(base, idn)).res.status, 302)
  const { kid } = await provider.ctl('rotate', {})
  await new Promise((resolve) => setTimeout(resolve, 1100)) // the server refetches at most once a second
  const r = await signInVia(base, idn)
  assert.equal(r.res.status, 302, await r.res.text())
  const { issued } = await provider.ctl('issued')
  const header = JSON.parse(Buffer.from(issued[issued.length - 1].split('.')[0], 'base64url'))
  assert.equal(header.kid, kid, 'signed with the new key')
})

test('signing out ends the local session and hands the browser to the provider to end its own', async () => {
  const idn = makeIdNumber(seed + 7)
  const { res, jar } = await signInVia(base, idn)
  assert.equal(res.status, 302)
  const m = await me(base, jar)
  const out = await api(base, '/api/v1/oidc/session', jar, { method: 'DELETE', csrf: m.json.csrf_token })
  assert.equal(out.status, 200, out.text)
  assert.equal((await me(base, jar)).status, 401, 'the local session is over')
  const url = new URL(out.json.logout_url)
  const disc = await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()
  assert.equal(`${url.origin}${url.pathname}`, disc.end_session_endpoint)
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${base}/`)
  const { issued } = await provider.ctl('issued')
  assert.equal(url.searchParams.get('id_token_hint'), issued[issued.length - 1])
  // the provider's own page ends its session and sends the browser back to us
  const before = (await provider.ctl('logouts')).logouts
  const page = await get(url.href, jar)
  const html = await page.text()
  assert.equal(page.status, 200, html)
  const action = html.match(/action="([^"]+)"/)[1]
  const xsrf = html.match(/name="xsrf" value="([^"]+)"/)[1]
  const confirm = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() })
  assert.equal(confirm.status, 303, await confirm.text())
  assert.equal(confirm.headers.get('location'), `${base}/`)
  assert.equal((await provider.ctl('logouts')).logouts, before + 1)
  // a session opened with a password has nothing to end at the provider
  const pw = await passwordJar(base, 'demo-citizen')
  const pwOut = await api(base, '/api/v1/oidc/session', pw.jar, { method: 'DELETE', csrf: pw.json.csrf_token })
  assert.equal(pwOut.status, 200, pwOut.text)
  assert.equal(pwOut.json.logout_url, null)
})

test('with local_citizen_passwords = false citizens sign in only through the provider; staff keep their passwords', async () => {
  const cfg = await api(baseNoPw, '/api/v1/oidc/config')
  assert.deepEqual(cfg.json, { enabled: true, local_citizen_passwords: false })
  const citizen = await passwordJar(baseNoPw, 'demo-citizen')
  assert.equal(citizen.status, 403)
  assert.equal(citizen.json.error.code, 'local_password_disabled')
  const wrong = await passwordJar(baseNoPw, 'demo-citizen', 'Wrong@2026x')
  assert.equal(wrong.status, 401, 'a wrong password tells nothing more than before')
  assert.equal((await passwordJar(baseNoPw, 'demo-clerk')).status, 200)
  const reg = await api(baseNoPw, '/api/v1/accounts', null, { method: 'POST', body: { kind: 'citizen', id_number: makeIdNumber(seed + 8), name: '注册用户', mobile: makeMobile(seed + 8), password: 'Reg@2026abc' } })
  assertError(reg, 403, 'local_password_disabled')
  const viaProvider = await signInVia(baseNoPw, makeIdNumber(seed + 8))
  assert.equal(viaProvider.res.status, 302, await viaProvider.res.text())
  assert.equal((await me(baseNoPw, viaProvider.jar)).json.user.kind, 'citizen')
  // and on the other server, with local passwords on, the same setting reads true
  assert.deepEqual((await api(base, '/api/v1/oidc/config')).json, { enabled: true, local_citizen_passwords: true })
})

test('return_to must be a path of ours', async () => {
  for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
    const r = await api(base, `/api/v1/oidc/login?return_to=${encodeURIComponent(bad)}`)
    assertError(r, 400, 'invalid_field')
    assert.equal(r.json.error.field, 'return_to')
  }
})

// ---- back-channel logout (OIDC Back-Channel Logout 1.0) ----

async function postLogout (token, { type = 'application/x-www-form-urlencoded', body } = {}) {
  const r = await fetch(`${base}/api/v1/oidc/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: body ?? new URLSearchParams(token === undefined ? {} : { logout_token: token }).toString(),
  })
  const text = await r.text()
  let json
  try { json = JSON.parse(text) } catch {}
  return { status: r.status, json, text, headers: r.headers }
}

/** End the provider's session of jar on its own page (no id_token_hint: it asks first). */
async function endAtProvider (jar) {
  const disc = await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()
  const page = await get(`${disc.end_session_endpoint}?client_id=onewindow`, jar)
  const html = await page.text()
  assert.equal(page.status, 200, html)
  const action = html.match(/action="([^"]+)"/)[1]
  const xsrf = html.match(/name="xsrf" value="([^"]+)"/)[1]
  const confirm = await fetch(new URL(action, disc.end_session_endpoint), { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() })
  assert.ok(confirm.status === 303 || confirm.status === 200, `${confirm.status} ${await confirm.text()}`)
}

async function eventually (what, fn, ms = 10000) {
  const end = Date.now() + ms
  for (;;) {
    if (await fn()) return
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('the provider ending its session ends the local session opened through it (back-channel logout), and only that one', async () => {
  const idn = makeIdNumber(seed + 31)
  // two browsers, two provider sessions (two sids) for the same person
  const one = await signInVia(base, idn)
  const two = await signInVia(base, idn)
  assert.equal(one.res.status, 302)
  assert.equal(two.res.status, 302)
  const { issued } = await provider.ctl('issued')
  const sidOf = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).sid
  assert.ok(sidOf(issued[issued.length - 1]), 'the provider puts its session id (sid) in the ID token')
  assert.equal((await me(base, one.jar)).status, 200)
  const sent = (await provider.ctl('logouts')).backchannel.sent
  await endAtProvider(one.jar)
  const bc = (await provider.ctl('logouts')).backchannel
  assert.deepEqual(bc.errors, [])
  assert.equal(bc.sent, sent + 1, 'the provider told us')
  await eventually('the local session of the first browser ended', async () => (await me(base, one.jar)).status === 401)
  assert.equal((await me(base, two.jar)).status, 200, 'the other browser\'s session, under another sid, stays')
  const admin = await passwordJar(base, 'demo-admin')
  const audit = await api(base, '/api/v1/audit?action=identity.backchannel_logout', admin.jar)
  assert.equal(audit.status, 200, audit.text)
  assert.ok(audit.json.items.length >= 1, audit.text)
})

test('a logout token naming only sub ends every session of that identity; a replayed or bad token is refused and ends nothing', async () => {
  const idn = makeIdNumber(seed + 32)
  const a = await signInVia(base, idn)
  const b = await signInVia(base, idn)
  const now = serverNowS()
  const good = (over = {}) => ({ iss: provider.issuer, aud: 'onewindow', sub: `u-${idn}`, iat: now, exp: now + 120, jti: `jti-${seed}-${Math.random()}`, events: { 'http://schemas.openid.net/event/backchannel-logout': {} }, ...over })
  const without = (k) => { const c = good(); delete c[k]; return c }
  const { privateKey } = await generateKeyPair('RS256')
  // every refusal is a 400 naming logout_token, and the sessions live on
  const cases = [
    [await mint({ ...good(), nonce: 'n' }), 'logout_token_nonce'],
    [await mint(without('events')), 'logout_token_events'],
    [await mint(good({ events: { 'http://schemas.openid.net/event/backchannel-logout': 'yes' } })), 'logout_token_events'],
    [await mint(good({ aud: 'another-client' })), 'logout_token_audience'],
    [await mint(good({ iss: 'http://127.0.0.1:1' })), 'logout_token_issuer'],
    [await mint(good(), { kid: (await providerKey()).kid, key: privateKey }), 'logout_token_signature'],
    [await mint(without('jti')), 'logout_token_jti'],
    [await mint(good({ sub: undefined })), 'logout_token_subject'],
    [await mint(good({ iat: now - 3600, exp: now + 60 })), 'logout_token_iat'],
    [await mint(good({ iat: now - 400, exp: now - 200 })), 'logout_token_expired'],
    ['not.a.jwt', 'logout_token_malformed'],
  ]
  for (const [token, code] of cases) {
    const r = await postLogout(token)
    assertError(r, 400, code)
    assert.equal(r.json.error.field, 'logout_token')
  }
  assertError(await postLogout(undefined), 400, 'missing_field')
  const asJson = await postLogout(null, { type: 'application/json', body: JSON.stringify({ logout_token: await mint(good()) }) })
  assert.equal(asJson.status, 415, asJson.text)
  assert.equal((await me(base, a.jar)).status, 200)
  assert.equal((await me(base, b.jar)).status, 200)
  // a good one, by sub alone: both sessions end; the same token again is a replay
  const token = await mint(good())
  const ok = await postLogout(token)
  assert.equal(ok.status, 200, ok.text)
  assert.equal(ok.headers.get('cache-control'), 'no-store')
  assert.equal((await me(base, a.jar)).status, 401)
  assert.equal((await me(base, b.jar)).status, 401)
  assertError(await postLogout(token), 400, 'logout_token_replayed')
})
