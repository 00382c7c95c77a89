-- bench/transition.lua — an endless stream of case transitions for wrk.
--
-- OW_BENCH_IDS_FILE lists case ids (one a line) in state submitted at the center; the
-- clerk alternates 一次性告知补正 (supplement) and 补正材料 (resubmit, which a clerk may do
-- for the applicant) on each in turn, so every request is a real transition — case row,
-- history row, audit row, pause row — and the pool never runs out.  The list is much
-- longer than the number of connections, so a case's previous request has long been
-- answered when its turn comes again.
--   OW_BENCH_HEADERS  "Cookie: ow_session=…|X-CSRF-Token: …" (the clerk's session)
--   OW_BENCH_MATERIAL the material named in the 补正 notice
local ids = {}
for line in io.lines(os.getenv("OW_BENCH_IDS_FILE")) do
  if #line > 0 then ids[#ids + 1] = line end
end
local material = os.getenv("OW_BENCH_MATERIAL") or "居民户口簿"
local supplement = '{"action":"supplement","materials":[{"name":"' .. material ..
  '","problem":"复印件不清晰"}]}'
local resubmit = '{"action":"resubmit"}'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local extra = os.getenv("OW_BENCH_HEADERS")
if extra then
  for h in string.gmatch(extra, "[^|]+") do
    local k, v = h:match("^%s*([^:]+):%s*(.-)%s*$")
    if k then wrk.headers[k] = v end
  end
end

local i = 0
local turn = {}
function request()
  i = i % #ids + 1
  local id = ids[i]
  local t = turn[id] or 0
  turn[id] = t + 1
  local body = (t % 2 == 0) and supplement or resubmit
  return wrk.format(nil, "/api/v1/cases/" .. id .. "/transitions", nil, body)
end
