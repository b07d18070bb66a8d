#!/usr/bin/env bash
# Load run against POST /predict on loopback with the default model, the service run as docker-compose runs it:
# Production, an API key (scope predict), prediction recording on (SQLite), JSON logs at Information, and published as
# the Dockerfile publishes it (ReadyToRun; PUBLISH_ARGS="" for plain IL). Only the rate limit is raised, so that one
# load generator is not throttled. Prints start-to-ready time, the first 15 s after ready at concurrency 16 (the cold
# start, which is also the warm-up), then p50/p99 and requests/s at concurrency 1, 16 and 64, non-2xx, RSS.
# Every wait has a time limit (bench/reliability/lib.sh). Needs Debian's wrk.
# Usage: bench/service_wrk.sh [seconds per level (default 20; 0: only start-up and the first 15 s)]
export OTAI_RELIABILITY_APP="${OTAI_BENCH_APP:-/tmp/otai-bench-app}"
export KEY_SCOPE=predict LOG_LEVEL=Information PORT="${PORT:-18080}"
source "$(dirname "$0")/reliability/lib.sh"
seconds="${1:-20}"

copy_default_model "$WORK/models"
start_service "$WORK/models"
printf 'start-to-ready: %.2f s, service CPU until ready %s s (publish: %s; load average %s)\n' "$START_TO_READY" "$(cpu_seconds)" "${PUBLISH_ARGS:-plain IL}" "$(cut -d' ' -f1 /proc/loadavg)"
echo "RSS after start: $(rss_mb) MB"

# per_request FILE CPU_BEFORE: the service's CPU milliseconds per request of that wrk run (a figure busy cores hardly move).
per_request() { echo "$(cpu_seconds) $2 $(awk '/requests in/ {print $1}' "$1")" | awk '{printf "%.2f", ($1 - $2) * 1000 / $3}'; }

cpu=$(cpu_seconds)
wrk -t2 -c16 -d15s --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/cold.txt"
echo "first 15 s after ready, concurrency 16: $(wrk_summary "$WORK/cold.txt"), service CPU $(per_request "$WORK/cold.txt" "$cpu") ms/request"
total=$(awk '/requests in/ {print $1}' "$WORK/cold.txt")
levels=(1 16 64); [ "$seconds" -gt 0 ] || levels=()
for c in "${levels[@]}"; do
  threads=$(( c < 2 ? 1 : 2 ))
  cpu=$(cpu_seconds)
  wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/c$c.txt"
  total=$((total + $(awk '/requests in/ {print $1}' "$WORK/c$c.txt")))
  echo "concurrency $c: $(wrk_summary "$WORK/c$c.txt"), service CPU $(per_request "$WORK/c$c.txt" "$cpu") ms/request"
done
echo "RSS after $total requests: $(rss_mb) MB"
recorded=$(grep -c '"RequestPath":"/predict"' "$WORK/service.log" || true)
echo "request log lines for /predict: $recorded; errors in the log: $(grep -c '"@l":"Error"' "$WORK/service.log" || true)"
