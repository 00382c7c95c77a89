-- A cheap real write (issue 2/4): PUT /api/v1/orgs/{id} renaming an organisation
-- as demo-admin.  Each request is one writer job: read the org, UPDATE it, append
-- an audit row, in its own savepoint of the writer's group-commit transaction.
-- env: OW_BENCH_COOKIE ("ow_session=…"), OW_BENCH_CSRF, OW_BENCH_ORG (the org id).
local org = os.getenv("OW_BENCH_ORG")
local headers = {
  ["Content-Type"] = "application/json",
  ["Cookie"] = os.getenv("OW_BENCH_COOKIE"),
  ["X-CSRF-Token"] = os.getenv("OW_BENCH_CSRF"),
}
local n = 0
local tid = 0

setup = function(thread)
  tid = tid + 1
  thread:set("tid", tid)
end

request = function()
  n = n + 1
  -- a new name every time, so every request really changes the row
  local body = '{"name":"基准测试窗口' .. (tid or 0) .. '-' .. n .. '"}'
  return wrk.format("PUT", "/api/v1/orgs/" .. org, headers, body)
end
