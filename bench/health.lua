-- wrk script: GET /api/v1/health, the HTTP limit (no database work).
--   wrk -t2 -c32 -d15s --latency -s bench/health.lua http://127.0.0.1:PORT
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(here .. "report.lua")

local req = wrk.format("GET", "/api/v1/health")

function setup(thread) report.setup(thread) end
function request() return req end
function done(summary, latency, requests) report.done(summary, latency, requests) end
