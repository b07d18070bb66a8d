#!/usr/bin/env bash
# Load run against POST /predict on loopback with the default model: start-to-ready time, p50/p99 latency and
# requests/s at concurrency 1, 16 and 64, non-2xx count, RSS after the run. Needs Debian's wrk.
# Usage: bench/service_wrk.sh [seconds per level (default 20)] [model directory parent (default models)]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
models="$(realpath "${2:-models}")"
port=18080
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT

dotnet publish src/OpenTicketAI.Api/OpenTicketAI.Api.csproj -c Release -o "$out/app" --nologo -v quiet >/dev/null
start=$(date +%s.%N)
OTAI__OpenTicketAI__ModelsPath="$models" OTAI__OpenTicketAI__WatchModels=false OTAI__Logging__Format=json \
  Serilog__MinimumLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
  dotnet "$out/app/OpenTicketAI.Api.dll" >"$out/service.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.05; done
ready=$(date +%s.%N)
printf 'start-to-ready: %.2f s\n' "$(echo "$ready - $start" | bc)"
echo "RSS after start: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"

wrk -t1 -c1 -d3s -s bench/predict.lua "http://127.0.0.1:$port/predict" >/dev/null   # warm-up
total=0
for c in 1 16 64; do
  threads=$(( c < 2 ? 1 : 2 ))
  result=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s bench/predict.lua "http://127.0.0.1:$port/predict")
  p50=$(awk '$1=="50%" {print $2}' <<<"$result"); p99=$(awk '$1=="99%" {print $2}' <<<"$result")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$result"); n=$(awk '/requests in/ {print $1}' <<<"$result")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$result"); errors=$(grep -c "Socket errors" <<<"$result" || true)
  total=$((total + n))
  echo "concurrency $c: p50 $p50, p99 $p99, $rps req/s, $n requests, non-2xx ${non2xx:-0}, socket error lines $errors"
done
echo "RSS after $total requests: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"
