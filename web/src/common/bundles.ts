// One-thing bundles (一件事一次办, docs/api.md "One-thing bundles"): the types the portal
// and the workbench share, and the few helpers every bundle page needs.
import { api } from './api'

export type Light = 'green' | 'yellow' | 'red' | null

export interface BundleField {
  key: string
  label: string
  required?: boolean
}

export interface BundleItem {
  seq: number
  item_id: number
  name: string
  code: string
  department: { id: number; name: string }
  committed_days: number
  waits_for: number | null
  waits_for_item?: string
  via_material?: string
  result_name?: string
  license_type?: string
  online?: boolean
  fields?: BundleField[]
}

export interface BundleSummary {
  id: number
  name: string
  life_event: string
  target: 'person' | 'enterprise'
  committed_days: number
  on_denial: 'continue' | 'stop'
  on_denial_name: string
  active: boolean
  departments: string[]
  items: BundleItem[]
}

export interface BundleGuide extends BundleSummary {
  form: (BundleField & { items: number[] })[]
  materials: { name: string; required: boolean; license_type: string; items: number[]; fed_by: { seq: number; item: string } | null }[]
}

export interface BundleChild {
  seq: number
  case_id: number
  case_no: string
  item: { id: number; name: string }
  department: { id: number; name: string } | null
  state: string
  state_name: string
  current_step: string
  result: string
  due: string | null
  waits_for: number | null
  waits_for_item?: string
  via_material?: string
  license_fed?: boolean
  light: Light
  days_left?: number
}

export interface BundleApp {
  id: number
  app_no: string
  bundle: { id: number; name: string }
  on_denial: string
  on_denial_name: string
  state: 'open' | 'ready' | 'concluded' | 'terminated'
  state_name: string
  stop_reason: string
  applicant: { name: string; id_number: string }
  channel: string
  submitted_at: string
  received_date: string
  due_date: string | null
  light: Light
  days_left?: number
  delivery: string
  delivered_at: string | null
  rating: number | null
  concluded_at: string | null
  form?: Record<string, string>
  children?: BundleChild[]
  actions?: string[]
}

export const LIGHT_NAMES: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' }

/** "剩 3 个工作日" / "超期 2 个工作日" / "" for a light that does not run. */
export function leftText(light: Light, left?: number): string {
  if (!light || left === undefined) return ''
  return left >= 0 ? `剩 ${left} 个工作日` : `超期 ${-left} 个工作日`
}

/** Element Plus tag type for a bundle's state. */
export function stateTag(state: string): 'primary' | 'warning' | 'success' | 'info' {
  return state === 'ready' ? 'warning' : state === 'concluded' ? 'success' : state === 'terminated' ? 'info' : 'primary'
}

/** What a child waits for, in words a clerk and an applicant both understand. */
export function waitingText(c: BundleChild): string {
  if (!c.waits_for) return ''
  if (c.license_fed) return `已自动取得“${c.via_material}”（来自“${c.waits_for_item}”的办理结果）`
  return `等待“${c.waits_for_item}”办结，其结果将自动作为“${c.via_material}”`
}

export function getBundle(id: number | string) {
  return api.get<BundleGuide>(`/bundles/${id}`, { handle: [404] })
}

export function getBundleApp(id: number | string) {
  return api.get<BundleApp>(`/bundle-applications/${id}`, { handle: [404] })
}
