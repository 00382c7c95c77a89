// Helpers for the hall's API tests (src/hall): signed-in clients with GET/POST/PUT, the
// ticket machine with its hall's key, the hall's live event stream read as it comes.
import assert from 'node:assert/strict'

const PASSWORD = 'Demo@2026'

/** A client of the server at base: cookie and CSRF token kept after signIn. */
export function clientOf (base) {
  async function send (method, path, { cookie, csrf, body, headers = {} } = {}) {
    const r = await fetch(base + path, {
      method,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        ...(csrf && method !== 'GET' ? { 'X-CSRF-Token': csrf } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const buf = Buffer.from(await r.arrayBuffer())
    const text = buf.toString('utf8')
    let json
    try { json = text ? JSON.parse(text) : undefined } catch { json = undefined }
    return { status: r.status, headers: r.headers, json, text, buf }
  }
  const wrap = (as = {}) => ({
    ...as,
    get: (p, o = {}) => send('GET', p, { ...as, ...o }),
    post: (p, body, o = {}) => send('POST', p, { ...as, ...o, body }),
    put: (p, body, o = {}) => send('PUT', p, { ...as, ...o, body }),
  })
  return {
    anon: wrap(),
    async signIn (username, password = PASSWORD) {
      const r = await send('POST', '/api/v1/session', { body: { username, password } })
      assert.equal(r.status, 200, `sign in ${username}: ${r.text}`)
      const cookie = r.headers.get('set-cookie').split(';')[0]
      return wrap({ cookie, csrf: r.json.csrf_token, user: r.json.user })
    },
    /** The ticket machine of a hall: POSTs carry its key. */
    kiosk (site, key) {
      return {
        take: (body) => send('POST', `/api/v1/hall/sites/${site}/tickets`, {
          body: { via: 'kiosk', ...body }, headers: key ? { 'X-Kiosk-Key': key } : {},
        }),
      }
    },
    /** Read a hall's event stream as it comes: events [{id, event, data}], next(name, pred). */
    async stream (site, headers = {}) {
      const ctl = new AbortController()
      const res = await fetch(`${base}/api/v1/hall/sites/${site}/events`, { signal: ctl.signal, headers })
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type'), /^text\/event-stream/)
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      const events = []
      const waiters = []
      let buf = ''
      const pump = (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            buf += decoder.decode(value, { stream: true })
            let i
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, i)
              buf = buf.slice(i + 2)
              const ev = { event: 'message', data: '' }
              for (const line of block.split('\n')) {
                if (line.startsWith('id: ')) ev.id = line.slice(4)
                else if (line.startsWith('event: ')) ev.event = line.slice(7)
                else if (line.startsWith('data: ')) ev.data += line.slice(6)
              }
              if (!ev.data) continue
              ev.json = JSON.parse(ev.data)
              ev.at = Date.now()
              events.push(ev)
              for (const w of waiters.splice(0)) w()
            }
          }
        } catch { /* aborted */ }
      })()
      return {
        events,
        async next (name, pred = () => true, timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs
          for (;;) {
            const found = events.find((e) => e.event === name && pred(e.json))
            if (found) return found
            const left = deadline - Date.now()
            if (left <= 0) throw new Error(`no ${name} event within ${timeoutMs} ms; got ${events.map((e) => e.event)}`)
            await new Promise((resolve) => {
              const t = setTimeout(resolve, left)
              waiters.push(() => { clearTimeout(t); resolve() })
            })
          }
        },
        async close () { ctl.abort(); await pump },
      }
    },
  }
}

export function assertError (r, status, code, field) {
  assert.equal(r.status, status, r.text)
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/)
  if (code) assert.equal(r.json.error.code, code, r.text)
  if (field) assert.equal(r.json.error.field, field, r.text)
  assert.ok(r.json.error.message.length > 0)
  assert.match(r.json.error.message, /[\u4e00-\u9fff]/, 'a Chinese message')
}

/** The day n calendar days after ymd ('YYYY-MM-DD'). */
export function addDays (ymd, n) {
  return new Date(Date.parse(ymd + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10)
}

/** Minutes of the Shanghai day of an instant (ms). */
export function minuteOfDay (ms) {
  return Math.floor(((ms / 1000 + 8 * 3600) % 86400) / 60)
}
