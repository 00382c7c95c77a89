// Accessibility helpers for the browser tests: axe-core run inside the page against the
// WCAG 2.0 A/AA and 2.1 A/AA rules (GB/T 37668-2019 follows WCAG 2.x; issue 27), a wait
// for a page to settle, and in-app navigation.
//
// axe-core is injected into the page when a check needs it (not on every load) and stays
// there while the walk moves on inside the single-page app (spaGo), so a walk over every
// route parses it once per document.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** The rule tags checked: WCAG 2.0 A and AA, WCAG 2.1 A and AA (2.1 AA includes 2.1 A). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * Wait until the page has no request in flight and has painted since: the page's data
 * has arrived and Vue has rendered it. Cheaper than networkidle's fixed 500 ms, and it
 * does not wait for the kiosk's 3-second poll to stop.
 */
export async function settle(page, quietMs = 50) {
  if (!page.inflight) {
    page.inflight = new Set()
    page.on('request', (r) => page.inflight.add(r))
    page.on('requestfinished', (r) => page.inflight.delete(r))
    page.on('requestfailed', (r) => page.inflight.delete(r))
  }
  const deadline = Date.now() + 10_000
  let quietSince = 0
  while (Date.now() < deadline) {
    const busy = [...page.inflight].some((r) => !['image', 'font', 'media'].includes(r.resourceType()))
    if (busy) quietSince = 0
    else if (!quietSince) quietSince = Date.now()
    else if (Date.now() - quietSince >= quietMs) break
    await page.waitForTimeout(10)
  }
  // two frames: Vue's render of the last answer, then the browser's layout of it
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/**
 * Navigate inside the single-page app without reloading it, as vue-router does on the
 * browser's back and forward buttons: the route guards run, the page mounts, and the
 * document (with axe already in it) stays. Done when the new page's <h1> has replaced the
 * old one and its data has arrived; a page whose component the router reuses (the same
 * route with other parameters) keeps its <h1> and cannot be reached this way.
 */
export async function spaGo(page, path) {
  const old = await page.locator('h1').first().elementHandle()
  await page.evaluate((p) => {
    history.pushState(null, '', p)
    dispatchEvent(new PopStateEvent('popstate', { state: null }))
  }, path)
  await page.waitForFunction((h) => {
    const now = document.querySelector('h1')
    return now && now !== h
  }, old)
  await settle(page)
}

/**
 * Run axe-core on the page (or inside `include`, a CSS selector) and answer its
 * violations as lines "rule (impact) on LABEL: element — what is wrong".
 */
export async function axeViolations(page, label, { include } = {}) {
  const injected = await page.evaluate(() => typeof window.axe === 'object')
  if (!injected) await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(
    async ({ tags, include }) => {
      const result = await window.axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      })
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({
          target: n.target.join(' '),
          html: n.html.replace(/\s+/g, ' ').slice(0, 160),
          summary: (n.failureSummary ?? '').replace(/^Fix (any|all) of the following:\s*/m, '').replace(/\s+/g, ' ').trim(),
        })),
      }))
    },
    { tags: WCAG_TAGS, include },
  )
  const lines = []
  for (const v of violations)
    for (const n of v.nodes) lines.push(`${v.id} (${v.impact}) on ${label}: ${n.target} ${n.html} — ${n.summary}`)
  return lines
}

