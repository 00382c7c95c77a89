// Shapes and Chinese labels of the cases API (docs/api.md, "Cases"), shared by the
// portal (申请, 我的办件, 进度查询) and the workbench (受理, 审批, 出件).
import { api } from './api'

export interface CaseDeadline {
  phase: 'intake' | 'decision' | 'delivery' | 'closed'
  status: 'on_time' | 'due_soon' | 'overdue' | 'paused' | 'closed' | 'unknown'
  status_name: string
  due: string | null
  due_committed: string | null
  due_statutory: string | null
  committed_days: number
  statutory_days: number
  days_left?: number
  days_used?: number
  committed_days_left?: number
  statutory_days_left?: number
  clock_start: string | null
  late?: boolean
  extended_days?: number
  message?: string
  /** A due date lies in a year whose holiday notice is not out: computed from the law. */
  provisional?: boolean
  pauses?: { start: string; end: string | null }[]
}

export interface CaseSummary {
  id: number
  case_no: string
  item: { id: number; code: string; name: string; version: number; type: string }
  department: { id: number; name: string }
  applicant: {
    kind: string
    name: string
    id_number: string
    mobile?: string
    address?: string
    has_account?: boolean
    /** a pilot-period USCC accepted by a clerk although its check characters fail */
    uscc_override?: { reason: string; by: number; by_name: string; at: string } | null
  }
  channel: string
  channel_name: string
  state: string
  state_name: string
  submitted_at: string
  received_date: string
  intake_org: { id: number; name: string } | null
  deadline: CaseDeadline
  result: string
  /** the step of the item's procedure the case is at (受理, 审查, 出件 …) */
  current_step: string
}

/** One step of the item's procedure as this case goes through it. */
export interface CaseStep {
  seq: number
  name: string
  role: string
  role_name: string
  org: { id: number; name: string }
  days: number
  status: 'done' | 'current' | 'todo' | 'skipped'
  department_step: boolean
  done_at?: string
  done_by?: { name: string; role: string; org: string }
  done_action?: string
}

export interface CaseEvent {
  seq: number
  at: string
  action: string
  action_name: string
  state: string
  state_name: string
  from_state?: string
  actor?: { name: string; role: string; org: string }
  org?: string
  comment?: string
  detail?: {
    reason?: string
    materials?: { name: string; problem: string }[]
    delivery?: string
    tracking_no?: string
    to_dept?: string
    deemed_accepted?: boolean
    notice?: number
    step?: { seq: number; name: string }
    next_step?: { seq: number; name: string; org: string }
    /** 办理期限调整 (action "deadline"): the calendar changed under the case */
    old_due_committed?: string | null
    due_committed?: string | null
    old_due?: string | null
    due?: string | null
    provisional?: boolean
  }
}

export interface CaseAction {
  action: string
  name: string
  to: string
  needs: ('reason' | 'materials' | 'dept_id' | 'delivery')[]
}

/** The case modes of issue 22 (src/cases/cases_modes.c): joint review, commitment, owed materials. */
export interface CaseModes {
  joint: {
    step: number
    org: { id: number; name: string }
    status: 'open' | 'approved' | 'denied' | 'closed'
    opinion: string
    by: string
    at: string | null
  }[]
  owed: { name: string; due: string; received_at: string | null; reminded_at: string | null; overdue: boolean }[]
  commitment: {
    materials: string[]
    check_days: number
    confirmed_at: string | null
    confirmed_by: string
    check_due: string | null
    check: { result: 'pass' | 'fail'; notes: string; by: string; at: string } | null
    check_overdue: boolean
    revoked_at: string | null
  } | null
  owe_allowed: string[]
  decision_waits: boolean
  commitment_allowed: boolean
  alerts: ('owed_overdue' | 'check_overdue')[]
}

export const JOINT_STATUS: Record<string, string> = {
  open: '待提出意见',
  approved: '同意',
  denied: '不同意',
  closed: '已关闭',
}

export interface CaseDetail extends CaseSummary {
  title: string
  materials: { name: string; required: boolean; provided: boolean; owed?: boolean; commitment?: boolean }[]
  modes: CaseModes
  accepted_date: string | null
  deemed_accepted: boolean
  decided_date: string | null
  concluded_at: string | null
  delivery: { method: string; tracking_no: string } | null
  supplement_notice: { at: string; notice: number; materials: { name: string; problem: string }[] } | null
  timeline: CaseEvent[]
  steps: CaseStep[]
  actions: CaseAction[]
}

export interface TrackAnswer {
  case_no: string
  item_name: string
  department: string
  applicant: { name: string; id_number: string }
  state: string
  state_name: string
  submitted_at: string
  deadline: CaseDeadline
  timeline: CaseEvent[]
  current_step: string
}

export const DELIVERY_NAMES: Record<string, string> = {
  window: '窗口领取',
  post: '邮寄送达',
  electronic: '电子送达',
}

/** Element Plus tag type for a deadline status. */
export function deadlineTagType(s: CaseDeadline['status']): 'success' | 'warning' | 'danger' | 'info' {
  if (s === 'on_time') return 'success'
  if (s === 'due_soon') return 'warning'
  if (s === 'overdue') return 'danger'
  return 'info'
}

/** "2026-11-24T09:30:00+08:00" → "2026-11-24 09:30". */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.slice(0, 16).replace('T', ' ')
}

export function transition(id: number, body: Record<string, unknown>) {
  return api.post<CaseDetail>(`/cases/${id}/transitions`, body, { handle: ['field'] })
}

/** A fresh key per form: a double click on 提交 files one case (Idempotency-Key). */
export function newIdempotencyKey(): string {
  const a = new Uint8Array(16)
  crypto.getRandomValues(a)
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('')
}
