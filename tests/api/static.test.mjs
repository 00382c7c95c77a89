// The built web UI (src/http/static.c): index.html with a strong ETag and
// revalidation, precompressed assets, the SPA fallback for client-side routes.
import assert from 'node:assert/strict'
import http from 'node:http'
import { test } from 'node:test'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { assertError, BASE_URL, call, rawRequest } from './lib.mjs'

/** GET path with these headers, the body as bytes, nothing decoded. */
function getRaw (path, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(`${BASE_URL}${path}`, { headers }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    }).on('error', reject)
  })
}

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
  // fetch sends Accept-Encoding with gzip (and br) and decodes transparently
  const res = await call(src)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^text\/javascript/)
  assert.match(res.headers.get('content-encoding'), /^(br|gzip)$/)
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

test('precompressed variants by Accept-Encoding: br, gzip or none, each with its ETag', async () => {
  const index = await call('/')
  const src = index.text.match(/src="(\/assets\/[^"]+\.js)"/)?.[1]
  const plain = await getRaw(src, { 'accept-encoding': 'identity' })
  assert.equal(plain.status, 200)
  assert.equal(plain.headers['content-encoding'], undefined)
  assert.equal(Number(plain.headers['content-length']), plain.body.length)
  assert.equal(plain.headers.vary, 'Accept-Encoding')
  assert.ok(plain.headers['last-modified'] && !Number.isNaN(Date.parse(plain.headers['last-modified'])))
  assert.equal(plain.headers['x-content-type-options'], 'nosniff')
  const br = await getRaw(src, { 'accept-encoding': 'gzip, deflate, br' })
  assert.equal(br.status, 200)
  assert.equal(br.headers['content-encoding'], 'br')
  assert.equal(Number(br.headers['content-length']), br.body.length)
  assert.ok(brotliDecompressSync(br.body).equals(plain.body))
  const gz = await getRaw(src, { 'accept-encoding': 'br;q=0, gzip' })
  assert.equal(gz.headers['content-encoding'], 'gzip')
  assert.ok(gunzipSync(gz.body).equals(plain.body))
  const none = await getRaw(src, { 'accept-encoding': 'gzip;q=0.000, br;q=0' })
  assert.equal(none.headers['content-encoding'], undefined)
  const star = await getRaw(src, { 'accept-encoding': '*' })
  assert.equal(star.headers['content-encoding'], 'br')
  const tags = new Set([plain, br, gz].map((r) => r.headers.etag))
  assert.equal(tags.size, 3, 'one ETag per variant')
  const revalidate = await getRaw(src, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag })
  assert.equal(revalidate.status, 304)
  assert.equal(revalidate.body.length, 0)
})
