-- bench/http-load's mixed workload: 9 of every 10 requests list 50 invoices, the 10th
-- creates a client with a fresh Idempotency-Key (a unique name, so each one is a write).
local n = 0
local thread_no = 0
local token = os.getenv("CP_BENCH_TOKEN")

function setup(thread)
  thread:set("tid", thread_no)
  thread_no = thread_no + 1
end

function request()
  n = n + 1
  local auth = { ["Authorization"] = "Bearer " .. token }
  if n % 10 == 0 then
    local key = "bench-" .. tid .. "-" .. n
    auth["Content-Type"] = "application/json"
    auth["Idempotency-Key"] = key
    return wrk.format("POST", "/api/v1/clients", auth,
      '{"company_name":"Bench ' .. key .. '","billing_email":"ap@bench.test"}')
  end
  return wrk.format("GET", "/api/v1/invoices?limit=50", auth)
end

local statuses = {}
function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end
