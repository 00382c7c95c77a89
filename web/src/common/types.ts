// Shapes of the API's answers that the UI reads (see docs/api.md for the full contract).

export type UserKind = 'staff' | 'citizen' | 'enterprise'

export type Role =
  | 'citizen'
  | 'enterprise'
  | 'agent'
  | 'clerk'
  | 'approver'
  | 'supervisor'
  | 'discloser'
  | 'admin'

export interface Org {
  id: number
  name: string
  /** center, window, department, township, agent_point */
  kind?: string
}

export interface User {
  id: number
  username: string
  name: string
  kind: UserKind
  role: Role
  role_name: string
  org: Org | null
  /** citizens: the ID number, masked (430903********2317) */
  id_number?: string
  /** enterprises: the unified social credit code (public, whole) */
  uscc?: string
}

/** POST /api/v1/session and GET /api/v1/me */
export interface SessionInfo {
  user: User
  csrf_token: string
}

/** GET /api/v1/meta */
export interface Meta {
  name: string
  version: string
  region: { name: string; code: string }
  center: string
  /** Optional extras the server may add; the footer prefers them over its defaults. */
  center_address?: string
  hours?: string
  hotline?: string
  /** The server's date in Shanghai, YYYY-MM-DD. */
  today?: string
}

/** GET /api/v1/health */
export interface Health {
  status: string
  version: string
  schema_version: number
  /** Newest schema this binary knows; differs from schema_version until `migrate` runs. */
  schema_latest?: number
  database: string
}

/** A paged list, as every list endpoint answers. */
export interface Page<T> {
  items: T[]
  total: number
  page: number
  per_page: number
}
