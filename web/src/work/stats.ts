// GET /api/v1/stats/workbench — the counters on the workbench home. The endpoint comes
// with the cases/supervision issues; each field is optional so the server can fill them
// in one by one, and a missing one shows "—".
//
// Expected shape (all counts are for what the signed-in person may see):
//   { "today_accepted": 12,        // 今日受理: cases accepted today
//     "pending_approval": 5,       // 待审批: waiting for this person / department
//     "due_soon": 2,               // 即将超期: yellow light (light_warn_days / light_warn_percent)
//     "overdue": 0,                // 已超期: red light
//     "trend": [ { "date": "2026-11-18", "accepted": 10, "concluded": 8 }, … ] }  // optional, last days
export interface TrendPoint {
  date: string
  accepted: number
  concluded: number
}

export interface WorkbenchStats {
  today_accepted?: number
  pending_approval?: number
  due_soon?: number
  overdue?: number
  trend?: TrendPoint[]
}

export type CounterKey = 'today_accepted' | 'pending_approval' | 'due_soon' | 'overdue'

export const COUNTERS: { key: CounterKey; label: string; tone: 'blue' | 'green' | 'amber' | 'red'; hint: string }[] = [
  { key: 'today_accepted', label: '今日受理', tone: 'blue', hint: '今天受理登记的办件' },
  { key: 'pending_approval', label: '待审批', tone: 'green', hint: '等待审查或决定的办件' },
  { key: 'due_soon', label: '即将超期', tone: 'amber', hint: '临近承诺时限（黄灯）' },
  { key: 'overdue', label: '已超期', tone: 'red', hint: '已超过承诺时限（红灯）' },
]
