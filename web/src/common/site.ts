// Footer facts that /api/v1/meta does not (yet) carry. If the server adds
// `center_address`, `hours` or `hotline` to /meta, those win (see meta.ts); until then
// these are what the portal shows. Keep them true for the district being served.
export const SITE_DEFAULTS = {
  centerAddress: '赫山区政务服务中心办事大厅（详细地址请拨打 12345 咨询）',
  hours: '工作日 9:00–17:00（法定节假日除外）',
  hotline: '12345',
} as const
