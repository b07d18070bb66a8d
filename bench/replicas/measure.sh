#!/usr/bin/env bash
# Sizing figures for docs/scaling.md: one replica on PostgreSQL (feedback and integration state), pinned to one core,
# under POST /predict at concurrency 16 with the default model: requests/s per core, RSS, and the PostgreSQL connections
# the replica holds idle and under load. Needs Debian's wrk and a PostgreSQL connection string.
# Usage: OTAI_BENCH_POSTGRES='Host=localhost;Username=...;Password=...;Database=...' bench/replicas/measure.sh [seconds (default 20)] [core (default 0)]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
core="${2:-0}"
pg="${OTAI_BENCH_POSTGRES:?set OTAI_BENCH_POSTGRES to an Npgsql connection string}"
port=18091
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT

dotnet publish src/OpenTicketAI.Api/OpenTicketAI.Api.csproj -c Release -o "$out/app" --nologo -v quiet >/dev/null
OTAI__OpenTicketAI__ModelsPath="$PWD/models" OTAI__OpenTicketAI__WatchModels=false OTAI__Logging__Format=json \
  OTAI__Feedback__Provider=PostgreSql OTAI__Feedback__ConnectionString="$pg;Application Name=otai-bench" \
  OTAI__Integrations__Provider=PostgreSql OTAI__Integrations__ConnectionString="$pg;Application Name=otai-bench" \
  OTAI__Security__RequireApiKeys=false OTAI__Limits__RateLimit__TokenLimit=10000000 OTAI__Limits__RateLimit__TokensPerPeriod=10000000 \
  Serilog__MinimumLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
  taskset -c "$core" dotnet "$out/app/OpenTicketAI.Api.dll" >"$out/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$out/service.log"; exit 1; }
connections() { psql "$(sed 's/;/ /g; s/Username=/user=/; s/Host=/host=/; s/Password=/password=/; s/Database=/dbname=/; s/Port=/port=/' <<<"$pg")" -Atc \
  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'otai-bench'"; }
echo "RSS after start: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status); PostgreSQL connections idle: $(connections)"

wrk -t1 -c4 -d3s -s bench/predict.lua "http://127.0.0.1:$port/predict" >/dev/null   # warm-up
wrk -t2 -c16 -d"${seconds}s" --latency -s bench/predict.lua "http://127.0.0.1:$port/predict" >"$out/wrk.txt" &
wrk_pid=$!
sleep $((seconds / 2))
peak=$(connections)
wait "$wrk_pid"
rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt"); p50=$(awk '$1=="50%" {print $2}' "$out/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$out/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$out/wrk.txt")
echo "one core (taskset -c $core), concurrency 16: $rps req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}"
echo "PostgreSQL connections under load: $peak; RSS after the run: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$pid/status)"
