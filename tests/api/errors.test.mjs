// The HTTP adapter's own answers (src/http/server.c), docs/architecture.md "Errors": every error is
// {"error":{"code","message"}} with the right status, before any module code runs.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertError, assertRequestId, call } from './lib.mjs'

test('an unknown API path is a 404 in JSON, not the web UI', async () => {
  const res = await call('/api/v1/no-such-thing')
  assertError(res, 404, 'not_found')
  assertRequestId(res)
  // a trailing slash is another path
  assertError(await call('/api/v1/health/'), 404, 'not_found')
  assertError(await call('/api/v2/health'), 404, 'not_found')
})

test('a wrong method is a 405 listing the allowed ones', async () => {
  const res = await call('/api/v1/health', { method: 'DELETE' })
  assertError(res, 405, 'method_not_allowed')
  assert.equal(res.headers.get('allow'), 'GET')
  const put = await call('/api/v1/meta', { method: 'PUT', body: '{}' })
  assertError(put, 405, 'method_not_allowed')
  assert.equal(put.headers.get('allow'), 'GET')
  // outside /api/ only GET and HEAD exist
  const post = await call('/', { method: 'POST', body: '{}' })
  assertError(post, 405, 'method_not_allowed')
  assert.equal(post.headers.get('allow'), 'GET, HEAD')
})

test('a 2 MB body is refused with 413 before it is read', async () => {
  const body = Buffer.alloc(2 * 1024 * 1024, 0x20)
  body[0] = 0x7b // '{'
  body[body.length - 1] = 0x7d // '}'
  // The server answers as soon as it sees the Content-Length and stops reading;
  // fetch still delivers that answer.
  const res = await call('/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body,
  })
  assertError(res, 413, 'body_too_large')
  assertRequestId(res)
})

test('a chunked body over the limit is refused with 413 too', async () => {
  // No Content-Length: the server can only notice while reading.
  const chunk = Buffer.alloc(256 * 1024, 0x20)
  async function * stream () { for (let i = 0; i < 8; i++) yield chunk }
  const res = await call('/api/v1/session', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: stream(), duplex: 'half',
  })
  assertError(res, 413, 'body_too_large')
})

test('the server still answers normally after a refused body', async () => {
  const res = await call('/api/v1/health')
  assert.equal(res.status, 200)
})

test('malformed JSON is a 400 invalid_json', async () => {
  // POST /api/v1/session is a fixed route (docs/architecture.md "API conventions"); the
  // body is parsed before the handler or the session check runs, so this needs no account.
  for (const body of ['{"username":', 'not json', '[1,2]', '"text"', '{"a":1,"a":2}', '']) {
    const res = await call('/api/v1/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body,
    })
    assertError(res, 400, 'invalid_json')
    assertRequestId(res)
  }
})
