// Cross-site requests and the JSON content type (hardening #24, docs/decisions/
// 0002-sessions-and-csrf.md): a page on another site must not sign a browser in
// (login CSRF), register, or change anything; a JSON endpoint takes only
// application/json, which an HTML form cannot send without a CORS preflight.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  BASE_URL, DEMO_PASSWORD, assertError, makeIdNumber, makeMobile, request, sessionCookie, signIn,
  uniqueSeed,
} from './lib.mjs'

const EVIL = 'http://evil.example'
const CREDENTIALS = JSON.stringify({ username: 'demo-citizen', password: DEMO_PASSWORD })

test('login CSRF: a text/plain sign-in posted from another origin is refused', async () => {
  const res = await request('/api/v1/session', {
    method: 'POST', body: CREDENTIALS, headers: { 'content-type': 'text/plain', origin: EVIL },
  })
  assertError(res, 403, 'cross_site_request')
  assert.equal(res.json.error.field, 'Origin')
  assert.equal(sessionCookie(res), undefined, 'no session cookie')
})

test('a JSON endpoint answers 415 naming Content-Type for anything but application/json', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await request('/api/v1/session', { method: 'POST', body: CREDENTIALS, headers: { 'content-type': type } })
    assertError(res, 415, 'unsupported_media_type')
    assert.equal(res.json.error.field, 'Content-Type')
    assert.match(res.json.error.message, /application\/json/)
    assert.equal(sessionCookie(res), undefined)
  }
  const none = await request('/api/v1/session', { method: 'POST', body: Buffer.from(CREDENTIALS) })
  assert.equal(none.status, 200, 'request() defaults to application/json')
  const charset = await request('/api/v1/session', {
    method: 'POST', body: CREDENTIALS, headers: { 'content-type': 'Application/JSON; charset=utf-8' },
  })
  assert.equal(charset.status, 200, `media type case-insensitive, parameters allowed: ${charset.text}`)
})

test('Sec-Fetch-Site: cross-site is refused even without Origin', async () => {
  const res = await request('/api/v1/session', {
    method: 'POST', body: CREDENTIALS, headers: { 'sec-fetch-site': 'cross-site' },
  })
  assertError(res, 403, 'cross_site_request')
  assert.equal(res.json.error.field, 'Sec-Fetch-Site')
  for (const site of ['same-origin', 'same-site', 'none']) {
    const ok = await request('/api/v1/session', { method: 'POST', body: CREDENTIALS, headers: { 'sec-fetch-site': site } })
    assert.equal(ok.status, 200, `${site}: ${ok.text}`)
  }
})

test('the server\'s own origin (from Host) signs in as before', async () => {
  const own = await request('/api/v1/session', { method: 'POST', body: CREDENTIALS, headers: { origin: BASE_URL } })
  assert.equal(own.status, 200, own.text)
  assert.ok(sessionCookie(own))
  const host = new URL(BASE_URL).host
  const tls = await request('/api/v1/session', {
    method: 'POST', body: CREDENTIALS, headers: { origin: `https://${host}` },
  })
  assert.equal(tls.status, 200, `behind the TLS front the browser says https: ${tls.text}`)
  for (const origin of ['null', `http://${host}.evil.example`, `http://evil.example/${host}`]) {
    assertError(await request('/api/v1/session', { method: 'POST', body: CREDENTIALS, headers: { origin } }),
      403, 'cross_site_request')
  }
})

test('registration from another origin is refused and creates nothing', async () => {
  const n = uniqueSeed()
  const body = {
    kind: 'citizen', id_number: makeIdNumber(n), name: '跨站测试', mobile: makeMobile(n), password: 'Cross@2026x',
  }
  assertError(await request('/api/v1/accounts', { method: 'POST', body, headers: { origin: EVIL } }),
    403, 'cross_site_request')
  const attempt = await request('/api/v1/session', {
    method: 'POST', body: { username: body.id_number, password: body.password },
  })
  assert.equal(attempt.status, 401, 'the account was not created')
})

test('signed-in state changes from another origin are refused, token or not', async () => {
  const s = await signIn('demo-citizen')
  const out = await request('/api/v1/session', { method: 'DELETE', jar: s, headers: { origin: EVIL } })
  assertError(out, 403, 'cross_site_request')
  const me = await request('/api/v1/me', { jar: s })
  assert.equal(me.status, 200, 'still signed in')
  const wrongType = await request('/api/v1/me/password', {
    method: 'POST', jar: s, body: JSON.stringify({ old_password: DEMO_PASSWORD, new_password: 'x' }),
    headers: { 'content-type': 'text/plain' },
  })
  assertError(wrongType, 415, 'unsupported_media_type')
  const bye = await request('/api/v1/session', { method: 'DELETE', jar: s, headers: { origin: BASE_URL } })
  assert.equal(bye.status < 300, true, `own origin signs out: ${bye.status} ${bye.text}`)
})

test('uploads keep their raw content type; a cross-site upload is refused before the body', async () => {
  const s = await signIn('demo-discloser')
  const blob = Buffer.from('%PDF-1.4\n%%EOF\n')
  const up = (headers) => request('/api/v1/info-requests/999999/files?filename=a.pdf', {
    method: 'POST', jar: s, body: blob, headers: { 'content-type': 'application/octet-stream', ...headers },
  })
  const own = await up({ origin: BASE_URL })
  assert.notEqual(own.status, 415, own.text)
  assert.notEqual(own.status, 403, own.text)
  assertError(await up({ origin: EVIL }), 403, 'cross_site_request')
})

test('reads stay open to any origin: GET is not a state change', async () => {
  const res = await request('/api/v1/health', { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } })
  assert.equal(res.status, 200)
})
