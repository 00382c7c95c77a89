-- Sign-in load (issue 4): POST /api/v1/session with a demo account's credentials.
-- Every request is a full sign-in: account lookup inline, argon2id verify on the
-- pool, session + audit row on the writer.  The account: env OW_BENCH_USER
-- (default demo-citizen), password Demo@2026.
local user = os.getenv("OW_BENCH_USER") or "demo-citizen"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"' .. user .. '","password":"Demo@2026"}'
