-- wrk script for the HTTP load benchmark (run-http.sh).
--
--   wrk -t2 -c32 -d20s --latency -s cookies.lua URL -- COOKIE_FILE THREADS
--
-- wrk keeps one Lua state per thread, not per connection, so a cookie jar per connection cannot be
-- kept here. Instead SeedCookies made COOKIE_FILE beforehand: one existing session's cookie per line
-- ("NAME=value"). Each request carries the next cookie of the list, in turn, and each thread starts
-- at its own part of the list, so two requests in flight never share a session (with 1 000 sessions
-- and 32 connections) and no request waits on another's session lock. Every measured request thus
-- reads and writes an existing session, as a returning user's would.
--
-- With a COOKIE_FILE of one line, every request carries the same cookie: the contended-session rows
-- of run-http.sh, where all connections share one session.
--
-- done() prints one line that run-http.sh parses:
--   RESULT requests=N rps=R p50_ms=A p99_ms=B non2xx=S errors=E
-- where requests counts the responses wrk received, non2xx those with a status of 400 or more
-- (wrk's "status errors"; these servers answer nothing else but 200), and errors every failure,
-- including non2xx (connect, read, write, status, timeout).

local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
end

function init(args)
   cookies = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         cookies[#cookies + 1] = line
      end
   end
   local threads = tonumber(args[2] or "1")
   i = math.floor(id * #cookies / threads)
end

function request()
   i = i % #cookies + 1
   return wrk.format(nil, nil, { ["Cookie"] = cookies[i] })
end

function done(summary, latency, requests)
   local e = summary.errors
   local errors = e.connect + e.read + e.write + e.status + e.timeout
   io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status, errors))
end
