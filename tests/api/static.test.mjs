// The built web UI (src/http/static.c): index.html with a strong ETag and
// revalidation, precompressed assets, the SPA fallback for client-side routes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertError, call, rawRequest } from './lib.mjs'

test('/ is the web UI with an ETag, and a 304 when it has not changed', async () => {
  const res = await call('/')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^text\/html/)
  assert.match(res.text, /<div id="?app"?/i)
  assert.equal(res.headers.get('cache-control'), 'no-cache')
  const etag = res.headers.get('etag')
  assert.match(etag ?? '', /^"[^"]+"$/, 'a strong ETag')
  assert.ok(res.headers.get('content-security-policy'))

  const again = await call('/', { headers: { 'if-none-match': etag } })
  assert.equal(again.status, 304)
  assert.equal(again.text, '')
  assert.equal(again.headers.get('etag'), etag)

  const stale = await call('/', { headers: { 'if-none-match': '"not-the-tag"' } })
  assert.equal(stale.status, 200)
  assert.equal(stale.text, res.text)
})

test('a client-side route gets index.html; a missing asset does not', async () => {
  const index = await call('/')
  const login = await call('/work/login')
  assert.equal(login.status, 200)
  assert.match(login.headers.get('content-type'), /^text\/html/)
  assert.equal(login.text, index.text)
  assertError(await call('/assets/missing.js'), 404, 'not_found')
})

test('assets referenced by index.html are served, gzip when accepted, cacheable for a year', async () => {
  const index = await call('/')
  const src = index.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]
  assert.ok(src, 'index.html references a script under /assets/')
  // fetch always sends Accept-Encoding: gzip and decodes transparently
  const res = await call(src)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^text\/javascript/)
  assert.equal(res.headers.get('content-encoding'), 'gzip')
  assert.match(res.headers.get('cache-control'), /immutable/)
  assert.ok(res.text.length > 0)
  const plain = await call(src, { headers: { 'accept-encoding': 'identity' } })
  assert.equal(plain.status, 200)
  assert.equal(plain.headers.get('content-encoding'), null)
  assert.equal(plain.text, res.text)
})

test('paths out of the web root are refused', async () => {
  // raw requests: fetch would normalise the dot segments away before sending
  for (const p of ['/../../CMakeLists.txt', '/%2e%2e/%2e%2e/CMakeLists.txt',
    '/assets/..%2f..%2f..%2fCMakeLists.txt', '/.vite/manifest.json']) {
    const res = await rawRequest(`GET ${p} HTTP/1.1\r\nHost: test\r\n\r\n`)
    assert.ok(res.status === 404 || res.status === 400, `${p} answered ${res.status}`)
    assert.doesNotMatch(res.body, /cmake_minimum_required|"file":/)
  }
})
