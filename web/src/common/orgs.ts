// Offices as GET /api/v1/orgs answers them, and the kinds the platform knows (what may
// hang under what mirrors the server's check_parent).

export interface OrgRow {
  id: number
  kind: string
  code: string
  name: string
  address: string
  phone: string
  active: boolean
  parent_id: number | null
  children: number
}

export const ORG_KINDS: { kind: string; name: string; short: string; parent: string | null }[] = [
  { kind: 'center', name: '政务服务中心', short: '政务服务中心', parent: null },
  { kind: 'window', name: '窗口', short: '窗口', parent: 'center' },
  { kind: 'department', name: '部门', short: '部门', parent: null },
  { kind: 'township', name: '乡镇（街道）便民服务中心', short: '便民服务中心', parent: null },
  { kind: 'agent_point', name: '村（社区）代办点', short: '代办点', parent: 'township' },
]

export const orgKindName = (kind: string, short = false): string => {
  const k = ORG_KINDS.find((x) => x.kind === kind)
  return k ? (short ? k.short : k.name) : kind
}
