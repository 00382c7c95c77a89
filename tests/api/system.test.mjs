// GET /api/v1/health and /api/v1/meta (src/system): liveness, schema, region.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertRequestId, call, serverToday } from './lib.mjs'

test('health answers ok with the latest schema and a request id', async () => {
  const res = await call('/api/v1/health')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /^application\/json/)
  assert.equal(res.headers.get('cache-control'), 'no-store')
  assertRequestId(res)
  assert.equal(res.json.status, 'ok')
  assert.equal(res.json.database, 'ok')
  assert.equal(typeof res.json.version, 'string')
  assert.ok(Number.isInteger(res.json.schema_version) && res.json.schema_version >= 1)
  assert.equal(res.json.schema_version, res.json.schema_latest)
})

test('each request gets its own request id', async () => {
  const ids = new Set()
  for (let i = 0; i < 5; i++) ids.add((await call('/api/v1/health')).headers.get('x-request-id'))
  assert.equal(ids.size, 5)
})

test('meta names the district: 益阳市赫山区, 430903', async () => {
  const res = await call('/api/v1/meta')
  assert.equal(res.status, 200)
  assertRequestId(res)
  assert.equal(res.json.name, 'onewindow')
  assert.deepEqual(res.json.region, { name: '益阳市赫山区', code: '430903' })
  assert.equal(res.json.center, '益阳市赫山区政务服务中心')
})

test('meta tells the server\'s own date and time, which the tests and the UI date by', async () => {
  const res = await call('/api/v1/meta')
  assert.match(res.json.now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/)
  assert.equal(res.json.today, res.json.now.slice(0, 10))
  assert.equal(res.json.today, serverToday())
  // scripts/with-server.sh runs the server in 2026 unless told otherwise
  if (!process.env.OW_TEST_NOW) assert.ok(res.json.today.startsWith('2026-'), res.json.today)
})

test('HEAD on health answers without a body', async () => {
  const res = await call('/api/v1/health', { method: 'HEAD' })
  assert.equal(res.status, 200)
  assert.equal(res.text, '')
})
