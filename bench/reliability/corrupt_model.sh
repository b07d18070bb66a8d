#!/usr/bin/env bash
# A corrupt model dropped in under load: model.onnx is replaced by half of itself, then reloaded (and the file watcher
# is on too). The old model must keep serving (predict non-2xx = 0), the reload must be refused, and /health/ready and
# /models must report the error. Usage: bench/reliability/corrupt_model.sh [seconds=20]
source "$(dirname "$0")/lib.sh"
seconds="${1:-20}"
copy_default_model "$WORK/models"
start_service "$WORK/models" OTAI__OpenTicketAI__WatchModels=true
wrk -t2 -c16 -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/wrk.txt" &
wrk_pid=$!
sleep 3
size=$(stat -c %s "$WORK/models/default/model.onnx")
head -c $((size / 2)) "$ROOT/models/default/model.onnx" >"$WORK/models/default/model.onnx"
code=$(curl -s -m 30 -o "$WORK/reload.json" -w '%{http_code}' -X POST -H "$(auth)" "$URL/models/default/reload")
echo "reload of the corrupt model: HTTP $code: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("title"), "| servingVersion:", d.get("servingVersion"))' "$WORK/reload.json")"
sleep 3
ready=$(curl -s -m 30 -H "$(auth)" -w ' HTTP %{http_code}' "$URL/health/ready")
echo "/health/ready: $(python3 -c 'import json,sys; t=sys.argv[1]; body,code=t.rsplit(" HTTP ",1); d=json.loads(body); m=d["checks"][0]["data"]["default"]; print("HTTP", code, d["status"], "| default:", m["status"], "| lastError:", (m.get("lastError") or "")[:100])' "$ready")"
echo "/models: $(curl -s -m 30 -H "$(auth)" "$URL/models" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=[x for x in d["models"] if x["name"]=="default"][0]; print("default", m.get("status") or m.get("state"), "version", m.get("version"), "| lastError:", str(m.get("lastError"))[:100])')"
wait "$wrk_pid"
echo "wrk ${seconds}s c16 while the corrupt model was dropped in: $(wrk_summary "$WORK/wrk.txt")"
