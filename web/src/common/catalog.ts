// Shapes and Chinese labels of the catalog API (docs/api.md, "Catalog"), shared by the
// portal guide page and the workbench's item screens.
export interface OrgRef {
  id: number
  code: string
  name: string
}

export interface Material {
  name: string
  form: 'original' | 'copy' | 'both'
  copies: number
  medium: 'paper' | 'electronic' | 'both'
  required: 'yes' | 'conditional'
  condition: string
  source: string
  blank_form: string
  sample: string
  license_type: string
  note: string
}

export interface Step {
  name: string
  role: string
  role_name?: string
  org?: OrgRef | null
  org_id?: number | null
  days: number
  description: string
}

export interface ItemSummary {
  id: number
  code: string
  name: string
  type: string
  type_name: string
  department: OrgRef
  theme: string
  modes: string[]
  levels: string[]
  visits: number
  committed_days: number
  statutory_days: number
  online_depth: string
  status?: string
  version?: number
  pending?: boolean
  updated_at?: string
}

export interface CaseModesSpec {
  joint?: { step: number; org_ids: number[] }[]
  commitment?: { materials: string[]; check_days: number } | null
  tolerance?: { materials: string[]; decision_waits: boolean } | null
}

export interface Item extends ItemSummary {
  window: OrgRef | null
  implementing_body: string
  target: string
  keywords: string
  basis: string
  conditions: string
  case_kind: 'immediate' | 'committed'
  fee: { charged: boolean; standard: string; basis: string }
  hosted: boolean
  appointment: boolean
  delivery: boolean
  scope: string
  place: string
  hours: string
  consult_phone: string
  complaint_phone: string
  result_name: string
  remedies: string
  materials: Material[]
  steps: Step[]
  /** 并联审批, 告知承诺制, 容缺受理 (issue 22; src/catalog/catalog_modes.c); null: none */
  case_modes?: CaseModesSpec | null
  published_at?: string
  suspend_reason?: string
}

export interface Coded {
  code: string
  name: string
}

export interface Vocabularies {
  themes: string[]
  types: Coded[]
  modes: Coded[]
  levels: Coded[]
  targets: Coded[]
  online_depths: Coded[]
  forms: Coded[]
  media: Coded[]
  roles: Coded[]
  statuses: Coded[]
  departments: OrgRef[]
  windows: OrgRef[]
}

export const MODE_NAMES: Record<string, string> = {
  immediate: '马上办',
  online: '网上办',
  nearby: '就近办',
  one_visit: '一次办',
}
export const LEVEL_NAMES: Record<string, string> = {
  district: '区级政务服务中心',
  township: '乡镇（街道）便民服务中心',
  agent_point: '村（社区）代办点',
}
export const DEPTH_NAMES: Record<string, string> = { none: '不可网办', apply: '网上申请', full: '全程网办' }
export const FORM_NAMES: Record<string, string> = { original: '原件', copy: '复印件', both: '原件和复印件' }
export const MEDIUM_NAMES: Record<string, string> = { paper: '纸质', electronic: '电子', both: '纸质和电子' }
export const STATUS_NAMES: Record<string, string> = { draft: '草稿', published: '已发布', suspended: '已暂停' }
export const TARGET_NAMES: Record<string, string> = { person: '个人', enterprise: '法人', both: '个人和法人' }

/** "5个工作日", or 即办 for 0. */
export function days(n: number): string {
  return n === 0 ? '即办' : `${n}个工作日`
}
