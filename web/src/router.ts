// Routes. History mode with base '/': the C server answers index.html for any non-API
// path. The portal (/) and the workbench (/work) are separate lazy chunks, so a citizen's
// phone never downloads workbench code (or ECharts).
//
// Guards:
// - routes with meta.staff need a signed-in staff account whose role may open the page
//   (work/menu.ts); otherwise → /work/login?redirect=…, or back to the portal for citizen
//   and enterprise accounts (该账号不是工作人员账号);
// - routes with meta.signedIn (portal pages about "my" things) need any account → /login.
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import { useSessionStore } from './common/session'
import { canVisit } from './work/menu'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    staff?: boolean
    signedIn?: boolean
  }
}

export const NOT_STAFF_MESSAGE = '该账号不是工作人员账号，请在政务服务网登录办事'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    {
      path: '/',
      component: () => import('./portal/PortalLayout.vue'),
      children: [
        { path: '', name: 'portal-home', component: () => import('./portal/PortalHome.vue') },
        { path: 'search', name: 'search', component: () => import('./portal/SearchPage.vue'), meta: { title: '事项搜索' } },
        { path: 'items/:id', name: 'item-guide', component: () => import('./portal/ItemGuide.vue'), meta: { title: '办事指南' } },
        { path: 'services', name: 'services', component: () => import('./portal/ServicesPage.vue'), meta: { title: '办事服务' } },
        { path: 'login', name: 'portal-login', component: () => import('./portal/PortalLogin.vue'), meta: { title: '用户登录' } },
        { path: 'register', name: 'portal-register', component: () => import('./portal/RegisterPage.vue'), meta: { title: '注册账号' } },
        {
          path: 'my/cases',
          name: 'my-cases',
          component: () => import('./portal/MyCases.vue'),
          meta: { title: '我的办件', signedIn: true },
        },
        {
          path: 'my/messages',
          name: 'my-messages',
          component: () => import('./portal/MyMessages.vue'),
          meta: { title: '消息中心', signedIn: true },
        },
        {
          path: 'my/wallet',
          name: 'my-wallet',
          component: () => import('./portal/MyWallet.vue'),
          meta: { title: '我的卡包', signedIn: true },
        },
        {
          path: 'my/cases/:id',
          name: 'my-case',
          component: () => import('./portal/CaseView.vue'),
          meta: { title: '办件详情', signedIn: true },
        },
        {
          path: 'apply/:id',
          name: 'apply',
          component: () => import('./portal/ApplyPage.vue'),
          meta: { title: '在线申请', signedIn: true },
        },
        { path: 'bundles', name: 'bundles', component: () => import('./portal/bundles/BundleList.vue'), meta: { title: '一件事一次办' } },
        { path: 'bundles/:id(\\d+)', name: 'bundle-guide', component: () => import('./portal/bundles/BundleGuide.vue'), meta: { title: '一件事办事指南' } },
        {
          path: 'bundles/:id(\\d+)/apply',
          name: 'bundle-apply',
          component: () => import('./portal/bundles/BundleApply.vue'),
          meta: { title: '一件事申请', signedIn: true },
        },
        { path: 'my/bundles', name: 'my-bundles', component: () => import('./portal/bundles/MyBundles.vue'), meta: { title: '我的一件事', signedIn: true } },
        {
          path: 'my/bundles/:id(\\d+)',
          name: 'my-bundle',
          component: () => import('./portal/bundles/BundleTrack.vue'),
          meta: { title: '一件事进度', signedIn: true },
        },
        { path: 'track', name: 'track', component: () => import('./portal/TrackPage.vue'), meta: { title: '办件进度查询' } },
        { path: 'calendar', name: 'due-calc', component: () => import('./portal/DueCalcPage.vue'), meta: { title: '办理期限计算' } },
        { path: 'open', name: 'disclosure', component: () => import('./portal/open/OpenHome.vue'), meta: { title: '政务公开' } },
        {
          path: 'open/publications/:id',
          name: 'open-publication',
          component: () => import('./portal/open/PublicationPage.vue'),
          meta: { title: '政务公开' },
        },
        {
          path: 'open/apply',
          name: 'open-apply',
          component: () => import('./portal/open/RequestForm.vue'),
          meta: { title: '政府信息公开申请', signedIn: true },
        },
        { path: 'open/my', name: 'open-my', component: () => import('./portal/open/MyRequests.vue'), meta: { title: '我的申请', signedIn: true } },
        {
          path: 'open/my/:id',
          name: 'open-my-request',
          component: () => import('./portal/open/MyRequest.vue'),
          meta: { title: '我的申请', signedIn: true },
        },
        {
          path: 'open/reports/:year?',
          name: 'open-report',
          component: () => import('./portal/open/ReportPage.vue'),
          meta: { title: '政府信息公开工作年度报告' },
        },
        { path: 'verify/:code', name: 'verify', component: () => import('./portal/open/VerifyPage.vue'), meta: { title: '文书核验' } },
        {
          path: 'complaints',
          name: 'complaints',
          component: () => import('./portal/ComplaintsPage.vue'),
          meta: { title: '投诉建议' },
        },
        { path: 'rate/:caseId(\\d+)', name: 'rate', component: () => import('./portal/RatePage.vue'), meta: { title: '办件评价' } },
        { path: 'my/ratings', name: 'my-ratings', component: () => import('./portal/MyRatings.vue'), meta: { title: '我的评价', signedIn: true } },
        { path: 'hall', name: 'halls', component: () => import('./portal/hall/HallsHome.vue'), meta: { title: '预约取号' } },
        { path: 'hall/ticket/:id(\\d+)', name: 'hall-ticket', component: () => import('./portal/hall/TicketView.vue'), meta: { title: '我的排队号' } },
        { path: 'hall/assist/:id(\\d+)', name: 'hall-assist', component: () => import('./portal/hall/AssistConfirm.vue'), meta: { title: '帮办代办确认' } },
        { path: 'hall/:site', name: 'hall-phone', component: () => import('./portal/hall/HallPhone.vue'), meta: { title: '手机取号' } },
        {
          path: 'appointments/new',
          name: 'book',
          component: () => import('./portal/hall/BookPage.vue'),
          meta: { title: '网上预约', signedIn: true },
        },
        {
          path: 'my/appointments',
          name: 'my-appointments',
          component: () => import('./portal/hall/MyAppointments.vue'),
          meta: { title: '我的预约', signedIn: true },
        },
      ],
    },
    // The hall's own screens, full-window and without the portal's frame.
    { path: '/hall/:site/kiosk', name: 'hall-kiosk', component: () => import('./hall/KioskTake.vue'), meta: { title: '自助取号' } },
    { path: '/hall/:site/display', name: 'hall-display', component: () => import('./hall/HallDisplay.vue'), meta: { title: '叫号大屏' } },
    {
      path: '/kiosk/:code',
      name: 'kiosk',
      component: () => import('./kiosk/KioskPage.vue'),
      meta: { title: '窗口评价器' },
    },
    {
      path: '/work/login',
      name: 'work-login',
      component: () => import('./work/WorkLogin.vue'),
      meta: { title: '工作人员登录' },
    },
    {
      path: '/work',
      component: () => import('./work/WorkLayout.vue'),
      meta: { staff: true },
      children: [
        { path: '', name: 'work-home', component: () => import('./work/WorkHome.vue'), meta: { title: '工作台首页' } },
        { path: 'bundles', name: 'work-bundles', component: () => import('./work/bundles/BundleCompose.vue'), meta: { title: '一件事编排' } },
        {
          path: 'bundles/applications',
          name: 'work-bundle-desk',
          component: () => import('./work/bundles/BundleDesk.vue'),
          meta: { title: '一件事受理与出件' },
        },
        {
          path: 'bundles/applications/:id(\\d+)',
          name: 'work-bundle',
          component: () => import('./work/bundles/BundleWork.vue'),
          meta: { title: '一件事办理' },
        },
        { path: 'bundles/lights', name: 'work-bundle-lights', component: () => import('./work/bundles/BundleLights.vue'), meta: { title: '一件事监察' } },
        { path: 'messages', name: 'work-messages', component: () => import('./work/WorkMessages.vue'), meta: { title: '消息中心' } },
        {
          path: 'catalog/items',
          name: 'work-catalog-items',
          component: () => import('./work/catalog/ItemList.vue'),
          meta: { title: '事项管理' },
        },
        {
          path: 'catalog/items/:id',
          name: 'work-catalog-item',
          component: () => import('./work/catalog/ItemEdit.vue'),
          meta: { title: '编辑事项' },
        },
        { path: 'cases/intake', name: 'work-intake', component: () => import('./work/cases/IntakePage.vue'), meta: { title: '受理登记' } },
        { path: 'cases/review', name: 'work-review', component: () => import('./work/cases/ReviewPage.vue'), meta: { title: '审批办件' } },
        { path: 'cases/delivery', name: 'work-delivery', component: () => import('./work/cases/DeliveryPage.vue'), meta: { title: '出件' } },
        { path: 'cases/:id(\\d+)', name: 'work-case', component: () => import('./work/cases/CaseWork.vue'), meta: { title: '办件办理' } },
        { path: 'calendar', name: 'work-calendar', component: () => import('./work/calendar/DeadlineCalc.vue'), meta: { title: '期限计算' } },
        { path: 'supervision', name: 'work-supervision', component: () => import('./work/supervision/DashboardPage.vue'), meta: { title: '电子监察' } },
        { path: 'notices', name: 'work-notices', component: () => import('./work/supervision/NoticesPage.vue'), meta: { title: '督办' } },
        { path: 'digest', name: 'work-digest', component: () => import('./work/supervision/DigestPage.vue'), meta: { title: '每日监察摘要' } },
        { path: 'stats', name: 'work-stats', component: () => import('./work/supervision/StatsPage.vue'), meta: { title: '统计报表' } },
        { path: 'rectifications', name: 'work-rectifications', component: () => import('./work/supervision/RectificationsPage.vue'), meta: { title: '差评整改' } },
        { path: 'complaints', name: 'work-complaints', component: () => import('./work/supervision/ComplaintsQueue.vue'), meta: { title: '投诉建议办理' } },
        { path: 'service', name: 'work-service', component: () => import('./work/supervision/WindowService.vue'), meta: { title: '窗口服务与评价' } },
        { path: 'hall/counter', name: 'work-hall-counter', component: () => import('./work/hall/CounterPage.vue'), meta: { title: '窗口叫号' } },
        { path: 'hall/appointments', name: 'work-hall-appointments', component: () => import('./work/hall/AppointmentsDay.vue'), meta: { title: '预约管理' } },
        { path: 'hall/assists', name: 'work-hall-assists', component: () => import('./work/hall/AssistsPage.vue'), meta: { title: '帮办代办' } },
        { path: 'hall/settings', name: 'work-hall-settings', component: () => import('./work/hall/HallSettings.vue'), meta: { title: '大厅设置' } },
        {
          path: 'disclosure/requests',
          name: 'work-dis-requests',
          component: () => import('./work/disclosure/RequestQueue.vue'),
          meta: { title: '依申请公开办理' },
        },
        {
          path: 'disclosure/requests/new',
          name: 'work-dis-request-new',
          component: () => import('./work/disclosure/RequestRegister.vue'),
          meta: { title: '登记来信来访申请' },
        },
        {
          path: 'disclosure/requests/:id',
          name: 'work-dis-request',
          component: () => import('./work/disclosure/RequestDetail.vue'),
          meta: { title: '依申请公开办理' },
        },
        {
          path: 'disclosure/publications',
          name: 'work-dis-publications',
          component: () => import('./work/disclosure/PublicationList.vue'),
          meta: { title: '主动公开管理' },
        },
        {
          path: 'disclosure/publications/:id',
          name: 'work-dis-publication',
          component: () => import('./work/disclosure/PublicationEdit.vue'),
          meta: { title: '主动公开管理' },
        },
        {
          path: 'disclosure/inspections',
          name: 'work-dis-inspections',
          component: () => import('./work/disclosure/InspectionPage.vue'),
          meta: { title: '督查' },
        },
        {
          path: 'disclosure/report',
          name: 'work-dis-report',
          component: () => import('./work/disclosure/ReportEdit.vue'),
          meta: { title: '年度报告' },
        },
        { path: 'assessment/schemes', name: 'work-assess-schemes', component: () => import('./work/assessment/SchemesPage.vue'), meta: { title: '考核方案' } },
        { path: 'assessment/scores', name: 'work-assess-scores', component: () => import('./work/assessment/ScoresPage.vue'), meta: { title: '考核评分' } },
        { path: 'assessment/adjustments', name: 'work-assess-adjustments', component: () => import('./work/assessment/AdjustmentsPage.vue'), meta: { title: '加减分' } },
        { path: 'assessment/mine', name: 'work-assess-mine', component: () => import('./work/assessment/MySheetPage.vue'), meta: { title: '本单位考核' } },
        { path: 'assessment/objections', name: 'work-assess-objections', component: () => import('./work/assessment/ObjectionsPage.vue'), meta: { title: '考核申诉' } },
        { path: 'workplan', name: 'work-plan', component: () => import('./work/assessment/WorkPlanPage.vue'), meta: { title: '工作要点' } },
        { path: 'bulletins', name: 'work-bulletins', component: () => import('./work/assessment/BulletinsPage.vue'), meta: { title: '简报通报' } },
        {
          path: 'admin/users',
          name: 'work-admin-users',
          component: () => import('./work/admin/UsersPage.vue'),
          meta: { title: '用户管理' },
        },
        {
          path: 'admin/orgs',
          name: 'work-admin-orgs',
          component: () => import('./work/admin/OrgsPage.vue'),
          meta: { title: '机构管理' },
        },
        {
          path: 'admin/audit',
          name: 'work-admin-audit',
          component: () => import('./work/admin/AuditPage.vue'),
          meta: { title: '审计日志' },
        },
        {
          path: 'admin/exchange',
          name: 'work-admin-exchange',
          component: () => import('./work/admin/ExchangePage.vue'),
          meta: { title: '数据交换' },
        },
        {
          path: 'admin/templates',
          name: 'work-admin-templates',
          component: () => import('./work/admin/TemplatesPage.vue'),
          meta: { title: '消息模板' },
        },
        {
          path: 'admin/sms',
          name: 'work-admin-sms',
          component: () => import('./work/admin/SmsPage.vue'),
          meta: { title: '短信记录' },
        },
        {
          path: 'admin/identities',
          name: 'work-admin-identities',
          component: () => import('./work/admin/IdentitiesPage.vue'),
          meta: { title: '统一身份认证绑定' },
        },
        {
          path: 'admin/system',
          name: 'work-admin-system',
          component: () => import('./work/admin/SystemInfo.vue'),
          meta: { title: '系统信息' },
        },
      ],
    },
    {
      path: '/:pathMatch(.*)*',
      component: () => import('./portal/PortalLayout.vue'),
      children: [{ path: '', name: 'not-found', component: () => import('./portal/NotFound.vue'), meta: { title: '页面不存在' } }],
    },
  ],
  scrollBehavior(_to, _from, saved) {
    return saved ?? { top: 0 }
  },
})

async function whoIsSignedIn() {
  const session = useSessionStore()
  try {
    await session.ensureLoaded()
  } catch {
    // /me failed for another reason than 401 (already shown to the person): treat as
    // not signed in, the sign-in page is the safe place to land.
  }
  return session.user
}

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (to.matched.some((r) => r.meta.staff)) {
    const user = await whoIsSignedIn()
    if (!user) return { path: '/work/login', query: { redirect: to.fullPath } }
    if (user.kind !== 'staff') {
      ElMessage.warning({ message: NOT_STAFF_MESSAGE, grouping: true })
      return { path: '/' }
    }
    if (!canVisit(user.role, to.path, user.org?.kind)) {
      ElMessage.error({ message: '您的岗位没有使用该页面的权限', grouping: true })
      return { path: '/work' }
    }
    return true
  }
  if (to.matched.some((r) => r.meta.signedIn)) {
    const user = await whoIsSignedIn()
    if (!user) return { path: '/login', query: { redirect: to.fullPath } }
  }
  return true
})

let firstNavigation = true
router.afterEach((to, _from, failure) => {
  if (failure) return
  const area = to.path.startsWith('/work') ? '政务服务工作台' : '政务服务网'
  document.title = to.meta.title ? `${to.meta.title} - ${area}` : area
  // After an in-app navigation, move keyboard/screen-reader focus to the new content
  // (the first load keeps the browser's natural start so the skip link comes first).
  if (firstNavigation) {
    firstNavigation = false
    return
  }
  requestAnimationFrame(() => {
    const main = document.getElementById('main')
    if (main) main.focus({ preventScroll: true })
  })
})
