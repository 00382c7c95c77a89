#!/usr/bin/env node
// SQL belongs to the store layer (the store issue; docs/architecture.md "Modules"): every
// call of the database client's API — sqlite3_… today, PQ… (libpq) later — is to live in
// src/store/, behind typed functions, so domain code can run on either backend.  Modules
// move there one at a time, so this is a ratchet: scripts/sql-outside-store.txt lists the
// files outside src/store/ that still make such calls and how many; a new file or a higher
// count fails `make test`, and a file that made fewer must have its line lowered (or
// removed once it makes none), so what moved stays moved.
//
//   node scripts/check-sql.mjs            check
//   node scripts/check-sql.mjs --update   rewrite the list from the code (after moving SQL)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const listFile = join(root, 'scripts', 'sql-outside-store.txt')
const counts = new Map()
function walk (dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) { walk(p); continue }
    if (!/\.[ch]$/.test(f)) continue
    const rel = relative(root, p)
    if (rel.startsWith('src/store/')) continue
    const text = readFileSync(p, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    const n = (text.match(/\b(sqlite3_[a-z0-9_]+|PQ[a-zA-Z]+)\s*\(/g) ?? []).length
    if (n) counts.set(rel, n)
  }
}
walk(join(root, 'src'))
const total = [...counts.values()].reduce((a, b) => a + b, 0)
if (process.argv.includes('--update')) {
  writeFileSync(listFile, '# Files outside src/store/ that still call the database client (scripts/check-sql.mjs),\n' +
    '# with how many calls. Only ever lower the numbers or remove lines.\n' +
    [...counts.entries()].sort().map(([f, n]) => `${f} ${n}`).join('\n') + '\n')
  console.log(`check-sql: ${counts.size} files, ${total} calls written to scripts/sql-outside-store.txt`)
  process.exit(0)
}
const listed = new Map(readFileSync(listFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
  .map((l) => { const [f, n] = l.split(' '); return [f, Number(n)] }))
let bad = 0
for (const [f, n] of counts) {
  const was = listed.get(f)
  if (was === undefined) { console.log(`check-sql: ${f} calls the database client (${n} calls): put the SQL behind a store function in src/store/`); bad++ } else if (n > was) { console.log(`check-sql: ${f} makes ${n} database calls, ${was} before: put the new SQL behind a store function in src/store/`); bad++ }
}
for (const [f, was] of listed) {
  const n = counts.get(f) ?? 0
  if (n < was) { console.log(`check-sql: ${f} now makes ${n} database calls (listed ${was}): lower its line in scripts/sql-outside-store.txt${n ? '' : ' (remove it)'}`); bad++ }
}
if (bad) process.exit(1)
console.log(`check-sql: ${total} database calls in ${counts.size} files outside src/store/, none new`)
