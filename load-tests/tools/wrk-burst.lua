-- wrk script for load-tests/burst.sh: POSTs one GitHub-signed body with a unique X-GitHub-Delivery
-- per request, so every request is a new event. GitHub signs only the body, so the script that
-- starts wrk signs it once (openssl) and passes the signature in.
--   wrk -s wrk-burst.lua URL -- BODY_FILE HEX_SIGNATURE RUN_ID
-- done() prints one machine-readable line: answers by status class and the latency distribution
-- (microseconds) of every answered request.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local body = f:read("*a")
  f:close()
  prefix = (args[3] or tostring(os.time())) .. "-" .. tid .. "-"
  sent, ok, unavailable, other = 0, 0, 0, 0
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-GitHub-Event"] = "push"
  wrk.headers["X-Hub-Signature-256"] = "sha256=" .. args[2]
end

function request()
  sent = sent + 1
  wrk.headers["X-GitHub-Delivery"] = prefix .. sent
  return wrk.format()
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 503 then
    unavailable = unavailable + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local s, a, u, o = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("sent")
    a = a + t:get("ok")
    u = u + t:get("unavailable")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "BURST sent=%d acked=%d status503=%d other_status=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d"
      .. " wrk_us=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    s, a, u, o, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
