-- wrk script: POSTs a GitHub-signed event with a unique X-GitHub-Delivery per request, so every
-- request is a new event (verified, claimed in Redis, committed to PostgreSQL, answered 200).
-- GitHub signs only the body, so one body and signature serve every request.
-- Usage: wrk -s wrk-github.lua http://127.0.0.1:8080/webhooks/<source> -- <secret> [<run id>] [<cycle>]
-- With <cycle> = K, delivery ids repeat over K values: after the first K requests every request is a
-- duplicate answered from Redis alone (verify + SET NX/GET, no PostgreSQL write): the CPU-bound path.
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function hex_hmac_sha256(secret, body)
  -- Computed once per thread with openssl (wrk's Lua has no crypto).
  local f = io.popen("printf '%s' '" .. body .. "' | openssl dgst -sha256 -hmac '" .. secret .. "' -r")
  local out = f:read("*a")
  f:close()
  return out:match("^(%x+)")
end

function init(args)
  local secret = args[1] or "bench-secret"
  local run = args[2] or tostring(os.time())
  prefix = "wrk-" .. run .. "-" .. tid .. "-"
  n = 0
  cycle = tonumber(args[3] or "0")
  local pad = string.rep("x", 900)
  body = '{"ref":"refs/heads/main","zen":"Keep it logically awesome.","pad":"' .. pad .. '"}'
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-GitHub-Event"] = "push"
  wrk.headers["X-Hub-Signature-256"] = "sha256=" .. hex_hmac_sha256(secret, body)
end

function request()
  n = n + 1
  wrk.headers["X-GitHub-Delivery"] = prefix .. (cycle > 0 and (n % cycle) or n)
  return wrk.format()
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("requests=%d non2xx=%d errors(connect,read,write,timeout)=%d,%d,%d,%d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
  io.write(string.format("latency p50=%.2fms p99=%.2fms p99.9=%.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
