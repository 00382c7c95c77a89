#!/usr/bin/env node
// Bundle report for web/dist: a markdown table of every JS/CSS chunk (raw and gzip
// bytes) and what a citizen's phone downloads on its first visit to the portal.
//
//   node scripts/bundle-report.mjs [distDir]      (npm run bundle-report, after npm run build)
//
// "Portal first load" = index.html + favicon + the entry chunk + the portal's route
// chunks (PortalLayout, PortalHome) + everything those import statically, with their CSS,
// counted at their gzip size (the server sends the precompressed .gz siblings).
// Budget: under 300 kB (300,000 bytes) gzipped; at or over it the script exits 1.
// It also exits 1 when a compressible file has no .gz sibling, since the server relies
// on them. The chunk graph comes from Vite's manifest (dist/.vite/manifest.json).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 300_000
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json)$/
const PORTAL_ROUTES = ['src/portal/PortalLayout.vue', 'src/portal/PortalHome.vue']
const WORK_ROUTES = ['src/work/WorkLayout.vue', 'src/work/WorkHome.vue']

const webDir = fileURLToPath(new URL('..', import.meta.url))
const dist = process.argv[2] ?? join(webDir, 'dist')
const manifestPath = join(dist, '.vite', 'manifest.json')
if (!existsSync(manifestPath)) {
  console.error(`bundle-report: ${manifestPath} not found — run "npm run build" first`)
  process.exit(1)
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))

const problems = []

/** Sizes of one file in dist: raw bytes and the bytes of its .gz sibling. */
function sizes(file) {
  const path = join(dist, file)
  const raw = statSync(path).size
  let gz
  if (existsSync(path + '.gz')) {
    gz = statSync(path + '.gz').size
  } else {
    if (COMPRESSIBLE.test(file)) problems.push(`missing ${file}.gz`)
    gz = COMPRESSIBLE.test(file) ? gzipSync(readFileSync(path), { level: 9 }).length : raw
  }
  return { raw, gz }
}

/** Files a set of manifest entries loads up front: their chunks, static imports, CSS. */
function firstLoad(keys) {
  const files = new Set()
  const seen = new Set()
  const visit = (key) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) {
      problems.push(`manifest has no entry ${key}`)
      return
    }
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const imp of chunk.imports ?? []) visit(imp)
  }
  keys.forEach(visit)
  return files
}

function total(files) {
  let raw = 0
  let gz = 0
  for (const f of files) {
    const s = sizes(f)
    raw += s.raw
    gz += s.gz
  }
  return { raw, gz }
}

const fmt = (n) => n.toLocaleString('en-US')
const kb = (n) => (n / 1000).toFixed(1)

const portal = firstLoad(['index.html', ...PORTAL_ROUTES])
portal.add('index.html')
if (existsSync(join(dist, 'favicon.svg'))) portal.add('favicon.svg')
const work = firstLoad(['index.html', ...WORK_ROUTES])
work.add('index.html')

// Every compressible file must have its .gz (checked for all of dist, not just chunks).
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p)
    else if (COMPRESSIBLE.test(name) && !existsSync(p + '.gz')) problems.push(`missing ${relative(dist, p)}.gz`)
  }
}
walk(dist)

const assets = readdirSync(join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => ({ file: `assets/${f}`, ...sizes(`assets/${f}`) }))
  .sort((a, b) => b.gz - a.gz)

const lines = []
lines.push('| chunk | raw bytes | gzip bytes | portal first load |')
lines.push('|---|---:|---:|:---:|')
for (const a of assets) {
  lines.push(`| ${a.file.replace('assets/', '')} | ${fmt(a.raw)} | ${fmt(a.gz)} | ${portal.has(a.file) ? '✓' : ''} |`)
}
const p = total(portal)
const w = total(work)
lines.push('')
lines.push(`| total | raw bytes | gzip bytes | files |`)
lines.push('|---|---:|---:|---:|')
lines.push(`| **portal first load** (index.html + entry + portal route, budget < ${kb(BUDGET_BYTES)} kB gz) | ${fmt(p.raw)} | **${fmt(p.gz)}** (${kb(p.gz)} kB) | ${portal.size} |`)
lines.push(`| workbench home after sign-in (for reference) | ${fmt(w.raw)} | ${fmt(w.gz)} (${kb(w.gz)} kB) | ${work.size} |`)
const all = total(new Set(assets.map((a) => a.file)))
lines.push(`| all JS + CSS chunks | ${fmt(all.raw)} | ${fmt(all.gz)} (${kb(all.gz)} kB) | ${assets.length} |`)
console.log(lines.join('\n'))

let failed = false
if (problems.length) {
  console.error(`\nbundle-report: ${[...new Set(problems)].join('; ')}`)
  failed = true
}
if (p.gz >= BUDGET_BYTES) {
  console.error(`\nbundle-report: portal first load is ${fmt(p.gz)} bytes gzipped, budget is < ${fmt(BUDGET_BYTES)}`)
  failed = true
}
process.exit(failed ? 1 : 0)
