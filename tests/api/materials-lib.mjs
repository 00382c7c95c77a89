// Shared by the materials and wallet API tests (issue 7).
import { request } from './lib.mjs'

/** The smallest file the content sniffer takes for a PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

/** Upload body as material of case caseId under filename (streamed route). */
export function upload (jar, caseId, material, filename, body, headers = {}) {
  const q = `material=${encodeURIComponent(material)}&filename=${encodeURIComponent(filename)}`
  return request(`/api/v1/cases/${caseId}/materials/upload?${q}`, {
    method: 'POST', jar, body, headers: { 'content-type': 'application/octet-stream', ...headers },
  })
}

