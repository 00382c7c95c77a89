// Shapes and Chinese labels of the materials, e-license and wallet API (docs/api.md,
// "Materials, e-licenses, the wallet and case notices"), shared by the portal (申请, 补正,
// 我的卡包) and the workbench (办件材料, 告知书).
import type { CaseDetail } from './cases'

export interface License {
  id: number
  type: string
  number: string
  holder_kind: 'person' | 'enterprise'
  holder_name: string
  holder_masked: string
  dept_id: number
  issuer: string
  case_no: string
  item_id: number
  issued_date: string
  valid_until?: string | null
  data: Record<string, string>
  status: 'valid' | 'revoked' | 'expired'
  status_name: string
  revoke_reason?: string
  verify_code: string
  verify_path: string
}

export interface WalletMaterial {
  id: number
  material: string
  sha256: string
  filename: string
  content_type: string
  size: number
  accepted_at: string | number
  download_url: string
}

export interface Wallet {
  licenses: License[]
  materials: WalletMaterial[]
}

export interface WalletOffer {
  material: string
  required: boolean
  license_type: string
  licenses: License[]
  materials: WalletMaterial[]
}

export interface CaseMaterial {
  id: number
  case_id?: number
  material: string
  source: 'upload' | 'license' | 'wallet'
  source_name: string
  filename: string
  content_type: string
  size: number
  created_at?: number
  sha256?: string
  download_url?: string
  license_id?: number
  license?: { type: string; number: string; issuer: string }
  from_material_id?: number
}

/** Uploads are accepted while the case waits for intake or for 补正. */
export const OPEN_FOR_MATERIALS = new Set(['submitted', 'supplement'])

/** What the file picker offers; the server decides by content, this only narrows the dialog. */
export const ACCEPT_FILES = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png'

/** "1536" → "1.5 KB". */
export function fileSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** A date from milliseconds or an ISO string, as YYYY-MM-DD. */
export function dateOf(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'number') {
    const d = new Date(v + 8 * 3600 * 1000) // 北京时间
    return d.toISOString().slice(0, 10)
  }
  return v.slice(0, 10)
}

export interface NoticeKind {
  kind: 'acceptance' | 'supplement' | 'refusal' | 'decision' | 'delivery' | 'commitment' | 'revocation' | 'credit'
  name: string
  /** The timeline actions after which the notice exists. */
  after: string[]
}

export const NOTICE_KINDS: NoticeKind[] = [
  { kind: 'acceptance', name: '受理通知书', after: ['accept'] },
  { kind: 'supplement', name: '补正材料一次性告知书', after: ['supplement'] },
  { kind: 'refusal', name: '不予受理通知书', after: ['refuse'] },
  { kind: 'decision', name: '行政许可决定书', after: ['approve', 'deny'] },
  { kind: 'delivery', name: '送达回证', after: ['deliver'] },
  // 告知承诺制 (issue 22): the 承诺书 exists from the submission of a case on commitment
  { kind: 'commitment', name: '告知承诺书', after: [] },
  { kind: 'revocation', name: '撤销决定书', after: ['revoke'] },
  { kind: 'credit', name: '信用记录告知书', after: ['revoke'] },
]

/** The notices this case has gone through the step for (the server answers 409 for others). */
export function noticesOf(c: CaseDetail): NoticeKind[] {
  const done = new Set(c.timeline.map((e) => e.action))
  return NOTICE_KINDS.filter(
    (n) => n.after.some((a) => done.has(a)) || (n.kind === 'commitment' && !!c.modes?.commitment),
  )
}

export function noticeUrl(caseId: number, kind: string, download = false): string {
  return `/api/v1/cases/${caseId}/notices/${kind}${download ? '?download=1' : ''}`
}

export function certificateUrl(licenseId: number, download = false): string {
  return `/api/v1/licenses/${licenseId}/certificate${download ? '?download=1' : ''}`
}
