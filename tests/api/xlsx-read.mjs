// A workbook's first sheet as rows of cell texts, for tests that check what an XLSX
// export holds.  Written against node:zlib alone (the API tests have no npm
// dependencies): the zip central directory, the shared strings and the sheet's
// cells — what libxlsxwriter writes, not every form OOXML allows.
import { inflateRawSync } from 'node:zlib'

function unzip(buf) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('not a zip file')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const files = new Map()
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory')
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const raw = buf.subarray(start, start + size)
    files.set(name, method === 8 ? inflateRawSync(raw) : raw)
    p += 46 + nameLen + extraLen + commentLen
  }
  return files
}

const unescapeXml = (s) => s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g,
  (_, e, d, h) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] ??
    String.fromCodePoint(d ? Number(d) : parseInt(h, 16)))

// "AB12" -> column index 27
function columnOf(ref) {
  let n = 0
  for (const ch of ref.match(/^[A-Z]+/)[0]) n = n * 26 + ch.charCodeAt(0) - 64
  return n - 1
}

/** Rows (arrays of strings, '' for empty cells) of the workbook's first sheet. */
export function readXlsx(buf) {
  const files = unzip(Buffer.from(buf))
  const shared = []
  const sst = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? ''
  for (const si of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join(''))
  }
  const sheet = files.get('xl/worksheets/sheet1.xml')?.toString('utf8')
  if (!sheet) throw new Error('no first sheet')
  const rows = []
  for (const row of sheet.matchAll(/<row [^>]*r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = []
    for (const c of row[2].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const type = (c[2].match(/t="(\w+)"/) ?? [])[1]
      const v = ((c[3] ?? '').match(/<v>([\s\S]*?)<\/v>/) ?? [])[1]
      const inline = ((c[3] ?? '').match(/<t[^>]*>([\s\S]*?)<\/t>/) ?? [])[1]
      let text = ''
      if (type === 's') text = shared[Number(v)]
      else if (type === 'inlineStr') text = unescapeXml(inline ?? '')
      else if (v !== undefined) text = unescapeXml(v)
      cells[columnOf(c[1])] = text
    }
    rows[Number(row[1]) - 1] = Array.from(cells, (x) => x ?? '')
  }
  return Array.from(rows, (r) => r ?? [])
}

/** The first sheet's XML as written, for tests that look at how a cell is stored. */
export function sheetXml(buf) {
  return unzip(Buffer.from(buf)).get('xl/worksheets/sheet1.xml')?.toString('utf8') ?? ''
}
