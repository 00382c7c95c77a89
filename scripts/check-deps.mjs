#!/usr/bin/env node
// The include graph between the folders of src/ (docs/architecture.md, "Modules"): an
// arrow a -> b for every `#include "b/…"` in a file of src/a.  Dependencies are to point
// one way; today most modules still sit in one cycle, which the structure issue breaks
// step by step.  So this check is a ratchet: every arrow that lies on a cycle must be
// listed in scripts/deps-cycles.txt, and an arrow listed there that no longer lies on a
// cycle must be taken out of it.  A new cycle — or a new arrow into the old one — fails
// `make test`; breaking one shrinks the list for good.
//
//   node scripts/check-deps.mjs            check (exit 1 with what changed)
//   node scripts/check-deps.mjs --update   rewrite the list from the code (after removing arrows)
//   node scripts/check-deps.mjs --graph    print every arrow with the files behind it
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')
const listFile = join(root, 'scripts', 'deps-cycles.txt')
const modules = readdirSync(src).filter((d) => statSync(join(src, d)).isDirectory()).sort()

// arrows with the files that make them
const arrows = new Map()
for (const m of modules) {
  for (const f of readdirSync(join(src, m))) {
    if (!/\.[ch]$/.test(f)) continue
    const text = readFileSync(join(src, m, f), 'utf8')
    for (const [, target] of text.matchAll(/^\s*#\s*include\s+"([a-z_]+)\//gm)) {
      if (target === m || !modules.includes(target)) continue
      const key = `${m} -> ${target}`
      if (!arrows.has(key)) arrows.set(key, new Set())
      arrows.get(key).add(`${m}/${f}`)
    }
  }
}

// strongly connected components (Tarjan): an arrow inside one lies on a cycle
const next = new Map(modules.map((m) => [m, []]))
for (const key of arrows.keys()) {
  const [a, b] = key.split(' -> ')
  next.get(a).push(b)
}
let index = 0
const idx = new Map(); const low = new Map(); const onStack = new Set(); const stack = []
const comp = new Map()
function visit (v) {
  idx.set(v, index); low.set(v, index); index++
  stack.push(v); onStack.add(v)
  for (const w of next.get(v)) {
    if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
  }
  if (low.get(v) === idx.get(v)) {
    let w
    do { w = stack.pop(); onStack.delete(w); comp.set(w, v) } while (w !== v)
  }
}
for (const m of modules) if (!idx.has(m)) visit(m)
const onCycle = [...arrows.keys()].filter((k) => { const [a, b] = k.split(' -> '); return comp.get(a) === comp.get(b) }).sort()

if (process.argv.includes('--graph')) {
  for (const [k, files] of [...arrows.entries()].sort()) console.log(`${onCycle.includes(k) ? '*' : ' '} ${k}  (${[...files].sort().join(', ')})`)
  process.exit(0)
}
if (process.argv.includes('--update')) {
  writeFileSync(listFile, '# Arrows between src/ folders that lie on a dependency cycle today (scripts/check-deps.mjs).\n' +
    '# Only ever remove lines: a cycle broken stays broken.\n' + onCycle.join('\n') + '\n')
  console.log(`check-deps: ${onCycle.length} arrows on cycles written to scripts/deps-cycles.txt`)
  process.exit(0)
}
// no domain header speaks HTTP: route tables and request-level functions live in the
// module's *_api.h (the structure issue); http/ and app/ are the HTTP side themselves
const httpInDomain = []
for (const m of modules) {
  if (m === 'http' || m === 'app') continue
  for (const f of readdirSync(join(src, m))) {
    if (!f.endsWith('.h') || f.endsWith('_api.h')) continue
    if (/^\s*#\s*include\s+"http\//m.test(readFileSync(join(src, m, f), 'utf8'))) httpInDomain.push(`${m}/${f}`)
  }
}
for (const f of httpInDomain) console.log(`check-deps: the domain header src/${f} includes an HTTP header: move what needs it to the module's *_api.h`)

const listed = readFileSync(listFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
const added = onCycle.filter((k) => !listed.includes(k))
const gone = listed.filter((k) => !onCycle.includes(k))
for (const k of added) console.log(`check-deps: NEW arrow on a cycle: ${k} (from ${[...arrows.get(k)].join(', ')})`)
for (const k of gone) console.log(`check-deps: ${k} no longer lies on a cycle: remove it from scripts/deps-cycles.txt`)
if (added.length || gone.length || httpInDomain.length) process.exit(1)
console.log(`check-deps: ${arrows.size} arrows between ${modules.length} folders; ${onCycle.length} on cycles, none new; no domain header includes an HTTP header`)
