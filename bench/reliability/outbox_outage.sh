#!/usr/bin/env bash
# The help desk is down for minutes: signed Zammad webhooks arrive while nothing listens at the help desk's address;
# half-way through the outage the service is restarted (SIGTERM, start again on the same SQLite outbox). Then a small
# local HTTP sink comes up at that address. Every write-back the webhooks enqueued must arrive: lost = enqueued - received.
# Usage: bench/reliability/outbox_outage.sh [outage seconds=120] [webhooks=40]
source "$(dirname "$0")/lib.sh"
outage="${1:-120}"; webhooks="${2:-40}"
SINK_PORT=$((PORT + 1)); SECRET="reliability-webhook-secret"
copy_default_model "$WORK/models"
settings=(OTAI__Integrations__Zammad__Instances__0__Enabled=true
  OTAI__Integrations__Zammad__Instances__0__BaseUrl="http://127.0.0.1:$SINK_PORT/"
  OTAI__Integrations__Zammad__Instances__0__Token=bench-token
  OTAI__Integrations__Zammad__Instances__0__WebhookSecret="$SECRET"
  OTAI__Integrations__Outbox__InitialDelay=00:00:01 OTAI__Integrations__Outbox__MaxDelay=00:00:10
  OTAI__Integrations__Outbox__MaxAttempts=100 OTAI__Integrations__Outbox__PollInterval=00:00:01
  OTAI__Integrations__Outbox__RequestTimeout=00:00:05)
start_service "$WORK/models" "${settings[@]}"

python3 - "$URL" "$SECRET" "$webhooks" >"$WORK/enqueued.txt" <<'PY'
import hashlib, hmac, json, sys, urllib.request
url, secret, n = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
texts = [("Invoice charged twice", "My credit card was billed twice for the March invoice, please refund."),
         ("Cannot access my account", "The password reset email never arrives and I have an urgent deadline."),
         ("Server down", "Our production server returns 500 errors since the update, urgent.")]
total = 0
for i in range(n):
    subject, body = texts[i % len(texts)]
    payload = json.dumps({"ticket": {"id": 1000 + i, "number": str(31000 + i), "title": subject, "group": {"id": 1, "name": "Users"}, "state": "new"},
                          "article": {"id": 5000 + i, "ticket_id": 1000 + i, "subject": subject, "body": body, "content_type": "text/plain", "sender": "Customer", "internal": False}}).encode()
    sig = "sha1=" + hmac.new(secret, payload, hashlib.sha1).hexdigest()
    req = urllib.request.Request(url + "/integrations/zammad/main/webhook", data=payload, method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature": sig, "X-Zammad-Delivery": f"outage-{i}", "X-Zammad-Trigger": "otai"})
    total += len(json.load(urllib.request.urlopen(req, timeout=30))["outbox"])
print(total)
PY
enqueued=$(cat "$WORK/enqueued.txt")
counts() { curl -s -m 10 -H "$(auth)" "$URL/integrations/outbox?limit=1" | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(" ".join(f"{k}={v}" for k,v in c.items()))'; }
echo "$webhooks webhooks accepted, $enqueued write-backs enqueued; help desk down for $outage s"
sleep $((outage / 2))
echo "after $((outage / 2)) s: $(counts); restarting the service"
stop_service 60
start_service "$WORK/models" "${settings[@]}"
sleep $((outage - outage / 2))
echo "after $outage s (help desk still down): $(counts)"

python3 - "$SINK_PORT" "$WORK/received.txt" <<'PY' &
import http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
class Sink(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with open(log, "a") as f:
            f.write(f"{self.command} {self.path} {body.decode(errors='replace')}\n")
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers(); self.wfile.write(b"{}")
    do_PUT = do_POST = do_PATCH = handle_one
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
PY
EXTRA_PIDS=$!
up=$(date +%s)
for _ in $(seq 1 180); do
  pending=$(curl -s -m 10 -H "$(auth)" "$URL/integrations/outbox?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["pending"])')
  [ "$pending" = 0 ] && break
  sleep 1
done
received=$(sort -u "$WORK/received.txt" 2>/dev/null | wc -l); calls=$(wc -l <"$WORK/received.txt" 2>/dev/null || echo 0)
echo "help desk up; outbox drained in $(( $(date +%s) - up )) s: $(counts)"
echo "write-backs enqueued $enqueued, distinct received by the help desk $received (calls $calls), lost $((enqueued - received))"
