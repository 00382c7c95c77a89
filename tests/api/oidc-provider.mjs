// A real OpenID provider for the tests (issue 20): the npm `oidc-provider` package (the
// certified Node implementation) on a loopback port, standing in for the provincial
// unified identity platform.  Its own login page takes any login name and password; the
// name (less a leading "u-") decides who signs in:
//   an ID number (18 characters)       a citizen: claims id_number, name, phone_number
//   a USCC starting with 9             an enterprise: claims uscc, name
//   anything else                      a person with no number (a staff member's identity)
// Each carries assurance_level "L3" (the provider's 实名 level).
//
// Run: node tests/api/oidc-provider.mjs --port-file FILE [--clock-offset-ms N]
// It runs on the same clock as the server under test (--clock-offset-ms, as
// scripts/with-server.sh gives it), so the ID tokens' iat and exp agree with the server's
// idea of now.  Control routes, for the tests only, under /_test/:
//   POST /_test/client {client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//        backchannel_logout_uri, backchannel_logout_session_required}
//        (re)makes the provider with that client; until then it answers 503
//   POST /_test/rotate         a new signing key; the old one's public half stays published
//   GET  /_test/keys           the private signing keys (a test mints its own tokens)
//   POST /_test/next-id-token {id_token}   the next token response carries this ID token
//   GET  /_test/issued         the ID tokens issued so far
//   GET  /_test/logouts        how many sessions its end_session endpoint ended, and the
//                              back-channel logouts it sent {sent, errors}
import { writeFileSync } from 'node:fs'
import http from 'node:http'

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : dflt
}
const offset = Number(opt('--clock-offset-ms', process.env.OW_CLOCK_OFFSET_MS || '0'))
// The clock: every Date made without arguments, and Date.now, are moved by the offset.
const RealDate = Date
class ShiftedDate extends RealDate {
  constructor (...a) { if (a.length === 0) super(RealDate.now() + offset); else super(...a) }
  static now () { return RealDate.now() + offset }
}
globalThis.Date = ShiftedDate

const { default: Provider } = await import('oidc-provider')
const { generateKeyPair, exportJWK } = await import('jose')

async function newKey (n) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: `key-${n}-${Math.random().toString(36).slice(2, 8)}`, alg: 'RS256', use: 'sig' }
}

let keys = [await newKey(1)]
let retired = [] // public halves of keys rotated out, still published for tokens in flight
let client = null
let provider = null
let nextIdToken = null
const issued = []
let logouts = 0
const backchannel = { sent: 0, errors: [] }

const server = http.createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${server.address().port}`

// The account id is what was typed on the login page; the API tests type "u-" and the
// name, so that sub (the account id, in ID and logout tokens alike) is opaque as a real
// platform's is, and is not the ID number.
function claimsOf (id) {
  const login = id.replace(/^u-/, '')
  const base = { sub: id, assurance_level: 'L3' }
  if (/^\d{17}[\dX]$/.test(login)) return { ...base, id_number: login, name: '统一认证用户', phone_number: '13912345678' }
  if (/^9[0-9A-HJ-NP-RTUW-Y]{17}$/.test(login)) return { ...base, uscc: login, name: '统一认证企业' }
  return { ...base, name: `工作人员${login}` }
}

function build () {
  const p = new Provider(issuer, {
    clients: [{
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys },
    cookies: { keys: ['onewindow-test-provider'] },
    claims: { openid: ['sub'], profile: ['name', 'id_number', 'uscc', 'phone_number', 'assurance_level'] },
    // profile's claims go into the ID token itself, as the identity platform does
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // a session ended here is told to the client's backchannel_logout_uri (a logout_token)
      backchannelLogout: { enabled: true },
    },
    pkce: { required: () => true },
    async findAccount (ctx, id) {
      return { accountId: id, claims: async () => claimsOf(id) }
    },
    // our one client is first-party: no consent page (the platform asks none either)
    async loadExistingGrant (ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId })
      grant.addOIDCScope('openid profile')
      await grant.save()
      return grant
    },
  })
  p.on('end_session.success', () => { logouts++ })
  p.on('backchannel.success', () => { backchannel.sent++ })
  p.on('backchannel.error', (ctx, err) => { backchannel.errors.push(`${err}`) })
  p.use(async (ctx, next) => {
    await next()
    if (ctx.path === '/jwks' && ctx.status === 200 && retired.length) {
      ctx.body = { keys: [...ctx.body.keys, ...retired] }
    }
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
      issued.push(ctx.body.id_token)
      if (nextIdToken) {
        ctx.body = { ...ctx.body, id_token: nextIdToken }
        nextIdToken = null
      }
    }
  })
  return p
}

// The provider's sign-out page asks "are you sure?" as a form posted with its xsrf token.
async function logoutSource (ctx, form) {
  ctx.body = `<!DOCTYPE html><html><head><title>退出登录</title></head><body>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">退出统一身份认证</button></body></html>`
}
async function postLogoutSuccessSource (ctx) {
  ctx.body = '<!DOCTYPE html><html><head><title>已退出</title></head><body>已退出统一身份认证</body></html>'
}

function readJson (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')) } catch (e) { reject(e) } })
  })
}

function answer (res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

server.on('request', async (req, res) => {
  try {
    if (req.url.startsWith('/_test/')) {
      const path = req.url.replace(/\?.*/, '')
      if (req.method === 'POST' && path === '/_test/client') {
        client = await readJson(req)
        provider = build()
        return answer(res, 200, { issuer })
      }
      if (req.method === 'POST' && path === '/_test/rotate') {
        // signs with the new key from now on; the old one's public half stays in the JWKS
        retired = [...keys.map(({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use })), ...retired]
        keys = [await newKey(retired.length + 1)]
        provider = build()
        return answer(res, 200, { kid: keys[0].kid })
      }
      if (req.method === 'GET' && path === '/_test/keys') return answer(res, 200, { keys })
      if (req.method === 'POST' && path === '/_test/next-id-token') {
        nextIdToken = (await readJson(req)).id_token
        return answer(res, 200, {})
      }
      if (req.method === 'GET' && path === '/_test/issued') return answer(res, 200, { issued })
      if (req.method === 'GET' && path === '/_test/logouts') return answer(res, 200, { logouts, backchannel })
      return answer(res, 404, {})
    }
    if (!provider) return answer(res, 503, { error: 'no client yet' })
    // Its cookies' expires= dates are on the shifted clock, which the browser does not
    // share: say the same lifetimes as max-age, which the browser counts from its own now.
    // At setHeader and again when the head is written: the provider appends the session
    // cookie's expires= to the header's array after setting it (lib/shared/session.js), and
    // on that absolute date — 14 days after the shifted instant — a browser on the real
    // clock would already see the cookie expired.
    const setHeader = res.setHeader.bind(res)
    const fix = (c) => /;\s*max-age=/i.test(c)
      ? c.replace(/;\s*expires=[^;]+/ig, '')
      : c.replace(/;\s*expires=([^;]+)/i, (m, d) => `; max-age=${Math.max(0, Math.round((RealDate.parse(d) - Date.now()) / 1000))}`)
    const fixAll = (value) => Array.isArray(value) ? value.map(fix) : fix(String(value))
    res.setHeader = (name, value) => {
      if (String(name).toLowerCase() !== 'set-cookie') return setHeader(name, value)
      return setHeader(name, fixAll(value))
    }
    const writeHead = res.writeHead.bind(res)
    res.writeHead = (...a) => {
      const sc = res.getHeader('set-cookie')
      if (sc) setHeader('set-cookie', fixAll(sc))
      return writeHead(...a)
    }
    provider.callback()(req, res)
  } catch (e) {
    answer(res, 500, { error: String(e) })
  }
})

const portFile = opt('--port-file')
if (portFile) writeFileSync(portFile, String(server.address().port))
console.log(`oidc-provider test instance at ${issuer}`)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
