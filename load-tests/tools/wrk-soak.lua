-- wrk script for load-tests/soak.sh: load-tests/tools/wrk-burst.lua (signed GitHub events, unique ids,
-- the BURST summary line) paced to a fixed rate: each connection waits DELAY_MS between a response
-- and its next request, so the rate is about connections x 1000 / (DELAY_MS + latency).
--   wrk -s wrk-soak.lua URL -- BODY_FILE HEX_SIGNATURE RUN_ID DELAY_MS
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk-burst.lua")

local burst_init = init
function init(args)
  burst_init(args)
  delay_ms = tonumber(args[4] or "0")
end

function delay()
  return delay_ms
end
