// A USCC that fails only its check characters may be an early pilot-period code
// (docs/service-rules.md "Identity numbers"): a window clerk may file with it by giving a
// reason; the override, its reason and the clerk are on the case and in the audit
// trail.  Never silently, never by an agent point, never for a malformed code.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { assertError, request, signIn } from './lib.mjs'

const PILOT = '91430903MA4L000119' // demo-enterprise's 91430903MA4L000118, 18th character off
const REASON = '营业执照原件载明该代码，系统一社会信用代码试点期间赋码'

test('a clerk files with a pilot-period USCC only with a recorded reason', async () => {
  const [clerk, agent, supervisor] = await Promise.all(['demo-clerk', 'demo-agent', 'demo-supervisor'].map((u) => signIn(u)))
  const items = await request('/api/v1/items?q=' + encodeURIComponent('社会团体成立登记'))
  const item = items.json.items.find((i) => i.name === '社会团体成立登记')
  const body = { item_id: item.id, uscc: PILOT, name: '赫山区试点商会', mobile: '13812340001' }
  const file = (jar, extra) => request('/api/v1/cases', { method: 'POST', jar, body: { ...body, ...extra } })

  const plain = await file(clerk, {})
  assertError(plain, 400, 'check_digit')
  assert.equal(plain.json.error.field, 'uscc')
  assertError(await file(agent, { uscc_override_reason: REASON }), 403, 'forbidden')
  const malformed = await file(clerk, { uscc: '91430903MA4I000119', uscc_override_reason: REASON })
  assertError(malformed, 400, 'invalid_field')
  assert.equal(malformed.json.error.field, 'uscc')
  const needless = await file(clerk, { uscc: '91430903MA4L000118', uscc_override_reason: REASON })
  assertError(needless, 400, 'invalid_field')
  assert.equal(needless.json.error.field, 'uscc_override_reason')

  const r = await file(clerk, { uscc_override_reason: REASON })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applicant.id_number, PILOT)
  assert.equal(r.json.applicant.uscc_override.reason, REASON)
  assert.equal(r.json.applicant.uscc_override.by_name, clerk.user.name)
  assert.match(r.json.applicant.uscc_override.at, /^\d{4}-\d{2}-\d{2}T/)

  const au = await request(`/api/v1/audit?object_type=case&object_id=${r.json.id}&per_page=100`, { jar: supervisor })
  assert.equal(au.status, 200, au.text)
  const row = au.json.items.find((a) => a.action === 'case.uscc_override')
  assert.ok(row, 'an audit row of its own')
  assert.equal(row.actor, 'demo-clerk')
  assert.equal(row.detail.reason, REASON)
  assert.equal(row.detail.uscc, PILOT)
  assert.equal(row.detail.case_no, r.json.case_no)
})
