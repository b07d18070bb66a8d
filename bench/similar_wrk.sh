#!/usr/bin/env bash
# Load run against POST /similar on loopback, the service run as docker-compose runs it (bench/reliability/lib.sh:
# Production, an API key with scope predict, prediction recording on, JSON logs at Information, published ReadyToRun),
# with COLLECTION mounted as the "tickets" collection (a symlink under Knowledge:Path) and the real query tickets of
# QUERIES (JSONL with subject and body; bench/answers/scale_corpus.py writes them). Warms up for 20 s at concurrency 1,
# then, per request kind (no filter; language=en; queue="Billing and Payments"), p50/p99 and requests/s at concurrency
# 1 and 2, with the load average. Needs Debian's wrk.
# Usage: bench/similar_wrk.sh COLLECTION QUERIES.jsonl [seconds per level (default 30)]
export OTAI_RELIABILITY_APP="${OTAI_BENCH_APP:-/tmp/otai-similar-app}"
export KEY_SCOPE=predict LOG_LEVEL=Information PORT="${PORT:-18081}"
source "$(dirname "$0")/reliability/lib.sh"
collection="$(realpath "$1")"; queries="$2"; seconds="${3:-30}"

mkdir -p "$WORK/knowledge"
ln -s "$collection" "$WORK/knowledge/tickets"
for kind in unfiltered language queue; do
  /usr/bin/python3 - "$queries" "$kind" >"$WORK/$kind.jsonl" <<'PY'
import json, sys
extra = {"unfiltered": {}, "language": {"language": "en"}, "queue": {"queue": "Billing and Payments"}}[sys.argv[2]]
for line in open(sys.argv[1], encoding="utf-8"):
    q = json.loads(line)
    print(json.dumps({"subject": q["subject"], "body": q["body"], "topK": 5, **extra}, ensure_ascii=False))
PY
done

copy_default_model "$WORK/models"
start_service "$WORK/models" OTAI__Knowledge__Path="$WORK/knowledge"
printf 'start-to-ready: %.2f s; RSS %s MB; load average %s\n' "$START_TO_READY" "$(rss_mb)" "$(cut -d' ' -f1-3 /proc/loadavg)"
first=$(head -1 "$WORK/unfiltered.jsonl" | curl -s -m 300 -o /dev/null -w '%{http_code} in %{time_total} s' -H "$(auth)" -H 'Content-Type: application/json' --data-binary @- "$URL/similar" || true)
hits=$(head -1 "$WORK/language.jsonl" | curl -s -m 300 -H "$(auth)" -H 'Content-Type: application/json' --data-binary @- "$URL/similar" | /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r["hits"]), sorted({h["language"] for h in r["hits"]}))')
echo "first request (opens the collection if not open yet): $first; RSS $(rss_mb) MB; a language=en request's hits: $hits"
SIMILAR_BODIES="$WORK/unfiltered.jsonl" wrk -t1 -c1 -d20s --latency -H "$(auth)" -s "$ROOT/bench/similar.lua" "$URL/similar" >"$WORK/warm.txt"
echo "warm-up 20 s, concurrency 1: $(wrk_summary "$WORK/warm.txt")"
for kind in unfiltered language queue; do
  for c in 1 2; do
    SIMILAR_BODIES="$WORK/$kind.jsonl" wrk -t"$c" -c"$c" -d"${seconds}s" --latency -H "$(auth)" -s "$ROOT/bench/similar.lua" "$URL/similar" >"$WORK/$kind-c$c.txt"
    echo "$kind, concurrency $c: $(wrk_summary "$WORK/$kind-c$c.txt"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
echo "RSS after the runs: $(rss_mb) MB; errors in the log: $(grep -c '"@l":"Error"' "$WORK/service.log" || true)"
