-- wrk script for bench/peers.py: request the paths listed in the file $WRK_PATHS (one a line) in turn, each
-- thread starting at its own offset, with Accept-Encoding: gzip; print one JSON line of figures at the end.
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then table.insert(paths, line) end
  end
  index = (offset * 7919) % #paths
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "max_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95), latency.max,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
