// Reading a document back the way a person holding it would (issue 26): the text of
// each page as pdftotext -layout lays it out, every word with its box (pdftotext
// -bbox-layout), the QR codes zbarimg decodes on each page; and the checks every
// document the platform issues must pass — its dates in one format, the signature
// (seal) line with its date, the QR code and the verification code on the signature's
// page. Debian's poppler-utils and zbar-tools (scripts/deps.sh, test group).
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" }
const unescape = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (m) => ENTITIES[m])

/**
 * { pages: [{ no, text, lines, words: [{ text, x0, y0, x1, y1, xc, yc }], qr: [payload] }] }
 * lines: the page's -layout lines without the trailing page number.
 */
export function readPdf (buf) {
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-', 'a PDF')
  const dir = mkdtempSync(join(tmpdir(), 'ow-doc-'))
  try {
    const file = join(dir, 'd.pdf')
    writeFileSync(file, buf)
    const info = execFileSync('pdfinfo', [file]).toString()
    const n = Number(/^Pages:\s+(\d+)/m.exec(info)[1])
    const bbox = execFileSync('pdftotext', ['-bbox-layout', file, '-']).toString()
    const pageXml = bbox.split('<page ').slice(1)
    execFileSync('pdftoppm', ['-r', '150', '-png', file, join(dir, 'p')])
    const pngs = readdirSync(dir).filter((f) => f.endsWith('.png')).sort()
    assert.equal(pngs.length, n)
    const pages = []
    for (let i = 1; i <= n; i++) {
      const text = execFileSync('pdftotext', ['-layout', '-f', String(i), '-l', String(i), file, '-']).toString()
      const lines = text.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '')
      if (lines.length && /^\s*—\s*\d+\s*—\s*$/.test(lines[lines.length - 1])) lines.pop()
      const words = [...(pageXml[i - 1] ?? '').matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .map((m) => {
          const [x0, y0, x1, y1] = m.slice(1, 5).map(Number)
          return { text: unescape(m[5]), x0, y0, x1, y1, xc: (x0 + x1) / 2, yc: (y0 + y1) / 2 }
        })
      const z = spawnSync('zbarimg', ['-q', '--raw', '--nodbus', join(dir, pngs[i - 1])])
      assert.ok(z.status === 0 || z.status === 4, `zbarimg: ${z.stderr}`)
      const qr = z.stdout.toString().split('\n').map((s) => s.trim()).filter(Boolean)
      pages.push({ no: i, text, lines, words, qr })
    }
    return { pages, text: pages.map((p) => p.text).join('\n') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const DATE_CN = /(\d{4})年(\d{1,2})月(\d{1,2})日/
/**
 * Dates in one format: 2026年12月7日 — never 2026-12-07, 2026/12/7 or 2026.12.07, no
 * zero-padded month or day, no date cut short (2026年12月 without its day).
 */
export function assertDatesInOneFormat (text) {
  const flat = text.replace(/\s+/g, '')
  assert.doesNotMatch(flat, /(?<![\d-])(19|20)\d{2}-\d{1,2}-\d{1,2}(?!\d)/, 'an ISO date is printed')
  assert.doesNotMatch(flat, /(?<!\d)(19|20)\d{2}[/.]\d{1,2}[/.]\d{1,2}(?!\d)/, 'a slashed or dotted date is printed')
  for (const m of flat.matchAll(/(\d{4})年(\d{1,2})月(\d{0,2})(日?)/g)) {
    assert.ok(m[3] && m[4], `a date without its day: ${m[0]}`)
    assert.ok(!m[2].startsWith('0') && !m[3].startsWith('0'), `a zero-padded date: ${m[0]}`)
  }
}

/** The last segment of a layout line: what stands at its right (the signature column). */
const lastSegment = (line) => line.trim().split(/\s{2,}/).pop()

/**
 * The signature block: the page it is on, the issuer (seal) line and its date — the
 * last line of the document's body region that ends with a date, and the line above it.
 */
export function signatureOf (doc) {
  for (let p = doc.pages.length - 1; p >= 0; p--) {
    const lines = doc.pages[p].lines
    for (let i = lines.length - 1; i > 0; i--) {
      const date = lastSegment(lines[i])
      if (DATE_CN.test(date) && new RegExp(`^${DATE_CN.source}$`).test(date)) {
        return { page: doc.pages[p], lineIndex: i - 1, issuer: lastSegment(lines[i - 1]), date }
      }
    }
  }
  assert.fail('no signature line with its date')
}

/**
 * The checks every issued document passes; returns { sig, doc }.
 * want: { verifyUrl? (none: the document has no QR code), onePage?, issuer? }
 */
export function checkIssuedDocument (buf, want) {
  const doc = readPdf(buf)
  if (want.onePage) assert.equal(doc.pages.length, 1, `one page, not ${doc.pages.length}:\n${doc.text}`)
  assertDatesInOneFormat(doc.text)
  const sig = signatureOf(doc)
  if (want.issuer) assert.equal(sig.issuer, want.issuer, 'the seal line')
  if (want.verifyUrl) {
    // the QR code and the verification code on the signature's page, nowhere else
    assert.deepEqual(sig.page.qr, [want.verifyUrl], `the QR code on page ${sig.page.no}, the signature's`)
    for (const p of doc.pages) if (p !== sig.page) assert.deepEqual(p.qr, [], `no QR code on page ${p.no}`)
    const code = want.verifyUrl.split('/').pop()
    assert.match(sig.page.text.replace(/\s+/g, ''), new RegExp(`核验码${code}`), 'the verification code beside the QR code')
  } else {
    for (const p of doc.pages) assert.deepEqual(p.qr, [], `no QR code on page ${p.no}`)
  }
  // the signature is not alone: body text stands above it on its page
  const body = sig.page.lines.slice(0, sig.lineIndex).filter((l) => !/核验|扫码/.test(l))
  assert.ok(body.length >= 2, `the signature has the body's last lines with it (page ${sig.page.no})`)
  return { sig, doc }
}

/** The lines of the document (all pages) that are exactly `heading`, trimmed. */
export function headingLines (doc, heading) {
  const out = []
  doc.pages.forEach((p) => p.lines.forEach((l, i) => { if (l.trim() === heading) out.push({ page: p.no, line: i }) }))
  return out
}
