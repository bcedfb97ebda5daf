-- wrk script for the web application's pages (bench/web.sh):
--   episode page: wrk ... -s bench/page.lua URL -- episode DB.episode_ids
--   start page:  wrk ... -s bench/page.lua URL -- start
-- Requests carry the session cookie in SAMFLYT_COOKIE (a logged-in browser).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(here .. "report.lua")

local ids
local page
local headers

function setup(thread) report.setup(thread) end

function init(args)
  report.seed()
  page = args[1]
  if page == "episode" then ids = report.lines(args[2]) end
  headers = { Cookie = "samflyt_session=" .. (os.getenv("SAMFLYT_COOKIE") or "") }
end

function request()
  if page == "episode" then
    return wrk.format("GET", "/episodes/" .. ids[math.random(#ids)], headers)
  end
  return wrk.format("GET", "/", headers)
end

function done(summary, latency, requests) report.done(summary, latency, requests) end
