// Government information disclosure (政府信息公开): the shapes the API answers and the
// Chinese names of its codes, shared by the portal and the workbench pages.

export interface Publication {
  id: number
  org_id: number
  org_name: string
  column: string
  column_name: string
  index_no: string | null
  title: string
  doc_number: string
  issued_date: string
  validity: string
  validity_name: string
  repealed_date: string | null
  state: string
  published_date: string | null
  review_note: string
  withdraw_reason: string
  body?: string
  may_edit?: boolean
  /** under review: false for the discloser who submitted it (another one approves) */
  may_approve?: boolean
  timeline?: TimelineEntry[]
  attachments?: PubAttachment[]
}

/** A paper of a request received on paper: the scanned letter, the envelope … */
export interface RequestPaper {
  id: number
  label: string
  filename: string
  content_type: string
  size: number
  url: string
}

/** What a scanner gives: the server accepts these for a request's papers. */
export const ACCEPT_SCANS = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png'

/** A file published with a publication (附件). */
export interface PubAttachment {
  id: number
  filename: string
  content_type: string
  size: number
  url: string
}

/** What a publication's attachments may be; the server decides by content. */
export const ACCEPT_ATTACHMENTS =
  '.pdf,.ofd,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.jpg,.jpeg,.png,.zip'

/** The kind of an attachment for its label, from the type the server sniffed. */
export function attachmentKind(ctype: string): string {
  if (ctype === 'application/pdf') return 'PDF'
  if (ctype === 'application/ofd') return 'OFD'
  if (ctype.includes('wordprocessingml') || ctype === 'application/msword') return 'Word'
  if (ctype.includes('spreadsheetml') || ctype === 'application/vnd.ms-excel') return 'Excel'
  if (ctype.includes('presentationml') || ctype === 'application/vnd.ms-powerpoint') return 'PPT'
  if (ctype.startsWith('image/')) return '图片'
  if (ctype === 'application/zip') return '压缩包'
  return '文件'
}

export interface Column {
  code: string
  name: string
  key_area: boolean
  feed: string
}

export interface TimelineEntry {
  at: string
  actor: string
  action: string
  from: string
  to: string
  note: string
}

export interface Notice {
  id: number
  kind: string
  title: string
  number: string
  verify_code: string
  issued_date: string
  delivered_date: string | null
  delivery_method: string | null
  pdf: string
}

export interface InfoRequest {
  id: number
  number: string
  org_id: number
  org_name: string
  channel: string
  applicant_type: string
  applicant_type_name: string
  applicant_name: string
  content: string
  state: string
  state_name: string
  received_date: string | null
  due_date: string | null
  /** the due date lies in a year whose holiday notice is not out: computed from the law */
  due_provisional?: boolean
  concluded_date: string | null
  outcome: string | null
  outcome_name: string | null
  submitted_at: string
  extended: boolean
  light: string
  workdays_left: number
  id_masked?: string | null
  uscc?: string | null
  contact_name?: string
  mobile_masked?: string
  address?: string
  email?: string
  purpose?: string
  delivery?: string
  clock_start?: string | null
  supplement_ask_by?: string
  supplement?: { asked_date: string | null; items: string | null; due: string | null; received_date: string | null; text: string | null }
  extension?: { approver: string; reason: string; date: string } | null
  fee?: { method: string; units: number; yuan: number; notice_date: string; due: string; paid_date: string | null } | null
  outcome_reason?: string
  pauses?: { kind: string; start: string; end: string | null; party: string }[]
  timeline?: TimelineEntry[]
  notices?: Notice[]
  reviews?: { id: number; kind: string; filed_date: string; body: string; result: string; decided_date: string | null; note: string }[]
  actions?: { action: string; name: string }[]
  may_handle?: boolean
  papers?: RequestPaper[]
}

export interface Outcome {
  key: string
  name: string
  group: number
  sub: number
  notice_title: string
  basis: string
  needs_reason: boolean
  reply: boolean
}

export interface ReportRow {
  key: string
  group: string
  label: string
  values: number[]
}

/** A table of a document as the server models it (src/docs/docs.h): cells row by row,
 * merged cells as spans, flags per cell (1 heading, 2 label, 4 figure). */
export interface DocTable {
  id: string | null
  sheet: string | null
  rows: number
  cols: number
  header_rows: number
  col_widths: number[]
  cells: string[][]
  flags: number[][]
  spans: { row: number; col: number; rows: number; cols: number }[]
  row_keys: (string | null)[]
  col_keys: (string | null)[]
}

export type DocBlock =
  | { kind: 'paragraph' | 'heading1' | 'heading2'; text: string }
  | { kind: 'table'; table: DocTable }

/** A document: the same model the server draws as PDF and writes as HTML. */
export interface DocModel {
  title: string
  number: string | null
  recipient: string | null
  blocks: DocBlock[]
  issuer: string
  sign_date: string | null
}

/** The texts the disclosure office writes (`entered`: "" = the template's default). */
export interface ReportTexts {
  opening: string
  overview: string
  overview_active: string
  overview_requests: string
  overview_management: string
  overview_platform: string
  overview_oversight: string
  problems: string
  other: string
}

export interface AnnualReport {
  year: number
  org_id: number
  /** the signed-in user may edit the texts (the unit's disclosers; the district's: the disclosure office) */
  may_edit?: boolean
  unit: string
  title: string
  /** the date the report bears, as the office set it (YYYY-MM-DD), or null */
  report_date: string | null
  /** what is printed: the office's texts or the template's defaults */
  texts: ReportTexts & { info_fees: string }
  /** what the office entered */
  entered: ReportTexts & { report_date: string | null }
  active: {
    rules: { issued: number; repealed: number; valid: number }
    normative: { issued: number; repealed: number; valid: number }
    permits: number
    penalties: number
    enforcement: number
    fees_wan: number
    fees_text: string
    published_total: number
    key_area: number
  }
  requests: { columns: { key: string; name: string }[]; rows: ReportRow[] }
  reviews: { columns: string[]; values: Record<string, number[]> }
  info_fees_yuan: number
  /** the whole report as one document: what the PDF, the HTML page and the workbook show */
  document: DocModel
}

export const CHANNELS: Record<string, string> = {
  online: '网上申请',
  in_person: '当面提交',
  post: '邮寄',
  data_message: '数据电文',
}

export const APPLICANT_TYPES: Record<string, string> = {
  person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  public_interest: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他组织',
}

export const DELIVERIES: Record<string, string> = {
  electronic: '电子数据（网上下载）',
  email: '电子邮件',
  paper: '纸质文本',
  pickup: '当面领取',
}

export const LIGHTS: Record<string, { name: string; type: 'success' | 'warning' | 'danger' | 'info' | 'primary' }> = {
  green: { name: '正常', type: 'success' },
  yellow: { name: '临近期限', type: 'warning' },
  red: { name: '已超期', type: 'danger' },
  paused: { name: '暂停计时', type: 'info' },
  new: { name: '待确认', type: 'primary' },
  done: { name: '按期办结', type: 'success' },
  late: { name: '逾期办结', type: 'danger' },
}

export const PUB_STATES: Record<string, string> = {
  draft: '草稿',
  review: '待保密审查',
  published: '已发布',
  withdrawn: '已撤回',
}

export const REVIEW_RESULTS: Record<string, string> = {
  pending: '尚未审结',
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
}
