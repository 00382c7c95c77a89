// Smaller findings of the probe of hardening issue #24: search text is never a LIKE
// pattern; the unmasked numbers of an information request answer 404 alike to those who
// may not read it; upload file names carry no control or bidi characters and no NUL; an
// access-log line is JSON whatever bytes the path held; the 保密审查 of a publication
// is never its submitter's (disclosure.test.mjs).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { test } from 'node:test'
import { BASE_URL, NODE_URL, assertError, request, signIn } from './lib.mjs'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

test('q=% and q=_ find nothing in case and information-request searches', async () => {
  const supervisor = await signIn('demo-supervisor')
  const discloser = await signIn('demo-discloser')
  const cases = (q) => request(`/api/v1/cases?queue=all&per_page=5&q=${encodeURIComponent(q)}`, { jar: supervisor })
  const all = await request('/api/v1/cases?queue=all&per_page=5', { jar: supervisor })
  assert.ok(all.json.total > 0)
  for (const q of ['%', '_', '4309%', '430903_']) {
    const r = await cases(q)
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.total, 0, `cases q=${q}`)
  }
  const prefix = await cases(all.json.items[0].case_no.slice(0, 12))
  assert.ok(prefix.json.total > 0, 'a case-number prefix still finds cases')

  const reqs = async (q) => {
    const r = await request(`/api/v1/info-requests?per_page=100&q=${encodeURIComponent(q)}`, { jar: discloser })
    assert.equal(r.status, 200, r.text)
    return r.json.items
  }
  const org = discloser.user.org.id
  const file = async (content) => {
    const r = await request('/api/v1/info-requests', {
      method: 'POST', jar: discloser,
      body: { org_id: org, channel: 'in_person', applicant_type: 'person', name: '通配测试', id_number: '11010519491231002X',
        mobile: '13800000000', content, delivery: 'pickup' },
    })
    assert.equal(r.status, 201, r.text)
    return r.json.id
  }
  const tag = `W${Date.now() % 100000}`
  const pct = await file(`${tag} 降幅50%以上的项目`)
  const plain = await file(`${tag} 降幅500元的项目 ${tag}Y1`)
  const under = await file(`${tag} 项目${tag}_1`)
  // before: 50% was the pattern %50%% (both), X_1 matched XY1 too
  assert.deepEqual((await reqs('50%')).map((x) => x.id).filter((id) => [pct, plain, under].includes(id)), [pct])
  assert.deepEqual((await reqs(`${tag}_1`)).map((x) => x.id), [under])
  for (const x of await reqs('%')) assert.ok(`${x.number}${x.applicant_name}${x.content}`.includes('%'), x.content)
  for (const x of await reqs('_')) assert.ok(`${x.number}${x.applicant_name}${x.content}`.includes('_'), x.content)
  assert.equal((await reqs(tag)).length, 3, 'plain text still finds them')
})

test('an information request\'s unmasked numbers: 404 alike for an existing and a missing id to those not allowed', async () => {
  const discloser = await signIn('demo-discloser')
  const id = (await request('/api/v1/info-requests?per_page=1', { jar: discloser })).json.items[0].id
  assert.equal((await request(`/api/v1/info-requests/${id}/pii`, { jar: discloser })).status, 200)
  for (const who of ['demo-clerk', 'demo-enterprise', 'demo-approver']) {
    const s = await signIn(who)
    const there = await request(`/api/v1/info-requests/${id}/pii`, { jar: s })
    const missing = await request('/api/v1/info-requests/99999999/pii', { jar: s })
    assertError(there, 404, 'not_found')
    assertError(missing, 404, 'not_found')
    assert.deepEqual(there.json, missing.json, who)
  }
  // a supervisor may read the request, not the numbers
  assertError(await request(`/api/v1/info-requests/${id}/pii`, { jar: await signIn('demo-supervisor') }), 403, 'forbidden')
})

test('upload file names: control and bidi characters and NUL are refused naming filename', async () => {
  const discloser = await signIn('demo-discloser')
  const draft = await request('/api/v1/publications', {
    method: 'POST', jar: discloser,
    body: { column: 'news', title: '文件名测试', issued_date: '2026-11-01', body: '文件名测试正文。' },
  })
  assert.equal(draft.status, 201, draft.text)
  const upload = (raw) => request(`/api/v1/publications/${draft.json.id}/attachments?filename=${raw}`, {
    method: 'POST', jar: discloser, body: PDF, headers: { 'content-type': 'application/octet-stream' },
  })
  const bad = [
    'a%0D%0Ab.pdf', // CR LF
    'a%09b.pdf', // tab
    `${encodeURIComponent('报告\u202Efdp.exe')}`, // RIGHT-TO-LEFT OVERRIDE
    `${encodeURIComponent('报告\u2066x\u2069.pdf')}`, // isolates
    `${encodeURIComponent('报告\u200F.pdf')}`, // RLM
    'a.pdf%00.exe', // cut at NUL
    '%C2%85x.pdf', // C1 NEL
  ]
  for (const raw of bad) {
    const r = await upload(raw)
    assert.equal(r.status, 400, `${raw}: ${r.text}`)
    assert.equal(r.json.error.field, 'filename', raw)
    assert.match(r.json.error.message, /[\u4e00-\u9fff]/)
  }
  const ok = await upload(encodeURIComponent('附件：报告（2026）.pdf'))
  assert.equal(ok.status, 201, ok.text)
  assert.deepEqual(ok.json.attachments.map((a) => a.filename), ['附件：报告（2026）.pdf'])
})

test('an access-log line is JSON even when the path is not UTF-8', async () => {
  const logPath = process.env.OW_SERVER_LOG
  assert.ok(logPath, 'run under scripts/with-server.sh')
  const url = new URL(NODE_URL) // the node whose log OW_SERVER_LOG is
  const reply = await new Promise((resolve, reject) => {
    const sock = net.connect(Number(url.port), url.hostname, () => {
      sock.write(Buffer.concat([
        Buffer.from('GET /api/v1/items/'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0x22, 0x5c]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]))
    })
    const chunks = []
    sock.on('data', (c) => chunks.push(c))
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')))
    sock.on('error', reject)
  })
  const rid = (reply.match(/X-Request-Id: (\w+)/i) ?? [])[1]
  assert.ok(rid, reply.slice(0, 300))
  let line
  for (let i = 0; i < 50 && !line; i++) {
    line = readFileSync(logPath, 'utf8').split('\n').find((l) => l.includes(`"rid":"${rid}"`))
    if (!line) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.ok(line, `the access line of ${rid}`)
  const entry = JSON.parse(line)
  assert.equal(entry.msg, 'access')
  assert.equal(entry.path, '/api/v1/items/\ufffd\ufffd\ufffd\ufffd"\\')
  // the file as bytes is UTF-8 throughout
  const raw = readFileSync(logPath)
  assert.equal(Buffer.from(raw.toString('utf8'), 'utf8').length, raw.length)
})
