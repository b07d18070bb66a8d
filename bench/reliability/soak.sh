#!/usr/bin/env bash
# Soak: wrk at concurrency 32 for the given duration, RSS sampled every 10 s; prints the samples, first/last/max.
# Usage: bench/reliability/soak.sh [seconds=600]
source "$(dirname "$0")/lib.sh"
seconds="${1:-600}"
copy_default_model "$WORK/models"
start_service "$WORK/models"
echo "RSS at start: $(rss_mb) MB"
wrk -t2 -c32 -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/wrk.txt" &
wrk_pid=$!
samples=()
deadline=$((SECONDS + seconds + 60))   # wrk stops itself after -d; the limit only guards against a hung wrk
while kill -0 "$wrk_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 10
  kill -0 "$wrk_pid" 2>/dev/null || break
  samples+=("$(rss_mb)")
done
wait "$wrk_pid"
echo "RSS every 10 s (MB): ${samples[*]}"
printf '%s\n' "${samples[@]}" | awk 'NR==1{f=$1} {if($1>m)m=$1; l=$1} END {printf "RSS first %d MB, last %d MB, max %d MB over %d samples\n", f, l, m, NR}'
echo "wrk ${seconds}s c32: $(wrk_summary "$WORK/wrk.txt")"
