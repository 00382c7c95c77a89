// 数据交换 in the workbench (issue 19): a supervisor finds the outbox's figures and, in the
// message log, a message this instance refused — from a sender it has never registered —
// with the reason, the claimed sender and the payload's hash; the page passes axe.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { BASE_URL, assertNoPageErrors, launch, newPage, screenshot, workSignIn } from './helpers.mjs'
import { axeViolations, settle, trackRequests } from './a11y.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

describe('数据交换', () => {
  const sender = `43${String(Date.now() % 1e4).padStart(4, '0')}`

  test('a stranger\'s signed message is refused and logged', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519')
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
    const keyId = crypto.createHash('sha256').update(pub).digest('hex').slice(0, 16)
    const payload = { case_no: 'E2E-1', state: 'review' }
    const hash = crypto.createHash('sha256').update('{"case_no":"E2E-1","state":"review"}').digest('hex')
    const meta = await (await fetch(`${BASE_URL}/api/v1/meta`)).json()
    const at = Date.parse(meta.now)
    const id = `${sender}-000000000001`
    const lines = ['ow-exchange-1', id, sender, meta.region.code, String(at), 'case.accepted', keyId, hash]
    const sig = crypto.sign(null, Buffer.from(lines.join('\n') + '\n'), privateKey).toString('base64')
    const r = await fetch(`${BASE_URL}/api/v1/exchange/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ v: 1, id, sender, receiver: meta.region.code, at, type: 'case.accepted', key_id: keyId, payload, sig }] }),
    })
    assert.equal(r.status, 403)
    assert.equal((await r.json()).results[0].error.code, 'unknown_sender')
  })

  test('the supervisor reads it in 数据交换; the page passes axe', async () => {
    const page = await newPage(browser, 1440, 900)
    await trackRequests(page)
    await workSignIn(page, 'demo-supervisor')
    await page.waitForURL((u) => u.pathname === '/work')
    await page.locator('aside nav a', { hasText: '数据交换' }).click()
    await page.waitForURL((u) => u.pathname === '/work/admin/exchange')
    await page.getByTestId('exchange-depth').waitFor()
    assert.match(await page.getByTestId('exchange-depth').innerText(), /待发送\s*0/)
    await page.getByLabel('消息编号').fill(`${sender}-000000000001`)
    await page.getByRole('button', { name: '查询' }).click()
    const row = page.getByTestId('exchange-log').locator('tr', { hasText: `收自 ${sender}` })
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /已拒收/)
    assert.match(text, /unknown_sender/)
    assert.match(text, /办件受理/)
    await settle(page)
    await screenshot(page, 'work-exchange.png')
    assert.deepEqual(await axeViolations(page, '/work/admin/exchange'), [])
    assertNoPageErrors(page)
    await page.context().close()
  })
})
