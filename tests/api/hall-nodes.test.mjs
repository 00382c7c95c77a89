// The hall's live stream across nodes (src/hall/hall_live.c): two servers on one database,
// a display following the hall on one node while the clerk calls through the other.  The
// call reaches the display within a second, with the id it has on the calling node, once;
// a recall too; a display that reconnects to the other node with Last-Event-ID gets what
// it missed while away; the board follows.  Runs its own two servers on a fresh demo database (one
// SQLite file, as several nodes share one PostgreSQL database in production).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, readdirSync, readFileSync } from 'node:fs'
import { runCli, scratch, startServer } from '../crash/lib.mjs'
import { clientOf } from './hall-lib.mjs'

const bin = process.env.OW_SERVER_BIN || 'build-asan/onewindow'
const s = scratch('ow-hall-nodes-', { OW_CLOCK_OFFSET_MS: String(Date.parse('2026-11-24T09:00:00+08:00') - Date.now()) })
let nodeA, nodeB, a, b

before(async () => {
  const init = runCli(bin, s, ['init', '--demo'])
  assert.equal(init.status, 0, init.out)
  nodeA = await startServer(bin, s)
  nodeB = await startServer(bin, s)
  a = clientOf(`http://127.0.0.1:${nodeA.port}`)
  b = clientOf(`http://127.0.0.1:${nodeB.port}`)
})

after(async () => {
  const codes = []
  for (const n of [nodeA, nodeB]) {
    n.proc.kill('SIGTERM')
    codes.push((await n.exited).code)
  }
  const reports = readdirSync(s.dir).filter((f) => /^(asan|ubsan)/.test(f))
  const text = reports.map((f) => readFileSync(`${s.dir}/${f}`, 'utf8')).join('\n')
  rmSync(s.dir, { recursive: true, force: true })
  assert.deepEqual(codes, [0, 0], `exit statuses; ${nodeA.stderr()}${nodeB.stderr()}`)
  assert.equal(reports.length, 0, `sanitizer reports:\n${text}`)
})

test('a call made through one node is announced by the other within a second, once', async () => {
  const admin = await a.signIn('demo-admin')
  const key = (await admin.post('/api/v1/hall/sites/C00/kiosk-key')).json.key
  const site = (await a.anon.get('/api/v1/hall/sites/C00')).json
  const groupA = site.groups.find((g) => g.letter === 'A')
  const take = () => a.kiosk('C00', key).take({ group_id: groupA.id })
  const first = (await take()).json
  const second = (await take()).json
  assert.match(first.number, /^A\d{3}$/)

  const onB = await b.stream('C00')
  const onA = await a.stream('C00')
  await onB.next('board')
  const clerk = await a.signIn('demo-clerk')
  const sent = Date.now()
  const called = await clerk.post('/api/v1/hall/counter/call-next')
  assert.equal(called.status, 200, called.text)
  assert.equal(called.json.ticket.id, first.id)

  const there = await onB.next('call', (c) => c.ticket_id === first.id, 3000)
  assert.ok(there.at - sent < 1000, `announced on the other node after ${there.at - sent} ms`)
  assert.equal(there.json.utterance, `请${first.number}号到综合受理一号窗口办理`)
  assert.equal(there.json.recall, false)
  const here = await onA.next('call', (c) => c.ticket_id === first.id)
  assert.equal(here.id, there.id, 'the same event id on both nodes')
  assert.equal(String(here.json.id), here.id)

  // the other node's board shows the number at the window
  const board = await onB.next('board', (x) => x.windows.some((w) => w.number === first.number))
  assert.equal(board.json.windows.find((w) => w.number === first.number).code, 'W01')

  // a recall is a new announcement; nothing is announced twice
  const recalled = await clerk.post(`/api/v1/hall/tickets/${first.id}/transitions`, { action: 'recall' })
  assert.equal(recalled.status, 200, recalled.text)
  const again = await onB.next('call', (c) => c.ticket_id === first.id && c.recall)
  assert.notEqual(again.id, there.id)
  await new Promise((resolve) => setTimeout(resolve, 1200)) // a few polls of node B
  const calls = onB.events.filter((e) => e.event === 'call').map((e) => e.id)
  assert.deepEqual(calls, [there.id, again.id], 'each call once')

  // a display that reconnects to node B (EventSource retries after 3 s) gets the call it
  // missed meanwhile
  await onB.close()
  await clerk.post(`/api/v1/hall/tickets/${first.id}/transitions`, { action: 'serve' })
  await clerk.post(`/api/v1/hall/tickets/${first.id}/transitions`, { action: 'done' })
  const next = await clerk.post('/api/v1/hall/counter/call-next')
  assert.equal(next.json.ticket.id, second.id)
  await new Promise((resolve) => setTimeout(resolve, 600))
  const back = await b.stream('C00', { 'Last-Event-ID': again.id })
  const missed = await back.next('call', (c) => c.ticket_id === second.id)
  assert.ok(Number(missed.id) > Number(again.id))
  await back.close()
  await onA.close()
})
