#!/usr/bin/env bash
# /similar over HTTP with and without filters, interleaved query by query (the same ticket unfiltered, language=en,
# queue=Billing and Payments in turn), so machine state affects all three alike; wrk levels run one kind after another.
# Usage: bench/answers/similar_filters_interleaved.sh COLLECTION_DIR QUERIES.jsonl   (as bench/similar_wrk.sh)
export OTAI_RELIABILITY_APP="${OTAI_BENCH_APP:-/tmp/otai-similar-app}" KEY_SCOPE=predict LOG_LEVEL=Warning PORT="${PORT:-18082}"
source "$(dirname "$0")/../reliability/lib.sh"
collection="$(realpath "$1")"; queries="$(realpath "$2")"
mkdir -p "$WORK/knowledge"; ln -s "$collection" "$WORK/knowledge/tickets"
copy_default_model "$WORK/models"
start_service "$WORK/models" OTAI__Knowledge__Path="$WORK/knowledge"
/usr/bin/python3 - "$URL" "$(auth)" "$queries" <<'PY'
import json, sys, time, urllib.request
url, auth, queries = sys.argv[1], sys.argv[2].split(": ", 1)[1], sys.argv[3]
qs = [json.loads(l) for l in open(queries, encoding="utf-8")][:60]
def ask(body):
    req = urllib.request.Request(url + "/similar", data=json.dumps(body).encode(), headers={"Content-Type": "application/json", "Authorization": auth})
    t = time.perf_counter(); urllib.request.urlopen(req, timeout=300).read(); return (time.perf_counter() - t) * 1000
for q in qs[:20]:
    ask({"subject": q["subject"], "body": q["body"], "topK": 5}); ask({"subject": q["subject"], "body": q["body"], "topK": 5, "language": "en"}); ask({"subject": q["subject"], "body": q["body"], "topK": 5, "queue": "Billing and Payments"})
res = {"none": [], "language": [], "queue": []}
for rnd in range(2):
    for q in qs:
        base = {"subject": q["subject"], "body": q["body"], "topK": 5}
        res["none"].append(ask(base)); res["language"].append(ask({**base, "language": "en"})); res["queue"].append(ask({**base, "queue": "Billing and Payments"}))
for k, v in res.items():
    v.sort(); print(k, "p50 %.1f p90 %.1f" % (v[len(v)//2], v[int(len(v)*0.9)]))
PY
