# Shared by the reliability scripts and bench/service_wrk.sh: publish the service once, start it on loopback with a
# fresh API key, read RSS. Sourced, not run. Every script runs the service as in production (keys required, rate limit
# on but set high enough that one load generator is not throttled: these scripts measure the service, not the limiter).
# Every wait has a time limit. Settings: PUBLISH_ARGS (default: as the Dockerfile publishes, ReadyToRun for linux-x64;
# "" for plain IL), KEY_SCOPE (default admin), LOG_LEVEL (Serilog's default level, default Warning).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${OTAI_RELIABILITY_APP:-/tmp/otai-reliability-app}"
WORK="$(mktemp -d /tmp/otai-reliability.XXXXXX)"
PORT="${PORT:-18090}"
URL="http://127.0.0.1:$PORT"
KEY="otai_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
HASH="sha256:$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
PID=""
KEY_SCOPE="${KEY_SCOPE:-admin}"
LOG_LEVEL="${LOG_LEVEL:-Warning}"
[ -n "${PUBLISH_ARGS+set}" ] || PUBLISH_ARGS="-r linux-x64 --self-contained false -p:PublishReadyToRun=true"

cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  [ -n "${EXTRA_PIDS:-}" ] && kill $EXTRA_PIDS 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

publish() {
  if [ ! -f "$APP/OpenTicketAI.Api.dll" ] || [ "${REPUBLISH:-0}" = 1 ] || [ "$(cat "$APP/.publish-args" 2>/dev/null)" != "$PUBLISH_ARGS" ]; then
    rm -rf "$APP"
    # shellcheck disable=SC2086 # PUBLISH_ARGS is a list of arguments
    dotnet publish "$ROOT/src/OpenTicketAI.Api/OpenTicketAI.Api.csproj" -c Release -o "$APP" $PUBLISH_ARGS --nologo -v quiet >/dev/null
    printf '%s' "$PUBLISH_ARGS" >"$APP/.publish-args"
  fi
}

# wait_until SECONDS COMMAND...: runs COMMAND every 0.05 s until it succeeds; returns 1 once SECONDS have passed.
wait_until() {
  local deadline; deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

is_ready() { curl -fs -m 2 "$URL/health/ready" >/dev/null 2>&1; }
has_exited() { ! kill -0 "$1" 2>/dev/null; }

# stop_service [SECONDS=40]: SIGTERM, then waits for the process to exit (SIGKILL after SECONDS).
stop_service() {
  kill -TERM "$PID" 2>/dev/null || true
  wait_until "${1:-40}" has_exited "$PID" || { echo "service did not stop within ${1:-40} s; killing it"; kill -KILL "$PID" 2>/dev/null || true; }
}

# start_service MODELS_DIR [NAME=VALUE ...]: starts the published service in production mode, waits (at most 120 s)
# until ready; START_TO_READY is then the seconds from starting the process until /health/ready answered 200.
start_service() {
  local models="$1"; shift
  publish
  local started; started=$(date +%s.%N)
  (cd "$APP" && env ASPNETCORE_URLS="$URL" ASPNETCORE_ENVIRONMENT=Production \
    OTAI__OpenTicketAI__ModelsPath="$models" OTAI__OpenTicketAI__WatchModels=false \
    OTAI__Integrations__DataDirectory="$WORK/data" OTAI__Feedback__ConnectionString="Data Source=$WORK/data/feedback.db" \
    OTAI__Security__ApiKeys__0__Client=bench OTAI__Security__ApiKeys__0__Hash="$HASH" OTAI__Security__ApiKeys__0__Scopes__0="$KEY_SCOPE" \
    OTAI__Limits__RateLimit__TokenLimit=10000000 OTAI__Limits__RateLimit__TokensPerPeriod=10000000 \
    Serilog__MinimumLevel__Default="$LOG_LEVEL" OTAI__Logging__Format=json "$@" \
    dotnet OpenTicketAI.Api.dll >>"$WORK/service.log" 2>&1) &
  PID=$!; SERVICE_SHELL=$!
  # The subshell's child is the dotnet process; find it so RSS and signals reach the service itself.
  if ! wait_until 120 is_ready; then
    echo "service did not become ready within 120 s; log:"; tail -20 "$WORK/service.log"; exit 1
  fi
  START_TO_READY=$(echo "$(date +%s.%N) - $started" | bc)
  local child; child=$(pgrep -P "$PID" -f OpenTicketAI.Api.dll || true)
  [ -n "$child" ] && PID="$child"
  return 0
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/${1:-$PID}/status"; }

# cpu_seconds [PID]: user + system CPU time the process has used so far; unlike wall time, it hardly changes when other
# jobs share the cores.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/${1:-$PID}/stat"; }

# copy_default_model DIR: the shipped default model as DIR/default.
# OTAI_BENCH_MODEL names another model directory to serve as "default" (e.g. a fresh training of the default recipe).
copy_default_model() { mkdir -p "$1"; cp -r "${OTAI_BENCH_MODEL:-$ROOT/models/default}/." "$1/default"; }

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
