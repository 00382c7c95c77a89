// The public case-progress lookup (case number + last 6 characters of the ID number)
// is limited per client address: 10 failed lookups in 15 minutes, then 429 with a
// Chinese message and Retry-After until the window ends (src/cases/cases_api.c), so a
// case's tail cannot be found by trying all of them.  Each test uses its own loopback
// address so the other suites' lookups do not count.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { assertError, request, signIn } from './lib.mjs'

const TAIL = '152317' // demo-citizen, 430903199003152317

async function fileCase () {
  const citizen = await signIn('demo-citizen')
  const items = await request('/api/v1/items?q=' + encodeURIComponent('补领结婚证、离婚证'))
  const item = items.json.items.find((i) => i.name === '补领结婚证、离婚证')
  const r = await request('/api/v1/cases', { method: 'POST', jar: citizen, body: { item_id: item.id } })
  assert.equal(r.status, 201, r.text)
  return r.json.case_no
}

const lookup = (caseNo, tail, localAddress, headers = {}) =>
  request(`/api/v1/cases/track?case_no=${encodeURIComponent(caseNo)}&id_tail=${tail}`, { localAddress, headers })

test('ten wrong tails from one address, then 429 with Retry-After; other addresses unaffected', async () => {
  const caseNo = await fileCase()
  const ok = await lookup(caseNo, TAIL, '127.0.6.1')
  assert.equal(ok.status, 200, ok.text)
  assert.equal(ok.json.case_no, caseNo)
  assert.equal(ok.json.current_step, '受理')
  for (let i = 0; i < 10; i++) {
    const r = await lookup(caseNo, String(100000 + i), '127.0.6.1')
    assertError(r, 404, 'not_found')
  }
  const blocked = await lookup(caseNo, '000000', '127.0.6.1')
  assertError(blocked, 429, 'too_many_attempts')
  assert.equal(blocked.json.error.field, 'id_tail')
  assert.match(blocked.json.error.message, /查询失败次数过多，请 \d+ 分钟后再试/)
  const ra = Number(blocked.headers.get('retry-after'))
  assert.ok(ra > 0 && ra <= 15 * 60, `Retry-After ${ra}`)
  // the right tail waits too: the limit is on the address, not on the guess
  assertError(await lookup(caseNo, TAIL, '127.0.6.1'), 429, 'too_many_attempts')
  // X-Forwarded-For from an address that is not a trusted proxy changes nothing
  assertError(await lookup(caseNo, TAIL, '127.0.6.1', { 'X-Forwarded-For': '203.0.113.9' }), 429,
    'too_many_attempts')
  const other = await lookup(caseNo, TAIL, '127.0.6.2')
  assert.equal(other.status, 200, other.text)
})

test('successful and malformed lookups do not count', async () => {
  const caseNo = await fileCase()
  for (let i = 0; i < 9; i++) assertError(await lookup(caseNo, String(200000 + i), '127.0.6.3'), 404, 'not_found')
  for (let i = 0; i < 5; i++) assert.equal((await lookup(caseNo, TAIL, '127.0.6.3')).status, 200)
  assert.equal((await lookup(caseNo, '12', '127.0.6.3')).status, 400)
  // the tenth failure is allowed and answered; only then does the address wait
  assertError(await lookup(caseNo, '299999', '127.0.6.3'), 404, 'not_found')
  assertError(await lookup(caseNo, TAIL, '127.0.6.3'), 429, 'too_many_attempts')
})
