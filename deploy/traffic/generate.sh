#!/bin/sh
# A varied mix of calls through the gateway, forever, so every panel of the Glassbox dashboard has data
# a minute after `docker compose up`. The x-sim-* headers tell the simulated upstream what to do.
GATEWAY="${GATEWAY:-http://gateway:8080}"
PROMPT='[{"role":"user","content":"Summarise the quarterly report"}]'

anthropic() { # model stream extra-curl-args...
  model="$1"; stream="$2"; shift 2
  curl -s -o /dev/null "$GATEWAY/v1/messages" -H 'x-api-key: sk-local-demo' -H 'anthropic-version: 2023-06-01' \
    -H 'content-type: application/json' "$@" \
    -d "{\"model\":\"$model\",\"max_tokens\":512,\"stream\":$stream,\"messages\":$PROMPT}"
}

chat() { # model stream extra-curl-args...
  model="$1"; stream="$2"; shift 2
  curl -s -o /dev/null "$GATEWAY/v1/chat/completions" -H 'authorization: Bearer sk-local-demo' \
    -H 'content-type: application/json' "$@" \
    -d "{\"model\":\"$model\",\"stream\":$stream,\"stream_options\":{\"include_usage\":true},\"messages\":$PROMPT}"
}

responses() { # model stream extra-curl-args...
  model="$1"; stream="$2"; shift 2
  curl -s -o /dev/null "$GATEWAY/v1/responses" -H 'authorization: Bearer sk-local-demo' \
    -H 'content-type: application/json' "$@" \
    -d "{\"model\":\"$model\",\"stream\":$stream,\"input\":\"Summarise the quarterly report\"}"
}

until curl -sf -o /dev/null "$GATEWAY/healthz"; do sleep 1; done
echo "traffic generator: sending to $GATEWAY"
i=0
while true; do
  i=$((i + 1))
  anthropic claude-sonnet-4-5 true -H 'x-sim-input-tokens: 1200' -H 'x-sim-cache-read-tokens: 1000' &
  anthropic claude-sonnet-4-5 true -H 'x-sim-input-tokens: 1200' -H 'x-sim-cache-creation-tokens: 1000' -H 'x-sim-ttft-ms: 900' &
  anthropic claude-haiku-4-5 false -H 'x-sim-deltas: 8' &
  chat gpt-4o true -H 'x-sim-input-tokens: 800' -H 'x-sim-cache-read-tokens: 400' &
  chat gpt-4o-mini false &
  responses gpt-5 true -H 'x-sim-reasoning-tokens: 64' &
  # Every 3rd round: a 429 that succeeds on retry; every 5th: a 529 and a cut stream; every 7th: a client that leaves.
  [ $((i % 3)) -eq 0 ] && anthropic claude-sonnet-4-5 true -H 'x-sim-fault: status' -H 'x-sim-status: 429' \
    -H 'x-sim-retry-after-ms: 200' -H 'x-sim-fail-times: 1' -H "x-sim-scenario: retry-$i" &
  [ $((i % 5)) -eq 0 ] && anthropic claude-haiku-4-5 false -H 'x-sim-fault: status' -H 'x-sim-status: 529' -H 'x-sim-should-retry: false' &
  [ $((i % 5)) -eq 0 ] && chat gpt-4o true -H 'x-sim-fault: reset' -H 'x-sim-fault-after: 3' &
  [ $((i % 7)) -eq 0 ] && anthropic claude-sonnet-4-5 true --max-time 0.6 &
  wait
  sleep 1
done
