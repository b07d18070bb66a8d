#!/usr/bin/env bash
# SIGTERM under load: wrk (c64, batches of 100 tickets, each in flight for tens of ms) runs 12 s; the service gets SIGTERM
# after 5 s. In-flight requests must complete: non-2xx and read errors count requests broken mid-flight; connect errors
# are requests wrk tried after the listener closed (expected). Usage: bench/reliability/sigterm.sh
source "$(dirname "$0")/lib.sh"
copy_default_model "$WORK/models"
start_service "$WORK/models"
wrk -t2 -c64 -d12s --latency -H "$(auth)" -s "$(dirname "$0")/batch.lua" "$URL/predict/batch" >"$WORK/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 5
start=$(date +%s.%N)
kill -TERM "$PID"
while kill -0 "$PID" 2>/dev/null; do sleep 0.05; done
stopped=$(date +%s.%N)
status=0; wait "$SERVICE_SHELL" || status=$?
PID=""
wait "$wrk_pid" || true
printf 'service exited %.2f s after SIGTERM with status %s\n' "$(echo "$stopped - $start" | bc)" "$status"
echo "shutdown log: $(grep -c 'shutting down\|Application is shutting down' "$WORK/service.log" || true) shutdown line(s); errors logged: $(grep -c '"@l":"Error"\|"Level":"Error"' "$WORK/service.log" || true)"
echo "wrk 12s c64 batches, SIGTERM at 5 s: $(wrk_summary "$WORK/wrk.txt")"
