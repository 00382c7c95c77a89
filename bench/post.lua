-- bench/post.lua — one generic request shape for wrk, from the environment, so
-- write endpoints need a line in bench/cases.txt and no new script:
--   OW_BENCH_METHOD        POST (default), PUT, PATCH, DELETE
--   OW_BENCH_BODY          the body; "{n}" becomes a number unique per request
--   OW_BENCH_CONTENT_TYPE  application/json (default)
--   OW_BENCH_HEADERS       extra headers "Name: value|Name: value" (cookie, CSRF token)
wrk.method = os.getenv("OW_BENCH_METHOD") or "POST"
local body = os.getenv("OW_BENCH_BODY") or ""
if #body > 0 then
  wrk.body = body
  wrk.headers["Content-Type"] = os.getenv("OW_BENCH_CONTENT_TYPE") or "application/json"
end
local extra = os.getenv("OW_BENCH_HEADERS")
if extra then
  for h in string.gmatch(extra, "[^|]+") do
    local k, v = h:match("^%s*([^:]+):%s*(.-)%s*$")
    if k then wrk.headers[k] = v end
  end
end

-- Only a templated body pays for a per-request Lua call.
if body:find("{n}", 1, true) then
  local threads = 0
  function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
  end
  local counter = 0
  function request()
    counter = counter + 1
    local n = tostring((tid or 1) * 1000000000 + counter)
    return wrk.format(nil, nil, nil, (body:gsub("{n}", n)))
  end
end
