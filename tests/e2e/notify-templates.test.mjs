// 消息模板 on the workbench (issue 20): an administrator edits the 补正 message; a variable
// the event does not have is refused with the server's message under the body field; a
// good template is saved, then put back to the default.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { assertNoPageErrors, launch, menuLabels, newPage, screenshot, workSignIn } from './helpers.mjs'

let browser
before(async () => {
  browser = await launch()
})
after(async () => {
  await browser?.close()
})

test('an administrator edits a message template; unknown variables are refused where they are', async () => {
  const page = await newPage(browser, 1440, 900)
  await workSignIn(page, 'demo-admin')
  await page.waitForURL((u) => u.pathname === '/work')
  assert.ok((await menuLabels(page)).includes('消息模板'))
  await page.goto('/work/admin/templates')
  const card = page.locator('section', { has: page.getByRole('heading', { name: '需要补正材料' }) })
  await card.getByText('{materials}').waitFor()
  const body = card.getByLabel('正文')
  await body.fill('请于 {deadline} 前补齐：{materials}')
  await card.getByRole('button', { name: '保存', exact: true }).click()
  await card.locator('.el-form-item__error', { hasText: '{deadline}' }).waitFor()
  await screenshot(page, 'notify-template-error.png')
  await body.fill('请补齐以下材料：\n{materials}')
  await card.getByRole('button', { name: '保存', exact: true }).click()
  await card.getByText('已修改').waitFor()
  const saved = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  assert.equal(saved.items.find((t) => t.event === 'case_supplement').body, '请补齐以下材料：\n{materials}')
  await card.getByRole('button', { name: '恢复默认', exact: true }).click()
  await card.getByText('已修改').waitFor({ state: 'detached' })
  const back = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  assert.equal(back.items.find((t) => t.event === 'case_supplement').customized, false)
  assertNoPageErrors(page)
  await page.context().close()
})

test('an administrator edits an SMS text: its length with the signature, a warning past one segment, variables checked', async () => {
  const page = await newPage(browser, 1440, 900)
  await workSignIn(page, 'demo-admin')
  await page.waitForURL((u) => u.pathname === '/work')
  await page.goto('/work/admin/templates')
  const form = page.getByTestId('sms-case_ready')
  await form.getByTestId('sms-preview').waitFor()
  assert.match(await form.getByTestId('sms-preview').textContent(), /^【.*】您的办件SQ\d+结果可以领取了/)
  const text = form.getByLabel('短信内容')
  await text.fill('办件{case_no}可以领取，请到{window}号窗口')
  await form.getByRole('button', { name: '保存短信' }).click()
  await form.locator('.el-form-item__error', { hasText: '{window}' }).waitFor()
  await text.fill('您的办件{case_no}结果可以领取了。请本人携带身份证件原件，于工作日上午八点半至十二点、下午两点半至五点半到区政务服务中心出件窗口领取，逾期未领的将邮寄送达。')
  await form.getByRole('button', { name: '保存短信' }).click()
  await form.getByTestId('sms-warning').waitFor()
  assert.match(await form.getByTestId('sms-warning').textContent(), /超过一条的 70 字，将分 \d 条发送/)
  assert.match(await form.locator('.sms-count').textContent(), /连同签名 \d+ 字/)
  await form.scrollIntoViewIfNeeded()
  await screenshot(page, 'notify-sms-template-1440x900.png')
  const saved = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  const t = saved.items.find((x) => x.event === 'case_ready')
  assert.equal(t.sms_customized, true)
  assert.ok(t.sms_segments >= 2)
  await form.getByRole('button', { name: '短信恢复默认' }).click()
  await form.getByTestId('sms-warning').waitFor({ state: 'detached' })
  const back = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  assert.equal(back.items.find((x) => x.event === 'case_ready').sms_customized, false)
  assertNoPageErrors(page)
  await page.context().close()
})
