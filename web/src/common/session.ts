// Who is signed in, shared by the portal and the workbench.
//
// The session itself is the HttpOnly `ow_session` cookie, which scripts cannot read; what
// we keep here is the user the server described and the CSRF token it issued. The token
// also goes to sessionStorage so a reload within the tab keeps working before /me answers.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from './api'
import type { SessionInfo, User } from './types'

const CSRF_KEY = 'ow.csrf'

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY)
  } catch {
    return null
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token)
    else sessionStorage.removeItem(CSRF_KEY)
  } catch {
    // Private mode without storage: the in-memory token still works for this page.
  }
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const csrfToken = ref<string | null>(readStoredToken())
  /** True once we asked the server (GET /me) who we are in this page load. */
  const loaded = ref(false)
  let probing: Promise<void> | null = null

  const isStaff = computed(() => user.value?.kind === 'staff')

  function apply(info: SessionInfo): void {
    user.value = info.user
    csrfToken.value = info.csrf_token
    storeToken(info.csrf_token)
    loaded.value = true
  }

  function clear(): void {
    user.value = null
    csrfToken.value = null
    storeToken(null)
  }

  /**
   * Ask the server once per page load who is signed in; 401 simply means nobody.
   * The probe is quiet: any other failure (server down, 5xx) is not worth a toast on a
   * page the person merely opened — they count as "not signed in" for now, and the next
   * guarded navigation asks again. Pages that need a user go to the sign-in form, which
   * reports real errors.
   */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    if (!probing) {
      probing = api
        .get<SessionInfo>('/me', { handle: [0, 401, 403, 404, 429, 500, 502, 503, 504] })
        .then(apply)
        .catch((e: unknown) => {
          const status = (e as { status?: number }).status
          if (status === 401) {
            clear()
            loaded.value = true
          } else {
            console.warn('GET /api/v1/me failed', e)
          }
        })
        .finally(() => {
          probing = null
        })
    }
    return probing
  }

  /** Sign in; throws ApiError (401 bad_credentials, 429 throttled) for the form to show. */
  async function signIn(username: string, password: string): Promise<User> {
    // Every HTTP error is the form's to show (no toast on top); a network failure still
    // gets the retry box.
    const info = await api.post<SessionInfo>(
      '/session',
      { username, password },
      { handle: [400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504, 'field'] },
    )
    apply(info)
    return info.user
  }

  /**
   * Sign out here and, when the session came through the identity platform (统一身份认证),
   * send the browser on to the platform to end its session too (issue 20).
   */
  async function signOut(): Promise<void> {
    try {
      const out = await api.del<{ logout_url: string | null }>('/oidc/session', { handle: [401] })
      if (out?.logout_url) {
        clear()
        window.location.assign(out.logout_url)
        return
      }
    } catch (e) {
      // Already signed out on the server (401): fine. Anything else was shown as a toast;
      // forget the session here anyway so the person is not stuck signed in on screen.
      if ((e as { status?: number }).status !== 401) console.warn('sign-out failed', e)
    } finally {
      clear()
    }
  }

  return { user, csrfToken, loaded, isStaff, apply, clear, ensureLoaded, signIn, signOut }
})
