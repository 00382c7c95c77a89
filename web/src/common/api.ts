// The one way the UI talks to the server: a small fetch wrapper around /api/v1/.
//
// What every call gets, so pages don't repeat it:
// - cookies (credentials: 'same-origin'): the session is the HttpOnly `ow_session` cookie;
// - `X-CSRF-Token` on every non-GET request (the token from sign-in or /me; the session
//   store owns it and hands it over through `configureApi`);
// - error bodies `{"error":{"code","field","message"}}` become an `ApiError` with a
//   Chinese message. Unless the caller says it handles the error itself (`handle`), the
//   message is shown as a toast; 5xx toasts carry the X-Request-Id so a clerk can quote it;
// - 401 sends the person to the right sign-in page (workbench or portal) with the current
//   path as `redirect` — except for calls that expect 401 (the sign-in form, the /me probe);
// - a network failure asks "重试?" and re-issues the very same request on 重试; a 503
//   with a short Retry-After (the database changing primary) is sent again by itself, up
//   to three times. A write carries one Idempotency-Key however often it is sent, so a
//   write whose first answer was lost is never done twice (docs/api.md "Retrying a write").
//
// The hooks are injected (configureApi) rather than imported, so this module does not
// depend on the router or the Pinia store, which both depend on it.
import { ElMessage, ElMessageBox } from 'element-plus'
// Explicit imports get no automatic styles from the on-demand resolver; bring them along.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'

export const API_BASE = '/api/v1'

export class ApiError extends Error {
  /** HTTP status; 0 when the request never reached the server. */
  readonly status: number
  /** Machine-readable code from the server (`bad_credentials`, `invalid_field`, …). */
  readonly code: string
  /** The form field the error belongs to, if the server named one. */
  readonly field: string | null
  /** X-Request-Id of the failed response, if any. */
  readonly requestId: string | null

  constructor(status: number, code: string, message: string, field: string | null, requestId: string | null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.requestId = requestId
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  body?: unknown
  query?: Record<string, string | number | boolean | null | undefined>
  /**
   * Statuses the caller handles itself: no toast, no sign-in redirect for them.
   * `'field'` means "errors that name a field are shown on the form" (still toasts others).
   */
  handle?: Array<number | 'field'>
  signal?: AbortSignal
}

interface ApiHooks {
  getCsrfToken: () => string | null
  /** Called on an unexpected 401: forget the session and go to the sign-in page. */
  onUnauthorized: () => void
}

let hooks: ApiHooks = {
  getCsrfToken: () => null,
  onUnauthorized: () => {},
}

export function configureApi(h: ApiHooks): void {
  hooks = h
}

/** Chinese wording for statuses whose body carried no usable message. */
function defaultMessage(status: number, retryAfter: string | null): string {
  switch (status) {
    case 400:
    case 422:
      return '提交的内容有误，请检查后重试'
    case 401:
      return '登录已失效，请重新登录'
    case 403:
      return '您没有权限进行此操作'
    case 404:
      return '请求的内容不存在'
    case 409:
      return '当前状态不允许此操作，请刷新后重试'
    case 413:
      return '提交的内容过大'
    case 429:
      return retryAfter ? `操作过于频繁，请 ${retryAfter} 秒后再试` : '操作过于频繁，请稍后再试'
    case 502:
    case 503:
    case 504:
      return '服务暂时不可用，请稍后再试'
    default:
      return status >= 500 ? '服务器处理出错，请稍后再试' : `请求失败（${status}）`
  }
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id')
  const retryAfter = res.headers.get('Retry-After')
  let code = `http_${res.status}`
  let field: string | null = null
  let message = ''
  try {
    const body = (await res.json()) as { error?: { code?: string; field?: string; message?: string } }
    if (body && body.error) {
      code = body.error.code || code
      field = body.error.field || null
      message = body.error.message || ''
    }
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall back to the status wording.
  }
  if (!message) message = defaultMessage(res.status, retryAfter)
  return new ApiError(res.status, code, message, field, requestId)
}

/** What a toast says: the message, plus the request id for server faults. */
export function describeError(err: ApiError): string {
  if (err.status >= 500 && err.requestId) return `${err.message}（请求编号：${err.requestId}）`
  return err.message
}

// One "network failed — retry?" box at a time: requests failing together share the answer.
let retryPrompt: Promise<boolean> | null = null

function askRetry(): Promise<boolean> {
  if (!retryPrompt) {
    retryPrompt = ElMessageBox.confirm('网络连接失败，请检查网络后重试。', '网络连接失败', {
      confirmButtonText: '重试',
      cancelButtonText: '取消',
      type: 'warning',
      closeOnClickModal: false,
    })
      .then(() => true)
      .catch(() => false)
      .finally(() => {
        retryPrompt = null
      })
  }
  return retryPrompt
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = path.startsWith('/api/') ? path : API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

/** A fresh Idempotency-Key: a UUID where the browser has one (secure contexts), else 128
 * random bits in hex. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

/** How long a 503 asks to wait, in ms, when it is short enough to wait for by itself. */
function shortRetryAfter(res: Response): number | null {
  if (res.status !== 503) return null
  const s = Number(res.headers.get('Retry-After'))
  return Number.isFinite(s) && s > 0 && s <= 10 ? s * 1000 : null
}

/**
 * Send one request to the API and return the parsed JSON body (undefined for 204).
 * Throws ApiError; by then the person has already been told (unless `handle` says
 * the caller tells them).
 */
export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const url = buildUrl(path, opts.query)
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: string | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (method !== 'GET') {
    const token = hooks.getCsrfToken()
    if (token) headers['X-CSRF-Token'] = token
    // not on sign-in: its answer (the session cookie) is never given twice
    if (!url.endsWith('/session')) headers['Idempotency-Key'] = newIdempotencyKey()
  }
  const handled = opts.handle ?? []

  let res: Response
  for (let waits = 0; ; ) {
    try {
      res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal })
      const wait = shortRetryAfter(res)
      if (wait !== null && waits < 3 && (method === 'GET' || headers['Idempotency-Key'])) {
        waits++
        await new Promise((r) => setTimeout(r, wait))
        continue
      }
      break
    } catch (e) {
      if (opts.signal?.aborted) throw e
      if (handled.includes(0)) throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试', null, null)
      if (!(await askRetry())) {
        throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试', null, null)
      }
    }
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  const err = await errorFromResponse(res)
  if (handled.includes(res.status) || (err.field && handled.includes('field'))) throw err
  if (res.status === 401) {
    hooks.onUnauthorized()
    ElMessage.warning({ message: err.message, grouping: true })
    throw err
  }
  ElMessage.error({ message: describeError(err), grouping: true, duration: err.status >= 500 ? 8000 : 4000 })
  throw err
}

/** What uploadFile hands back: the answer, and a way to cancel the transfer. */
export interface Upload<T> {
  done: Promise<T>
  abort: () => void
}

/**
 * Send a file as the raw request body with XMLHttpRequest (fetch reports no upload
 * progress), with the session cookie and `X-CSRF-Token` like `request`. `onProgress`
 * gets 0–100 as the bytes leave. Errors become an ApiError carrying the server's Chinese
 * message (413 too large, 415 wrong type …) and are not toasted: the upload control shows
 * them next to the material. A 401 still sends the person to sign in.
 */
export function uploadFile<T>(
  path: string,
  file: Blob,
  query: RequestOptions['query'],
  onProgress: (percent: number) => void,
): Upload<T> {
  const xhr = new XMLHttpRequest()
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', buildUrl(path, query))
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    const token = hooks.getCsrfToken()
    if (token) xhr.setRequestHeader('X-CSRF-Token', token)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T)
        return
      }
      let code = `http_${xhr.status}`
      let field: string | null = null
      let message = ''
      try {
        const body = JSON.parse(xhr.responseText) as { error?: { code?: string; field?: string; message?: string } }
        if (body && body.error) {
          code = body.error.code || code
          field = body.error.field || null
          message = body.error.message || ''
        }
      } catch {
        // not JSON: the status wording below
      }
      if (!message) message = defaultMessage(xhr.status, xhr.getResponseHeader('Retry-After'))
      if (xhr.status === 401) hooks.onUnauthorized()
      reject(new ApiError(xhr.status, code, message, field, xhr.getResponseHeader('X-Request-Id')))
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络连接失败，请检查网络后重试', null, null))
    xhr.onabort = () => reject(new ApiError(0, 'aborted', '已取消上传', null, null))
    xhr.send(file)
  })
  return { done, abort: () => xhr.abort() }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
}
