-- bench/hall-take.lua — wrk takes tickets at a hall's ticket machine (bench/hall.mjs):
--   OW_HALL_KEY     the ticket machine's key (X-Kiosk-Key)
--   OW_HALL_GROUPS  the window groups' ids, comma-separated, each as often as visitors
--                   choose it; the requests go round them
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Kiosk-Key"] = os.getenv("OW_HALL_KEY") or ""
local bodies = {}
for id in string.gmatch(os.getenv("OW_HALL_GROUPS") or "", "[0-9]+") do
  bodies[#bodies + 1] = '{"via":"kiosk","group_id":' .. id .. '}'
end
local at = 0
function request()
  at = at % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[at])
end
