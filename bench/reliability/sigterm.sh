#!/usr/bin/env bash
# SIGTERM under load: 16 client threads post batches of 100 tickets (each in flight for tens of ms or more) for 12 s;
# the service gets SIGTERM after 5 s. Every request is classified by when it was sent and how it ended:
# sent before SIGTERM and not answered 2xx = an in-flight request lost (must be 0); sent after = refused (expected).
# Usage: bench/reliability/sigterm.sh [threads=16]
source "$(dirname "$0")/lib.sh"
threads="${1:-16}"
copy_default_model "$WORK/models"
start_service "$WORK/models"
python3 - "$URL" "$KEY" "$threads" "$WORK/sigterm_at" >"$WORK/clients.txt" <<'PY' &
import json, os, sys, threading, time, urllib.request, urllib.error
url, key, n, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ticket = {"subject": "Cannot access my account", "body": "The password reset email never arrives and I have an urgent deadline. " * 5}
body = json.dumps({"tickets": [ticket] * 100}).encode()
results, lock, end = [], threading.Lock(), time.time() + 12
def client():
    while time.time() < end:
        sent = time.time(); outcome = None
        try:
            req = urllib.request.Request(url + "/predict/batch", data=body, method="POST",
                headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
            with urllib.request.urlopen(req, timeout=60) as r:
                r.read(); outcome = str(r.status)
        except urllib.error.HTTPError as e:
            outcome = str(e.code)
        except Exception as e:
            outcome = type(getattr(e, "reason", e)).__name__
        with lock: results.append((sent, time.time(), outcome))
        if outcome in ("ConnectionRefusedError",): time.sleep(0.05)
ts = [threading.Thread(target=client) for _ in range(n)]
for t in ts: t.start()
for t in ts: t.join()
deadline = time.time() + 60
while not os.path.exists(marker) and time.time() < deadline: time.sleep(0.1)
if not os.path.exists(marker): sys.exit("no SIGTERM was sent within 60 s")
sigterm = float(open(marker).read())
before = [r for r in results if r[0] < sigterm]; after = [r for r in results if r[0] >= sigterm]
ok_before = sum(1 for r in before if r[2].startswith("2"))
inflight = [r for r in before if r[1] > sigterm]
print(f"sent before SIGTERM: {len(before)}, answered 2xx {ok_before}, lost {len(before) - ok_before} "
      f"(in flight at SIGTERM: {len(inflight)}, of which 2xx {sum(1 for r in inflight if r[2].startswith('2'))}); "
      f"sent after SIGTERM: {len(after)}, outcomes {sorted(set(r[2] for r in after))}")
PY
clients=$!
sleep 5
date +%s.%N >"$WORK/sigterm_at"
start=$(cat "$WORK/sigterm_at")
kill -TERM "$PID"
wait_until 60 has_exited "$PID" || { echo "service did not exit within 60 s of SIGTERM"; exit 1; }
stopped=$(date +%s.%N)
status=0; wait "$SERVICE_SHELL" || status=$?
PID=""
wait "$clients"
printf 'service exited %.2f s after SIGTERM with status %s; errors in its log: %s\n' "$(echo "$stopped - $start" | bc)" "$status" "$(grep -c '"@l":"Error"' "$WORK/service.log" || true)"
cat "$WORK/clients.txt"
grep '"@l":"Error"' "$WORK/service.log" | cut -c1-300 || true
