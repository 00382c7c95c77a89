// Shapes of the ratings, rectification, complaint, supervision and statistics answers
// (docs/api.md, issue 8) and the Chinese names the pages show.

export const LEVELS: { level: number; name: string; tone: string }[] = [
  { level: 5, name: '非常满意', tone: '#2f7d32' },
  { level: 4, name: '满意', tone: '#4c9a2a' },
  { level: 3, name: '基本满意', tone: '#c77700' },
  { level: 2, name: '不满意', tone: '#d35400' },
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
