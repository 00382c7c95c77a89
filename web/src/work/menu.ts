// The workbench's side menu: which staff role may use which page.
//
// This table is the single source for both the menu a person sees and the route guard
// that keeps them out of pages not meant for them (router.ts asks canVisit()). Only list
// pages that exist: an entry here must have a route under /work in router.ts.
//
// How a later issue adds a page (e.g. the intake desk, issue "受理登记"):
//   1. write the page, e.g. src/work/cases/IntakePage.vue, and add its route in router.ts
//      as a child of /work: { path: 'cases/intake', component: () => import(...) };
//   2. add one line here, in the group it belongs to:
//      { path: '/work/cases/intake', title: '受理登记', icon: 'DocumentAdd',
//        group: '办件管理', roles: ['clerk', 'agent'] },
//   Icons are names from @element-plus/icons-vue registered in MenuIcon.vue.
import type { Role } from '@/common/types'

export type StaffRole = Exclude<Role, 'citizen' | 'enterprise'>

export const STAFF_ROLES: readonly StaffRole[] = ['agent', 'clerk', 'approver', 'supervisor', 'discloser', 'admin']

export interface MenuEntry {
  /** Full route path under /work. */
  path: string
  /** Menu label (Chinese). */
  title: string
  /** Icon name, see MenuIcon.vue. */
  icon:
    | 'HomeFilled' | 'Monitor' | 'Files' | 'DocumentAdd' | 'Stamp' | 'Box' | 'Calendar'
    | 'DataLine' | 'Histogram' | 'Warning' | 'ChatLineSquare' | 'Star'
    | 'Tickets' | 'Document' | 'DataAnalysis' | 'Bell' | 'User' | 'List' | 'OfficeBuilding'
    | 'Microphone' | 'Clock' | 'Help' | 'Setting'
  /** Menu group heading; entries without one sit at the top level. */
  group?: string
  /** Who sees and may open it. */
  roles: readonly StaffRole[]
  /** Only staff of these kinds of office (a township centre's clerk, not a window's). */
  orgKinds?: readonly string[]
}

export const MENU: readonly MenuEntry[] = [
  { path: '/work', title: '首页', icon: 'HomeFilled', roles: STAFF_ROLES },
  { path: '/work/cases/intake', title: '受理登记', icon: 'DocumentAdd', group: '办件管理', roles: ['clerk', 'agent'] },
  { path: '/work/cases/review', title: '审批办件', icon: 'Stamp', group: '办件管理', roles: ['approver'] },
  { path: '/work/cases/delivery', title: '出件', icon: 'Box', group: '办件管理', roles: ['clerk'] },
  { path: '/work/bundles/applications', title: '一件事办理', icon: 'Tickets', group: '办件管理', roles: ['clerk'] },
  { path: '/work/calendar', title: '期限计算', icon: 'Calendar', group: '办件管理', roles: STAFF_ROLES },
  { path: '/work/hall/counter', title: '窗口叫号', icon: 'Microphone', group: '大厅服务', roles: ['clerk'] },
  { path: '/work/hall/appointments', title: '预约管理', icon: 'Clock', group: '大厅服务', roles: ['clerk', 'supervisor', 'admin'] },
  { path: '/work/hall/assists', title: '帮办代办', icon: 'Help', group: '大厅服务', roles: ['clerk', 'agent', 'supervisor', 'admin'] },
  { path: '/work/hall/settings', title: '大厅设置', icon: 'Setting', group: '大厅服务', roles: ['supervisor', 'admin'] },
  { path: '/work/service', title: '窗口服务与评价', icon: 'Star', group: '好差评与监察', roles: ['clerk', 'agent'] },
  { path: '/work/rectifications', title: '差评整改', icon: 'Warning', group: '好差评与监察', roles: ['clerk', 'agent', 'approver', 'supervisor', 'admin'] },
  { path: '/work/complaints', title: '投诉建议办理', icon: 'ChatLineSquare', group: '好差评与监察', roles: ['clerk', 'approver', 'supervisor', 'admin'] },
  { path: '/work/notices', title: '督办', icon: 'Bell', group: '好差评与监察', roles: ['approver', 'supervisor', 'admin'] },
  { path: '/work/digest', title: '每日监察摘要', icon: 'Tickets', group: '好差评与监察', roles: ['approver', 'supervisor', 'admin'] },
  { path: '/work/supervision', title: '电子监察', icon: 'DataLine', group: '好差评与监察', roles: ['approver', 'supervisor', 'admin'] },
  { path: '/work/bundles/lights', title: '一件事监察', icon: 'DataLine', group: '好差评与监察', roles: ['clerk', 'supervisor', 'admin'] },
  { path: '/work/stats', title: '统计报表', icon: 'Histogram', group: '好差评与监察', roles: ['clerk', 'approver', 'supervisor', 'admin'] },
  { path: '/work/catalog/items', title: '事项管理', icon: 'Files', group: '事项目录', roles: ['admin'] },
  { path: '/work/bundles', title: '一件事编排', icon: 'List', group: '事项目录', roles: ['admin'] },
  { path: '/work/disclosure/requests', title: '依申请公开办理', icon: 'Tickets', group: '政务公开', roles: ['discloser', 'supervisor', 'admin'] },
  { path: '/work/disclosure/publications', title: '主动公开管理', icon: 'Document', group: '政务公开', roles: ['discloser', 'supervisor', 'admin'] },
  { path: '/work/disclosure/inspections', title: '督查', icon: 'Files', group: '政务公开', roles: ['discloser', 'supervisor'] },
  { path: '/work/disclosure/report', title: '年度报告', icon: 'DataAnalysis', group: '政务公开', roles: ['discloser', 'supervisor', 'admin'] },
  { path: '/work/assessment/schemes', title: '考核方案', icon: 'List', group: '考核与督查', roles: ['supervisor', 'admin'] },
  { path: '/work/assessment/scores', title: '考核评分', icon: 'DataAnalysis', group: '考核与督查', roles: ['supervisor', 'admin'] },
  { path: '/work/assessment/adjustments', title: '加减分', icon: 'Star', group: '考核与督查', roles: ['supervisor', 'admin'] },
  { path: '/work/assessment/mine', title: '本单位考核', icon: 'Histogram', group: '考核与督查', roles: ['clerk', 'approver', 'discloser'], orgKinds: ['department', 'township'] },
  { path: '/work/assessment/objections', title: '考核申诉', icon: 'ChatLineSquare', group: '考核与督查', roles: ['clerk', 'approver', 'discloser', 'supervisor', 'admin'], orgKinds: ['department', 'township', 'center'] },
  { path: '/work/workplan', title: '工作要点', icon: 'Tickets', group: '考核与督查', roles: ['clerk', 'approver', 'discloser', 'supervisor', 'admin'], orgKinds: ['department', 'township', 'center'] },
  { path: '/work/bulletins', title: '简报通报', icon: 'Bell', group: '考核与督查', roles: ['clerk', 'approver', 'discloser', 'supervisor', 'admin'], orgKinds: ['department', 'township', 'window', 'center'] },
  { path: '/work/admin/users', title: '用户管理', icon: 'User', group: '系统管理', roles: ['admin'] },
  { path: '/work/admin/orgs', title: '机构管理', icon: 'OfficeBuilding', group: '系统管理', roles: ['admin'] },
  { path: '/work/admin/audit', title: '审计日志', icon: 'List', group: '系统管理', roles: ['supervisor', 'admin'] },
  { path: '/work/admin/exchange', title: '数据交换', icon: 'DataLine', group: '系统管理', roles: ['supervisor', 'admin'] },
  { path: '/work/admin/templates', title: '消息模板', icon: 'Bell', group: '系统管理', roles: ['admin'] },
  { path: '/work/admin/sms', title: '短信记录', icon: 'ChatLineSquare', group: '系统管理', roles: ['supervisor', 'admin'] },
  { path: '/work/admin/identities', title: '统一身份认证绑定', icon: 'User', group: '系统管理', roles: ['admin'] },
  { path: '/work/admin/system', title: '系统信息', icon: 'Monitor', group: '系统管理', roles: ['admin'] },
]

export function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role)
}

function fits(m: MenuEntry, role: string, orgKind?: string): boolean {
  return (m.roles as readonly string[]).includes(role) && (!m.orgKinds || !orgKind || m.orgKinds.includes(orgKind))
}

/** The entries this role (in this kind of office) may see, in table order. */
export function menuFor(role: string, orgKind?: string): MenuEntry[] {
  return MENU.filter((m) => fits(m, role, orgKind))
}

/** May this role open this path? Paths not in the table are open to every staff role. */
export function canVisit(role: string, path: string, orgKind?: string): boolean {
  if (!isStaffRole(role)) return false
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path
  const entry = MENU.find((m) => m.path === normalized)
  return entry ? fits(entry, role, orgKind) : true
}

export interface MenuGroup {
  title: string | null
  entries: MenuEntry[]
}

/** Entries grouped for display: ungrouped first, then groups in first-seen order. */
export function groupedMenuFor(role: string, orgKind?: string): MenuGroup[] {
  const groups: MenuGroup[] = []
  const top: MenuGroup = { title: null, entries: [] }
  groups.push(top)
  for (const m of menuFor(role, orgKind)) {
    if (!m.group) {
      top.entries.push(m)
      continue
    }
    let g = groups.find((x) => x.title === m.group)
    if (!g) {
      g = { title: m.group, entries: [] }
      groups.push(g)
    }
    g.entries.push(m)
  }
  return groups.filter((g) => g.entries.length > 0)
}
