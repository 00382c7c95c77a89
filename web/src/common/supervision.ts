// Shapes of the ratings, rectification, complaint, supervision and statistics answers
// (docs/api.md, issue 8) and the Chinese names the pages show.

// The tones are both the text colour on white (the portal's rating buttons) and the
// background under white text (the kiosk, a chosen level): each reaches 4.5:1 either way.
export const LEVELS: { level: number; name: string; tone: string }[] = [
  { level: 5, name: '非常满意', tone: '#2f7d32' },
  { level: 4, name: '满意', tone: '#557a12' },
  { level: 3, name: '基本满意', tone: '#8f5500' },
  { level: 2, name: '不满意', tone: '#b34700' },
  { level: 1, name: '非常不满意', tone: '#c4161c' },
]

export interface RatingTags {
  good: string[]
  bad: string[]
}

export interface Rectification {
  id: number
  rating_id: number
  org: { id: number; name: string }
  state: 'open' | 'visited' | 'ledger' | 'appealed' | 'closed'
  state_name: string
  opened_date: string
  due_date: string
  overdue: boolean
  visit_note: string | null
  outcome: string | null
  outcome_name: string | null
  outcome_note: string | null
  ledger_due: string | null
  closed_at: string | null
  closed_late: boolean
  closing_note: string | null
  published: boolean
  rating: { level: number; level_name: string; comment: string; tags: string[]; topic: string; case_no: string; channel: string; rated_at: string; void: boolean }
}

export interface Rating {
  id: number
  channel: string
  channel_name: string
  case_id?: number
  case_no: string
  topic: string
  dept: { id: number; name: string }
  level: number
  level_name: string
  comment: string
  tags: string[]
  rated_at: string
  rectification_id: number | null
  rectification?: Rectification | null
}

export interface CaseRating {
  case_id: number
  case_no: string
  item_name: string
  state: string
  can_rate: boolean
  rating: Rating | null
  rectification: Rectification | null
  tags: RatingTags
}

export interface Complaint {
  id: number
  ref_no: string
  kind: 'complaint' | 'suggestion'
  subject: string
  subject_name: string
  case_no: string
  title: string
  content: string
  anonymous: boolean
  state: 'submitted' | 'assigned' | 'answered' | 'closed'
  state_name: string
  filed_at: string
  due_date: string
  overdue: boolean
  escalation: number
  answer: string | null
  answered_at: string | null
  answered_late: boolean
  satisfaction: number | null
  feedback: string | null
  about_org?: { id: number; name: string }
  assigned_org: { id: number; name: string } | null
  contact_name: string
  mobile: string
  events?: { at: string; actor: string; action: string; note: string }[]
}

export interface StatsColumn {
  key: string
  title: string
}

export interface StatsTable {
  title: string
  from: string
  to: string
  by: string
  columns: StatsColumn[]
  rows: Record<string, string | number | null>[]
  total: Record<string, string | number | null>
}

export interface Dashboard {
  from: string
  to: string
  cases_by_month_channel: { months: string[]; series: Record<string, number[]>; names: Record<string, string> }
  lights: { green: number; yellow: number; red: number }
  on_time_by_department: StatsTable
  township_workload: StatsTable
  satisfaction_by_month: StatsTable
  complaints_by_month: StatsTable
}

export const RECT_ACTIONS: Record<string, string> = {
  visit: '登记回访',
  verify: '核实处理',
  close: '台账整改完成',
  review: '申诉复核',
  publish: '公开',
}

export const OUTCOMES: { value: string; label: string }[] = [
  { value: 'fixed', label: '诉求合理，已立即整改' },
  { value: 'ledger', label: '情况复杂，列入整改台账限期整改' },
  { value: 'explained', label: '诉求缺乏法定依据，已解释说明' },
  { value: 'appeal', label: '误评或恶意差评，申请申诉复核' },
]

// ---- 督办 (supervision notices), alerts, daily digests ----

export interface NoticeEvent {
  seq: number
  at: string
  actor: string
  action: 'issue' | 'reply' | 'follow_up' | 'close'
  action_name: string
  note: string
  reply_due: string | null
  late: boolean
}

export interface SupervisionNotice {
  id: number
  case_id: number
  case_no: string
  item_name: string
  org: { id: number; name: string }
  content: string
  issued_by: string
  issued_at: string
  reply_due: string
  state: 'open' | 'replied' | 'closed'
  state_name: string
  overdue: boolean
  reply: string | null
  replied_by: string | null
  replied_at: string | null
  replied_late: boolean
  follow_ups: number
  days_left: number | null
  closed_by: string | null
  closed_at: string | null
  closing_note: string | null
  events?: NoticeEvent[]
}

/** A case with its light, as alerts, lights and digests list it. */
export interface LitCase {
  id: number
  case_no: string
  item_name: string
  state: string
  channel: string
  received_date: string | null
  due_date: string | null
  days_left: number
  light: 'green' | 'yellow' | 'red'
  dept_id: number
}

export interface OpenNoticeRow {
  id: number
  case_id: number
  case_no: string
  item_name: string
  org_name: string
  content: string
  reply_due_date: string
  overdue: number
  follow_ups: number
}

export interface RepliedNoticeRow {
  id: number
  case_id: number
  case_no: string
  item_name: string
  org_name: string
  reply: string
  replied_by: string
  replied_late: number
}

export interface RectRow {
  id: number
  state: string
  state_name: string
  org_name: string
  due_date: string
  overdue: number
  topic: string
  case_no: string
  level: number
}

export interface ComplaintRow {
  id: number
  ref_no: string
  kind: 'complaint' | 'suggestion'
  title: string
  state: string
  state_name: string
  org_name: string | null
  due_date: string
  overdue: number
  due_soon: number
  escalation: number
}

export interface InfoRequestDue {
  id: number
  number: string
  org_name: string
  applicant_name: string
  content: string
  due_date: string
  workdays_left: number
  light: 'red' | 'yellow'
}

/** What waits for an office besides its cases (alerts and digests share it). */
export interface OfficeLists {
  rectifications_open: number
  rectifications_overdue: number
  complaints_open: number
  complaints_overdue: number
  complaints_unassigned: number
  complaints_due_soon: number
  notices_open: number
  notices_overdue: number
  notices: OpenNoticeRow[]
  notices_replied: RepliedNoticeRow[] | number
  rectifications: RectRow[]
  complaints: ComplaintRow[]
}

export interface Alerts extends OfficeLists {
  green: number
  yellow: number
  red: number
  cases: LitCase[]
  notices_replied: number
  info_requests: { yellow: number; red: number; items: InfoRequestDue[] } | null
}

export interface Digest extends Partial<OfficeLists> {
  date: string
  new_from?: string
  org?: { id: number; name: string }
  made_at: string | null
  live: boolean
  green: number
  yellow: number
  red: number
  new?: number
  new_cases?: LitCase[]
  due_soon?: LitCase[]
  overdue?: LitCase[]
  notices_replied?: RepliedNoticeRow[]
}

/** 剩 3 个工作日 / 今天到期 / 超期 2 个工作日 */
export function daysLeftText(n: number): string {
  if (n < 0) return `超期 ${-n} 个工作日`
  if (n === 0) return '今天到期'
  return `剩 ${n} 个工作日`
}
