-- wrk script for bench/run.sh: non-streaming Anthropic POST /v1/messages, and one JSON line at the end.
-- BENCH_LABEL / BENCH_ROUND (environment) tag the line for StreamBench's report.
wrk.method = "POST"
wrk.body = '{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hello from wrk"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "sk-bench"
wrk.headers["anthropic-version"] = "2023-06-01"

done = function(summary, latency, requests)
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"kind":"wrk","label":"%s","round":%d,"requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"non2xx":%d,"socket_errors":%d,"bad":%d}\n',
    os.getenv("BENCH_LABEL") or "", tonumber(os.getenv("BENCH_ROUND") or "0"), summary.requests, seconds,
    summary.requests / seconds, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.status, socket, e.status + socket))
end
