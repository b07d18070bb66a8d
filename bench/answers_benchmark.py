#!/usr/bin/python3
"""Suggested replies and summaries (issue 15), one run, product and baselines on the same rows.

    /usr/bin/python3 bench/answers_benchmark.py [--work /tmp/i-answerbench/answers] [--seed 42] [--test-share 0.2] [--encoder minilm-int8]

Rows: the shared ticket files that have an `answer` column (tickets-en-de-a, tickets-en-de-b, tickets-multilang-5lang),
deduplicated by normalised body, split 80/20 with a fixed seed. bench/answers/Answers.cs indexes the training tickets
(with their answers; `otai index --tune` defaults) and returns, for every held-out ticket, the reply POST /suggest gives,
the default model's queue and the summaries POST /summarize gives. Scores here: ROUGE-L F1 (LCS over lowercase word
tokens) and MiniLM cosine (256 tokens) between a suggested and the real answer; ROUGE-L between a summary of the body
and the ticket's own subject. Needs ../shared/data (read-only) and the .NET SDK; writes only under --work.
"""
import argparse, csv, json, os, random, re, subprocess, sys, time
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "data", "tickets")
FILES = ["tickets-en-de-a.csv", "tickets-en-de-b.csv", "tickets-multilang-5lang.csv"]
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return TOKEN.findall((text or "").lower())


def rouge_l(candidate, reference):
    """ROUGE-L F1 (beta = 1) of the longest common subsequence of word tokens."""
    a, b = tokens(candidate), tokens(reference)
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


def load_rows():
    seen, rows = set(), []
    for name in FILES:
        with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
            for n, row in enumerate(csv.DictReader(f)):
                body = (row.get("body") or "").replace("\\n", "\n").strip()
                answer = (row.get("answer") or "").replace("\\n", "\n").strip()
                key = " ".join(body.lower().split())
                if not body or not answer or key in seen:
                    continue
                seen.add(key)
                rows.append({"id": f"{name}:{n + 2}", "subject": (row.get("subject") or "").strip(), "body": body,
                             "answer": answer, "queue": row.get("queue") or None, "language": row.get("language") or None})
    return rows


def mean(values):
    return float(np.mean(values)) if len(values) else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", default="/tmp/i-answerbench/answers")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--test-share", type=float, default=0.2)
    parser.add_argument("--threshold", type=float, default=0.6, help="Knowledge:SuggestThreshold (the service's default)")
    parser.add_argument("--encoder", default="minilm-int8", help="the collection's encoder (as `otai index --encoder`)")
    parser.add_argument("--reuse", action="store_true", help="score the last run's product.jsonl again without re-running .NET")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rows = load_rows()
    random.Random(args.seed).shuffle(rows)
    cut = int(round(len(rows) * (1 - args.test_share)))
    train, test = rows[:cut], rows[cut:]
    for name, part in (("train", train), ("test", test)):
        with open(os.path.join(args.work, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for row in part:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    started = time.time()
    load_before = open("/proc/loadavg").read().split()[:3]
    if not args.reuse:
        command = ["dotnet", "run", "-c", "Release", os.path.join(ROOT, "bench", "answers", "Answers.cs"), "--",
                   args.work, os.path.join(ROOT, "models", "default"), str(args.threshold), args.encoder]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            sys.exit("bench/answers/Answers.cs failed")
    load_after = open("/proc/loadavg").read().split()[:3]
    with open(os.path.join(args.work, "product.jsonl"), encoding="utf-8") as f:
        product = [json.loads(line) for line in f]
    assert [p["id"] for p in product] == [r["id"] for r in test], "product.jsonl is not in test order"
    vectors = np.fromfile(os.path.join(args.work, "answers.f32"), dtype=np.float32).reshape(len(train) + len(test), -1)
    train_vec, test_vec = vectors[:len(train)], vectors[len(train):]
    train_index = {r["id"]: i for i, r in enumerate(train)}

    # Baseline "most typical answer of the queue": the training answer closest to its queue's answer centroid.
    typical = {}
    for queue in sorted({r["queue"] for r in train if r["queue"]}):
        members = [i for i, r in enumerate(train) if r["queue"] == queue]
        centroid = train_vec[members].mean(axis=0)
        typical[queue] = members[int(np.argmax(train_vec[members] @ centroid))]
    overall = int(np.argmax(train_vec @ train_vec.mean(axis=0)))
    rng = random.Random(args.seed)
    methods = {"suggest": [], "suggest_language": [], "typical_predicted_queue": [], "typical_true_queue": [], "random": []}
    coverage = {"suggest": [], "suggest_language": []}
    for row, p, vec in zip(test, product, test_vec):
        for key, field in (("suggest", "suggest"), ("suggest_language", "suggestLanguage")):
            s = p[field]
            chosen = train_index.get(s["bestId"]) if s["bestId"] else None
            methods[key].append(chosen)
            coverage[key].append((not s["needsReview"], s["confidence"], s["byEncoder"]))
        methods["typical_predicted_queue"].append(typical.get(p["predictedQueue"], overall))
        methods["typical_true_queue"].append(typical.get(row["queue"], overall))
        methods["random"].append(rng.randrange(len(train)))

    def score(indices, subset=None):
        picked = [(i, t) for t, i in enumerate(indices) if subset is None or subset[t]]
        rouge = [rouge_l(train[i]["answer"], test[t]["answer"]) if i is not None else 0.0 for i, t in picked]
        cos = [float(train_vec[i] @ test_vec[t]) if i is not None else 0.0 for i, t in picked]
        return {"n": len(picked), "rougeL": round(mean(rouge), 4), "cosine": round(mean(cos), 4)}

    results = {"rows": {"deduplicated": len(rows), "train": len(train), "test": len(test)},
               "threshold": args.threshold, "seconds": round(time.time() - started), "load": [load_before, load_after],
               "queue_accuracy_default_model": round(mean([p["predictedQueue"] == r["queue"] for p, r in zip(product, test)]), 4),
               "replies": {}, "coverage": {}, "summaries": {}}
    # Ceiling of any reply taken from the training answers: the one closest to the real answer (by cosine).
    methods["oracle_training_answer"] = [int(i) for i in np.argmax(train_vec @ test_vec.T, axis=0)]
    for key, indices in methods.items():
        results["replies"][key] = score(indices)
    # Near-duplicates: held-out tickets whose suggested source ticket has nearly the same body (ROUGE-L >= 0.8).
    twins = [i is not None and rouge_l(train[i]["body"], r["body"]) >= 0.8 for i, r in zip(methods["suggest"], test)]
    results["near_duplicate_share"] = round(mean(twins), 4)
    results["replies_without_near_duplicates"] = {key: score(indices, [not t for t in twins]) for key, indices in methods.items()}
    for key, flags in coverage.items():
        confident = [c for c, _, _ in flags]
        by_encoder = [e for _, _, e in flags]
        conf = np.array([c for _, c, _ in flags])
        entry = {"confident_share": round(mean(confident), 4), "by_encoder_share": round(mean(by_encoder), 4),
                 "confident": score(methods[key], confident), "abstained": score(methods[key], [not c for c in confident])}
        # How much the confidence knows: the reply's quality in confidence quartiles (encoder-scored rows only).
        rows_cos = [(c, float(train_vec[i] @ test_vec[t]), rouge_l(train[i]["answer"], test[t]["answer"]))
                    for t, (i, (_, c, e)) in enumerate(zip(methods[key], flags)) if e and i is not None]
        if rows_cos:
            cs = np.array([r[0] for r in rows_cos])
            edges = np.quantile(cs, [0, 0.25, 0.5, 0.75, 1])
            entry["quartiles"] = []
            for q in range(4):
                part = [r for r in rows_cos if edges[q] <= r[0] <= edges[q + 1]] if q == 3 else [r for r in rows_cos if edges[q] <= r[0] < edges[q + 1]]
                entry["quartiles"].append({"confidence": [round(float(edges[q]), 3), round(float(edges[q + 1]), 3)], "n": len(part),
                                           "cosine": round(mean([r[1] for r in part]), 4), "rougeL": round(mean([r[2] for r in part]), 4)})
            entry["spearman_confidence_vs_cosine"] = round(float(np.corrcoef(np.argsort(np.argsort(cs)), np.argsort(np.argsort([r[1] for r in rows_cos])))[0, 1]), 4)
        entry["mean_confidence"] = round(float(conf.mean()), 4)
        # Confidence is encoder cosine for sources with an embedding (English), word overlap for the others.
        for source, wanted in (("encoder", True), ("word_overlap", False)):
            part = [e == wanted for e in by_encoder]
            entry[f"{source}_scored"] = {"n": int(sum(part)), "confident_share": round(mean([c for c, p in zip(confident, part) if p]), 4),
                                         "confident": score(methods[key], [c and p for c, p in zip(confident, part)]),
                                         "abstained": score(methods[key], [(not c) and p for c, p in zip(confident, part)])}
        entry["risk_coverage_encoder"] = []
        for cut in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
            kept = [e and c >= cut for e, c in zip(by_encoder, conf)]
            entry["risk_coverage_encoder"].append({"threshold": cut, "coverage_of_encoder_scored": round(sum(kept) / max(1, sum(by_encoder)), 4),
                                                   **score(methods[key], kept)})
        results["coverage"][key] = entry

    with_subject = [t for t, r in enumerate(test) if r["subject"]]
    for key in ("lead1", "lead3", "lexrank1", "lexrank3", "words1", "words3"):
        values = [rouge_l(product[t][key], test[t]["subject"]) for t in with_subject]
        results["summaries"][key] = {"n": len(values), "rougeL": round(mean(values), 4)}
    results["summaries"]["mean_sentences"] = round(mean([product[t]["sentenceCount"] for t in with_subject]), 2)
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
