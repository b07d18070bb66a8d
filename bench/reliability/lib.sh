# Shared by the reliability scripts: publish the service once, start it on loopback with a fresh API key, read RSS.
# Sourced, not run. Every script runs the service as in production (keys required, rate limit on but set high enough
# that one load generator is not throttled: these scripts measure the service, not the limiter).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${OTAI_RELIABILITY_APP:-/tmp/otai-reliability-app}"
WORK="$(mktemp -d /tmp/otai-reliability.XXXXXX)"
PORT="${PORT:-18090}"
URL="http://127.0.0.1:$PORT"
KEY="otai_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
HASH="sha256:$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
PID=""

cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "${EXTRA_PIDS:-}" ] && kill $EXTRA_PIDS 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

publish() {
  if [ ! -f "$APP/OpenTicketAI.Api.dll" ] || [ "${REPUBLISH:-0}" = 1 ]; then
    dotnet publish "$ROOT/src/OpenTicketAI.Api/OpenTicketAI.Api.csproj" -c Release -o "$APP" --nologo -v quiet >/dev/null
  fi
}

# start_service MODELS_DIR [NAME=VALUE ...]: starts the published service in production mode, waits until ready.
start_service() {
  local models="$1"; shift
  publish
  (cd "$APP" && env ASPNETCORE_URLS="$URL" ASPNETCORE_ENVIRONMENT=Production \
    OTAI__OpenTicketAI__ModelsPath="$models" OTAI__OpenTicketAI__WatchModels=false \
    OTAI__Integrations__DataDirectory="$WORK/data" OTAI__Feedback__ConnectionString="Data Source=$WORK/data/feedback.db" \
    OTAI__Security__ApiKeys__0__Client=bench OTAI__Security__ApiKeys__0__Hash="$HASH" OTAI__Security__ApiKeys__0__Scopes__0=admin \
    OTAI__Limits__RateLimit__TokenLimit=10000000 OTAI__Limits__RateLimit__TokensPerPeriod=10000000 \
    Serilog__MinimumLevel__Default=Warning OTAI__Logging__Format=json "$@" \
    dotnet OpenTicketAI.Api.dll >>"$WORK/service.log" 2>&1) &
  PID=$!; SERVICE_SHELL=$!
  # The subshell's child is the dotnet process; find it so RSS and signals reach the service itself.
  for _ in $(seq 1 600); do
    if curl -fs "$URL/health/ready" >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  local child; child=$(pgrep -P "$PID" -f OpenTicketAI.Api.dll || true)
  [ -n "$child" ] && PID="$child"
  curl -fs "$URL/health/ready" >/dev/null || { echo "service did not become ready; log:"; tail -20 "$WORK/service.log"; exit 1; }
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/${1:-$PID}/status"; }

# copy_default_model DIR: the shipped default model as DIR/default.
copy_default_model() { mkdir -p "$1"; cp -r "$ROOT/models/default" "$1/default"; }

auth() { printf 'Authorization: Bearer %s' "$KEY"; }

# wrk_summary FILE: one line from wrk --latency output.
wrk_summary() {
  local f="$1"
  local n p50 p99 rps non2xx sock
  n=$(awk '/requests in/ {print $1}' "$f"); p50=$(awk '$1=="50%" {print $2}' "$f"); p99=$(awk '$1=="99%" {print $2}' "$f")
  rps=$(awk '/Requests\/sec/ {print $2}' "$f"); non2xx=$(awk '/Non-2xx/ {print $5}' "$f")
  sock=$(grep "Socket errors" "$f" | sed 's/^ *//' || true)
  echo "requests $n, non-2xx ${non2xx:-0}, ${sock:-socket errors none}, p50 $p50, p99 $p99, $rps req/s"
}
