-- wrk script: GET /api/v1/episodes/{id} for a random episode id from a file
-- (one id per line, as written by bench_load_episodes to DB.episode_ids).
--   wrk -t2 -c32 -d15s --latency -s bench/episode.lua http://127.0.0.1:PORT -- DB.episode_ids
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(here .. "report.lua")

local ids
local headers

function setup(thread) report.setup(thread) end

function init(args)
  report.seed()
  ids = report.lines(args[1])
  headers = report.headers()
end

function request()
  return wrk.format("GET", "/api/v1/episodes/" .. ids[math.random(#ids)], headers)
end

function done(summary, latency, requests) report.done(summary, latency, requests) end
