#!/usr/bin/env bash
# `otai index` from cron while the service serves and is written through REST, as separate processes on one collection:
# ROUNDS runs of the real CLI (each upserting BATCH new tickets from ../shared/data) interleaved with REST upserts of 5
# documents every 0.2 s. Then checks that every document of both writers is in the service (GET /knowledge counts,
# /similar finds the CLI's last batch), that a fresh `otai index --evaluate`-free reopen counts the same, and prints the
# REST status codes, the CLI exit codes, the refresh log lines and errors in the log.
# Usage: bench/reliability/knowledge_cron.sh [rounds=5] [batch=300]
export KEY_SCOPE=admin LOG_LEVEL=Information
source "$(dirname "$0")/lib.sh"
rounds="${1:-5}"; batch="${2:-300}"
CLI="$ROOT/src/OpenTicketAI.Cli/bin/Release/net10.0/otai"
dotnet build "$ROOT/src/OpenTicketAI.Cli" -c Release --nologo -v quiet >/dev/null
/usr/bin/python3 - "$ROOT/../shared/data/tickets" "$WORK" "$rounds" "$batch" <<'PY'
import csv, glob, json, os, sys
src, work, rounds, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = []
for path in sorted(glob.glob(os.path.join(src, "*.csv"))):
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if (r.get("body") or "").strip():
                rows.append(r)
for k in range(rounds):
    with open(os.path.join(work, f"cron-{k}.jsonl"), "w", encoding="utf-8") as out:
        for i, r in enumerate(rows[k * batch:(k + 1) * batch]):
            out.write(json.dumps({"id": f"cron-{k}-{i}", "subject": r.get("subject") or "", "body": r["body"], "answer": r.get("answer") or "", "queue": r.get("queue") or ""}, ensure_ascii=False) + "\n")
PY
copy_default_model "$WORK/models"
start_service "$WORK/models" OTAI__Knowledge__Path="$WORK/knowledge" OTAI__Knowledge__RescanInterval=00:00:02
put() { curl -s -m 60 -o /dev/null -w '%{http_code}\n' -X PUT -H "$(auth)" -H 'Content-Type: application/json' --data-binary "$1" "$URL/knowledge/tickets/documents"; }
put '{"documents":[{"id":"rest-seed","title":"VPN tunnel drops every hour","body":"The VPN disconnects.","queue":"IT"}]}' >"$WORK/rest.codes"
# The REST writer stops when the CLI runs are done, or after 30 minutes whatever happens to them.
(
  i=0; deadline=$((SECONDS + 1800))
  while [ ! -f "$WORK/cron.done" ] && [ "$SECONDS" -lt "$deadline" ]; do
    docs=$(for j in 1 2 3 4 5; do printf '{"id":"rest-%d-%d","title":"Printer %d on floor %d is offline","queue":"Hardware"},' "$i" "$j" "$i" "$j"; done)
    put "{\"documents\":[${docs%,}]}" >>"$WORK/rest.codes"
    i=$((i + 1)); sleep 0.2
  done
  echo "$i" >"$WORK/rest.rounds"
) &
rest_pid=$!
started=$SECONDS
for k in $(seq 0 $((rounds - 1))); do
  rc=0; timeout 600 "$CLI" index --root "$WORK/knowledge" --collection tickets --data "$WORK/cron-$k.jsonl" >>"$WORK/cron.log" 2>&1 || rc=$?
  echo "otai index round $k: exit $rc at $((SECONDS - started)) s" | tee -a "$WORK/cron.exits"
done
touch "$WORK/cron.done"; wait "$rest_pid"
rest_rounds=$(cat "$WORK/rest.rounds")
expected=$((1 + rest_rounds * 5 + $(cat "$WORK"/cron-*.jsonl | wc -l)))
count() { curl -s -m 10 -H "$(auth)" "$URL/knowledge" | /usr/bin/python3 -c 'import json,sys; print(next((c["count"] for c in json.load(sys.stdin) if c["name"]=="tickets"), -1))'; }
counts_all() { [ "$(count)" = "$expected" ]; }
wait_until 30 counts_all || true
last=$(head -1 "$WORK/cron-$((rounds - 1)).jsonl" | /usr/bin/python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print(json.dumps({"subject": r["subject"], "body": r["body"], "topK": 1}))')
top=$(curl -s -m 30 -H "$(auth)" -H 'Content-Type: application/json' --data-binary "$last" "$URL/similar" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
echo "REST upserts: $(sort "$WORK/rest.codes" | uniq -c | tr -s ' \n' ' ')(rounds $rest_rounds); documents expected $expected, service counts $(count)"
echo "/similar for the first ticket of the CLI's last batch: top hit $top (expected cron-$((rounds - 1))-0)"
echo "refreshes logged: $(grep -c 'changed on disk; read again' "$WORK/service.log" || true); warnings/errors in the log: $(grep -c '"@l":"\(Warning\|Error\)"' "$WORK/service.log" || true); CLI errors: $(grep -ci 'error' "$WORK/cron.log" || true)"
grep -o 'changed on disk; read again[^"]*' "$WORK/service.log" | head -3
