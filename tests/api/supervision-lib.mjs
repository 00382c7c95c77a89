// Helpers for the supervision family of API tests (ratings, complaints, stats):
// signed-in clients, a case taken through to 已办结, dates in Shanghai.
import assert from 'node:assert/strict'
import { serverToday } from './lib.mjs'

export const BASE_URL = (process.env.OW_BASE_URL ?? '').replace(/\/+$/, '')
if (!BASE_URL) throw new Error('OW_BASE_URL is not set: run `make test-api`')
const PASSWORD = 'Demo@2026'

async function send(method, path, { cookie, csrf, body, headers = {} } = {}) {
  const r = await fetch(BASE_URL + path, {
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

/** A signed-in client that keeps the cookie and sends the CSRF token. */
export async function signIn(username) {
  const res = await fetch(BASE_URL + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  assert.equal(res.status, 200, `sign-in ${username}`)
  const cookie = res.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf, user } = await res.json()
  return {
    user,
    get: (p) => send('GET', p, { cookie }),
    post: (p, body) => send('POST', p, { cookie, csrf, body }),
  }
}

export const anon = {
  get: (p) => send('GET', p),
  post: (p, body) => send('POST', p, { body }),
}

export function assertError(r, status, code, field) {
  assert.equal(r.status, status, r.text)
  if (code) assert.equal(r.json.error.code, code, r.text)
  if (field) assert.equal(r.json.error.field, field, r.text)
  assert.ok(r.json.error.message.length > 0)
}

/** Today's date in Shanghai, YYYY-MM-DD (the server's business date). */
export function todayShanghai() {
  return serverToday()
}

/** Every page of a list endpoint. */
export async function all(client, path) {
  const sep = path.includes('?') ? '&' : '?'
  const out = []
  for (let page = 1; ; page++) {
    const r = await client.get(`${path}${sep}per_page=100&page=${page}`)
    assert.equal(r.status, 200, r.text)
    out.push(...r.json.items)
    if (out.length >= r.json.total || r.json.items.length === 0) return out
  }
}

const MARRIAGE = '内地居民结婚登记'
const MATERIALS = ['居民户口簿', '居民身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明',
  '近期半身免冠合影照片']

/** demo-citizen applies online; the clerk accepts, 民政局 approves, the clerk delivers. */
export async function concludedCase(citizen, clerk, approver) {
  const items = await anon.get('/api/v1/items?q=' + encodeURIComponent(MARRIAGE))
  const item = items.json.items.find((i) => i.name === MARRIAGE)
  assert.ok(item, 'the marriage item in the demo catalog')
  const c = await citizen.post('/api/v1/cases', { item_id: item.id, title: '结婚登记', materials: MATERIALS })
  assert.equal(c.status, 201, c.text)
  const id = c.json.id
  for (const [who, action, extra] of [[clerk, 'accept', {}], [approver, 'approve', {}],
    [clerk, 'deliver', { delivery: 'window' }]]) {
    const r = await who.post(`/api/v1/cases/${id}/transitions`, { action, ...extra })
    assert.equal(r.status, 200, `${action}: ${r.text}`)
  }
  return c.json
}
