// Checking a generated PDF the way a person would see it (issue 7): page 1 as PNG is
// not blank, pdffonts lists an embedded CJK font, zbarimg decodes the QR code.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Asserts the three checks; returns the text (pdftotext) with whitespace removed. */
export function checkPdf (buf, wantUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'ow-pdf-'))
  try {
    const file = join(dir, 'n.pdf')
    writeFileSync(file, buf)
    assert.equal(buf.subarray(0, 5).toString(), '%PDF-')
    execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', file, join(dir, 'p')])
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png')).sort()
    assert.equal(pages.length, 1)
    assert.ok(statSync(join(dir, pages[0])).size > 20000, 'page 1 is not blank')
    const fonts = execFileSync('pdffonts', [file]).toString()
    assert.match(fonts, /Noto(Serif|Sans)CJK\S*\s+CID Type 0C\s+Identity-H\s+yes/, fonts)
    execFileSync('pdftoppm', ['-r', '150', '-png', file, join(dir, 'all')])
    const all = readdirSync(dir).filter((f) => f.startsWith('all')).map((p) => join(dir, p))
    const z = spawnSync('zbarimg', ['-q', '--raw', '--nodbus', ...all])
    assert.ok(z.status === 0 || z.status === 4, `zbarimg: ${z.stderr}`)
    assert.equal(z.stdout.toString().trim(), wantUrl)
    return execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
