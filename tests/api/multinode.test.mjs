// Several onewindow nodes on one database (decisions/0004-postgresql.md): what one node
// does, the others see.  Under `make test-api`'s second run the nodes are two servers
// sharing a PostgreSQL database (OW_NODE_URLS), and every request here is sent to a node
// chosen on purpose, not through the balancer.  On the SQLite run there is one node and
// the same checks run against it alone.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { NODE_URLS, makeIdNumber, makeMobile, request, signIn, uniqueSeed } from './lib.mjs'
import { PDF, upload } from './materials-lib.mjs'

const A = NODE_URLS[0]
const B = NODE_URLS[NODE_URLS.length - 1]
const node = (i) => NODE_URLS[i % NODE_URLS.length]

async function itemId (name, base) {
  const r = await request('/api/v1/items?q=' + encodeURIComponent(name), { base })
  assert.equal(r.status, 200, r.text)
  const it = r.json.items.find((i) => i.name === name)
  assert.ok(it, name)
  return it.id
}

test('64 concurrent submissions split across the nodes get 64 distinct case numbers and an intact audit chain', async () => {
  const clerks = await Promise.all(NODE_URLS.map((base) => signIn('demo-clerk', undefined, { base })))
  const item = await itemId('生育登记', A)
  const seed = uniqueSeed() % 900_000
  const filed = await Promise.all(Array.from({ length: 64 }, (_, i) => request('/api/v1/cases', {
    method: 'POST', base: node(i), jar: clerks[i % clerks.length],
    body: {
      item_id: item, name: `并发${i}`, id_number: makeIdNumber(15_000_000 + seed + i),
      mobile: makeMobile(15_000_000 + seed + i), title: '多节点并发受理', materials: [],
    },
  })))
  for (const r of filed) assert.equal(r.status, 201, r.text)
  const numbers = new Set(filed.map((r) => r.json.case_no))
  assert.equal(numbers.size, 64, [...numbers].join(' '))
  // the chain, re-walked by the command line on the same database
  const v = spawnSync(process.env.OW_SERVER_BIN, ['--data-dir', process.env.OW_DATA_DIR_UNDER_TEST,
    'audit', 'verify'], { encoding: 'utf8', env: process.env })
  assert.equal(v.status, 0, v.stdout + v.stderr)
  assert.match(v.stdout, /audit chain intact/)
})

test('wrong passwords split across the nodes lock the account after the same five', async () => {
  const admin = await signIn('demo-admin', undefined, { base: A })
  const orgs = await request('/api/v1/orgs?kind=window', { base: A })
  const username = `multi${uniqueSeed() % 1e7}`
  const made = await request('/api/v1/users', {
    method: 'POST', base: A, jar: admin,
    body: { username, name: '多节点锁定', role: 'clerk', org_id: orgs.json.items[0].id, password: 'First#2026x' },
  })
  assert.equal(made.status, 201, made.text)
  // four wrong ones, alternating nodes: not locked yet
  for (let i = 0; i < 4; i++) {
    const r = await request('/api/v1/session', { method: 'POST', base: node(i), body: { username, password: 'wrong-' + i } })
    assert.equal(r.status, 401, r.text)
  }
  assert.equal((await request('/api/v1/session', { method: 'POST', base: B, body: { username, password: 'First#2026x' } })).status, 200)
  // the right password reset the count; five wrong ones now, split across the nodes
  for (let i = 0; i < 5; i++) {
    const r = await request('/api/v1/session', { method: 'POST', base: node(i), body: { username, password: 'wrong-' + i } })
    assert.ok([401, 429].includes(r.status), r.text)
  }
  for (const base of NODE_URLS) {
    const r = await request('/api/v1/session', { method: 'POST', base, body: { username, password: 'First#2026x' } })
    assert.equal(r.status, 429, `${base}: ${r.text}`)
    assert.ok(Number(r.headers.get('retry-after')) > 0)
  }
})

test('a catalog edit on one node is found by search on the other within a second', async () => {
  const admin = await signIn('demo-admin', undefined, { base: A })
  const vocab = (await request('/api/v1/catalog/vocabularies', { base: A })).json
  const dept = vocab.departments.find((d) => d.code === 'D05')
  const n = uniqueSeed() % 1e6
  const name = `多节点检索${n}号事项`
  const created = await request('/api/v1/items', {
    method: 'POST', base: A, jar: admin,
    body: {
      code: `20${String(n).padStart(6, '0')}98`, name, type: 'public_service', department_id: dept.id,
      basis: '《测试条例》', statutory_days: 10, committed_days: 5, modes: ['online'], online_depth: 'apply',
      visits: 1, materials: [{ name: '居民身份证' }], steps: [{ name: '受理', role: 'clerk', org_code: 'W01' }],
    },
  })
  assert.equal(created.status, 201, created.text)
  // B has built its index before the edit
  assert.equal((await request('/api/v1/items?q=' + encodeURIComponent(name), { base: B })).json.total, 0)
  const pub = await request(`/api/v1/items/${created.json.id}/publish`, { method: 'POST', base: A, jar: admin })
  assert.equal(pub.status, 200, pub.text)
  const t0 = Date.now()
  let found = 0
  while (Date.now() - t0 < 1000) {
    found = (await request('/api/v1/items?q=' + encodeURIComponent(name), { base: B })).json.total
    if (found) break
  }
  assert.equal(found, 1, 'not found on the other node within a second')
})

// a day far past every open case's deadline, so that no other test's case moves
test('a calendar edit on one node moves the other node\'s deadlines within a few seconds', async () => {
  const admin = await signIn('demo-admin', undefined, { base: A })
  const due = async (base) => (await request('/api/v1/calendar/due?from=2027-09-10&days=3', { base })).json
  const before = await due(B)
  assert.ok(before.due, JSON.stringify(before))
  const put = await request('/api/v1/calendar/days/2027-09-14', {
    method: 'PUT', base: A, jar: admin, body: { kind: 'holiday', name: '多节点测试停工日' },
  })
  assert.equal(put.status, 200, put.text)
  try {
    let after = before
    const t0 = Date.now()
    while (Date.now() - t0 < 4000 && after.due === before.due) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = await due(B)
    }
    assert.notEqual(after.due, before.due, 'the other node still counts 2027-09-14 as a working day')
  } finally {
    const back = await request('/api/v1/calendar/days/2027-09-14', {
      method: 'PUT', base: A, jar: admin, body: { kind: 'normal' },
    })
    assert.equal(back.status, 200, back.text)
  }
})

test('a file uploaded through one node downloads through the other', async () => {
  const citizenA = await signIn('demo-citizen', undefined, { base: A })
  const item = await itemId('内地居民结婚登记', A)
  const c = await request('/api/v1/cases', {
    method: 'POST', base: A, jar: citizenA, body: { item_id: item, title: '多节点上传', materials: ['居民户口簿'] },
  })
  assert.equal(c.status, 201, c.text)
  const body = Buffer.concat([PDF, Buffer.from(`% ${uniqueSeed()}\n`)])
  const up = await upload(citizenA, c.json.id, '居民户口簿', '户口簿.pdf', body)
  // upload() goes through the balancer; the download goes to B directly
  assert.equal(up.status, 201, up.text)
  const citizenB = await signIn('demo-citizen', undefined, { base: B })
  const got = await request(`/api/v1/cases/${c.json.id}/materials/${up.json.id}/file`, { base: B, jar: citizenB })
  assert.equal(got.status, 200, got.text)
  assert.ok(got.buf.equals(body), 'the same bytes')
})
