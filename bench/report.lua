-- Shared by the wrk scripts in bench/: loads an id file and reports one
-- machine-readable line when wrk is done (bench/run.sh parses it).

local report = {}

-- The non-empty lines of a file, as a list; stops wrk with a clear message
-- when the file cannot be read or is empty.
function report.lines(path)
  if path == nil then error("give the id file after --, e.g. wrk ... URL -- FILE") end
  local f = io.open(path, "r")
  if f == nil then error("cannot read " .. path) end
  local out = {}
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  if #out == 0 then error(path .. " has no ids") end
  return out
end

-- Requests carry the bearer token in SAMFLYT_TOKEN, when set (bench/run.sh
-- creates one for a user with a role in every organisation).
function report.headers()
  local token = os.getenv("SAMFLYT_TOKEN")
  if token ~= nil and token ~= "" then return { Authorization = "Bearer " .. token } end
  return {}
end

-- Each thread gets its own seed (set in setup, read in init).
local next_thread = 0
function report.setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
end

function report.seed()
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

-- Latencies are in microseconds; wrk counts a status >= 400 as an error.
function report.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
    "errors_status=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect, e.read, e.write, e.timeout))
end

return report
