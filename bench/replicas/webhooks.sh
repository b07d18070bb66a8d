#!/usr/bin/env bash
# Two replicas on one PostgreSQL behind no proxy, a fake Zammad, 1,000 signed webhooks round-robin (200 of them repeated
# deliveries), and replica 1 killed with SIGKILL halfway. Every ticket's two notes (rules "first" and "second") must reach
# the help desk exactly once and in order; write-backs replica 1 had claimed are sent by replica 2 after the outbox lease,
# a note only when the ticket's articles (GET by_ticket) do not already show its marker.
# Usage: OTAI_BENCH_POSTGRES='Host=localhost;Username=...;Password=...;Database=...' bench/replicas/webhooks.sh [tickets (800)] [repeats (200)]
set -euo pipefail
cd "$(dirname "$0")/../.."
tickets="${1:-800}"
repeats="${2:-200}"
pg="${OTAI_BENCH_POSTGRES:?set OTAI_BENCH_POSTGRES to an Npgsql connection string}"
libpq=$(sed 's/;/ /g; s/Username=/user=/; s/Host=/host=/; s/Password=/password=/; s/Database=/dbname=/; s/Port=/port=/' <<<"$pg")
schema="otai_bench_$RANDOM$RANDOM"
secret="bench-secret"
desk_port=18190
out=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  psql "$libpq" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$out"
}
trap cleanup EXIT

psql "$libpq" -qc "CREATE SCHEMA $schema"
dotnet publish src/OpenTicketAI.Api/OpenTicketAI.Api.csproj -c Release -o "$out/app" --nologo -v quiet >/dev/null
python3 bench/replicas/fake_zammad.py "$desk_port" & pids+=($!)

start_replica() {
  local port=$1
  OTAI__OpenTicketAI__ModelsPath="$PWD/models" OTAI__OpenTicketAI__WatchModels=false OTAI__Training__RunJobs=false \
    OTAI__Feedback__Provider=PostgreSql OTAI__Feedback__ConnectionString="$pg;Search Path=$schema" \
    OTAI__Integrations__Provider=PostgreSql OTAI__Integrations__ConnectionString="$pg;Search Path=$schema" \
    OTAI__Integrations__Outbox__Lease=00:00:10 OTAI__Integrations__Outbox__RequestTimeout=00:00:03 \
    OTAI__Integrations__Outbox__PollInterval=00:00:00.200 \
    OTAI__Integrations__Zammad__Instances__0__Name=main OTAI__Integrations__Zammad__Instances__0__Enabled=true \
    OTAI__Integrations__Zammad__Instances__0__BaseUrl="http://127.0.0.1:$desk_port/" \
    OTAI__Integrations__Zammad__Instances__0__Token=bench-token OTAI__Integrations__Zammad__Instances__0__WebhookSecret="$secret" \
    OTAI__Integrations__Rules__0__Name=first OTAI__Integrations__Rules__0__When=true \
    OTAI__Integrations__Rules__0__Then__0="add note 'otai-first'" \
    OTAI__Integrations__Rules__1__Name=second OTAI__Integrations__Rules__1__When=true \
    OTAI__Integrations__Rules__1__Then__0="add note 'otai-second'" \
    OTAI__Security__RequireApiKeys=false OTAI__Limits__RateLimit__Enabled=false \
    Serilog__MinimumLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet "$out/app/OpenTicketAI.Api.dll" >"$out/replica-$port.log" 2>&1 &
  pids+=($!)
}
start_replica 18191
r1=${pids[-1]}
start_replica 18192
for port in 18191 18192; do
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$out/replica-$port.log"; exit 1; }
done

started=$(date +%s)
python3 bench/replicas/send_webhooks.py "http://127.0.0.1:18191,http://127.0.0.1:18192" "$secret" "$tickets" "$repeats" \
  $(((tickets + repeats) / 2)) "kill -9 $r1"
echo "replica 1 (pid $r1) killed with SIGKILL after $(((tickets + repeats) / 2)) deliveries"

# Wait for the outbox to drain: replica 1's claims come back after the 10 s lease.
psql_count() { psql "$libpq" -Atc "SELECT count(*) FROM $schema.outbox_messages WHERE status <> 'delivered'"; }
for _ in $(seq 1 120); do [ "$(psql_count)" = "0" ] && break; sleep 1; done
echo "outbox drained in $(($(date +%s) - started)) s (pending or failed left: $(psql_count))"

curl -fs "http://127.0.0.1:$desk_port/_calls" >"$out/calls.json"
psql "$libpq" -Atc "SELECT ticket_id || ' ' || description || ' attempts=' || attempts FROM $schema.outbox_messages" >"$out/outbox.txt"
python3 - "$out/calls.json" "$tickets" "$out/outbox.txt" <<'PY'
import json, re, sys
calls, tickets = json.load(open(sys.argv[1])), int(sys.argv[2])
notes = {}
for call in calls:
    if call["method"] == "POST" and call["path"].startswith("/api/v1/ticket_articles"):
        body = json.loads(call["body"])
        notes.setdefault(int(body["ticket_id"]), []).append("first" if "otai-first" in body.get("body", "") else "second")
exact = sum(1 for t in range(1, tickets + 1) if notes.get(t) == ["first", "second"])
doubled = sum(1 for n in notes.values() if len(n) > 2)
missing = sum(1 for t in range(1, tickets + 1) if len(notes.get(t, [])) < 2)
out_of_order = sum(1 for n in notes.values() if len(n) == 2 and n != ["first", "second"])
print(f"write-backs received: {sum(len(n) for n in notes.values())} notes for {len(notes)} tickets; "
      f"exactly once and in order: {exact}/{tickets}; doubled: {doubled}; missing: {missing}; out of order: {out_of_order}")
checks = sum(1 for call in calls if call["method"] == "GET" and "/ticket_articles/by_ticket/" in call["path"])
print(f"checks before a repeated note (GET by_ticket): {checks}")
outbox = open(sys.argv[3]).read().splitlines()
for ticket, sequence in sorted(notes.items()):
    if sequence != ["first", "second"]:
        rows = [row for row in outbox if row.startswith(f"{ticket} ")]
        print(f"  ticket {ticket}: received {sequence}; outbox rows: {rows}")
sys.exit(0 if exact == tickets else 1)
PY
