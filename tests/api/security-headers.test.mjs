// Security headers (hardening #24): every HTML answer — the web UI's index.html, the
// client-side routes such as /verify/{code}, the disclosure report's HTML — carries a
// Content-Security-Policy that forbids framing, a Referrer-Policy and nosniff; JSON
// answers (errors included) a policy that loads nothing.  HSTS belongs to the TLS
// front (docs/operations.md), not to this plain-HTTP server.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { call } from './lib.mjs'

function assertHtmlHeaders (res, what) {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, what)
  const csp = res.headers.get('content-security-policy') ?? ''
  assert.match(csp, /frame-ancestors '(none|self)'/, `${what}: CSP ${csp}`)
  assert.match(csp, /default-src 'self'/, `${what}: CSP ${csp}`)
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, `${what}: no inline scripts`)
  assert.ok(res.headers.get('referrer-policy'), `${what}: Referrer-Policy`)
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what)
}

test('the web UI and its client-side routes carry the HTML security headers', async () => {
  for (const path of ['/', '/verify/ABCD2345EFGH', '/work/login']) {
    const res = await call(path)
    assert.equal(res.status, 200, `${path}: ${res.status}`)
    assertHtmlHeaders(res, path)
  }
})

test('the built index.html has no inline script the policy would block', async () => {
  const res = await call('/')
  for (const tag of res.text.match(/<script\b[^>]*>/gi) ?? []) {
    assert.match(tag, /\bsrc=/, `an external script, not inline: ${tag}`)
  }
  assert.doesNotMatch(res.text, /\son[a-z]+\s*=/i, 'no inline event handlers')
})

test('the disclosure report as HTML carries the same headers', async () => {
  const res = await call('/api/v1/disclosure-reports/2025/html')
  assert.equal(res.status, 200, res.text.slice(0, 200))
  assertHtmlHeaders(res, 'report html')
})

test('JSON answers and error pages are nosniff and load nothing', async () => {
  for (const path of ['/api/v1/health', '/api/v1/no-such-thing', '/no-such-file.js']) {
    const res = await call(path)
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path)
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/, path)
  }
})
