// Entry: Pinia, router, API hooks, 长辈模式 class — then mount. Kept small on purpose:
// the portal and the workbench are lazy route chunks (router.ts).
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { configureApi } from './common/api'
import { useSessionStore } from './common/session'
import { applyStoredElderlyMode } from './common/elderly'
import './styles/base.css'

applyStoredElderlyMode()

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)

const session = useSessionStore(pinia)
configureApi({
  getCsrfToken: () => session.csrfToken,
  onUnauthorized: () => {
    // The session ended (expired, signed out elsewhere): forget it and send the person to
    // the sign-in page of the area they are in, coming back here afterwards.
    session.clear()
    const here = router.currentRoute.value
    const login = here.path.startsWith('/work') ? '/work/login' : '/login'
    if (here.path !== login) void router.replace({ path: login, query: { redirect: here.fullPath } })
  },
})

app.use(router)
app.mount('#app')
