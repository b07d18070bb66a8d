#!/usr/bin/env python3
"""Side-by-side benchmark: otai vs the fastText CLI on the same de-duplicated, stratified ticket split.

Benchmark driver only (never part of the product). Needs: the otai CLI built (dotnet build), Debian's `fasttext`.
Usage: python3 bench/tickets_vs_fasttext.py [--data ../shared/data/tickets] [--work /tmp/otai-bench] [--seed 42]
Prints a markdown table (accuracy and macro-F1 per head, training time, prediction throughput).
"""
import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict

FILES = ["tickets-en-de-a.csv", "tickets-en-de-b.csv", "tickets-multilang-5lang.csv"]
HEADS = ["queue", "priority", "type"]
FASTTEXT_ARGS = ["-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-epoch", "25", "-lr", "0.5", "-dim", "100", "-thread", "2"]


def load(data_dir):
    rows, seen = [], set()
    for name in FILES:
        with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                key = ((r.get("subject") or "").strip(), (r.get("body") or "").strip())
                if key in seen or not (key[0] or key[1]):
                    continue
                seen.add(key)
                tags = sorted({(r[c] or "").strip() for c in r if c.startswith("tag_") and (r[c] or "").strip()})
                rows.append({"subject": key[0], "body": key[1], **{h: (r.get(h) or "").strip() for h in HEADS}, "tags": tags})
    return rows


def stratified_split(rows, seed, test_fraction=0.2):
    by_queue = defaultdict(list)
    for r in rows:
        by_queue[r["queue"]].append(r)
    rng = random.Random(seed)
    train, test = [], []
    for queue in sorted(by_queue):
        group = by_queue[queue]
        rng.shuffle(group)
        k = max(1, round(len(group) * test_fraction)) if len(group) > 1 else 0
        test += group[:k]
        train += group[k:]
    rng.shuffle(train)
    return train, test


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "subject", "body", *HEADS, "tags"])
        for i, r in enumerate(rows):
            w.writerow([i, r["subject"], r["body"], *[r[h] for h in HEADS], "|".join(r["tags"])])


def fasttext_text(r):
    text = (r["subject"] + " " + r["body"]).replace("\\n", " ").lower()
    return re.sub(r"\s+", " ", text).strip()


def label_token(label):
    return "__label__" + label.replace(" ", "_")


def macro_f1(truth, pred):
    labels = set(truth) | set(pred)
    f1s = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, pred) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, pred) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, pred) if t == label and p != label)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s)


def micro_f1(truth_sets, pred_sets):
    tp = sum(len(t & p) for t, p in zip(truth_sets, pred_sets))
    fp = sum(len(p - t) for t, p in zip(truth_sets, pred_sets))
    fn = sum(len(t - p) for t, p in zip(truth_sets, pred_sets))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def run(cmd, **kw):
    started = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - started


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "tickets"))
    ap.add_argument("--work", default="/tmp/otai-bench")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--throughput-copies", type=int, default=10, help="repeat the test set this often for the throughput run")
    ap.add_argument("--otai", default=os.path.join(root, "src", "OpenTicketAI.Cli", "bin", "Release", "net10.0", "otai"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    w = lambda name: os.path.join(args.work, name)

    rows = load(args.data)
    train, test = stratified_split(rows, args.seed)
    write_csv(w("train.csv"), train)
    write_csv(w("test.csv"), test)
    write_csv(w("throughput.csv"), test * args.throughput_copies)
    print(f"rows after de-duplication: {len(rows)}; train {len(train)}, test {len(test)}", file=sys.stderr)

    # otai: one multi-head model. Its own validation split (10%) comes out of train.csv; no extra test split.
    recipe = {
        "name": "bench", "seed": args.seed,
        "heads": {**{h: "single" for h in HEADS}, "tags": "multi"},
        "sources": [{"path": w("train.csv"), "text": ["subject", "body"], "labels": {h: h for h in HEADS}, "tags": ["tags"]}],
        "trainer": {"testFraction": 0.0},
    }
    # The tags column holds "a|b|c": split it for otai via JSONL instead of CSV.
    with open(w("train.jsonl"), "w", encoding="utf-8") as f:
        for r in train:
            f.write(json.dumps({"subject": r["subject"], "body": r["body"], **{h: r[h] for h in HEADS}, "tags": r["tags"]}) + "\n")
    recipe["sources"][0]["path"] = w("train.jsonl")
    with open(w("recipe.json"), "w") as f:
        json.dump(recipe, f)

    otai_train = run([args.otai, "train", "--recipe", w("recipe.json"), "--out", w("otai-model")], stdout=subprocess.DEVNULL)
    otai_predict = run([args.otai, "predict", "--model", w("otai-model"), "--input", w("test.csv"), "--id", "id", "--output", w("otai-test.jsonl")], stderr=subprocess.DEVNULL)
    otai_throughput = run([args.otai, "predict", "--model", w("otai-model"), "--input", w("throughput.csv"), "--output", w("otai-throughput.jsonl")], stderr=subprocess.DEVNULL)
    write_csv(w("one.csv"), test[:1])
    otai_startup = run([args.otai, "predict", "--model", w("otai-model"), "--input", w("one.csv"), "--output", w("otai-one.jsonl")], stderr=subprocess.DEVNULL)
    otai_pred = {}
    with open(w("otai-test.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            otai_pred[int(o["id"])] = o["predictions"]

    # fastText: one model per head (it has no multi-head mode); tags with one-vs-all loss.
    ft_train, ft_pred = 0.0, {h: [] for h in HEADS + ["tags"]}
    with open(w("test.txt"), "w") as f:
        for r in test:
            f.write(fasttext_text(r) + "\n")
    with open(w("throughput.txt"), "w") as f:
        for r in test * args.throughput_copies:
            f.write(fasttext_text(r) + "\n")
    ft_throughput = ft_startup = 0.0
    with open(w("one.txt"), "w") as f:
        f.write(fasttext_text(test[0]) + "\n")
    for head in HEADS + ["tags"]:
        with open(w(f"ft-{head}.train"), "w") as f:
            for r in train:
                labels = r["tags"] if head == "tags" else [r[head]]
                if labels:
                    f.write(" ".join(label_token(l) for l in labels) + " " + fasttext_text(r) + "\n")
        extra = ["-loss", "ova"] if head == "tags" else []
        ft_train += run(["fasttext", "supervised", "-input", w(f"ft-{head}.train"), "-output", w(f"ft-{head}"), *FASTTEXT_ARGS, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        predict_args = ["-1", "0.5"] if head == "tags" else ["1"]
        with open(w(f"ft-{head}.pred"), "w") as out:
            run(["fasttext", "predict", w(f"ft-{head}.bin"), w("test.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.throughput"), "w") as out:
            ft_throughput += run(["fasttext", "predict", w(f"ft-{head}.bin"), w("throughput.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.one"), "w") as out:
            ft_startup += run(["fasttext", "predict", w(f"ft-{head}.bin"), w("one.txt"), *predict_args], stdout=out)
        with open(w(f"ft-{head}.pred")) as f:
            for line in f:
                labels = [t[len("__label__"):].replace("_", " ") for t in line.split()]
                ft_pred[head].append(labels)

    print(f"| head | majority | otai accuracy | fastText accuracy | otai macro-F1 | fastText macro-F1 |")
    print(f"|---|---|---|---|---|---|")
    for head in HEADS:
        truth = [r[head] for r in test]
        majority = Counter(r[head] for r in train).most_common(1)[0][0]
        maj = sum(1 for t in truth if t == majority) / len(truth)
        o = [otai_pred[i][head] for i in range(len(test))]
        ft = [(p[0] if p else "") for p in ft_pred[head]]
        # fastText label tokens cannot hold spaces; compare in the same space-free form.
        norm = lambda s: s.replace(" ", "_")
        ft_n, truth_n = [norm(x) for x in ft], [norm(x) for x in truth]
        o_acc = sum(a == b for a, b in zip(o, truth)) / len(truth)
        ft_acc = sum(a == b for a, b in zip(ft_n, [norm(t) for t in truth])) / len(truth)
        print(f"| {head} | {maj:.3f} | {o_acc:.3f} | {ft_acc:.3f} | {macro_f1(truth, o):.3f} | {macro_f1(truth_n, ft_n):.3f} |")
    truth_tags = [set(r["tags"]) for r in test]
    o_tags = [set(otai_pred[i]["tags"]) for i in range(len(test))]
    ft_tags = [set(x.replace(" ", "_") for x in p) for p in ft_pred["tags"]]
    truth_tags_n = [set(x.replace(" ", "_") for x in t) for t in truth_tags]
    print(f"| tags (micro-F1) | - | {micro_f1(truth_tags, o_tags):.3f} | {micro_f1(truth_tags_n, ft_tags):.3f} | - | - |")
    n = len(test) * args.throughput_copies
    print()
    print(f"| | otai (one 4-head model) | fastText (4 models) | ratio otai/fastText |")
    print(f"|---|---|---|---|")
    print(f"| training wall time (s) | {otai_train:.1f} | {ft_train:.1f} | {otai_train / ft_train:.2f} |")
    print(f"| predict {n} tickets, wall time incl. start-up (s) | {otai_throughput:.2f} | {ft_throughput:.2f} | {otai_throughput / ft_throughput:.2f} |")
    print(f"| throughput incl. start-up (tickets/s, all heads) | {n / otai_throughput:.0f} | {n / ft_throughput:.0f} | {ft_throughput / otai_throughput:.2f} |")
    print(f"| start-up: predict 1 ticket (s) | {otai_startup:.2f} | {ft_startup:.2f} | {otai_startup / ft_startup:.2f} |")
    o_steady, f_steady = n / max(otai_throughput - otai_startup, 1e-9), n / max(ft_throughput - ft_startup, 1e-9)
    print(f"| throughput without start-up (tickets/s, all heads) | {o_steady:.0f} | {f_steady:.0f} | {o_steady / f_steady:.2f} |")


if __name__ == "__main__":
    main()
