// `onewindow items import|export` (issue 5): the command line against the data directory
// of the server under test (scripts/with-server.sh exports OW_SERVER_BIN and
// OW_DATA_DIR_UNDER_TEST), so these tests also show that a running server sees what the
// command line imported — its in-memory search index follows the database.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { call, request, signIn } from './lib.mjs'
import { readXlsx } from './xlsx-read.mjs'

const BIN = process.env.OW_SERVER_BIN
const DATA = process.env.OW_DATA_DIR_UNDER_TEST
if (!BIN || !DATA) throw new Error('run under scripts/with-server.sh (OW_SERVER_BIN, OW_DATA_DIR_UNDER_TEST)')
const work = mkdtempSync(join(tmpdir(), 'ow-cli-items-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

function cli(...args) {
  const r = spawnSync(BIN, ['--data-dir', DATA, 'items', ...args], { encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

// RFC 4180 as the export writes it
function parseCsv(text) {
  const rows = []
  let row = [], cell = '', quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(cell); cell = '' } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++
    } else cell += ch
  }
  if (cell || row.length) { row.push(cell); rows.push(row) }
  return rows
}
const csvCell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
const toCsv = (rows) => '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'

async function searchTotal(q) {
  const r = await call('/api/v1/items?' + new URLSearchParams({ q }))
  assert.equal(r.status, 200, r.text)
  return r.json.total
}

test('export writes the same CSV as the API, and XLSX with the same cells', async () => {
  const admin = await signIn('demo-admin')
  const api = await request('/api/v1/items/export?status=published', { jar: admin })
  assert.equal(api.status, 200)
  const out = join(work, 'published.csv')
  const r = cli('export', '--status', 'published', '--out', out)
  assert.equal(r.status, 0, r.stderr)
  assert.equal(readFileSync(out, 'utf8'), api.json.csv)
  // standard output when no --out, every status by default
  const all = cli('export')
  assert.equal(all.status, 0, all.stderr)
  assert.ok(parseCsv(all.stdout.replace(/^\uFEFF/, '')).length >= parseCsv(api.json.csv).length)
  const xout = join(work, 'published.xlsx')
  const x = cli('export', '--format', 'xlsx', '--status', 'published', '--out', xout)
  assert.equal(x.status, 0, x.stderr)
  const sheet = readXlsx(readFileSync(xout))
  const want = parseCsv(api.json.csv.replace(/^\uFEFF/, ''))
  assert.equal(sheet.length, want.length)
  for (let i = 0; i < want.length; i++) {
    assert.deepEqual(Array.from({ length: want[0].length }, (_, c) => sheet[i][c] ?? ''), want[i], `row ${i + 1}`)
  }
  // the workbook imports back as it is (a dry run: every row checked, nothing written)
  const back = cli('import', xout, '--dry-run')
  assert.equal(back.status, 0, back.stderr)
  assert.match(back.stdout, new RegExp(`检查通过（未写入）：${want.length - 1} 个事项：新建 0，更新 ${want.length - 1}`))
  // wrong options are refused with the usage, nothing written
  assert.equal(cli('export', '--format', 'pdf').status, 2)
  const bad = cli('export', '--status', 'gone')
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /状态应为/)
})

test('import reports every error by row and column and writes nothing', async () => {
  const r = cli('export', '--status', 'published')
  const rows = parseCsv(r.stdout.replace(/^\uFEFF/, ''))
  const head = rows[0]
  const col = (name) => head.indexOf(name)
  const original = rows[4][col('事项名称')]
  rows[4][col('事项名称')] = ''                  // row 5: no name
  rows[7][col('事项名称')] = original + '（改名未生效）' // row 8: a valid change…
  rows[9][col('事项类型')] = '行政许可证'         // row 10: not a type
  rows[11][col('咨询电话')] = '电话号码'          // row 12: not a phone number
  const file = join(work, 'bad.csv')
  writeFileSync(file, toCsv(rows))
  const before = await searchTotal('改名未生效')
  const res = cli('import', file)
  assert.equal(res.status, 1)
  assert.match(res.stderr, /第 5 行，列“事项名称”（name）/)
  assert.match(res.stderr, /第 10 行，列“事项类型”（type）/)
  assert.match(res.stderr, /第 12 行，列“咨询电话”/)
  assert.match(res.stderr, /未导入任何事项/)
  assert.doesNotMatch(res.stderr, /第 8 行/)
  assert.equal(await searchTotal('改名未生效'), before, '…not written, as the others failed')
  assert.equal(cli('import').status, 2)
  assert.equal(cli('import', join(work, 'missing.csv')).status, 1)
  // an Excel 97-2003 file is named as such, not read as a garbled CSV
  const xls = join(work, 'old.xls')
  writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
  const old = cli('import', xls)
  assert.equal(old.status, 1)
  assert.match(old.stderr, /旧版 Excel（\.xls）/)
})

test('a dry run checks without writing; the import then shows at once in the running server', async () => {
  const name = `命令行导入测试事项${process.pid}`
  // a code no item has yet: the demo catalog and the other suites hold codes of this
  // shape too (2000501000 is the demo's), so a code made from the pid alone can collide
  const all = cli('export')
  assert.equal(all.status, 0, all.stderr)
  const taken = new Set(parseCsv(all.stdout.replace(/^\uFEFF/, '')).map((r) => r[0]))
  let n = process.pid % 1000
  while (taken.has(`20005${String(n).padStart(3, '0')}00`)) n = (n + 1) % 1000
  const code = `20005${String(n).padStart(3, '0')}00`
  const file = join(work, 'new.csv')
  writeFileSync(file, '事项编码,事项名称,事项类型,实施部门编码,设定依据,法定时限（工作日）,承诺时限（工作日）,办理方式,网办深度,到现场次数,申请材料,办理流程\n' +
    `${code},${name},公共服务,D05,《条例》,20,5,网上办,网上申请,1,居民身份证|原件|1|纸质|必需,受理|窗口受理人员|W01|0\n`)
  const dry = cli('import', file, '--publish', '--dry-run')
  assert.equal(dry.status, 0, dry.stderr)
  assert.match(dry.stdout, /检查通过（未写入）：1 个事项：新建 1，更新 0/)
  assert.equal(await searchTotal(name), 0)
  const real = cli('import', file, '--publish')
  assert.equal(real.status, 0, real.stderr)
  assert.match(real.stdout, /已导入 1 个事项：新建 1，更新 0，已发布/)
  assert.equal(await searchTotal(name), 1)
  assert.equal(await searchTotal(name.slice(0, 2)) > 0, true)
  // the audit trail names the command line
  const admin = await signIn('demo-admin')
  const audit = await request('/api/v1/audit?' + new URLSearchParams({ actor: 'cli', action: 'catalog.import' }), { jar: admin })
  assert.equal(audit.status, 200, audit.text)
  const last = audit.json.items[0]
  assert.equal(last.actor, 'cli')
  const detail = typeof last.detail === 'string' ? JSON.parse(last.detail) : last.detail
  assert.deepEqual({ ...detail }, { created: 1, updated: 0, published: true, dry_run: false, file: 'new.csv' })
  const created = await request('/api/v1/audit?' + new URLSearchParams({ actor: 'cli', action: 'catalog.item.create' }), { jar: admin })
  assert.ok(created.json.items.some((x) => JSON.stringify(x.detail).includes(code)))
})
