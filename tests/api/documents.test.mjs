// Documents as the law and the national template print them (issue 26), read back from
// the PDF as a person holding it would: pdftotext -layout and -bbox-layout for the text
// and where it stands, zbarimg for the QR code (tests/api/pdf-read.mjs).
//
// - A case's notices: one page each, the QR code and the verification code on the
//   signature's page, dates in one format, the issuer /verify reports equal to the seal
//   line (the deciding department on a decision, the centre on the others), 送达人 in
//   its own cell of the 送达回证.
// - One decision document per item type — 许可, 确认, 给付, 裁决, 奖励, 其他 — citing the
//   item's own basis, and the Licensing Law only for a licence.
// - Licences: valid_until as docs/api.md documents it (null = 长期); the certificate.
// - The 2025 annual report (国办公开办函〔2021〕30号): the opening with its legal basis,
//   six parts and statistics period; the headings in order, each on its own line; tables
//   二, 三 and 四 with the template's rows, merged headings and columns, figure by figure
//   equal to the JSON; the fee as 12.35; the signature dated as the office set it and not
//   alone on its page; HTML and XLSX cell for cell the same model.
// - The date and the opening are the office's to set: validated, errors name the field.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import XLSX from 'xlsx'

import { BASE_URL, assertError, request, serverToday, signIn } from './lib.mjs'
import { assertDatesInOneFormat, checkIssuedDocument, headingLines, readPdf, signatureOf } from './pdf-read.mjs'

/** The server's date as documents print it: 2026年11月24日 (with-server.sh's clock). */
const TODAY_CN = serverToday().replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')

const post = (jar, path, body) => request(path, { method: 'POST', jar, body })
const put = (jar, path, body) => request(path, { method: 'PUT', jar, body })
const get = (jar, path) => request(path, { jar })

const [citizen, clerk, approver, admin, discloser] = await Promise.all(
  ['demo-citizen', 'demo-clerk', 'demo-approver', 'demo-admin', 'demo-discloser'].map((u) => signIn(u)))

/** A notice's PDF and its verification record; checks what every issued document must. */
async function notice (jar, caseId, kind) {
  const res = await get(jar, `/api/v1/cases/${caseId}/notices/${kind}`)
  assert.equal(res.status, 200, `${kind}: ${res.text}`)
  assert.equal(res.headers.get('content-type'), 'application/pdf')
  const first = readPdf(res.buf)
  const code = /核验码\s*([2-9A-Z]{20})/.exec(first.text)?.[1]
  assert.ok(code, `${kind}: a verification code`)
  const verify = await get(null, `/api/v1/verify/${code}`)
  assert.equal(verify.status, 200, verify.text)
  const { sig, doc } = checkIssuedDocument(res.buf, { verifyUrl: `${BASE_URL}/verify/${code}`, onePage: true })
  assert.equal(verify.json.issuer, sig.issuer, `${kind}: /verify names the issuer the seal line prints`)
  assert.equal(verify.json.kind, `case.${kind}`)
  const title = doc.pages[0].lines[0].trim()
  assert.equal(verify.json.title, title, `${kind}: /verify names the title printed`)
  return { doc, sig, verify: verify.json, title, flat: doc.text.replace(/\s+/g, '') }
}

const vocab = (await request('/api/v1/catalog/vocabularies')).json
const MCA = vocab.departments.find((d) => d.code === 'D05') // 民政局, demo-approver's department

/** A published item of a type, decided by 民政局 after the window's intake. */
async function item (type, prefix, name, basis, resultName) {
  const body = {
    code: `${prefix}99926${RUN}`,
    name, type, department_id: MCA.id, basis, statutory_days: 10, committed_days: 5,
    modes: ['online', 'one_visit'], online_depth: 'apply', visits: 1, materials: [{ name: '居民身份证' }],
    result_name: resultName,
    steps: [{ name: '受理', role: 'clerk', org_code: 'W01' }, { name: '决定', role: 'approver', days: 5 }],
  }
  const c = await post(admin, '/api/v1/items', body)
  assert.equal(c.status, 201, c.text)
  const p = await post(admin, `/api/v1/items/${c.json.id}/publish`)
  assert.equal(p.status, 200, p.text)
  return c.json.id
}
/** The sub-item number of this run's items: a rerun against the same server makes new ones. */
const RUN = String(100 + (Date.now() % 900))

/** Filed by the citizen, accepted at the window, decided by 民政局. */
async function decided (itemId, action, reason) {
  const c = await post(citizen, '/api/v1/cases', { item_id: itemId, materials: ['居民身份证'] })
  assert.equal(c.status, 201, c.text)
  let r = await post(clerk, `/api/v1/cases/${c.json.id}/transitions`, { action: 'accept' })
  assert.equal(r.status, 200, r.text)
  r = await post(approver, `/api/v1/cases/${c.json.id}/transitions`, { action, reason })
  assert.equal(r.status, 200, r.text)
  return c.json
}

describe('a case\'s notices: one page, QR beside the signature, the seal line verified', () => {
  let caseId
  test('受理 and 一次性告知: the centre signs, dates read like 2026年11月24日', async () => {
    const g = (await request('/api/v1/items?per_page=50&q=' + encodeURIComponent('内地居民结婚登记'))).json.items
      .find((i) => i.name === '内地居民结婚登记')
    const c = await post(citizen, '/api/v1/cases', { item_id: g.id, materials: ['居民户口簿'] })
    assert.equal(c.status, 201, c.text)
    caseId = c.json.id
    let r = await post(clerk, `/api/v1/cases/${caseId}/transitions`, { action: 'supplement', materials: [{ name: '居民身份证', problem: '未提交身份证原件' }] })
    assert.equal(r.status, 200, r.text)
    const s = await notice(citizen, caseId, 'supplement')
    assert.equal(s.sig.issuer, '益阳市赫山区政务服务中心')
    assert.equal(s.sig.date, TODAY_CN)
    assert.ok(s.flat.includes(`于${TODAY_CN}提出`), 'the received date as every date reads')
    const view = await get(citizen, `/api/v1/cases/${caseId}`)
    const names = view.json.materials.filter((m) => m.required).map((m) => m.name)
    r = await post(citizen, `/api/v1/cases/${caseId}/transitions`, { action: 'resubmit', materials: names })
    assert.equal(r.status, 200, r.text)
    r = await post(clerk, `/api/v1/cases/${caseId}/transitions`, { action: 'accept' })
    assert.equal(r.status, 200, r.text)
    const a = await notice(citizen, caseId, 'acceptance')
    assert.equal(a.title, '受理通知书')
    assert.equal(a.sig.issuer, '益阳市赫山区政务服务中心')
    // 结婚登记 is received under its own basis, not under the Licensing Law
    assert.ok(a.flat.includes('根据《中华人民共和国民法典》第一千零四十九条、《婚姻登记条例》第四条至第七条的规定，本机关决定予以受理'), a.flat)
    assert.ok(!a.flat.includes('行政许可法') && !s.flat.includes('行政许可法'))
  })

  test('the decision of a 行政确认 item is the department\'s 行政确认决定书 under the item\'s own basis', async () => {
    const r = await post(approver, `/api/v1/cases/${caseId}/transitions`, { action: 'approve' })
    assert.equal(r.status, 200, r.text)
    const d = await notice(citizen, caseId, 'decision')
    assert.equal(d.title, '行政确认决定书')
    assert.equal(d.sig.issuer, '赫山区民政局', 'the deciding department signs')
    assert.equal(d.verify.issuer, '赫山区民政局')
    assert.ok(d.flat.includes('《中华人民共和国民法典》第一千零四十九条、《婚姻登记条例》第四条至第七条'), d.flat)
    assert.ok(d.flat.includes('决定予以确认（登记）'))
    assert.ok(!d.flat.includes('行政许可'), 'a 行政确认 is not a licence')
    assert.ok(d.flat.includes(`本机关已于${TODAY_CN}受理`), 'not YYYY-MM-DD in the text')
  })

  test('the 送达回证 is a form: 送达人 and its name in their own cells, on one line', async () => {
    const r = await post(clerk, `/api/v1/cases/${caseId}/transitions`, { action: 'deliver', delivery: 'window' })
    assert.equal(r.status, 200, r.text)
    const d = await notice(clerk, caseId, 'delivery')
    assert.equal(d.title, '送达回证')
    const rows = Object.fromEntries(d.doc.pages[0].lines
      .map((l) => l.trim().split(/\s{2,}/))
      .filter((seg) => seg.length === 2)
      .map(([k, v]) => [k, v]))
    assert.equal(rows['送达人'], '刘敏', 'the 送达人 row whole')
    assert.equal(rows['受送达人'], '张伟')
    assert.equal(rows['送达方式'], '窗口领取')
    assert.equal(rows['送达日期'], TODAY_CN)
    const line = d.doc.pages[0].lines.find((l) => l.includes('送达人') && !l.includes('受送达人'))
    assert.match(line, /送达人\s+刘敏/)
    assert.match(d.flat, /评价码：[0-9a-f]{32}/, 'the rating code on the notice that ends the case')
  })

  test('不予受理通知书: the centre refuses with the reason and the remedies', async () => {
    const g = (await request('/api/v1/items?per_page=50&q=' + encodeURIComponent('内地居民结婚登记'))).json.items
      .find((i) => i.name === '内地居民结婚登记')
    const c = await post(citizen, '/api/v1/cases', { item_id: g.id, materials: [] })
    const r = await post(clerk, `/api/v1/cases/${c.json.id}/transitions`, { action: 'refuse', reason: '申请事项不属于本机关职权范围' })
    assert.equal(r.status, 200, r.text)
    const n = await notice(citizen, c.json.id, 'refusal')
    assert.equal(n.title, '不予受理通知书')
    for (const w of ['申请事项不属于本机关职权范围', '益阳市赫山区人民政府申请行政复议', '行政诉讼']) assert.ok(n.flat.includes(w), w)
  })
})

describe('one decision document per item type, in the item\'s own terms', () => {
  // type, code prefix, title granted, title refused, what is decided, the item's basis
  const TYPES = [
    ['licensing', '01', '准予行政许可决定书', '不予行政许可决定书', '决定准予行政许可', '《测试许可办法》第八条'],
    ['confirmation', '07', '行政确认决定书', '不予行政确认决定书', '决定予以确认（登记）', '《测试登记条例》第五条'],
    ['payment', '05', '行政给付决定书', '不予行政给付决定书', '决定给予行政给付', '《测试救助办法》第十条'],
    ['adjudication', '09', '行政裁决书', '行政裁决书', '裁决支持申请人的请求', '《测试裁决规定》第三条'],
    ['reward', '08', '行政奖励决定书', '不予行政奖励决定书', '决定给予行政奖励', '《测试奖励办法》第六条'],
    ['other_power', '10', '办理决定书', '不予办理决定书', '决定予以办理', '《测试管理办法》第九条'],
  ]
  for (const [type, prefix, grantTitle, denyTitle, grant, basis] of TYPES) {
    test(`${type}: ${grantTitle} / ${denyTitle}`, async () => {
      const id = await item(type, prefix, `文书测试${type}`, basis, type === 'licensing' ? '测试许可证' : '测试结果通知')
      const granted = await decided(id, 'approve')
      const acc = await notice(citizen, granted.id, 'acceptance')
      if (type === 'licensing') assert.ok(acc.flat.includes('根据《中华人民共和国行政许可法》第三十二条的规定'))
      else assert.ok(acc.flat.includes(`根据${basis}的规定`) && !acc.flat.includes('行政许可'), acc.flat)
      const g = await notice(citizen, granted.id, 'decision')
      assert.equal(g.title, grantTitle)
      assert.equal(g.sig.issuer, '赫山区民政局')
      assert.ok(g.flat.includes(basis), `cites the item's basis ${basis}`)
      assert.ok(g.flat.includes(grant), grant)
      if (type === 'licensing') {
        assert.ok(g.flat.includes('《中华人民共和国行政许可法》第三十八条第一款'))
        assert.ok(g.flat.includes('十日内') && g.flat.includes('《测试许可证》'), 'Art. 44: the licence within ten days')
      } else {
        assert.ok(!g.flat.includes('行政许可'), `a ${type} decision does not speak of licensing`)
      }
      const refused = await decided(id, 'deny', '申请材料反映的情况不符合条件')
      const d = await notice(citizen, refused.id, 'decision')
      assert.equal(d.title, denyTitle)
      assert.ok(d.flat.includes('申请材料反映的情况不符合条件'), 'the reason')
      assert.ok(d.flat.includes('申请行政复议') && d.flat.includes('提起行政诉讼'), 'the remedies')
      if (type === 'licensing') assert.ok(d.flat.includes('第三十八条第二款'))
    })
  }

  test('the licence issued by the licensing decision carries valid_until and verifies as its seal', async () => {
    const wallet = await get(citizen, '/api/v1/wallet')
    const lic = wallet.json.licenses.find((l) => l.type === '测试许可证')
    assert.ok(lic, 'the licence is in the wallet')
    assert.ok('valid_until' in lic, 'valid_until is always there (docs/api.md)')
    assert.equal(lic.valid_until, null, 'null = 长期')
    const one = await get(citizen, `/api/v1/licenses/${lic.id}`)
    assert.ok('valid_until' in one.json)
    assert.equal(one.json.valid_until, null)
    const v = await get(null, `/api/v1/verify/${lic.verify_code}`)
    assert.ok('valid_until' in v.json)
    assert.equal(v.json.valid_until, null)
    const pdf = await get(citizen, `/api/v1/licenses/${lic.id}/certificate`)
    assert.equal(pdf.status, 200)
    const { sig, doc } = checkIssuedDocument(pdf.buf, { verifyUrl: `${BASE_URL}/verify/${lic.verify_code}`, onePage: true })
    assert.equal(sig.issuer, v.json.issuer)
    assert.ok(doc.text.replace(/\s+/g, '').includes('有效期限长期'))
  })
})

// ---------------------------------------------------------------- the annual report

/** Words of a page in reading order. */
const inOrder = (words) => words.slice().sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)
const isFigure = (w) => /^\d+(\.\d+)?$/.test(w.text)
/** The text of the words whose centres fall in a box, in reading order. */
const textIn = (words, { x0 = -1, x1 = 1e9, y0 = -1, y1 = 1e9 }) =>
  inOrder(words.filter((w) => w.xc >= x0 && w.xc < x1 && w.yc >= y0 && w.yc < y1)).map((w) => w.text).join('')

describe('the 2025 annual report in the national template (国办公开办函〔2021〕30号)', async () => {
  const rep = (await get(null, '/api/v1/disclosure-reports/2025')).json
  const res = await get(null, '/api/v1/disclosure-reports/2025/pdf')
  const doc = readPdf(res.buf)
  const pageOf = (heading) => doc.pages[headingLines(doc, heading)[0].page - 1]

  test('it opens with its legal basis, the six parts and the statistics period', () => {
    const flat = doc.pages[0].text.replace(/\s+/g, '')
    const opening = flat.slice(0, flat.indexOf('一、总体情况'))
    for (const w of ['《中华人民共和国政府信息公开条例》', '国办公开办函〔2021〕30号', '六个部分', '统计期限为2025年1月1日至2025年12月31日'])
      assert.ok(opening.includes(w), `the opening says ${w}`)
    assertDatesInOneFormat(doc.text)
  })

  test('the headings in the template\'s order, each on a line of its own', () => {
    const headings = ['一、总体情况', '（一）主动公开', '（二）依申请公开', '（三）政府信息管理', '（四）平台建设', '（五）监督保障',
      '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况', '六、其他需要报告的事项']
    const at = headings.map((h) => {
      const found = headingLines(doc, h)
      assert.equal(found.length, 1, `${h} stands alone on one line (not run into the body)`)
      return found[0].page * 1000 + found[0].line
    })
    assert.deepEqual(at, at.slice().sort((a, b) => a - b), 'in order')
    assert.ok(!doc.text.includes('总体情况：'), 'no heading runs on after a colon')
  })

  test('table 二: four blocks of Art. 20, each with its own headings; the fee as 12.35', () => {
    const p = pageOf('二、主动公开政府信息情况')
    const from = p.lines.findIndex((l) => l.trim() === '第二十条第（一）项')
    const seg = p.lines.slice(from, from + 14).map((l) => l.trim().split(/\s{2,}/))
    const a = rep.active
    assert.deepEqual(seg, [
      ['第二十条第（一）项'],
      ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
      ['规章', ...[a.rules.issued, a.rules.repealed, a.rules.valid].map(String)],
      ['行政规范性文件', ...[a.normative.issued, a.normative.repealed, a.normative.valid].map(String)],
      ['第二十条第（五）项'], ['信息内容', '本年处理决定数量'], ['行政许可', String(a.permits)],
      ['第二十条第（六）项'], ['信息内容', '本年处理决定数量'], ['行政处罚', String(a.penalties)], ['行政强制', String(a.enforcement)],
      ['第二十条第（八）项'], ['信息内容', '本年收费金额（单位：万元）'], ['行政事业性收费', '12.35'],
    ])
    assert.ok(!doc.text.includes('12.3500'))
  })

  test('table 三: the template\'s headings, every row by its label, every figure under its column', () => {
    const p = pageOf('三、收到和处理政府信息公开申请情况')
    const words = p.words
    const find = (prefix) => {
      const w = inOrder(words).find((x) => x.text.startsWith(prefix))
      assert.ok(w, `the heading ${prefix}`)
      return w
    }
    // columns: 自然人, the five kinds of organisation under 法人或其他组织, 总计 — under 申请人情况
    const cols = ['自然', '商业', '科研', '社会', '法律', '其他', '总计'].map(find)
    assert.deepEqual(cols.map((c) => c.xc), cols.map((c) => c.xc).slice().sort((x, y) => x - y), 'columns in order')
    const applicant = find('申请人情况'), org = find('法人或其他组织')
    assert.ok(applicant.yc < org.yc && org.yc < cols[1].yc, '申请人情况 over 法人或其他组织 over its five kinds')
    assert.ok(org.xc > cols[1].xc && org.xc < cols[5].xc, '法人或其他组织 spans 商业企业 … 其他')
    assert.ok(applicant.xc > cols[0].xc && applicant.xc < cols[6].xc, '申请人情况 spans every applicant column')
    assert.equal(textIn(words, { x1: cols[0].x0 - 4, y0: applicant.y0 - 2, y1: cols[1].y1 + 20 }),
      '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 'the template\'s sentence in the corner')
    // rows in the template's order, each with its seven figures
    const sorted = inOrder(words)
    let y = cols[1].y1
    const anchors = rep.requests.rows.map((row) => {
      const w = sorted.find((x) => x.y0 > y && row.label.startsWith(x.text) && x.text.length >= Math.min(4, row.label.length))
      assert.ok(w, `the row ${row.label}`)
      y = w.y0
      return { row, w }
    })
    anchors.forEach(({ row, w }, i) => {
      const next = anchors[i + 1]?.w.y0 ?? w.y0 + 20
      const label = inOrder(words.filter((x) => Math.abs(x.x0 - w.x0) < 1 && x.y0 >= w.y0 && x.y0 < next)).map((x) => x.text).join('')
      assert.equal(label, row.label, `the whole label of ${row.key}`)
      const figs = inOrder(words.filter((x) => isFigure(x) && x.yc >= w.y0 - 2 && x.yc < next - 2 && x.x0 > cols[0].x0 - 20))
      assert.equal(figs.length, 7, `${row.key}: seven figures`)
      figs.sort((a, b) => a.xc - b.xc).forEach((f, k) => {
        assert.ok(Math.abs(f.xc - cols[k].xc) < 8, `${row.key}: figure ${k} under ${cols[k].text}`)
        assert.equal(Number(f.text), row.values[k], `${row.key} × ${rep.requests.columns[k].key}`)
      })
    })
    // 三、本年度办理结果 spans the outcome rows; each group spans its numbered reasons
    const at = Object.fromEntries(anchors.map(({ row, w }) => [row.key, w]))
    const groupX0 = at.g1.x0 - 2, subX0 = at.g3_1.x0 - 2
    assert.equal(textIn(words, { x1: groupX0, y0: at.g1.y0 - 2, y1: at.carried_out.y0 - 2 }), '三、本年度办理结果')
    for (const [g, first, last, after] of [['（三）不予公开', 'g3_1', 'g3_8', 'g4_1'], ['（四）无法提供', 'g4_1', 'g4_3', 'g5_1'],
      ['（五）不予处理', 'g5_1', 'g5_5', 'g6_1'], ['（六）其他处理', 'g6_1', 'g6_3', 'result_total']]) {
      assert.equal(textIn(words, { x0: groupX0, x1: subX0, y0: at[first].y0 - 2, y1: at[after].y0 - 2 }), g, `${g} beside ${first}…${last}`)
    }
    assert.ok(at.carried_out.y0 > at.result_total.y0, '四、结转下年度继续办理 after (七)总计')
  })

  test('table 四: one row of fifteen figures under 行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉)', () => {
    const p = pageOf('四、政府信息公开行政复议、行政诉讼情况')
    const words = p.words
    const top = words.find((w) => w.text === '行政复议')
    const figs = inOrder(words.filter((w) => isFigure(w) && w.y0 > top.y1)).slice(0, 15)
    assert.ok(figs.every((f) => Math.abs(f.yc - figs[0].yc) < 1), 'one row')
    figs.sort((a, b) => a.xc - b.xc)
    const v = rep.reviews.values
    assert.deepEqual(figs.map((f) => Number(f.text)), [...v.reconsideration, ...v.litigation_direct, ...v.litigation_after_reconsideration])
    const res = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计']
    const at = (t) => words.find((w) => w.text === t)
    const below = at('未经复议直接起诉').y1
    figs.forEach((f, k) => assert.equal(textIn(words, { x0: f.xc - 8, x1: f.xc + 8, y0: below, y1: f.y0 }), res[k % 5], `column ${k + 1}`))
    const mid = (a, b) => (figs[a].xc + figs[b].xc) / 2
    assert.ok(Math.abs(at('行政复议').xc - mid(0, 4)) < 8, '行政复议 over the first five')
    assert.ok(Math.abs(at('行政诉讼').xc - mid(5, 14)) < 8, '行政诉讼 over the other ten')
    assert.ok(Math.abs(at('未经复议直接起诉').xc - mid(5, 9)) < 8)
    assert.ok(Math.abs(at('复议后起诉').xc - mid(10, 14)) < 8)
    assert.ok(at('行政诉讼').yc < at('未经复议直接起诉').yc)
  })

  test('the signature: the unit, dated as the office set it, with the body\'s last lines on its page', () => {
    const sig = signatureOf(doc)
    assert.equal(sig.issuer, rep.unit)
    assert.equal(rep.report_date, '2026-01-20')
    assert.equal(sig.date, '2026年1月20日')
    assert.equal(sig.page.no, doc.pages.length)
    assert.ok(sig.lineIndex >= 2, 'not alone on the last page')
    const flat = doc.text.replace(/\s+/g, '')
    assert.ok(flat.includes(rep.texts.info_fees), 'section 六 prints the fee sentence of the model')
  })

  test('HTML and XLSX are the same model: headings, merged cells, every cell', async () => {
    const html = (await get(null, '/api/v1/disclosure-reports/2025/html')).text
    assert.deepEqual([...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]), rep.document.blocks.filter((b) => b.kind === 'heading1').map((b) => b.text))
    assert.deepEqual([...html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1]),
      ['（一）主动公开', '（二）依申请公开', '（三）政府信息管理', '（四）平台建设', '（五）监督保障'])
    assert.ok(html.includes('<th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th colspan="7">申请人情况</th>'))
    assert.ok(html.includes('<tr data-row="g1"><td rowspan="22">三、本年度办理结果</td><td colspan="2" class="l">（一）予以公开</td>'))
    assert.ok(html.includes('<tr data-row="g3_1"><td rowspan="8" class="l">（三）不予公开</td><td class="l">1.属于国家秘密</td>'))
    assert.ok(html.includes('<th colspan="5">行政复议</th><th colspan="10">行政诉讼</th>'))
    assert.ok(html.includes(`<td colspan="3">12.35</td>`))
    assert.ok(html.includes(rep.texts.info_fees) && html.includes(rep.texts.opening))
    assert.ok(html.includes('<p class="date">2026年1月20日</p>'))
    const xres = await fetch(`${BASE_URL}/api/v1/disclosure-reports/2025/xlsx`)
    const wb = XLSX.read(Buffer.from(await xres.arrayBuffer()), { type: 'buffer' })
    const tables = rep.document.blocks.filter((b) => b.kind === 'table').map((b) => b.table)
    assert.deepEqual(wb.SheetNames, tables.map((t) => t.sheet))
    for (const t of tables) {
      const ws = wb.Sheets[t.sheet]
      const merges = new Set((ws['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m)))
      const covered = new Set()
      for (const s of t.spans) {
        merges.has(XLSX.utils.encode_range({ s: { r: s.row + 1, c: s.col }, e: { r: s.row + s.rows, c: s.col + s.cols - 1 } })) ||
          assert.fail(`${t.sheet}: the merge of ${t.cells[s.row][s.col]}`)
        for (let r = s.row; r < s.row + s.rows; r++) for (let c = s.col; c < s.col + s.cols; c++) if (r !== s.row || c !== s.col) covered.add(`${r},${c}`)
      }
      t.cells.forEach((row, r) => row.forEach((text, c) => {
        if (covered.has(`${r},${c}`)) return
        const cell = ws[XLSX.utils.encode_cell({ r: r + 1, c })]
        if (t.flags[r][c] & 4) assert.equal(cell?.v, Number(text), `${t.sheet} ${r},${c}`)
        else assert.equal(cell?.v ?? '', text, `${t.sheet} ${r},${c}`)
      }))
    }
  })
})

describe('the report\'s date and opening are the disclosure office\'s to set', () => {
  test('set, printed, cleared; errors name the field in Chinese', async () => {
    const url = '/api/v1/disclosure-reports/2026'
    const opening = '本报告由益阳市赫山区人民政府办公室根据《中华人民共和国政府信息公开条例》编制，统计期限为2026年1月1日至2026年12月31日。'
    const r = await put(discloser, url, { report_date: '2027-01-25', opening })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.json.report_date, '2027-01-25')
    assert.equal(r.json.entered.opening, opening)
    const pdf = readPdf((await get(null, `${url}/pdf`)).buf)
    const sig = signatureOf(pdf)
    assert.equal(sig.date, '2027年1月25日')
    assert.ok(pdf.pages[0].text.replace(/\s+/g, '').startsWith(`${r.json.title}${opening}`.replace(/\s+/g, '')), 'the office\'s opening first')
    // errors: 400 with the field and a Chinese message; nothing written
    for (const [body, field, code] of [
      [{ report_date: '2026-12-31' }, 'report_date', 'date_out_of_range'],
      [{ report_date: '2028-01-01' }, 'report_date', 'date_out_of_range'],
      [{ report_date: '2027-02-30' }, 'report_date', 'invalid_field'],
      [{ report_date: '2027/01/25' }, 'report_date', 'invalid_field'],
      [{ report_date: 20270125 }, 'report_date', 'invalid_field'],
      [{ opening: 42 }, 'opening', 'invalid_field'],
      [{ opening: '开'.repeat(2001) }, 'opening', 'invalid_field'],
      [{ overview_platform: '台'.repeat(5001) }, 'overview_platform', 'invalid_field'],
    ]) {
      const bad = await put(discloser, url, body)
      assertError(bad, 400, code)
      assert.equal(bad.json.error.field, field, JSON.stringify(body))
      assert.match(bad.json.error.message, /[\u4e00-\u9fff]/, 'a Chinese message')
    }
    assert.equal((await get(null, url)).json.report_date, '2027-01-25', 'nothing written by a refused request')
    // a unit's discloser may not set the district's date
    const unitDates = await put(await signIn('demo-approver'), url, { report_date: '2027-01-26' })
    assertError(unitDates, 403, 'forbidden')
    // the sub-sections of 一、总体情况 are the office's too; null clears the date
    const part = await put(discloser, url, { overview_platform: '政府门户网站改版上线。', report_date: null })
    assert.equal(part.status, 200, part.text)
    assert.equal(part.json.report_date, null)
    assert.equal(part.json.texts.overview_platform, '政府门户网站改版上线。')
    const html = (await get(null, `${url}/html`)).text
    assert.ok(html.includes('<h3>（四）平台建设</h3>\n<p>政府门户网站改版上线。</p>'))
    assert.ok(!html.includes('<p class="date">'), 'no date once cleared')
  })
})
