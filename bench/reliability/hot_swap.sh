#!/usr/bin/env bash
# Model hot swap under load: every 2 s a different version of the default model is renamed into place and
# POST /models/default/reload is called, while wrk (c16) predicts. Prints predict non-2xx and the reload outcomes.
# Usage: bench/reliability/hot_swap.sh [seconds=30]
source "$(dirname "$0")/lib.sh"
seconds="${1:-30}"
copy_default_model "$WORK/models"
mkdir -p "$WORK/versions"
for v in a b; do
  cp -r "$ROOT/models/default" "$WORK/versions/$v"
  python3 - "$WORK/versions/$v/model.json" "$v" <<'PY'
import json, sys
path, v = sys.argv[1], sys.argv[2]
d = json.load(open(path)); d["version"] = d["version"] + "-swap-" + v
json.dump(d, open(path, "w"), indent=2)
PY
done
start_service "$WORK/models"
wrk -t2 -c16 -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/predict.lua" "$URL/predict" >"$WORK/wrk.txt" &
wrk_pid=$!
swaps=0; declare -A outcomes=()
end=$((SECONDS + seconds - 2))
while [ $SECONDS -lt $end ]; do
  v=$([ $((swaps % 2)) = 0 ] && echo a || echo b)
  rm -rf "$WORK/models/.staging"; cp -r "$WORK/versions/$v" "$WORK/models/.staging"
  mv "$WORK/models/default" "$WORK/models/.old" && mv "$WORK/models/.staging" "$WORK/models/default" && rm -rf "$WORK/models/.old"
  code=$(curl -s -m 30 -o /dev/null -w '%{http_code}' -X POST -H "$(auth)" "$URL/models/default/reload")
  outcomes[$code]=$(( ${outcomes[$code]:-0} + 1 )); swaps=$((swaps + 1))
  sleep 2
done
wait "$wrk_pid"
echo "swaps: $swaps; reload answers: $(for k in "${!outcomes[@]}"; do printf '%s x%s ' "$k" "${outcomes[$k]}"; done)"
echo "serving now: $(curl -s -m 30 -H "$(auth)" "$URL/models" | python3 -c 'import json,sys; print([m["version"] for m in json.load(sys.stdin)["models"] if m["name"]=="default"][0])')"
echo "wrk ${seconds}s c16 during swaps: $(wrk_summary "$WORK/wrk.txt")"
