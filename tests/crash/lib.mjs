// Shared by the kill -9 tests (register-kill.mjs, upload-kill.mjs): the command line,
// the sanitizer environment, one HTTP request without keep-alive (so a killed server
// fails requests at once instead of hanging on a pooled socket), and starting
// `onewindow serve` on a free port.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** --bin B, --clients N and a bare N (rounds), with the script's defaults. */
export function parseArgs ({ clients, iterations }) {
  const args = process.argv.slice(2)
  const o = { bin: process.env.OW_SERVER_BIN || 'build-asan/onewindow', clients, iterations }
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bin') o.bin = args[++i]
    else if (args[i] === '--clients') o.clients = Number(args[++i])
    else if (/^\d+$/.test(args[i])) o.iterations = Number(args[i])
    else { console.error(`unknown argument ${args[i]}`); process.exit(2) }
  }
  return o
}

/** A fresh scratch directory with its data dir, and the environment the server runs in:
 * sanitizer reports go to files in it so a round can fail on them. */
function scratchDatabase (conninfo) {
  const kv = Object.fromEntries(conninfo.trim().split(/\s+/).map((p) => p.split('=')))
  const name = `scratch_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  const r = spawnSync('createdb', ['-h', kv.host, '-p', kv.port, '-U', kv.user, name], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`createdb ${name}: ${r.stderr}`)
  return Object.entries({ ...kv, dbname: name }).map(([k, v]) => `${k}=${v}`).join(' ')
}

export function scratch (prefix, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const env = {
    ...process.env,
    ...extraEnv,
    ASAN_OPTIONS: `detect_leaks=1:abort_on_error=0:exitcode=66:log_path=${dir}/asan`,
    UBSAN_OPTIONS: `print_stacktrace=1:halt_on_error=1:log_path=${dir}/ubsan`,
  }
  // On PostgreSQL (scripts/with-server.sh with OW_TEST_DB=postgres) a scratch server gets a
  // database of its own in the same throwaway cluster, as on SQLite it gets its own file.
  if (env.OW_DATABASE) env.OW_DATABASE = scratchDatabase(env.OW_DATABASE)
  return { dir, data: join(dir, 'var'), env }
}

/** Run a subcommand to completion: its exit status and output. */
export function runCli (bin, s, cmdArgs) {
  const r = spawnSync(bin, ['--data-dir', s.data, ...cmdArgs], { env: s.env, encoding: 'utf8' })
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') }
}

/** One request on its own connection; json is sent as JSON, body as raw bytes. */
export function request (port, method, path, { body, json, cookie, csrf, type, headers: extra } = {}) {
  return new Promise((resolve, reject) => {
    const payload = json ? Buffer.from(JSON.stringify(json)) : body
    const headers = { connection: 'close', ...extra }
    if (payload) Object.assign(headers, { 'content-type': type ?? 'application/json', 'content-length': payload.length })
    if (cookie) headers.cookie = cookie
    if (csrf) headers['x-csrf-token'] = csrf
    const r = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed
        try { parsed = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode, json: parsed, text, headers: res.headers })
      })
      res.on('error', reject)
    })
    r.setTimeout(30_000, () => r.destroy(new Error('timeout')))
    r.on('error', reject)
    if (payload) r.write(payload)
    r.end()
  })
}

/** `serve` on port 0 with --port-file; resolves once the port is known. */
export async function startServer (bin, s) {
  const portFile = join(s.dir, 'port')
  rmSync(portFile, { force: true })
  const proc = spawn(bin, ['--data-dir', s.data, 'serve', '--listen', '127.0.0.1:0', '--port-file', portFile],
    { env: s.env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })))
  for (let i = 0; i < 300; i++) {
    if (existsSync(portFile) && readFileSync(portFile, 'utf8').trim()) {
      return { proc, port: Number(readFileSync(portFile, 'utf8').trim()), exited, stderr: () => stderr }
    }
    if (proc.exitCode !== null) break
    await sleep(20)
  }
  throw new Error(`server did not start: ${stderr}`)
}
