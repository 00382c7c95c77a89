// Footer facts for the moment before /api/v1/meta has answered (or if it fails): the
// server's `center_address`, `hours` and `hotline` (configuration keys center_address,
// service_hours, hotline) win as soon as they arrive (see meta.ts).
export const SITE_DEFAULTS = {
  centerAddress: '赫山区政务服务中心办事大厅（详细地址请拨打 12345 咨询）',
  hours: '工作日 9:00–17:00（法定节假日除外）',
  hotline: '12345',
} as const
