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
 * Keep count, for settle(), of the page's requests in flight (seen from here) and of the
 * app's fetches whose answer has not been read yet (seen in the page: a request can be
 * over while a busy page has not yet turned its answer into the page). Call it before the
 * first navigation, or the first page load goes uncounted.
 */
export async function trackRequests(page) {
  if (page.inflight) return
  page.inflight = new Set()
  page.on('request', (r) => page.inflight.add(r))
  page.on('requestfinished', (r) => page.inflight.delete(r))
  page.on('requestfailed', (r) => page.inflight.delete(r))
  await page.context().addInitScript(() => {
    let pending = 0
    const original = window.fetch
    window.fetch = function (...args) {
      pending++
      let open = true
      const done = () => {
        if (open) (open = false), pending--
      }
      return original.apply(this, args).then(
        (res) => {
          for (const m of ['json', 'text', 'blob', 'arrayBuffer']) {
            const read = res[m].bind(res)
            res[m] = () => read().finally(done)
          }
          return res
        },
        (e) => {
          done()
          throw e
        },
      )
    }
    window.__owFetchesPending = () => pending
  })
}

// A live stream (the hall's Server-Sent Events, resource type `eventsource`) stays open as
// long as the page does: it is not loading.
const busyRequests = (page) =>
  [...page.inflight].filter((r) => !['image', 'font', 'media', 'eventsource'].includes(r.resourceType()))

/**
 * Wait until the page has nothing loading and has painted since: no request in flight
 * for `quietMs`, every fetch's answer read by the app (then a task for Vue to render it
 * and two frames for the browser to lay it out), and nothing new started meanwhile.
 * Cheaper than networkidle's fixed 500 ms, and it does not wait for the kiosk's 3-second
 * poll to stop.
 */
export async function settle(page, quietMs = 50) {
  await trackRequests(page)
  const deadline = Date.now() + 10_000
  for (;;) {
    let quietSince = 0
    for (;;) {
      const busy = busyRequests(page)
      if (busy.length) quietSince = 0
      else if (!quietSince) quietSince = Date.now()
      else if (Date.now() - quietSince >= quietMs) break
      if (Date.now() > deadline) throw new Error(`still loading after 10 s: ${busy.map((r) => r.url()).join(', ')}`)
      await new Promise((r) => setTimeout(r, 10)) // a node timer: no round trip to the browser
    }
    const read = await page.evaluate(async (looks) => {
      // counted in looks, not by the page's clock, which the tests set to the server's day
      const pending = window.__owFetchesPending ?? (() => 0)
      for (let i = 0; pending() > 0; i++) {
        if (i > looks) return false
        await new Promise((r) => setTimeout(r, 10))
      }
      await new Promise((r) => setTimeout(r, 0))
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
      return true
    }, Math.max(0, deadline - Date.now()) / 10)
    if (!read) throw new Error('a fetch answer still unread by the page after 10 s')
    if (busyRequests(page).length === 0) return
  }
}

/**
 * Navigate inside the single-page app without reloading it, as vue-router does on the
 * browser's back and forward buttons: the route guards run, the page mounts, and the
 * document (with axe already in it) stays. Done when the new page's <h1> has replaced the
 * old one and its data has arrived; a page whose component the router reuses (the same
 * route with other parameters) keeps its <h1> and cannot be reached this way.
 */
export async function spaGo(page, path) {
  // one round trip: navigate, then wait in the page for the new <h1>
  const changed = await page.evaluate(
    (p) =>
      new Promise((resolve) => {
        const old = document.querySelector('h1')
        history.pushState(null, '', p)
        dispatchEvent(new PopStateEvent('popstate', { state: null }))
        const until = Date.now() + 10_000
        const look = () => {
          const now = document.querySelector('h1')
          if (now && now !== old) resolve(true)
          else if (Date.now() > until) resolve(false)
          else requestAnimationFrame(look)
        }
        look()
      }),
    path,
  )
  if (!changed) throw new Error(`${path}: no new page (<h1>) 10 s after navigating to it`)
  await settle(page)
}

/**
 * Run axe-core on the page (or inside `include`, a CSS selector) and answer its
 * violations as lines "rule (impact) on LABEL: element — what is wrong".
 */
export async function axeViolations(page, label, { include } = {}) {
  const run = () =>
    page.evaluate(
      async ({ tags, include }) => {
        if (typeof window.axe !== 'object') return null // not injected in this document yet
        // Colours are checked as the page rests: a button that was just enabled may be
        // half-way through Element Plus's colour transition. Transitions end at once.
        if (!document.getElementById('ow-no-motion')) {
          const style = document.createElement('style')
          style.id = 'ow-no-motion'
          style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important }'
          document.head.append(style)
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
        }
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
  let violations = await run()
  if (!violations) {
    await page.evaluate(AXE_SOURCE)
    violations = await run()
  }
  const lines = []
  for (const v of violations)
    for (const n of v.nodes) lines.push(`${v.id} (${v.impact}) on ${label}: ${n.target} ${n.html} — ${n.summary}`)
  return lines
}

// ---- the keyboard ----------------------------------------------------------------------

/**
 * In the page: what has the keyboard focus. `none` when nothing does (document.body, or
 * an element no longer in the document: focus lost); `visible` when a focus indicator is
 * drawn — an outline on the element or on one of its three nearest ancestors (Element
 * Plus hides the real checkbox and radio inputs and decorates their label), or a box
 * shadow on the element, and never on something transparent or of no size; `inTarget`
 * whether it is inside `target`; `control` its place in tabCycle's list of controls (a
 * radio button counts as its group). All in one look, one round trip a Tab stop.
 */
const FOCUS_PROBE = (target) => {
  const el = document.activeElement
  if (!el || el === document.body || !el.isConnected) return { none: true }
  const drawn = (e, shadowToo) => {
    const s = getComputedStyle(e)
    const r = e.getBoundingClientRect()
    if (Number(s.opacity) === 0 || (r.width === 0 && r.height === 0)) return false
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return true
    return shadowToo && s.boxShadow !== 'none'
  }
  let visible = drawn(el, true)
  for (let e = el.parentElement, i = 0; !visible && e && i < 3; e = e.parentElement, i++) visible = drawn(e, false)
  const name = (
    el.getAttribute('aria-label') ||
    (el.labels?.[0]?.innerText ?? '') ||
    (el.closest('label')?.innerText ?? '') ||
    el.innerText ||
    el.getAttribute('placeholder') ||
    el.id ||
    el.tagName.toLowerCase()
  )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 40)
  const list = window.__owControls ?? []
  let control = list.indexOf(el)
  if (control < 0 && el.type === 'radio' && el.name) control = list.findIndex((e) => e.type === 'radio' && e.name === el.name)
  return { none: false, name, visible, inTarget: !!target?.contains(el), control }
}

/** Where the keyboard focus is now (FOCUS_PROBE). */
export async function focusInfo(page) {
  return page.evaluate(FOCUS_PROBE, null)
}

/** The focus is on something, with its indicator drawn. */
export async function assertFocusVisible(page, where) {
  const f = await focusInfo(page)
  if (f.none) throw new Error(`focus lost ${where}: nothing has the keyboard focus`)
  if (!f.visible) throw new Error(`no visible focus indicator on “${f.name}” ${where}`)
  return f
}

/**
 * Press Tab (Shift+Tab with `back`) until the focus is inside `target` (a Locator),
 * checking at every stop that the focus is visible. Past the end of the page the focus
 * leaves it and the next Tab starts again from the top, as in a browser; a second time
 * round, or `max` presses, and the target is unreachable.
 */
export async function tabTo(page, target, { back = false, max = 80 } = {}) {
  const handle = await target.elementHandle()
  const path = []
  let rounds = 0
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab')
    const f = await page.evaluate(FOCUS_PROBE, handle)
    if (f.none) {
      if (++rounds > 1) throw new Error(`Tab went round the page without reaching the target; stops: ${path.join(' › ')}`)
      path.push('(out of the page)')
      continue
    }
    path.push(f.name)
    if (!f.visible) throw new Error(`no visible focus indicator on “${f.name}”; stops: ${path.join(' › ')}`)
    if (f.inTarget) return path.length
  }
  throw new Error(`target not reached in ${max} presses of Tab; stops: ${path.join(' › ')}`)
}

/**
 * Tab through the whole page (or, with `dialog`, round the open dialog) once and answer
 * the stops. Fails when a control that a person can see is never reached, when the focus
 * is not visible at a stop, and when the focus goes round a part of the page without
 * ever reaching its end (a trap) — except in a modal dialog, which must keep it.
 */
export async function tabCycle(page, { dialog = false, max = 200 } = {}) {
  if (!dialog) {
    // start before the first control: focus a stand-in at the top of the page and take it
    // away, which leaves the browser's sequential-focus starting point there
    await page.evaluate(() => {
      const start = document.createElement('span')
      start.tabIndex = -1
      document.body.prepend(start)
      start.focus()
      start.remove()
    })
  }
  const controls = await page.evaluate((inDialog) => {
    const root = inDialog ? [...document.querySelectorAll('[role=dialog], .el-message-box')].find((d) => d.getClientRects().length) : document
    const shown = (e) => {
      const box = e.type === 'checkbox' || e.type === 'radio' ? e.closest('label') ?? e : e
      return box.getClientRects().length > 0 && getComputedStyle(box).visibility !== 'hidden'
    }
    const all = [...root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')].filter(
      (e) => !e.disabled && e.tabIndex >= 0 && e.type !== 'hidden' && !e.closest('[inert], [aria-hidden=true]') && shown(e),
    )
    // a group of radio buttons is one stop: the arrow keys move inside it
    const seenGroups = new Set()
    const list = []
    for (const e of all) {
      if (e.type === 'radio' && e.name) {
        if (seenGroups.has(e.name)) continue
        seenGroups.add(e.name)
      }
      list.push(e)
    }
    window.__owControls = list
    return list.map((e) => (e.getAttribute('aria-label') || e.closest('label')?.innerText || e.innerText || e.placeholder || e.id || e.tagName).replace(/\s+/g, ' ').trim().slice(0, 40))
  }, dialog)
  const reached = new Set()
  const stops = []
  let first = null
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const f = await focusInfo(page)
    if (f.none) {
      if (dialog) throw new Error(`the focus left the open dialog; stops: ${stops.join(' › ')}`)
      break // past the end of the page: the round is complete
    }
    const key = f.control >= 0 ? f.control : `x${stops.length}`
    if (key === first) break // back at the first stop: round complete (a dialog's focus trap)
    if (first === null) first = key
    if (reached.has(key)) throw new Error(`focus trapped: “${f.name}” reached twice before the round ended; stops: ${stops.join(' › ')}`)
    reached.add(key)
    stops.push(f.name)
    if (!f.visible) throw new Error(`no visible focus indicator on “${f.name}”; stops: ${stops.join(' › ')}`)
  }
  const missed = controls.filter((_, i) => !reached.has(i))
  if (missed.length) throw new Error(`not reachable with Tab: ${missed.join('; ')}\nstops: ${stops.join(' › ')}`)
  return stops
}
