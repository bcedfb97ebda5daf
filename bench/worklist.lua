-- wrk script: the worklist GET /api/v1/tasks?organisation_id={id}&overdue=true
-- for a random organisation from a file (one id per line, as written by
-- bench_load_episodes to DB.org_ids: the 17 municipalities and the hospital
-- units, each equally likely).
--   wrk -t2 -c32 -d15s --latency -s bench/worklist.lua http://127.0.0.1:PORT -- DB.org_ids
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(here .. "report.lua")

local requests_by_org = {}

function setup(thread) report.setup(thread) end

function init(args)
  report.seed()
  local headers = report.headers()
  for _, id in ipairs(report.lines(args[1])) do
    requests_by_org[#requests_by_org + 1] =
      wrk.format("GET", "/api/v1/tasks?organisation_id=" .. id .. "&overdue=true", headers)
  end
end

function request()
  return requests_by_org[math.random(#requests_by_org)]
end

function done(summary, latency, requests) report.done(summary, latency, requests) end
