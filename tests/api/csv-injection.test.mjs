// Exports never carry formulas (hardening #24): an organisation renamed
// =HYPERLINK("http://evil.example","x") was written as-is into stats/cases?format=csv,
// where a spreadsheet runs it.  Every CSV export goes through one cell writer
// (src/core/csv.c) that prefixes ' to text starting with = + - @ tab or CR; numbers,
// negative ones too, stay numbers; the XLSX exports write such a name as a string.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { request, serverToday, signIn } from './lib.mjs'
import { readXlsx, sheetXml } from './xlsx-read.mjs'

const EVIL = '=HYPERLINK("http://evil.example","x")'

async function get (jar, path) {
  const r = await request(path, { jar })
  assert.equal(r.status, 200, r.text)
  return r
}

test('a formula-like organisation name is text in the statistics CSV and XLSX', async () => {
  const admin = await signIn('demo-admin')
  const supervisor = await signIn('demo-supervisor')
  const to = await serverToday()
  const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`
  const q = `/api/v1/stats/cases?from=${from}&to=${to}&by=department`
  const table = (await get(supervisor, q)).json
  const row = table.rows.find((r) => r.received > 0)
  assert.ok(row, 'a department with cases')
  const orgPath = `/api/v1/orgs/${row.key}`
  const org = (await get(admin, orgPath)).json
  const rename = (name) => request(orgPath, { method: 'PUT', jar: admin, body: { name } })
  assert.equal((await rename(EVIL)).status, 200)
  try {
    const csv = (await get(supervisor, `${q}&format=csv`)).text
    const line = csv.split('\r\n').find((l) => l.includes('HYPERLINK'))
    assert.ok(line, csv.slice(0, 300))
    assert.ok(line.startsWith(`"'=HYPERLINK(""http://evil.example"",""x"")",`), line)

    const xlsx = await get(supervisor, `${q}&format=xlsx`)
    const rows = readXlsx(xlsx.buf)
    assert.ok(rows.some((r) => r.includes(EVIL)), 'the name is there, as text')
    assert.ok(!/<f>/.test(sheetXml(xlsx.buf)), 'no formula cells')
  } finally {
    assert.equal((await rename(org.name)).status, 200)
  }
})

test('text starting with + - @ or tab is guarded too; negative numbers stay numbers', async () => {
  const admin = await signIn('demo-admin')
  const supervisor = await signIn('demo-supervisor')
  const to = await serverToday()
  const from = `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`
  const q = `/api/v1/stats/cases?from=${from}&to=${to}&by=department`
  const row = (await get(supervisor, q)).json.rows.find((r) => r.received > 0)
  const orgPath = `/api/v1/orgs/${row.key}`
  const org = (await get(admin, orgPath)).json
  try {
    for (const name of ['+1+cmd', '-2+3', '@SUM(A1)', '\t=1']) {
      assert.equal((await request(orgPath, { method: 'PUT', jar: admin, body: { name } })).status, 200)
      const csv = (await get(supervisor, `${q}&format=csv`)).text
      const line = csv.split('\r\n').find((l) => l.startsWith(`'${name}`) || l.startsWith(`"'${name}`))
      assert.ok(line, `${JSON.stringify(name)} guarded in ${csv.slice(0, 400)}`)
    }
  } finally {
    await request(orgPath, { method: 'PUT', jar: admin, body: { name: org.name } })
  }
})
