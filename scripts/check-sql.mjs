#!/usr/bin/env node
// SQL belongs to the store layer (the store issue; docs/architecture.md "Modules").
//
// 1. A rule: no call of a database client's API (sqlite3_…, PQ… of libpq) and no include of
//    sqlite3.h or libpq-fe.h outside src/store/ — only store/db.c speaks to the backends.
// 2. A ratchet: the statements themselves (ow_db_stmt, ow_bind_…, ow_step, ow_col_… of
//    store/db.h) are to live in src/store/<module>_store.c behind typed functions, and
//    modules move there one at a time.  scripts/sql-outside-store.txt lists the files
//    outside src/store/ that still make such calls and how many; a new file or a higher
//    count fails `make test`, and a file that made fewer must have its line lowered (or
//    removed once it makes none), so what moved stays moved.
//
//   node scripts/check-sql.mjs            check
//   node scripts/check-sql.mjs --update   rewrite the list from the code (after moving SQL)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const listFile = join(root, 'scripts', 'sql-outside-store.txt')
const counts = new Map()
const clientCalls = []
function walk (dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) { walk(p); continue }
    if (!/\.[ch]$/.test(f)) continue
    const rel = relative(root, p)
    if (rel === 'src/store/db.c' || rel === 'src/store/db.h') continue
    const text = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    const client = (text.match(/\b(sqlite3_[a-z0-9_]+|PQ[a-zA-Z]+)\s*\(|#include\s*<(sqlite3|libpq-fe)\.h>/g) ?? []).length
    if (client) clientCalls.push(`${rel} (${client})`)
    if (rel.startsWith('src/store/')) continue
    const n = (text.match(/\b(ow_db_stmt|ow_db_prepare|ow_db_exec|ow_db_read_begin|ow_db_read_end|ow_step|ow_step_guarded|ow_reset|ow_bind_[a-z0-9_]+|ow_col_[a-z0-9_]+)\s*\(/g) ?? []).length
    if (n) counts.set(rel, n)
  }
}
walk(join(root, 'src'))
if (clientCalls.length) {
  console.log(`check-sql: only src/store/db.c may call sqlite3_… or PQ… or include their headers; found in ${clientCalls.join(', ')}`)
  process.exit(1)
}
const total = [...counts.values()].reduce((a, b) => a + b, 0)
if (process.argv.includes('--update')) {
  writeFileSync(listFile, '# Files outside src/store/ that still run SQL statements themselves (scripts/check-sql.mjs),\n' +
    '# with how many store/db.h statement calls. Only ever lower the numbers or remove lines.\n' +
    [...counts.entries()].sort().map(([f, n]) => `${f} ${n}`).join('\n') + '\n')
  console.log(`check-sql: ${counts.size} files, ${total} calls written to scripts/sql-outside-store.txt`)
  process.exit(0)
}
const listed = new Map(readFileSync(listFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
  .map((l) => { const [f, n] = l.split(' '); return [f, Number(n)] }))
let bad = 0
for (const [f, n] of counts) {
  const was = listed.get(f)
  if (was === undefined) { console.log(`check-sql: ${f} runs SQL statements itself (${n} calls): put the SQL behind a store function in src/store/`); bad++ } else if (n > was) { console.log(`check-sql: ${f} makes ${n} statement calls, ${was} before: put the new SQL behind a store function in src/store/`); bad++ }
}
for (const [f, was] of listed) {
  const n = counts.get(f) ?? 0
  if (n < was) { console.log(`check-sql: ${f} now makes ${n} statement calls (listed ${was}): lower its line in scripts/sql-outside-store.txt${n ? '' : ' (remove it)'}`); bad++ }
}
if (bad) process.exit(1)
console.log(`check-sql: ${total} statement calls in ${counts.size} files outside src/store/, none new; no client call outside store/db.c`)
