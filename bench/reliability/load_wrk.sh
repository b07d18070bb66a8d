#!/usr/bin/env bash
# 60 s of wrk at concurrency 64 against POST /predict (API key sent, rate limiter and concurrency limiter on):
# requests, errors, p50/p99, RSS before and after. Usage: bench/reliability/load_wrk.sh [seconds=60] [connections=64]
source "$(dirname "$0")/lib.sh"
seconds="${1:-60}"; connections="${2:-64}"
copy_default_model "$WORK/models"
start_service "$WORK/models"
wrk -t1 -c1 -d3s -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >/dev/null
echo "RSS before: $(rss_mb) MB"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/wrk.txt"
echo "wrk ${seconds}s c$connections: $(wrk_summary "$WORK/wrk.txt")"
echo "RSS after: $(rss_mb) MB"
