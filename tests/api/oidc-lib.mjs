// Shared by the OpenID Connect tests (oidc.test.mjs, tests/e2e/oidc.test.mjs): the test
// provider (oidc-provider.mjs) started as a child process, a onewindow server of its own
// configured to sign in through it, and a sign-in driven with plain HTTP through the
// provider's own login form.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const here = dirname(fileURLToPath(import.meta.url))

/** Start the test provider on the given clock offset; answers { issuer, port, ctl, stop }. */
export async function startProvider (dir, clockOffsetMs) {
  const portFile = join(dir, 'oidc-port')
  rmSync(portFile, { force: true })
  const proc = spawn(process.execPath, [join(here, 'oidc-provider.mjs'), '--port-file', portFile,
    '--clock-offset-ms', String(clockOffsetMs)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)))
  for (let i = 0; i < 500; i++) {
    if (existsSync(portFile) && readFileSync(portFile, 'utf8').trim()) {
      const port = Number(readFileSync(portFile, 'utf8').trim())
      const issuer = `http://127.0.0.1:${port}`
      const ctl = async (path, body) => {
        const r = await fetch(`${issuer}/_test/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })
        return r.json()
      }
      return { issuer, port, ctl, stderr: () => stderr, stop: async () => { proc.kill('SIGTERM'); await exited } }
    }
    if (proc.exitCode !== null) break
    await sleep(20)
  }
  throw new Error(`the test provider did not start: ${stderr}`)
}

/** The settings that point a server at the provider. */
export function oidcEnv (issuer) {
  return {
    OW_OIDC_ISSUER: issuer,
    OW_OIDC_CLIENT_ID: 'onewindow',
    OW_OIDC_CLIENT_SECRET: 'a-secret-of-at-least-32-characters-long',
    OW_OIDC_CLAIM_LEVEL: 'assurance_level',
  }
}

/** Register the server as the provider's client. */
export async function registerClient (provider, base, others = []) {
  const all = [base, ...others]
  return provider.ctl('client', {
    client_id: 'onewindow',
    client_secret: 'a-secret-of-at-least-32-characters-long',
    redirect_uris: all.map((b) => `${b}/api/v1/oidc/callback`),
    post_logout_redirect_uris: all.map((b) => `${b}/`),
    // OIDC Back-Channel Logout 1.0: the provider tells the first server of sessions ended
    backchannel_logout_uri: `${base}/api/v1/oidc/backchannel-logout`,
    backchannel_logout_session_required: true,
  })
}

/** Cookies by name, as a browser would keep them for 127.0.0.1 (all ports share them). */
export class Jar {
  constructor () { this.c = new Map() }
  take (res) {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';')
      const i = pair.indexOf('=')
      const name = pair.slice(0, i).trim()
      const value = pair.slice(i + 1).trim()
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=.*1970/i.test(a))
      if (gone || value === '') this.c.delete(name)
      else this.c.set(name, value)
    }
  }
  header () { return [...this.c].map(([k, v]) => `${k}=${v}`).join('; ') }
  get (name) { return this.c.get(name) }
}

export async function get (url, jar, headers = {}) {
  const res = await fetch(url, { redirect: 'manual', headers: { ...headers, cookie: jar.header() } })
  jar.take(res)
  return res
}

/**
 * Go to the provider from GET /api/v1/oidc/login, sign in on its login page as `login`,
 * and stop at the redirect back to us.  Answers { callback (URL), authorize (URL), jar }.
 */
export async function throughProvider (base, login, { jar = new Jar(), returnTo = '/' } = {}) {
  let r = await get(`${base}/api/v1/oidc/login?return_to=${encodeURIComponent(returnTo)}`, jar)
  if (r.status !== 302) throw new Error(`login: ${r.status} ${await r.text()}`)
  const authorize = new URL(r.headers.get('location'))
  let url = authorize.href
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(`${base}/`)) return { callback: new URL(url), authorize, jar }
    r = await get(url, jar)
    if (r.status >= 300 && r.status < 400) {
      url = new URL(r.headers.get('location'), url).href
      continue
    }
    const html = await r.text()
    const action = html.match(/<form[^>]*action="([^"]+)"/)
    if (r.status !== 200 || !action || !/name="login"/.test(html)) throw new Error(`provider page ${url}: ${r.status} ${html.slice(0, 300)}`)
    const post = await fetch(new URL(action[1], url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ prompt: 'login', login: `u-${login}`, password: 'any' }).toString(), // sub u-<login>
    })
    jar.take(post)
    if (post.status < 300 || post.status >= 400) throw new Error(`login form: ${post.status} ${await post.text()}`)
    url = new URL(post.headers.get('location'), url).href
  }
  throw new Error('too many redirects')
}

/** A whole sign-in: answers the callback's response and the jar (with ow_session on success). */
export async function signInVia (base, login, opts = {}) {
  const { callback, authorize, jar } = await throughProvider(base, login, opts)
  const res = await get(callback.href, jar)
  return { res, jar, callback, authorize }
}
