// Types and small helpers of the assessment pages (docs/assessment.md): schemes, sheets,
// a unit's sheet with its figures, the records behind a figure, work tasks, bulletins.
export interface Indicator {
  id: number
  name: string
  metric: string
  metric_name?: string
  type: 'rate' | 'count' | 'manual'
  rule: string
  weight: number
  bonus: boolean
  params: Record<string, unknown>
  description?: string
  records?: string
}
export interface Scheme {
  id: number
  year: number
  unit_kind: 'department' | 'township'
  name: string
  notes: string
  state: 'draft' | 'issued'
  indicators: Indicator[]
  total_weight: number
  bonus_weight: number
}
export interface Period {
  code: string
  kind: string
  name: string
  from: string
  to: string
  cutoff: string
}
export interface SheetUnit {
  org_id: number
  name: string
  rank: number
  total: number
  base: number
  bonus: number
  scores?: number[]
  values?: (number | null)[]
}
export interface Sheet {
  id: number | null
  scheme: { id: number; name: string; year: number; unit_kind: string }
  period: Period
  version: number
  is_current: boolean
  published: boolean
  published_at: string | null
  indicators: Indicator[]
  units: SheetUnit[]
  average: number
}
export interface SheetSummary {
  id: number
  scheme_id: number
  scheme_name: string
  unit_kind: string
  period: string
  period_name: string
  version: number
  is_current: boolean
  published_at: string
  rank?: number
  total?: number
}
export interface UnitIndicator extends Indicator {
  has_data: boolean
  value: number | null
  num: number
  den: number
  score: number
  lost: number
  note: string
  record_count?: number
}
export interface Objection {
  id: number
  sheet_id: number
  scheme_name: string
  period: string
  period_name: string
  org_id: number
  org_name: string
  indicator_id: number | null
  indicator_name: string
  reason: string
  state: 'open' | 'upheld' | 'rejected'
  filed_by: string
  filed_at: string
  answer: string | null
  answered_by: string | null
}
export interface UnitSheet {
  sheet_id: number | null
  scheme: { id: number; name: string; year: number; unit_kind: string }
  period: Period
  version: number
  org_id: number
  name: string
  rank: number
  of: number
  total: number
  base: number
  bonus: number
  indicators: UnitIndicator[]
  objection: Objection | null
  may_object: boolean
  objection_due: string | null
}
export interface RecordRow {
  ref_type: string
  ref_id: number | null
  ref_no: string
  title: string
  date: string | null
  due: string | null
  detail: string
}
export interface Task {
  id: number
  plan_id: number
  plan_title: string
  seq: number
  title: string
  content: string
  lead: { id: number; name: string }
  units: { id: number; name: string }[]
  deadline: string
  state: 'open' | 'completed' | 'done'
  progress: number
  light: 'green' | 'yellow' | 'red' | 'done'
  overdue: boolean
  done_date: string | null
}

export const KIND_NAMES: Record<string, string> = { department: '区直部门', township: '乡镇（街道）' }
export const TASK_STATES: Record<string, string> = { open: '推进中', completed: '已报完成，待销号', done: '已销号' }
export const LIGHTS: Record<string, string> = { green: '正常', yellow: '临近时限', red: '逾期', done: '已销号' }

/** A figure as a person reads it: 96.88% for a rate, the count, ±points for manual. */
export function figureText(i: { type: string; value: number | null; has_data?: boolean }): string {
  if (i.value === null) return '无数据'
  if (i.type === 'rate') return `${(i.value * 100).toFixed(2)}%`
  if (i.type === 'manual') return `${i.value >= 0 ? '+' : ''}${i.value.toFixed(2)}`
  return String(i.value)
}

/** Period codes of a year: the year, its quarters, its months. */
export function periodsOf(year: number): { value: string; label: string }[] {
  const out = [{ value: String(year), label: `${year}年度` }]
  for (let q = 1; q <= 4; q++) out.push({ value: `${year}-Q${q}`, label: `${year}年第${'一二三四'[q - 1]}季度` })
  for (let m = 1; m <= 12; m++) out.push({ value: `${year}-${String(m).padStart(2, '0')}`, label: `${year}年${m}月` })
  return out
}
