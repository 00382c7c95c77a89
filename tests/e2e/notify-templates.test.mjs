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
  await card.getByRole('button', { name: '保存' }).click()
  await card.locator('.el-form-item__error', { hasText: '{deadline}' }).waitFor()
  await screenshot(page, 'notify-template-error.png')
  await body.fill('请补齐以下材料：\n{materials}')
  await card.getByRole('button', { name: '保存' }).click()
  await card.getByText('已修改').waitFor()
  const saved = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  assert.equal(saved.items.find((t) => t.event === 'case_supplement').body, '请补齐以下材料：\n{materials}')
  await card.getByRole('button', { name: '恢复默认' }).click()
  await card.getByText('已修改').waitFor({ state: 'detached' })
  const back = await page.evaluate(async () => (await fetch('/api/v1/notify/templates')).json())
  assert.equal(back.items.find((t) => t.event === 'case_supplement').customized, false)
  assertNoPageErrors(page)
  await page.context().close()
})
